// Package respond is the one writer of JSON responses and errors for every HTTP surface of the
// hub (the API, the cabinet, the CRM adapter's callbacks): errors from the apierr catalogue
// come out as {"error": {"code", "message", ...}} in the request's language and are logged
// once.
package respond

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/sanitize"
)

// MaxJSONBody bounds every JSON request body; uploads have their own limit.
const MaxJSONBody = 1 << 20

// Handler is an endpoint that returns its error instead of writing it.
type Handler func(w http.ResponseWriter, r *http.Request) error

// JSON writes v with the status. It is the only place JSON responses are written.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Debug("write response", "err", err)
	}
}

// Error writes err as {"error": {"code", "message", ...}} in the request's language and
// logs it once: server errors at error level, client errors at debug.
func Error(w http.ResponseWriter, r *http.Request, err error) {
	e := apierr.Of(err)
	body := map[string]any{}
	for k, v := range e.Extra {
		body[k] = v
	}
	body["code"] = e.Code
	body["message"] = i18n.T(Lang(r.Context()), e.MessageKey())
	if e.Status >= 500 {
		slog.Error("request failed", "method", r.Method, "path", LogPath(r.URL.Path), "code", e.Code, "err", err)
	} else {
		slog.Debug("request refused", "method", r.Method, "path", LogPath(r.URL.Path), "code", e.Code, "err", err)
	}
	JSON(w, e.Status, map[string]any{"error": body})
}

// LogError logs a failure the client is not told about (the request itself succeeded).
func LogError(r *http.Request, what string, err error) {
	slog.Error(what, "method", r.Method, "path", LogPath(r.URL.Path), "err", err)
}

// Decode reads a JSON body into v; malformed or oversize input is bad_request, and U+0000
// in any string of it is invalid_text (invalid UTF-8 the decoder already turned into U+FFFD).
func Decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, MaxJSONBody+1))
	if err := dec.Decode(v); err != nil {
		return apierr.BadRequest.Because(err)
	}
	if dec.More() {
		return apierr.BadRequest.Because(errors.New("trailing data after JSON"))
	}
	if sanitize.HasNUL(v) {
		return apierr.InvalidText
	}
	return nil
}

type ctxKey int

const langKey ctxKey = 0

// WithLang stores the language errors are written in.
func WithLang(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, langKey, i18n.Lang(lang))
}

func Lang(ctx context.Context) string {
	if l, ok := ctx.Value(langKey).(string); ok {
		return l
	}
	return "en"
}

// Handle adapts a Handler: the error it returns is written with Error.
func Handle(fn Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			Error(w, r, err)
		}
	})
}
