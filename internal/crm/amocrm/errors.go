package amocrm

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/switchboardhq/switchboard/internal/crm"
)

// APIError is an error answer of the CRM: amoCRM writes application/problem+json
// ({"title","type","status","detail"}, OAuth errors add "hint"); a blocked account gets an HTML
// page from nginx instead, kept here as Detail.
type APIError struct {
	Status int    `json:"status"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Hint   string `json:"hint"`
	// Validation holds 400 validation errors as the CRM sent them.
	Validation json.RawMessage `json:"validation-errors,omitempty"`
}

// Unwrap makes every CRM error answer the port's ErrUnavailable.
func (e *APIError) Unwrap() error { return crm.ErrUnavailable }

func (e *APIError) Error() string {
	msg := fmt.Sprintf("amocrm: %d %s", e.Status, e.Title)
	for _, s := range []string{e.Detail, e.Hint} {
		if s != "" {
			msg += ": " + s
		}
	}
	return msg
}

// ErrNotInstalled is returned when the hub holds no tokens for the account (never installed,
// or the CRM revoked them through the disconnect hook).
var ErrNotInstalled = fmt.Errorf("amocrm: the account is not connected to the hub: %w", crm.ErrNotConnected)

// ErrRevoked is returned when the CRM refused the refresh token: an administrator must connect
// the account again.
var ErrRevoked = fmt.Errorf("amocrm: the CRM revoked the hub's access; reconnect the account: %w", crm.ErrNotConnected)

// IsStatus reports whether err is an APIError with that HTTP status.
func IsStatus(err error, status int) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == status
}

// readAPIError builds the APIError of a non-2xx response.
func readAPIError(res *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	e := &APIError{}
	ct := res.Header.Get("Content-Type")
	if strings.Contains(ct, "json") && json.Unmarshal(body, e) == nil {
		e.Status = res.StatusCode
		if e.Title == "" {
			e.Title = http.StatusText(res.StatusCode)
		}
		return e
	}
	e.Status, e.Title = res.StatusCode, http.StatusText(res.StatusCode)
	e.Detail = strings.Join(strings.Fields(string(body)), " ")
	if len(e.Detail) > 200 {
		e.Detail = e.Detail[:200]
	}
	return e
}
