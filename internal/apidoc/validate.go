package apidoc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

var (
	auditOnce sync.Once
	audit     []error
)

// Validating wraps an API handler for a test: every answer under /api/ it gives is checked
// against the document — its status must be one the operation lists, its Content-Type one the
// response has, and a JSON body must match the schema (required fields, types, no fields the
// document does not name) — and a JSON request body the hub accepted (2xx) must match the
// operation's request schema. A mismatch fails t, naming the route and what differs. WebSocket
// upgrades pass through unchecked (the connection is hijacked).
func Validating(t testing.TB, h http.Handler) http.Handler {
	t.Helper()
	d, _, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	auditOnce.Do(func() { audit = Audit(d) })
	if len(audit) > 0 {
		t.Fatalf("docs/openapi.yaml: %v", errors.Join(audit...))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !documented(r) || r.Header.Get("Upgrade") != "" {
			h.ServeHTTP(w, r)
			return
		}
		var sent []byte
		if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/json" && r.Body != nil {
			sent, _ = io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(sent))
		}
		rec := &tee{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		if err := Check(r, rec.status(), rec.Header(), rec.body.Bytes()); err != nil {
			t.Errorf("%s %s answered %d, which does not match docs/openapi.yaml: %v\nbody: %.600s",
				r.Method, r.URL.Path, rec.status(), err, rec.body.Bytes())
		}
		if rec.status()/100 == 2 && sent != nil {
			if err := CheckAccepted(r, sent); err != nil {
				t.Errorf("%s %s accepted a body that docs/openapi.yaml refuses: %v\nbody: %.600s", r.Method, r.URL.Path, err, sent)
			}
		}
	})
}

// documented reports whether the document answers for r's path: the whole of /api/, and the
// operations it has elsewhere (health, metrics); the web app and webhooks are not its business.
func documented(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return true
	}
	_, router, _ := Load()
	_, _, err := router.FindRoute(r)
	return err == nil
}

// CheckAccepted validates a JSON request body the hub accepted against the operation's request
// schema: what the hub takes, the document must describe (names, types, required fields).
func CheckAccepted(r *http.Request, body []byte) error {
	_, router, err := Load()
	if err != nil {
		return err
	}
	route, _, err := router.FindRoute(r)
	if err != nil {
		return err
	}
	rb := route.Operation.RequestBody
	if rb == nil || rb.Value == nil {
		return nil // a body the endpoint ignores
	}
	mt := rb.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return fmt.Errorf("route %s %s takes no JSON body", r.Method, route.Path)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	if err := mt.Schema.Value.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsRequest()); err != nil {
		return fmt.Errorf("route %s %s: %w", r.Method, route.Path, err)
	}
	return nil
}

// reached holds the operations ("GET /api/v1/chats/{id}") Check has seen an answer of.
var reached sync.Map

// Unchecked lists the document's operations under any of prefixes that no answer checked in this
// test binary reached, so a package's TestMain can require its tests to exercise every one.
func Unchecked(prefixes ...string) []string {
	d, _, err := Load()
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, op := range Operations(d) {
		_, path, _ := strings.Cut(op, " ")
		for _, p := range prefixes {
			if _, ok := reached.Load(op); !ok && strings.HasPrefix(path, p) {
				out = append(out, op)
			}
		}
	}
	return out
}

// RequireChecked is a TestMain's end: when the whole package ran and passed (no -run or -skip),
// an operation under prefixes that no test's answer reached fails the run (exit code 1).
func RequireChecked(code int, prefixes ...string) int {
	if code != 0 || flagSet("test.run") || flagSet("test.skip") {
		return code
	}
	if ops := Unchecked(prefixes...); len(ops) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: no test checked an answer of these operations of docs/openapi.yaml:\n  %s\n",
			strings.Join(ops, "\n  "))
		return 1
	}
	return code
}

func flagSet(name string) bool {
	f := flag.Lookup(name)
	return f != nil && f.Value.String() != ""
}

