package pipeline

import (
	"context"
	"errors"
	"io/fs"
	"strconv"
	"strings"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/store"
)

// outgoing builds the provider-neutral message from a stored one: the chat's address, the
// quoted message's provider key, the template's name and language, and the file's bytes.
func (s *Sender) outgoing(ctx context.Context, m hub.Message) (channel.Outgoing, error) {
	chat, err := s.Store.Chat(ctx, m.WorkspaceID, m.ChatID)
	if err != nil {
		return channel.Outgoing{}, hubError(err)
	}
	out := channel.Outgoing{To: chat.ExternalChatID, Type: m.Type, Text: m.Text}
	if m.ReplyToID != "" {
		if q, err := s.Store.Message(ctx, m.WorkspaceID, m.ReplyToID); err == nil {
			out.ReplyToKey = q.ProviderKey
		}
	}
	if ref := m.Payload.Template; ref != nil {
		t, err := s.Store.Template(ctx, m.WorkspaceID, ref.ID)
		if errors.Is(err, store.ErrNotFound) {
			return out, channel.Permanent(channel.CodeRejected, "", "template "+ref.Name+" is no longer in the hub")
		} else if err != nil {
			return out, hubError(err)
		}
		out.Type = hub.TypeTemplate
		if t.Kind == "waba" {
			out.Template = &channel.TemplateSend{Name: t.Name, Language: t.Language, Params: ref.Params}
		} else {
			// A quick reply is the hub's own text: it goes out as a normal message.
			out.Type, out.Text = hub.TypeText, fill(t.Body, ref.Params)
		}
	}
	switch len(m.Attachments) {
	case 0:
		return out, nil
	case 1:
	default:
		return out, channel.Permanent(channel.CodeNotSupported, "", "one file per message")
	}
	a := m.Attachments[0]
	// Read under a provider call's bound: a media store that does not answer holds this sender
	// (its claim renewed all along) no longer than a provider that does not.
	readCtx, cancel := context.WithTimeout(ctx, providerCallTimeout)
	data, err := s.Media.Read(readCtx, a.StorageKey)
	cancel()
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrInvalid):
		return out, channel.Permanent(channel.CodeRejected, "", "the attachment's file is missing from the media store")
	case err != nil:
		// Nothing has gone to the provider yet: a store that is down or slow is a reason to
		// try again later, never to fail the message.
		return out, channel.Transient("media", "read the attachment's file: "+err.Error(), 0)
	}
	f := channel.File{Name: a.Name, MIME: a.MIME, Data: data}
	out.Type = fileType(m.Type, a.MIME)
	if out.Type == hub.TypeVoice && !strings.HasPrefix(f.MIME, "audio/ogg") {
		ogg, err := media.VoiceToOgg(f.Data, f.MIME)
		if err != nil {
			return out, channel.Permanent(channel.CodeNotSupported, "", err.Error())
		}
		f.Data, f.MIME = ogg, "audio/ogg; codecs=opus"
	}
	out.File = &f
	return out, nil
}

// fill puts positional parameters into a quick reply's {{1}}, {{2}}… placeholders.
func fill(body string, params []string) string {
	for i, p := range params {
		body = strings.ReplaceAll(body, "{{"+strconv.Itoa(i+1)+"}}", p)
	}
	return body
}

// fileType keeps an explicit media type and otherwise derives it from the file's MIME type.
func fileType(t, mime string) string {
	switch t {
	case hub.TypeImage, hub.TypeVideo, hub.TypeAudio, hub.TypeVoice, hub.TypeSticker:
		return t
	}
	switch {
	case strings.HasPrefix(mime, "image/"):
		return hub.TypeImage
	case strings.HasPrefix(mime, "video/"):
		return hub.TypeVideo
	case strings.HasPrefix(mime, "audio/"):
		return hub.TypeAudio
	}
	return hub.TypeFile
}
