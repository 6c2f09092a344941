package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/apidoc"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// U+0000 from an employee (which PostgreSQL refuses in text) is a clear 400 invalid_text in
// their language, never a 500, and nothing is stored; invalid UTF-8 is kept as U+FFFD.
func TestNULFromAnEmployeeIsInvalidText(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		_, tok := e.employee(w.ws, 77, myGroup, hub.RoleAdmin, "ru", "A", "A")
		chat := w.chats["mine"].ID
		for name, r := range map[string]response{
			"text":      send(e, tok, chat, map[string]any{"client_id": "c-1", "text": "при\x00вет"}),
			"client_id": send(e, tok, chat, map[string]any{"client_id": "c\x00", "text": "привет"}),
			"draft":     e.do(http.MethodPut, "/api/v1/chats/"+chat+"/draft", tok, map[string]any{"text": "черно\x00вик"}),
			// Refused before the session is read, so in the browser's language.
			"search":  e.serve(withLang(newRequest(http.MethodGet, "/api/v1/chats?scope=all&q=ab%00cd", "Bearer "+tok))),
			"chat id": e.serve(withLang(newRequest(http.MethodGet, "/api/v1/chats/x%00y", "Bearer "+tok))),
		} {
			expect(t, name, r, http.StatusBadRequest, "invalid_text")
			if msg := r.JSON(t)["error"].(map[string]any)["message"]; msg != i18n.T("ru", "error.invalid_text") {
				t.Errorf("%s: message %q, not the Russian text", name, msg)
			}
		}
		var page struct{ Items []messageBody }
		decode(t, e.do(http.MethodGet, "/api/v1/chats/"+chat+"/messages", tok, nil), &page)
		for _, m := range page.Items {
			if m.Direction == "out" {
				t.Fatalf("a refused text was stored: %+v", m)
			}
		}
		r := send(e, tok, chat, []byte("{\"client_id\":\"c-2\",\"text\":\"bad \xff byte\"}"))
		expect(t, "invalid UTF-8", r, http.StatusCreated, "")
		var m messageBody
		decode(t, r, &m)
		if m.Text != "bad \uFFFD byte" {
			t.Fatalf("stored text %q", m.Text)
		}
	})
}

func withLang(r *http.Request) *http.Request {
	r.Header.Set("Accept-Language", "ru-RU,ru;q=0.9")
	return r
}

// An uploaded file's name loses bidi controls and other format characters (U+202E makes
// "gnp.exe" show as "exe.png") and any path.
func TestUploadNameLosesFormatCharacters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t))
	w := e.world(1)
	for name, want := range map[string]string{
		"invoice\u202Egnp.exe":            "invoicegnp.exe",
		"a\u200b\u2066b\u2069.png":        "ab.png",
		"..\\..\\windows\\evil\u202E.txt": "evil.txt",
	} {
		r := uploadFile(e, w.adminToken, "file", name, pngBytes)
		expect(t, "upload "+name, r, http.StatusCreated, "")
		if got := r.JSON(t)["name"]; got != want {
			t.Errorf("upload %q stored as %q, want %q", name, got, want)
		}
	}
}

// Every response says nosniff; pages get a strict Content-Security-Policy (scripts only from
// the hub, no plugins, no <base>), the chat window may be framed by the CRM only, the cabinet
// and the API by nobody; a file download keeps its own sandboxing policy.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t))
	page := func(mux *http.ServeMux) {
		for _, p := range []string{"/app/", "/cabinet/", "/sandbox/", "/other/"} {
			mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<!doctype html>")) })
		}
	}
	e.srv.Extra = append(e.srv.Extra, page)
	e.srv.Pages = map[string]string{"/sandbox": httpapi.PagePolicy("frame-ancestors 'self'")}
	e.h = apidoc.Validating(e.t, e.srv.Handler())
	w := e.world(1)
	strict := []string{"script-src 'self'", "object-src 'none'", "base-uri 'none'"}
	for path, want := range map[string][]string{
		"/app/?mode=card":   append(strict, "frame-ancestors 'self' https://*.amocrm.ru https://*.amocrm.com https://*.kommo.com"),
		"/cabinet/":         append(strict, "frame-ancestors 'none'"),
		"/sandbox/amocrm/x": append(strict, "frame-ancestors 'self'"),
		"/other/":           {"default-src 'none'", "frame-ancestors 'none'"}, // not among Pages
		"/api/v1/chats":     {"default-src 'none'", "frame-ancestors 'none'"},
		"/api/v1/nope":      {"default-src 'none'", "frame-ancestors 'none'"},
		"/healthz":          {"default-src 'none'"},
	} {
		r := e.do(http.MethodGet, path, w.adminToken, nil)
		if r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", path)
		}
		csp := r.Header.Get("Content-Security-Policy")
		for _, s := range want {
			if !strings.Contains(csp, s) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, s)
			}
		}
		if strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
			t.Errorf("%s: CSP %q lets scripts in", path, csp)
		}
	}
	if r := e.do(http.MethodGet, "/cabinet/", "", nil); r.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("cabinet X-Frame-Options %q", r.Header.Get("X-Frame-Options"))
	}
}
