package httpapi

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an API error: a stable code, its HTTP status, and extra fields for the body (such
// as chat_id on chat_exists). Its message comes from the i18n catalogue in the caller's language.
type Error struct {
	Status int
	Code   string
	Extra  map[string]any
	cause  error // logged, never shown
}

func (e *Error) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%s: %v", e.Code, e.cause)
	}
	return e.Code
}

func (e *Error) Unwrap() error { return e.cause }

// With returns a copy of e with an extra body field.
func (e *Error) With(key string, v any) *Error {
	c := *e
	c.Extra = map[string]any{key: v}
	for k, x := range e.Extra {
		c.Extra[k] = x
	}
	return &c
}

// Because returns a copy of e that records the underlying cause for the log.
func (e *Error) Because(err error) *Error {
	c := *e
	c.cause = err
	return &c
}

func apiError(status int, code string) *Error { return &Error{Status: status, Code: code} }

// The catalogue of errors. Every code has a message in internal/i18n/locales as "error.<code>".
var (
	ErrNotFound         = apiError(http.StatusNotFound, "not_found")
	ErrBadRequest       = apiError(http.StatusBadRequest, "bad_request")
	ErrUnauthorized     = apiError(http.StatusUnauthorized, "unauthorized")
	ErrForbidden        = apiError(http.StatusForbidden, "forbidden")
	ErrMethodNotAllowed = apiError(http.StatusMethodNotAllowed, "method_not_allowed")
	ErrTooLarge         = apiError(http.StatusRequestEntityTooLarge, "too_large")
	ErrInternal         = apiError(http.StatusInternalServerError, "internal")
	ErrUnavailable      = apiError(http.StatusServiceUnavailable, "unavailable")
	// ErrOperatorDisabled: no SWITCHBOARD_OPERATOR_TOKEN is configured, so the operator API is off.
	ErrOperatorDisabled = apiError(http.StatusServiceUnavailable, "operator_api_disabled")

	// The cabinet's errors.
	ErrAdminsOnly       = apiError(http.StatusForbidden, "cabinet_admins_only")
	ErrInstallState     = apiError(http.StatusForbidden, "install_state_mismatch")
	ErrFeatureMissing   = apiError(http.StatusNotImplemented, "feature_missing")
	ErrInvalidField     = apiError(http.StatusBadRequest, "invalid_field")
	ErrCheckFailed      = apiError(http.StatusUnprocessableEntity, "connection_check_failed")
	ErrConnectionInUse  = apiError(http.StatusConflict, "connection_in_use")
	ErrConnectionExists = apiError(http.StatusConflict, "connection_exists")
	ErrNameTaken        = apiError(http.StatusConflict, "name_taken")
	ErrNoTemplates      = apiError(http.StatusUnprocessableEntity, "templates_not_supported")
	// ErrOneFile: WhatsApp and Telegram carry one file per message, so the API takes one.
	ErrOneFile        = apiError(http.StatusUnprocessableEntity, "one_file_per_message")
	ErrUnknownCRMUser = apiError(http.StatusUnprocessableEntity, "unknown_crm_user")
	// ErrCRMNotConfigured: no amoCRM client id and secret; ErrCRMNotConnected: the CRM account
	// is not installed (or its access was revoked).
	ErrCRMNotConfigured = apiError(http.StatusServiceUnavailable, "crm_not_configured")
	ErrCRMNotConnected  = apiError(http.StatusNotFound, "crm_not_connected")
)

// Errors lists the catalogue, so a test can check every code has its texts.
var Errors = []*Error{ErrNotFound, ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrMethodNotAllowed,
	ErrTooLarge, ErrInternal, ErrUnavailable, ErrOperatorDisabled, ErrAdminsOnly, ErrInstallState, ErrFeatureMissing,
	ErrInvalidField, ErrCheckFailed, ErrConnectionInUse, ErrConnectionExists, ErrNameTaken, ErrNoTemplates,
	ErrUnknownCRMUser, ErrCRMNotConfigured, ErrCRMNotConnected, ErrOneFile}

// asAPIError maps any error to the API error the client sees; unknown errors are internal.
func asAPIError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return ErrInternal.Because(err)
}
