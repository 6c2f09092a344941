package httpapi_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/store"
)

// uploadFile posts a multipart upload with the given field name, file name and bytes.
func uploadFile(e *env, tok, field, name string, data []byte) response {
	return uploadTyped(e, tok, field, name, "application/octet-stream", data)
}

// uploadTyped also declares the part's Content-Type, as a browser does for a Blob.
func uploadTyped(e *env, tok, field, name, ctype string, data []byte) response {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+field+`"; filename="`+name+`"`)
	h.Set("Content-Type", ctype)
	part, _ := mw.CreatePart(h)
	part.Write(data)
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/uploads", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return e.serve(req)
}

// TestUploads covers F15 and the upload rules: the type comes from the bytes (a name never makes
// a file an image or a page), size is limited, and a sent file downloads with the right headers.
func TestUploads(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		e.srv.UploadLimit = 1000
		tok := w.adminToken
		zipBytes := []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00" + strings.Repeat("x", 40))
		for _, c := range []struct {
			name string
			data []byte
			mime string
		}{
			{"photo.exe", pngBytes, "image/png"},
			{"page.png", []byte("<html><script>alert(1)</script></html>"), "text/html; charset=utf-8"},
			{"report.docx", zipBytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
			{"blob.png", []byte{0, 1, 2, 3, 4, 5}, "application/octet-stream"},
			{"notes.txt", []byte("just text"), "text/plain; charset=utf-8"},
			{"../../etc/passwd", []byte("root:x:0:0"), "text/plain; charset=utf-8"},
		} {
			r := uploadFile(e, tok, "file", c.name, c.data)
			expect(t, "upload "+c.name, r, http.StatusCreated, "")
			m := r.JSON(t)
			if m["mime"] != c.mime || m["size"] != float64(len(c.data)) || strings.Contains(m["name"].(string), "/") {
				t.Errorf("%s: %s", c.name, r.Body)
			}
		}
		// Within one container the client's word tells audio from video (F15 voice notes), and
		// never more than that.
		webm := []byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + strings.Repeat("\x00", 32))
		ogg := []byte("OggS\x00\x02" + strings.Repeat("\x00", 40))
		for _, c := range []struct {
			name, declared string
			data           []byte
			mime           string
		}{
			{"voice-1.webm", "audio/webm", webm, "audio/webm"},
			{"clip.webm", "video/webm", webm, "video/webm"},
			{"sneaky.webm", "image/png", webm, "video/webm"},
			{"voice-2.ogg", "application/octet-stream", ogg, "audio/ogg"},
			{"fake.png", "image/png", []byte("not an image at all"), "text/plain; charset=utf-8"},
		} {
			r := uploadTyped(e, tok, "file", c.name, c.declared, c.data)
			expect(t, "upload "+c.name, r, http.StatusCreated, "")
			if m := r.JSON(t); m["mime"] != c.mime {
				t.Errorf("%s declared %s: %s", c.name, c.declared, r.Body)
			}
		}
		voice := uploadTyped(e, tok, "file", "voice.webm", "audio/webm", webm).JSON(t)
		r := send(e, tok, w.chats["mine"].ID, map[string]any{"client_id": "voice", "attachments": []string{voice["id"].(string)}})
		var vm messageBody
		decode(t, r, &vm)
		if vm.Type != "voice" {
			t.Errorf("a recorded voice note is sent as %q", vm.Type)
		}
		expect(t, "too large", uploadFile(e, tok, "file", "big.bin", make([]byte, 1001)), http.StatusRequestEntityTooLarge, "too_large")
		expect(t, "empty", uploadFile(e, tok, "file", "empty.txt", nil), http.StatusBadRequest, "bad_request")
		expect(t, "wrong field", uploadFile(e, tok, "attachment", "a.png", pngBytes), http.StatusBadRequest, "bad_request")
		expect(t, "not multipart", e.do(http.MethodPost, "/api/v1/uploads", tok, map[string]string{"file": "x"}), http.StatusBadRequest, "bad_request")
		expect(t, "no session", uploadFile(e, "", "file", "a.png", pngBytes), http.StatusUnauthorized, "unauthorized")

		// Send an upload; the attachment downloads with its type, inline for images, as an
		// attachment otherwise, always nosniff; ranges work.
		chat := w.chats["mine"].ID
		for _, c := range []struct {
			name             string
			data             []byte
			typ, disposition string
		}{
			{"photo.png", pngBytes, "image", "inline"},
			{"page.html", []byte("<html><body>hi</body></html>"), "file", "attachment"},
		} {
			up := uploadFile(e, tok, "file", c.name, c.data).JSON(t)
			r := send(e, tok, chat, map[string]any{"client_id": c.name, "text": "caption", "attachments": []string{up["id"].(string)}})
			expect(t, "send "+c.name, r, http.StatusCreated, "")
			var m messageBody
			decode(t, r, &m)
			if m.Type != c.typ || len(m.Attachments) != 1 || m.Attachments[0].Name != c.name || m.Text != "caption" {
				t.Fatalf("sent %s: %s", c.name, r.Body)
			}
			got := e.do(http.MethodGet, m.Attachments[0].URL, "", nil)
			expect(t, "download "+c.name, got, http.StatusOK, "")
			if !bytes.Equal(got.Body, c.data) || got.Header.Get("X-Content-Type-Options") != "nosniff" ||
				!strings.HasPrefix(got.Header.Get("Content-Disposition"), c.disposition) {
				t.Fatalf("download %s: %v", c.name, got.Header)
			}
			req := httptest.NewRequest(http.MethodGet, m.Attachments[0].URL, nil)
			req.Header.Set("Range", "bytes=1-3")
			part := e.serve(req)
			if part.Status != http.StatusPartialContent || !bytes.Equal(part.Body, c.data[1:4]) {
				t.Fatalf("range: %d %q", part.Status, part.Body)
			}
			expect(t, "tampered link", e.do(http.MethodGet, strings.Replace(m.Attachments[0].URL, "s=", "s=x", 1), "", nil),
				http.StatusUnauthorized, "unauthorized")
			expect(t, "expired link", e.do(http.MethodGet, replaceParam(m.Attachments[0].URL, "x", "1000"), "", nil),
				http.StatusUnauthorized, "unauthorized")
		}
		// Someone else's upload cannot be attached.
		up := uploadFile(e, tok, "file", "a.png", pngBytes).JSON(t)
		_, managerTok := e.manager(w, "A", "A")
		expect(t, "other's upload", send(e, managerTok, chat, map[string]any{"client_id": "x", "attachments": []string{up["id"].(string)}}),
			http.StatusBadRequest, "bad_request")
	})
}

