package channel

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/switchboardhq/switchboard/internal/i18n"
)

// Hub error codes a provider failure maps to. Each has "error.<code>" in the i18n catalogue.
const (
	CodeNotOnWhatsApp   = "not_on_whatsapp"
	CodeWindowClosed    = "waba_window_closed"
	CodeTemplatesUnpaid = "templates_unpaid"
	CodeAuthFailed      = "channel_auth_failed"
	CodeBlockedByUser   = "blocked_by_user"
	CodeChatNotFound    = "chat_not_found"
	CodeRejected        = "provider_rejected" // any other refusal; Detail says what the provider said
	CodeUnavailable     = "provider_unavailable"
	CodeNotSupported    = "not_supported"
	CodeOutcomeUnknown  = "outcome_unknown" // the call may or may not have delivered
)

// Error is a provider failure, classified: transient ones (rate limits, 5xx, unreachable) are
// worth retrying, after RetryAfter when the provider said how long; permanent ones fail the
// message with Code and a human reason.
type Error struct {
	Transient  bool
	RetryAfter time.Duration
	Code       string // one of the Code* constants
	Provider   string // the provider's own code, e.g. "131047" or "403"
	Detail     string // the provider's words, for the log and the tooltip
}

func (e *Error) Error() string {
	return fmt.Sprintf("channel: %s (provider %s): %s", e.Code, e.Provider, e.Detail)
}

// Reason is the employee-facing text for the failure in lang (F20), the provider's own words
// appended when the code alone does not say what happened.
func (e *Error) Reason(lang string) string {
	r := i18n.T(lang, "error."+e.Code)
	if (e.Code == CodeRejected || e.Code == CodeNotSupported) && e.Detail != "" {
		r += " " + e.Detail
	}
	return r
}

// Permanent builds a non-retryable error.
func Permanent(code, provider, detail string) *Error {
	return &Error{Code: code, Provider: provider, Detail: detail}
}

// Transient builds a retryable error.
func Transient(provider, detail string, after time.Duration) *Error {
	return &Error{Transient: true, RetryAfter: after, Code: CodeUnavailable, Provider: provider, Detail: detail}
}

// Classify turns any error from a send into an *Error. A failure to connect is transient: the
// request never left, so trying again cannot deliver twice. A timeout or a broken connection
// after the request was written is not: the provider may have accepted the message, and
// neither API has an idempotency key, so it fails with CodeOutcomeUnknown for the employee to
// retry knowingly. Anything unrecognised is a permanent rejection, never retried blindly.
func Classify(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return Transient("connect", err.Error(), 0)
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() || errors.As(err, &oe) {
		return Permanent(CodeOutcomeUnknown, "timeout", err.Error())
	}
	return Permanent(CodeRejected, "", err.Error())
}

// HTTPStatus classifies a bare HTTP status with no parseable error body.
func HTTPStatus(status int, body string, retryAfter time.Duration) *Error {
	switch {
	case status == 429 || status >= 500:
		return Transient(fmt.Sprint(status), body, retryAfter)
	case status == 401:
		return Permanent(CodeAuthFailed, "401", body)
	}
	return Permanent(CodeRejected, fmt.Sprint(status), body)
}
