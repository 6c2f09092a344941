package apidoc_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/apidoc"
)

// Check holds an answer to the document: what matches passes; a missing field, a wrong type, an
// undocumented field or status, or an error code under another status fails, naming the route.
func TestCheckCatchesWhatDiffers(t *testing.T) {
	const draft = `{"chat_id": "c1", "text": "hi"}`
	json := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	cases := []struct {
		name, method, path string
		status             int
		header             http.Header
		body               string
		wantErr            string // "" when the answer matches
	}{
		{"matching", "PUT", "/api/v1/chats/c1/draft", 200, json, draft, ""},
		{"missing field", "PUT", "/api/v1/chats/c1/draft", 200, json, `{"chat_id": "c1"}`, `property "text" is missing`},
		{"wrong type", "PUT", "/api/v1/chats/c1/draft", 200, json, `{"chat_id": 1, "text": "hi"}`, "must be a string"},
		{"extra field", "PUT", "/api/v1/chats/c1/draft", 200, json, `{"chat_id": "c1", "text": "", "x": 1}`, `"x" is unsupported`},
		{"undocumented status", "PUT", "/api/v1/chats/c1/draft", 201, json, draft, "status is not supported"},
		{"documented error", "PUT", "/api/v1/chats/c1/draft", 404, json, `{"error": {"code": "not_found", "message": "…"}}`, ""},
		{"code the operation does not answer", "PUT", "/api/v1/chats/c1/draft", 404, json, `{"error": {"code": "contact_not_found", "message": "…"}}`, "not among the operation's x-error-codes"},
		{"code under another status", "PUT", "/api/v1/chats/c1/draft", 404, json, `{"error": {"code": "bad_request", "message": "…"}}`, "value is not one of the allowed values"},
		{"wrong content type", "GET", "/api/cabinet/v1/widget.zip", 200, http.Header{"Content-Type": {"text/html"}}, "<p>", "Content-Type"},
		{"unknown route answered as an error", "GET", "/api/v1/nowhere", 404, json, `{"error": {"code": "not_found", "message": "…"}}`, ""},
		{"unknown route answered 200", "GET", "/api/v1/nowhere", 200, json, `{}`, "has no GET /api/v1/nowhere"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := apidoc.Check(httptest.NewRequest(c.method, c.path, nil), c.status, c.header, []byte(c.body))
			switch {
			case c.wantErr == "" && err != nil:
				t.Fatalf("a matching answer was refused: %v", err)
			case c.wantErr != "" && err == nil:
				t.Fatal("a mismatch passed")
			case c.wantErr != "" && !strings.Contains(err.Error(), c.wantErr):
				t.Fatalf("error %q does not say %q", err, c.wantErr)
			}
		})
	}
}

// CheckAccepted holds a body the hub took to the operation's request schema.
func TestCheckAcceptedHoldsBodiesToTheDocument(t *testing.T) {
	req := httptest.NewRequest("PUT", "/api/v1/chats/c1/draft", nil)
	if err := apidoc.CheckAccepted(req, []byte(`{"text": "hi"}`)); err != nil {
		t.Fatalf("a documented body was refused: %v", err)
	}
	for _, body := range []string{`{"text": 5}`, `{}`} {
		if err := apidoc.CheckAccepted(req, []byte(body)); err == nil {
			t.Errorf("%s passed", body)
		}
	}
}