// CheckFrame validates one message of the event socket against the document's EventFrame, or
// EventFrames when it is an array.
func CheckFrame(frame []byte) error {
	d, _, err := Load()
	if err != nil {
		return err
	}
	var v any
	if err := json.Unmarshal(frame, &v); err != nil {
		return err
	}
	schema := "EventFrame"
	if _, several := v.([]any); several {
		schema = "EventFrames"
	}
	return d.Components.Schemas[schema].Value.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsResponse())
}

// Check validates one answer to r against the document.
func Check(r *http.Request, status int, header http.Header, body []byte) error {
	d, router, err := Load()
	if err != nil {
		return err
	}
	route, params, err := router.FindRoute(r)
	if err == nil {
		reached.Store(r.Method+" "+route.Path, true)
	}
	if err != nil {
		// No such operation: the hub must answer with an error in the catalogue's shape.
		if status < 400 {
			return fmt.Errorf("the document has no %s %s (%v), yet the hub answered %d", r.Method, r.URL.Path, err, status)
		}
		return checkJSON(d.Components.Schemas["Error"].Value, header, body)
	}
	ct, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
	if ct != "application/json" {
		// Files, archives and redirects: the status and the type are checked, not the bytes.
		opts.ExcludeResponseBody = true
		if err := checkType(route.Operation, status, header); err != nil {
			return fmt.Errorf("route %s %s: %w", r.Method, route.Path, err)
		}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return fmt.Errorf("route %s %s: %w", r.Method, route.Path, err)
	}
	if status >= 400 && ct == "application/json" {
		var e struct{ Error struct{ Code string } }
		if err := json.Unmarshal(body, &e); err == nil && !slices.Contains(ErrorCodes(route.Operation), e.Error.Code) {
			return fmt.Errorf("route %s %s: error %q is not among the operation's x-error-codes", r.Method, route.Path, e.Error.Code)
		}
	}
	return nil
}

// AnyOperation are the error codes every operation may answer: a NUL in the request, an abuse
// limit, a fault, the database or media store away.
var AnyOperation = []string{"invalid_text", "rate_limited", "internal", "unavailable"}

// ErrorCodes are the codes an operation may answer: its x-error-codes and AnyOperation.
func ErrorCodes(op *openapi3.Operation) []string {
	codes := append([]string(nil), AnyOperation...)
	list, _ := op.Extensions["x-error-codes"].([]any)
	for _, c := range list {
		if s, ok := c.(string); ok {
			codes = append(codes, s)
		}
	}
	return codes
}

// checkType requires a body's Content-Type to be one the documented response has.
func checkType(op *openapi3.Operation, status int, header http.Header) error {
	resp := op.Responses.Status(status)
	if resp == nil || resp.Value == nil || len(resp.Value.Content) == 0 {
		return nil // the status itself is checked by ValidateResponse
	}
	if ct := header.Get("Content-Type"); resp.Value.Content.Get(ct) == nil {
		return fmt.Errorf("Content-Type %q is not one the document gives for %d", ct, status)
	}
	return nil
}

func checkJSON(schema *openapi3.Schema, header http.Header, body []byte) error {
	if ct, _, _ := mime.ParseMediaType(header.Get("Content-Type")); ct != "application/json" {
		return fmt.Errorf("an error answered as %q, not JSON", header.Get("Content-Type"))
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return schema.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsResponse())
}

// tee passes an answer through while keeping its status and body.
type tee struct {
	http.ResponseWriter
	code int
	body bytes.Buffer
}

func (t *tee) WriteHeader(code int) {
	if t.code == 0 {
		t.code = code
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *tee) Write(p []byte) (int, error) {
	if t.code == 0 {
		t.code = http.StatusOK
	}
	t.body.Write(p)
	return t.ResponseWriter.Write(p)
}

func (t *tee) status() int {
	if t.code == 0 {
		return http.StatusOK
	}
	return t.code
}

// Unwrap lets http.ResponseController reach the real writer (deadlines, flushing).
func (t *tee) Unwrap() http.ResponseWriter { return t.ResponseWriter }
