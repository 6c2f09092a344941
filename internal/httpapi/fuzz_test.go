package httpapi_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/switchboardhq/switchboard/internal/apidoc"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// fuzzHub is a server on SQLite with an admin's session and one WhatsApp chat, made once per
// fuzz target (each input then costs one request).
type fuzzHub struct {
	h           http.Handler
	token, chat string
}

func newFuzzHub(f *testing.F) fuzzHub {
	ctx := context.Background()
	st := storetest.OpenSQLite(f)
	files, err := media.NewLocal(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	signer := auth.NewSigner("fuzz secret key")
	srv := &httpapi.Server{DB: st, Store: st, Signer: signer, Media: files}
	ws, err := st.CreateWorkspace(ctx, hub.Workspace{Name: "Fuzz", CRMKind: "amocrm", CRMAccountID: 1, Country: "RU",
		Subscription: hub.Subscription{Active: true, Paid: true, TemplatesPaid: true}})
	if err != nil {
		f.Fatal(err)
	}
	emp, _, err := st.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: ws.ID, CRMUserID: 1, Name: "Admin", Role: hub.RoleAdmin, Lang: "en"})
	if err != nil {
		f.Fatal(err)
	}
	conn, err := st.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "WA", ExternalID: "pn",
		InSubscription: true, Secrets: map[string]string{"token": "t"}})
	if err != nil {
		f.Fatal(err)
	}
	in, err := st.SaveInbound(ctx, store.Inbound{WorkspaceID: ws.ID, ConnectionID: conn.ID, ChatKind: hub.ChatPrivate,
		ExternalChatID: "79990000001", From: hub.Contact{WAID: "79990000001"},
		Message: hub.Message{Type: hub.TypeText, Text: "hi", ProviderKey: "k1", CreatedAt: time.Now()}})
	if err != nil {
		f.Fatal(err)
	}
	tok, _ := signer.Issue(auth.Session{WorkspaceID: ws.ID, EmployeeID: emp.ID}, time.Now())
	return fuzzHub{h: srv.Handler(), token: tok, chat: in.Chat.ID}
}

func (z fuzzHub) do(t *testing.T, method, path, ctype string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+z.token)
	req.Header.Set("Content-Type", ctype)
	rec := httptest.NewRecorder()
	z.h.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("%s %s with %q: %d %s", method, path, body, rec.Code, rec.Body)
	}
	// Whatever came in, the answer is one docs/openapi.yaml describes.
	if err := apidoc.Check(req, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
		t.Fatalf("%s %s with %q: %v: %s", method, path, body, err, rec.Body)
	}
	return rec
}

// The chat API's JSON bodies come from browsers anyone may script: whatever they hold, the
// answer is never a server error (malformed is 400, U+0000 invalid_text, the rest the API's
// own refusals).
func FuzzChatJSONBodies(f *testing.F) {
	z := newFuzzHub(f)
	for _, seed := range []string{`{"client_id":"c1","text":"hello"}`, `{"client_id":"c\u0000","text":"x"}`,
		`{"text":"draft"}`, `{"connection_id":"x","phone":"+7 916 ABC-DE-FG"}`, `{"client_id":"c2","attachments":["a","b"]}`,
		`{"client_id":"c3","template":{"id":"t","params":["\ud800"]}}`, `{"client_id":"c4","reply_to":"nope","text":"\xff"}`,
		`[]`, `null`, `{"text":1e999}`} {
		for route := range 3 {
			f.Add(uint8(route), []byte(seed))
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		switch route % 3 {
		case 0:
			z.do(t, http.MethodPost, "/api/v1/chats/"+z.chat+"/messages", "application/json", body)
		case 1:
			z.do(t, http.MethodPut, "/api/v1/chats/"+z.chat+"/draft", "application/json", body)
		case 2:
			z.do(t, http.MethodPost, "/api/v1/chats", "application/json", body)
		}
	})
}

// Uploads are multipart bodies anyone may craft: never a server error, and a stored file's
// name has no path and no format or control characters.
func FuzzUploadMultipart(f *testing.F) {
	z := newFuzzHub(f)
	var good bytes.Buffer
	mw := multipart.NewWriter(&good)
	p, _ := mw.CreateFormFile("file", "photo\u202Egnp.exe")
	p.Write(pngBytes)
	mw.Close()
	f.Add(mw.Boundary(), good.Bytes())
	f.Add(mw.Boundary(), good.Bytes()[:good.Len()/2])
	f.Add("b", []byte("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../x\x00.txt\"\r\n\r\nhello\r\n--b--\r\n"))
	f.Add("b", []byte("--b\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''%E2%80%AEa.txt\r\n\r\nhi\r\n--b--\r\n"))
	f.Add("", []byte("not multipart"))
	f.Fuzz(func(t *testing.T, boundary string, body []byte) {
		rec := z.do(t, http.MethodPost, "/api/v1/uploads", "multipart/form-data; boundary="+boundary, body)
		if rec.Code != http.StatusCreated {
			return
		}
		var out struct{ Name string }
		decodeRecorder(t, rec, &out)
		if out.Name == "" || strings.ContainsAny(out.Name, `/\`) || strings.IndexFunc(out.Name, func(r rune) bool {
			return unicode.Is(unicode.Cf, r) || unicode.IsControl(r)
		}) >= 0 {
			t.Fatalf("stored file name %q", out.Name)
		}
	})
}

func decodeRecorder(t *testing.T, rec *httptest.ResponseRecorder, v any) {
	t.Helper()
	decode(t, response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}, v)
}
