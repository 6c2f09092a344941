package waba

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/phone"
)

type sendResult struct {
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
}

// Send posts one message to /{phone-number-id}/messages. Files are uploaded first and sent by
// media id. The answer's wamid is the provider key that later statuses refer to.
func (a *Adapter) Send(ctx context.Context, m channel.Outgoing) (string, error) {
	body := map[string]any{"messaging_product": "whatsapp", "recipient_type": "individual", "to": phone.Digits(m.To)}
	if m.ReplyToKey != "" {
		body["context"] = map[string]string{"message_id": m.ReplyToKey}
	}
	switch {
	case m.Template != nil:
		body["type"] = "template"
		body["template"] = templatePayload(*m.Template)
	case m.File != nil:
		kind := mediaKind(m.Type)
		id, err := a.Upload(ctx, *m.File)
		if err != nil {
			return "", err
		}
		media := map[string]string{"id": id}
		if m.Text != "" && kind != "audio" && kind != "sticker" {
			media["caption"] = m.Text
		}
		if kind == "document" && m.File.Name != "" {
			media["filename"] = m.File.Name
		}
		body["type"], body[kind] = kind, media
	case m.Type == hub.TypeText || m.Type == "":
		body["type"] = "text"
		body["text"] = map[string]any{"body": m.Text, "preview_url": false}
	default:
		return "", channel.Permanent(channel.CodeNotSupported, "", "WhatsApp adapter cannot send a "+m.Type+" message without a file")
	}
	var res sendResult
	if err := a.postJSON(ctx, "/"+a.PhoneNumberID+"/messages", body, &res); err != nil {
		return "", err
	}
	if len(res.Messages) == 0 || res.Messages[0].ID == "" {
		return "", channel.Permanent(channel.CodeRejected, "", "the answer carried no message id")
	}
	return res.Messages[0].ID, nil
}

// mediaKind maps a hub message type to the Cloud API's media object name.
func mediaKind(t string) string {
	switch t {
	case hub.TypeImage:
		return "image"
	case hub.TypeVideo:
		return "video"
	case hub.TypeAudio, hub.TypeVoice:
		return "audio"
	case hub.TypeSticker:
		return "sticker"
	}
	return "document"
}

func templatePayload(t channel.TemplateSend) map[string]any {
	tpl := map[string]any{"name": t.Name, "language": map[string]string{"code": t.Language, "policy": "deterministic"}}
	if len(t.Params) > 0 {
		params := make([]map[string]string, len(t.Params))
		for i, p := range t.Params {
			params[i] = map[string]string{"type": "text", "text": p}
		}
		tpl["components"] = []map[string]any{{"type": "body", "parameters": params}}
	}
	return tpl
}

// React sets an emoji on a message (an empty emoji removes it).
func (a *Adapter) React(ctx context.Context, to, providerKey, emoji string) error {
	return a.postJSON(ctx, "/"+a.PhoneNumberID+"/messages", map[string]any{
		"messaging_product": "whatsapp", "to": phone.Digits(to), "type": "reaction",
		"reaction": map[string]string{"message_id": providerKey, "emoji": emoji}}, nil)
}

// Typing marks the customer's last message read and shows the typing indicator, which WhatsApp
// clears at the next message or after 25 s. Without a message of theirs there is nothing to
// answer, and WhatsApp has no other way to show it.
func (a *Adapter) Typing(ctx context.Context, to, lastInbound string) error {
	if lastInbound == "" {
		return channel.Permanent(channel.CodeNotSupported, "", "WhatsApp shows typing only in answer to a customer's message")
	}
	return a.postJSON(ctx, "/"+a.PhoneNumberID+"/messages", map[string]any{
		"messaging_product": "whatsapp", "status": "read", "message_id": lastInbound,
		"typing_indicator": map[string]string{"type": "text"}}, nil)
}

// Upload sends a file to /{phone-number-id}/media as multipart and returns its media id.
func (a *Adapter) Upload(ctx context.Context, f channel.File) (string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("messaging_product", "whatsapp")
	_ = w.WriteField("type", f.MIME)
	h := textproto.MIMEHeader{}
	name := f.Name
	if name == "" {
		name = "file"
	}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+strings.ReplaceAll(name, `"`, "")+`"`)
	h.Set("Content-Type", f.MIME)
	part, err := w.CreatePart(h)
	if err != nil {
		return "", err
	}
	if _, err := part.Write(f.Data); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	var res struct {
		ID string `json:"id"`
	}
	if err := a.call(ctx, http.MethodPost, a.BaseURL+"/"+a.PhoneNumberID+"/media", w.FormDataContentType(), &buf, &res); err != nil {
		return "", err
	}
	if res.ID == "" {
		return "", channel.Permanent(channel.CodeRejected, "", "the upload answer carried no media id")
	}
	return res.ID, nil
}
