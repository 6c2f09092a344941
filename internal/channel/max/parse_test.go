package max

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
)

func TestParse(t *testing.T) {
	a := &Adapter{}
	cases := []struct {
		name, body string
		check      func(t *testing.T, b channel.Batch)
	}{
		{"dialog text with a reply, ms timestamp", `{"update_type":"message_created","timestamp":1775025604499,
			"message":{"recipient":{"chat_id":182182182,"chat_type":"dialog","user_id":700},"timestamp":1775053255737,
			"body":{"mid":"mid.a1","seq":11,"text":"Привет 👋"},
			"sender":{"user_id":4242,"first_name":"Ирина","last_name":"К","is_bot":false,"name":"Ирина К","username":"irina_k"},
			"link":{"type":"reply","message":{"mid":"mid.a0","seq":10,"text":"Здравствуйте"}}}}`,
			func(t *testing.T, b channel.Batch) {
				m := b.Messages[0]
				if m.ChatKind != hub.ChatPrivate || m.ExternalChatID != "4242" || m.Message.ProviderKey != "mid.a1" ||
					m.ReplyToKey != "mid.a0" || m.From.MaxUserID != 4242 || m.From.MaxUsername != "irina_k" ||
					m.From.Name != "Ирина К" || m.Message.Text != "Привет 👋" ||
					!m.Message.CreatedAt.Equal(time.UnixMilli(1775053255737)) {
					t.Errorf("%+v", m)
				}
			}},
		{"a group message is the negative chat id, forwards show what was forwarded", `{"update_type":"message_created","timestamp":1,
			"message":{"recipient":{"chat_id":-70801090403050,"chat_type":"chat"},"timestamp":1775053255737,
			"body":{"mid":"mid.g1","text":""},"sender":{"user_id":5,"first_name":"Ana","is_bot":false},
			"link":{"type":"forward","sender":{"user_id":6,"first_name":"Tod"},"chat_id":-1,"message":{"mid":"mid.f","text":"седан"}}}}`,
			func(t *testing.T, b channel.Batch) {
				m := b.Messages[0]
				if m.ChatKind != hub.ChatGroup || m.ExternalChatID != "-70801090403050" || m.Message.Text != "седан" || m.ReplyToKey != "" {
					t.Errorf("%+v", m)
				}
			}},
		{"image, voice, video, file", `{"update_type":"message_created","message":{"recipient":{"chat_type":"dialog"},
			"sender":{"user_id":5},"body":{"mid":"mid.v","text":"послушайте","attachments":[
			{"type":"inline_keyboard","payload":{}},{"type":"audio","payload":{"url":"https://files.example/a.ogg","token":"t"},"duration":3}]}}}`,
			func(t *testing.T, b channel.Batch) {
				m := b.Messages[0].Message
				if m.Type != hub.TypeVoice || m.Attachments[0].ProviderMediaID != "https://files.example/a.ogg" ||
					m.Attachments[0].DurationMS != 3000 || m.Text != "послушайте" {
					t.Errorf("%+v", m)
				}
			}},
		{"a file keeps its name and size; a video without a URL is fetched by its token", `{"update_type":"message_created",
			"message":{"recipient":{"chat_type":"dialog"},"sender":{"user_id":5},"body":{"mid":"mid.f","attachments":[
			{"type":"file","payload":{"url":"https://files.example/f","token":"t"},"filename":"счёт.pdf","size":1234}]}}}`,
			func(t *testing.T, b channel.Batch) {
				at := b.Messages[0].Message.Attachments[0]
				if b.Messages[0].Message.Type != hub.TypeFile || at.Name != "счёт.pdf" || at.Size != 1234 {
					t.Errorf("%+v", at)
				}
				if id := mediaID(maxAttachment{Type: "video", Payload: struct {
					URL     string `json:"url"`
					Token   string `json:"token"`
					VCFInfo string `json:"vcf_info"`
					MaxInfo *user  `json:"max_info"`
				}{Token: "vt"}}); id != "video:vt" {
					t.Errorf("video media id %q", id)
				}
			}},
		{"an edit", `{"update_type":"message_edited","timestamp":1,"message":{"recipient":{"chat_id":1,"chat_type":"dialog"},
			"sender":{"user_id":5,"is_bot":false},"body":{"mid":"mid.e","text":"исправила"}}}`,
			func(t *testing.T, b channel.Batch) {
				if len(b.Edits) != 1 || b.Edits[0] != (channel.Edit{ProviderKey: "mid.e", Text: "исправила"}) || len(b.Messages) != 0 {
					t.Errorf("%+v", b)
				}
			}},
		{"a removal", `{"update_type":"message_removed","message_id":"mid.r","chat_id":1,"user_id":5,"timestamp":1}`,
			func(t *testing.T, b channel.Batch) {
				if len(b.Removals) != 1 || b.Removals[0] != "mid.r" {
					t.Errorf("%+v", b)
				}
			}},
		{"bot stopped and started", `{"update_type":"bot_stopped","chat_id":9,"timestamp":1775025604499,
			"user":{"user_id":5,"first_name":"John","last_name":"Doe","is_bot":false},"user_locale":"ru"}`,
			func(t *testing.T, b channel.Batch) {
				p := b.Peers[0]
				if !p.Stopped || p.ExternalChatID != "5" || p.From.MaxUserID != 5 || p.From.Name != "John Doe" || p.At.UnixMilli() != 1775025604499 {
					t.Errorf("%+v", p)
				}
			}},
		{"the bot's own messages, channels and callbacks carry nothing", `{"update_type":"message_created","message":{
			"recipient":{"chat_id":-1,"chat_type":"channel"},"sender":{"user_id":5},"body":{"mid":"mid.c","text":"x"}}}`,
			func(t *testing.T, b channel.Batch) {
				if len(b.Messages)+len(b.Edits)+len(b.Peers) != 0 {
					t.Errorf("%+v", b)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := a.Parse([]byte(c.body))
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, b)
		})
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		status    int
		body      string
		code      string
		transient bool
	}{
		{401, `{"code":"verify.token","message":"Invalid access_token"}`, channel.CodeAuthFailed, false},
		{403, `{"code":"chat.denied","message":"error.dialog.suspended"}`, channel.CodeBlockedByUser, false},
		{404, `{"code":"chat.not.found","message":"Chat not found"}`, channel.CodeChatNotFound, false},
		{400, `{"code":"proto.payload","message":"text: too long"}`, channel.CodeRejected, false},
		{400, `{"code":"attachment.not.ready","message":""}`, channel.CodeUnavailable, true},
		{429, `{"code":"too.many.requests","message":"slow down"}`, channel.CodeUnavailable, true},
		{502, `<html>bad gateway</html>`, channel.CodeUnavailable, true},
	} {
		e := classify(&http.Response{StatusCode: c.status, Header: http.Header{}}, []byte(c.body))
		if e.Code != c.code || e.Transient != c.transient {
			t.Errorf("%d %s: %+v", c.status, c.body, e)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"update_type":"message_created","message":{"recipient":{"chat_type":"dialog"},"sender":{"user_id":1},"body":{"mid":"m","text":"x"}}}`))
	f.Add([]byte(`{"update_type":"message_created","message":{"recipient":{"chat_id":-5,"chat_type":"chat"},"sender":{"user_id":1},"body":{"mid":"m","attachments":[{"type":"contact","payload":{"vcf_info":"FN:A\nTEL;TYPE=cell:+7916"}}]},"link":{"type":"forward"}}}`))
	f.Add([]byte(`{"update_type":"bot_started","user":{"user_id":1}}`))
	f.Add([]byte(`{"update_type":"message_removed"}`))
	f.Add([]byte(`null`))
	a := &Adapter{}
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := a.Parse(body)
		if err != nil {
			return
		}
		for _, m := range b.Messages {
			if m.Message.ProviderKey == "" || m.ExternalChatID == "" || m.From.MaxUserID <= 0 {
				t.Fatalf("message without keys: %+v", m)
			}
			if m.ChatKind == hub.ChatGroup != strings.HasPrefix(m.ExternalChatID, "-") {
				t.Fatalf("group chats and only they have negative ids: %+v", m)
			}
		}
		for _, p := range b.Peers {
			if p.ExternalChatID == "" || p.From.MaxUserID <= 0 {
				t.Fatalf("peer without an id: %+v", p)
			}
		}
	})
}
