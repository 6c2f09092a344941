package telegram

import (
	"testing"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
)

func TestParse(t *testing.T) {
	a := &Adapter{}
	cases := []struct {
		name, body string
		check      func(t *testing.T, b channel.Batch)
	}{
		{"private text with reply", `{"update_id":1,"message":{"message_id":55,"date":1750000000,
			"from":{"id":123456789,"is_bot":false,"first_name":"Ivan","last_name":"P","username":"ivanp"},
			"chat":{"id":123456789,"type":"private"},"text":"Привет 👋","reply_to_message":{"message_id":54,"chat":{"id":123456789}}}}`,
			func(t *testing.T, b channel.Batch) {
				m := b.Messages[0]
				if m.ChatKind != hub.ChatPrivate || m.ExternalChatID != "123456789" || m.Message.ProviderKey != "123456789:55" ||
					m.ReplyToKey != "123456789:54" || m.From.TelegramUserID != 123456789 || m.From.TelegramUsername != "ivanp" ||
					m.From.Name != "Ivan P" || m.Message.Text != "Привет 👋" {
					t.Errorf("%+v", m)
				}
			}},
		{"group photo takes the largest size", `{"update_id":2,"message":{"message_id":7,"from":{"id":5,"first_name":"Ana"},
			"chat":{"id":-1001,"type":"supergroup","title":"Shop"},"caption":"look",
			"photo":[{"file_id":"small","width":90},{"file_id":"big","width":1280}]}}`,
			func(t *testing.T, b channel.Batch) {
				m := b.Messages[0]
				if m.ChatKind != hub.ChatGroup || m.ChatTitle != "Shop" || m.Message.Type != hub.TypeImage ||
					m.Message.Attachments[0].ProviderMediaID != "big" || m.Message.Text != "look" {
					t.Errorf("%+v", m)
				}
			}},
		{"voice, video, document", `{"update_id":3,"message":{"message_id":8,"from":{"id":5},"chat":{"id":5,"type":"private"},
			"voice":{"file_id":"v","duration":3,"mime_type":"audio/ogg"}}}`,
			func(t *testing.T, b channel.Batch) {
				if m := b.Messages[0].Message; m.Type != hub.TypeVoice || m.Attachments[0].DurationMS != 3000 {
					t.Errorf("%+v", m)
				}
			}},
		{"a reaction", `{"update_id":5,"message_reaction":{"chat":{"id":5,"type":"private"},"message_id":1001,
			"user":{"id":5,"first_name":"Ana"},"date":1750000000,"old_reaction":[],"new_reaction":[{"type":"emoji","emoji":"👍"}]}}`,
			func(t *testing.T, b channel.Batch) {
				if len(b.Reactions) != 1 || b.Reactions[0] != (channel.Reaction{ProviderKey: "5:1001", From: "5", Emoji: "👍"}) {
					t.Errorf("%+v", b.Reactions)
				}
			}},
		{"bots, channels and edits carry nothing", `{"update_id":4,"edited_message":{"message_id":8}}`,
			func(t *testing.T, b channel.Batch) {
				if len(b.Messages) != 0 {
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
		r    apiResponse
		code string
	}{
		{apiResponse{ErrorCode: 403, Description: "Forbidden: bot was blocked by the user"}, channel.CodeBlockedByUser},
		{apiResponse{ErrorCode: 400, Description: "Bad Request: chat not found"}, channel.CodeChatNotFound},
		{apiResponse{ErrorCode: 401, Description: "Unauthorized"}, channel.CodeAuthFailed},
		{apiResponse{ErrorCode: 400, Description: "Bad Request: message text is empty"}, channel.CodeRejected},
	} {
		if e := apiError(c.r); e.Code != c.code || e.Transient {
			t.Errorf("%s: %+v", c.r.Description, e)
		}
	}
	r := apiResponse{ErrorCode: 429, Description: "Too Many Requests: retry after 7"}
	r.Parameters.RetryAfter = 7
	if e := apiError(r); !e.Transient || e.RetryAfter.Seconds() != 7 {
		t.Errorf("429: %+v", e)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"update_id":1,"message":{"message_id":55,"from":{"id":1},"chat":{"id":1,"type":"private"},"text":"x"}}`))
	f.Add([]byte(`{"update_id":2,"message":{"message_id":7,"from":{"id":5},"chat":{"id":-1,"type":"group"},"photo":[]}}`))
	f.Add([]byte(`{"message":{"message_id":1,"from":{"id":1},"chat":{"type":"private"},"reply_to_message":{"reply_to_message":{}}}}`))
	f.Add([]byte(`null`))
	a := &Adapter{}
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := a.Parse(body)
		if err != nil {
			return
		}
		for _, m := range b.Messages {
			if m.Message.ProviderKey == "" || m.ExternalChatID == "" {
				t.Fatalf("message without keys: %+v", m)
			}
		}
	})
}