// TestFileLinkFollowsAccess: a link checks access when used, not only when issued — a manager
// who loses sight of the contact loses its files.
func TestFileLinkFollowsAccess(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		_, tok := e.manager(w, "M", "D")
		msgs := e.do(http.MethodGet, "/api/v1/chats/"+w.chats["mine"].ID+"/messages", tok, nil)
		url := firstAttachmentURL(t, msgs)
		expect(t, "mine", e.do(http.MethodGet, url, "", nil), http.StatusOK, "")
		must(t, e.st.SaveCRMContact(ctx, w.ws.ID, store.CRMEntity{ID: 100, Name: "crm", ResponsibleUserID: crmStranger}))
		expect(t, "no longer mine", e.do(http.MethodGet, url, "", nil), http.StatusNotFound, "not_found")
	})
}

func replaceParam(url, key, value string) string {
	i := strings.Index(url, key+"=")
	j := strings.Index(url[i:], "&")
	if j < 0 {
		return url[:i] + key + "=" + value
	}
	return url[:i] + key + "=" + value + url[i+j:]
}

func TestContentDispositionName(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		up := uploadFile(e, w.adminToken, "file", "Отчёт (итог) 'v2'.pdf", []byte("%PDF-1.4 test")).JSON(t)
		r := send(e, w.adminToken, w.chats["mine"].ID, map[string]any{"client_id": "pdf", "attachments": []string{up["id"].(string)}})
		var m messageBody
		decode(t, r, &m)
		got := e.do(http.MethodGet, m.Attachments[0].URL, "", nil)
		want := "attachment; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%20%28%D0%B8%D1%82%D0%BE%D0%B3%29%20%27v2%27.pdf"
		if cd := got.Header.Get("Content-Disposition"); cd != want || got.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("headers: %q %q", cd, got.Header.Get("Content-Type"))
		}
	})
}
