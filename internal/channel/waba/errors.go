package waba

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel"
)

// graphErr is the Graph API's error envelope.
type graphErr struct {
	Error struct {
		Message   string `json:"message"`
		Code      int    `json:"code"`
		ErrorData struct {
			Details string `json:"details"`
		} `json:"error_data"`
	} `json:"error"`
}

// graphError classifies a non-2xx answer by its Graph error code (Meta advises keying on the
// code, not the HTTP status), falling back to the status when the body is not Graph's.
func graphError(status int, body []byte, after time.Duration) *channel.Error {
	var g graphErr
	if json.Unmarshal(body, &g) != nil || g.Error.Code == 0 && g.Error.Message == "" {
		return channel.HTTPStatus(status, strings.TrimSpace(string(body)), after)
	}
	detail := g.Error.Message
	if g.Error.ErrorData.Details != "" {
		detail += ": " + g.Error.ErrorData.Details
	}
	e := codeError(g.Error.Code, detail)
	if e.Transient && e.RetryAfter == 0 {
		e.RetryAfter = after
	}
	if !e.Transient && status >= 500 && e.Code == channel.CodeRejected {
		return channel.Transient(e.Provider, detail, after)
	}
	return e
}

// codeError maps a Cloud API error code (sync answer or failed status) to the hub's codes.
func codeError(code int, detail string) *channel.Error {
	p := fmt.Sprint(code)
	switch code {
	case 131026:
		return channel.Permanent(channel.CodeNotOnWhatsApp, p, detail)
	case 131047:
		return channel.Permanent(channel.CodeWindowClosed, p, detail)
	case 131042:
		return channel.Permanent(channel.CodeTemplatesUnpaid, p, detail)
	case 0, 190:
		return channel.Permanent(channel.CodeAuthFailed, p, detail)
	case 4, 80007, 130429, 131056, 131000, 131016, 2:
		return channel.Transient(p, detail, 0)
	}
	return channel.Permanent(channel.CodeRejected, p, detail)
}
