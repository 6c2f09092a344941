package httpapi_test

import (
	"net/http"
	"testing"

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
			if msg := r.json(t)["error"].(map[string]any)["message"]; msg != i18n.T("ru", "error.invalid_text") {
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
		if got := r.json(t)["name"]; got != want {
			t.Errorf("upload %q stored as %q, want %q", name, got, want)
		}
	}
}
