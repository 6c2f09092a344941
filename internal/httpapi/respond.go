package httpapi

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

// maxJSONBody bounds every JSON request body; uploads have their own limit.
const maxJSONBody = 1 << 20

// handler is an endpoint that returns its error instead of writing it.
type handler func(w http.ResponseWriter, r *http.Request) error

// writeJSON writes v with the status. It is the only place JSON responses are written.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Debug("write response", "err", err)
	}
}

// writeError writes err as {"error": {"code", "message", ...}} in the request's language and
// logs it once: server errors at error level, client errors at debug.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := apierr.Of(err)
	body := map[string]any{}
	for k, v := range e.Extra {
		body[k] = v
	}
	body["code"] = e.Code
	body["message"] = i18n.T(langOf(r.Context()), "error."+e.Code)
	if e.Status >= 500 {
		slog.Error("request failed", "method", r.Method, "path", logPath(r.URL.Path), "code", e.Code, "err", err)
	} else {
		slog.Debug("request refused", "method", r.Method, "path", logPath(r.URL.Path), "code", e.Code, "err", err)
	}
	writeJSON(w, e.Status, map[string]any{"error": body})
}

// logError logs a failure the client is not told about (the request itself succeeded).
func logError(r *http.Request, what string, err error) {
	slog.Error(what, "method", r.Method, "path", logPath(r.URL.Path), "err", err)
}

// decodeJSON reads a JSON body into v; malformed or oversize input is bad_request, and U+0000
// in any string of it is invalid_text (invalid UTF-8 the decoder already turned into U+FFFD).
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxJSONBody+1))
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

const langKey ctxKey = iota

// withLang stores the language errors are written in.
func withLang(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, langKey, i18n.Lang(lang))
}

func langOf(ctx context.Context) string {
	if l, ok := ctx.Value(langKey).(string); ok {
		return l
	}
	return "en"
}
