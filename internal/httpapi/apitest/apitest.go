// Package apitest drives the hub's HTTP API in tests: a request with a bearer token and a JSON
// body, served in process, and the recorded answer with its error code. The API's packages
// (httpapi, cabinet) share it so their tests read the same way.
package apitest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Response is a recorded answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body as a JSON object.
func (r Response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.Body)
	}
	return m
}

// Code is the error code of an error answer, "" otherwise (a message has an "error" too).
func (r Response) Code() string {
	if r.Status < 400 {
		return ""
	}
	var m struct {
		Error struct{ Code string } `json:"error"`
	}
	json.Unmarshal(r.Body, &m)
	return m.Error.Code
}

// Expect fails the test unless the answer has the status, and the error code when code is not "".
func Expect(t testing.TB, what string, r Response, status int, code string) {
	t.Helper()
	if r.Status != status || r.Code() != code {
		t.Fatalf("%s: got %d %q, want %d %q: %s", what, r.Status, r.Code(), status, code, r.Body)
	}
}

// Request is a request with a bearer token (none if "") and a body: a string or bytes as they
// are, anything else as JSON; nil for none.
func Request(t testing.TB, method, path, token string, body any) *http.Request {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// Serve records h's answer to req.
func Serve(h http.Handler, req *http.Request) Response {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}
