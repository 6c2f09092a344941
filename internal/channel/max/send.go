package max

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
)

// notReadyTries bounds the retries of a message whose file MAX is still processing; after them
// the send is a transient failure, which the sender retries later.
const notReadyTries = 6

// Recipient reads a chat's external id: a group chat's id is negative and is addressed with
// chat_id; a private chat is the customer's user id, addressed with user_id.
func Recipient(to string) (url.Values, error) {
	id, err := strconv.ParseInt(to, 10, 64)
	if err != nil || id == 0 {
		return nil, channel.Permanent(channel.CodeRejected, "", "not a MAX chat or user id: "+to)
	}
	if id < 0 {
		return url.Values{"chat_id": {to}}, nil
	}
	return url.Values{"user_id": {to}}, nil
}

type attachment struct {
	Type    string            `json:"type"`
	Payload map[string]string `json:"payload"`
}

type newMessage struct {
	Text        string        `json:"text,omitempty"`
	Attachments []attachment  `json:"attachments,omitempty"`
	Link        *newMessageLn `json:"link,omitempty"`
}

type newMessageLn struct {
	Type string `json:"type"`
	Mid  string `json:"mid"`
}

// Send posts one message (POST /messages). A file goes through the upload flow first and is
// attached by its token; while MAX is still processing it the send is retried.
func (a *Adapter) Send(ctx context.Context, m channel.Outgoing) (string, error) {
	if m.Template != nil {
		return "", channel.Permanent(channel.CodeNotSupported, "", "MAX bots have no message templates")
	}
	params, err := Recipient(m.To)
	if err != nil {
		return "", err
	}
	body := newMessage{Text: m.Text}
	if m.ReplyToKey != "" {
		body.Link = &newMessageLn{Type: "reply", Mid: m.ReplyToKey}
	}
	if m.File != nil {
		kind := uploadType(m.Type)
		token, err := a.upload(ctx, kind, *m.File)
		if err != nil {
			return "", err
		}
		body.Attachments = []attachment{{Type: kind, Payload: map[string]string{"token": token}}}
	}
	var res struct {
		Message struct {
			Body struct {
				Mid string `json:"mid"`
			} `json:"body"`
		} `json:"message"`
	}
	for attempt := 1; ; attempt++ {
		err = a.call(ctx, http.MethodPost, "/messages", params, body, &res)
		if !notReady(err) || attempt == notReadyTries {
			break
		}
		if werr := a.wait(ctx, attempt); werr != nil {
			return "", channel.Classify(werr)
		}
	}
	if err != nil {
		return "", err
	}
	if res.Message.Body.Mid == "" {
		return "", channel.Permanent(channel.CodeOutcomeUnknown, "", "MAX answered without a message id")
	}
	return res.Message.Body.Mid, nil
}

func notReady(err error) bool {
	var e *channel.Error
	return errors.As(err, &e) && e.Provider == codeNotReady
}

// wait pauses before the next try of a not-ready attachment: 0.5 s doubling, as long as ctx lives.
func (a *Adapter) wait(ctx context.Context, attempt int) error {
	if a.Wait != nil {
		return a.Wait(ctx, attempt)
	}
	t := time.NewTimer(time.Duration(250<<attempt) * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// uploadType is the MAX upload and attachment type of a hub message type. A voice note is an
// audio attachment: MAX has no separate voice kind for bots.
func uploadType(t string) string {
	switch t {
	case hub.TypeImage, hub.TypeSticker:
		return "image"
	case hub.TypeVideo:
		return "video"
	case hub.TypeAudio, hub.TypeVoice:
		return "audio"
	}
	return "file"
}

// Upload hands a file to MAX and returns the token a message attaches it by.
func (a *Adapter) Upload(ctx context.Context, f channel.File) (string, error) {
	kind := "file"
	switch {
	case strings.HasPrefix(f.MIME, "image/"):
		kind = "image"
	case strings.HasPrefix(f.MIME, "video/"):
		kind = "video"
	case strings.HasPrefix(f.MIME, "audio/"):
		kind = "audio"
	}
	return a.upload(ctx, kind, f)
}

// upload is MAX's three steps' first two: ask for an upload URL (POST /uploads?type=), then
// post the bytes there as the multipart field "data". Video and audio tokens come with the URL;
// images and files get theirs in the upload's answer.
func (a *Adapter) upload(ctx context.Context, kind string, f channel.File) (string, error) {
	var ep struct {
		URL   string `json:"url"`
		Token string `json:"token"`
	}
	if err := a.call(ctx, http.MethodPost, "/uploads", url.Values{"type": {kind}}, nil, &ep); err != nil {
		return "", err
	}
	if ep.URL == "" {
		return "", channel.Permanent(channel.CodeRejected, "", "MAX gave no upload URL")
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	name := f.Name
	if name == "" {
		name = "file"
	}
	part, err := w.CreateFormFile("data", name)
	if err == nil {
		_, err = part.Write(f.Data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return "", channel.Permanent(channel.CodeRejected, "", err.Error())
	}
	// The upload URL is a file server's, so the bot token does not go with it.
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, &buf)
	if err != nil {
		return "", channel.Permanent(channel.CodeRejected, "", err.Error())
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := a.HTTP.Do(req)
	if err != nil {
		return "", channel.Classify(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", channel.Transient("read", err.Error(), 0)
	}
	if resp.StatusCode != http.StatusOK {
		return "", classify(resp, raw)
	}
	if ep.Token != "" {
		return ep.Token, nil
	}
	var got struct {
		Token  string `json:"token"`
		Photos map[string]struct {
			Token string `json:"token"`
		} `json:"photos"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		return "", channel.Permanent(channel.CodeRejected, "", "unreadable upload answer: "+err.Error())
	}
	for _, p := range got.Photos {
		if p.Token != "" {
			return p.Token, nil
		}
	}
	if got.Token == "" {
		return "", channel.Permanent(channel.CodeRejected, "", "MAX's upload answer has no token")
	}
	return got.Token, nil
}
