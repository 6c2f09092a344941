// Package apierr is the catalogue of errors the hub's surfaces and services return: each has a
// stable code, an HTTP status and a message in every language of the i18n catalogue
// ("error.<code>"). Services return them so an HTTP handler, or any other caller such as a CRM's
// chat hook, learns the same refusal in the same words.
package apierr

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/switchboardhq/switchboard/internal/store"
)

// Error is an API error: a stable code, its HTTP status, and extra fields for the body (such
// as chat_id on chat_exists). Its message comes from the i18n catalogue in the caller's language.
type Error struct {
	Status int
	Code   string
	Extra  map[string]any
	cause  error  // logged, never shown
	says   string // the catalogue key of the message, when not "error.<code>" (Says)
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

// Says returns a copy of e whose message is the catalogue's key instead of "error.<code>": the
// same code told in the words that fit who asked (the operator API's 401 is not a chat
// window's expired session).
func (e *Error) Says(key string) *Error {
	c := *e
	c.says = key
	return &c
}

// MessageKey is the catalogue key of e's message.
func (e *Error) MessageKey() string {
	if e.says != "" {
		return e.says
	}
	return "error." + e.Code
}

// Because returns a copy of e that records the underlying cause for the log.
func (e *Error) Because(err error) *Error {
	c := *e
	c.cause = err
	return &c
}

func newError(status int, code string) *Error { return &Error{Status: status, Code: code} }

// The catalogue of errors. Every code has a message in internal/i18n/locales as "error.<code>".
var (
	NotFound         = newError(http.StatusNotFound, "not_found")
	BadRequest       = newError(http.StatusBadRequest, "bad_request")
	Unauthorized     = newError(http.StatusUnauthorized, "unauthorized")
	Forbidden        = newError(http.StatusForbidden, "forbidden")
	MethodNotAllowed = newError(http.StatusMethodNotAllowed, "method_not_allowed")
	TooLarge         = newError(http.StatusRequestEntityTooLarge, "too_large")
	Internal         = newError(http.StatusInternalServerError, "internal")
	Unavailable      = newError(http.StatusServiceUnavailable, "unavailable")
	// OperatorDisabled: no SWITCHBOARD_OPERATOR_TOKEN is configured, so the operator API is off.
	OperatorDisabled = newError(http.StatusServiceUnavailable, "operator_api_disabled")
	// WidgetNeedsHTTPS: the widget archive would carry a public URL the CRM's HTTPS pages
	// cannot load a script from.
	WidgetNeedsHTTPS = newError(http.StatusUnprocessableEntity, "widget_needs_https")

	// The cabinet's errors.
	AdminsOnly       = newError(http.StatusForbidden, "cabinet_admins_only")
	InstallState     = newError(http.StatusForbidden, "install_state_mismatch")
	FeatureMissing   = newError(http.StatusNotImplemented, "feature_missing")
	InvalidField     = newError(http.StatusBadRequest, "invalid_field")
	CheckFailed      = newError(http.StatusUnprocessableEntity, "connection_check_failed")
	ConnectionInUse  = newError(http.StatusConflict, "connection_in_use")
	ConnectionExists = newError(http.StatusConflict, "connection_exists")
	NameTaken        = newError(http.StatusConflict, "name_taken")
	NoTemplates      = newError(http.StatusUnprocessableEntity, "templates_not_supported")
	// OneFile: WhatsApp and Telegram carry one file per message, so the API takes one.
	OneFile        = newError(http.StatusUnprocessableEntity, "one_file_per_message")
	UnknownCRMUser = newError(http.StatusUnprocessableEntity, "unknown_crm_user")
	// CRMNotConfigured: no amoCRM client id and secret; CRMNotConnected: the CRM account
	// is not installed (or its access was revoked).
	CRMNotConfigured = newError(http.StatusServiceUnavailable, "crm_not_configured")
	CRMNotConnected  = newError(http.StatusNotFound, "crm_not_connected")
	// RateLimited: one of the hub's abuse limits; the answer's Retry-After says when to retry.
	RateLimited = newError(http.StatusTooManyRequests, "rate_limited")
)

// All lists the catalogue, so a test can check every code has its texts.
var All = []*Error{NotFound, BadRequest, Unauthorized, Forbidden, MethodNotAllowed,
	TooLarge, Internal, Unavailable, OperatorDisabled, WidgetNeedsHTTPS, AdminsOnly, InstallState, FeatureMissing,
	InvalidField, CheckFailed, ConnectionInUse, ConnectionExists, NameTaken, NoTemplates,
	UnknownCRMUser, CRMNotConfigured, CRMNotConnected, OneFile, RateLimited}

// Of maps any error to the API error the client sees: the database unreachable is unavailable
// (503), other unknown errors internal.
func Of(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if store.Unavailable(err) {
		// The database is down or restarting: nothing was done, and trying later will work.
		return Unavailable.Because(err)
	}
	return Internal.Because(err)
}

// CheckField is nil when ok, else invalid_field naming the input, so a form can point at it.
func CheckField(name string, ok bool) error {
	if ok {
		return nil
	}
	return InvalidField.With("field", name)
}
