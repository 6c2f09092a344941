package amojo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is amoCRM's Chats API host for amocrm.ru accounts.
const DefaultBaseURL = "https://amojo.amocrm.ru"

// Client calls amojo as one channel. Safe for concurrent use.
type Client struct {
	BaseURL   string // without a trailing slash; DefaultBaseURL when empty
	ChannelID string
	Secret    string
	HTTP      *http.Client     // nil: a client with a 30 s timeout
	Now       func() time.Time // nil: time.Now (the Date header)
}

// Error is an answer amojo refused, or a failure to reach it. Transient ones (unreachable,
// timeouts, 429, 5xx) are worth retrying: every call is idempotent on our ids (the chat's
// conversation_id, the message's msgid), so a retry after a lost answer does not duplicate.
type Error struct {
	Status    int // 0 when amojo was not reached
	Transient bool
	Detail    string
}

func (e *Error) Error() string {
	if e.Status == 0 {
		return "amojo: unreachable: " + e.Detail
	}
	return fmt.Sprintf("amojo: %d: %s", e.Status, e.Detail)
}

// IsTransient reports whether err is worth retrying (anything but a refusal amojo gave).
func IsTransient(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Transient
	}
	return true
}

// do sends one signed request and decodes a 2xx JSON answer into out (nil: discard).
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return &Error{Detail: err.Error()}
		}
	}
	base := strings.TrimRight(c.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(body))
	if err != nil {
		return &Error{Detail: err.Error()}
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	sign(req, body, c.Secret, now())
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	res, err := hc.Do(req)
	if err != nil {
		return &Error{Transient: true, Detail: err.Error()}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return &Error{Status: res.StatusCode, Transient: true, Detail: err.Error()}
	}
	if res.StatusCode/100 != 2 {
		return &Error{Status: res.StatusCode, Detail: strings.TrimSpace(string(b)),
			Transient: res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500}
	}
	if out == nil || len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return &Error{Status: res.StatusCode, Detail: "answer: " + err.Error()}
	}
	return nil
}

func (c *Client) channelPath(suffix string) string {
	return "/v2/origin/custom/" + url.PathEscape(c.ChannelID) + suffix
}

func scopePath(scopeID, suffix string) string {
	return "/v2/origin/custom/" + url.PathEscape(scopeID) + suffix
}

// Connect connects the channel to the account with that amojo id and returns the scope id
// every later call names. amoCRM disconnects the channel when the integration is disabled, so
// it is called again after every reinstall.
func (c *Client) Connect(ctx context.Context, accountAmojoID, title string) (string, error) {
	var out struct {
		ScopeID string `json:"scope_id"`
	}
	in := map[string]string{"account_id": accountAmojoID, "title": title, "hook_api_version": "v2"}
	if err := c.do(ctx, http.MethodPost, c.channelPath("/connect"), in, &out); err != nil {
		return "", err
	}
	if out.ScopeID == "" {
		return "", &Error{Status: http.StatusOK, Detail: "connect answered without a scope_id"}
	}
	return out.ScopeID, nil
}

// Disconnect disconnects the channel from the account.
func (c *Client) Disconnect(ctx context.Context, accountAmojoID string) error {
	return c.do(ctx, http.MethodDelete, c.channelPath("/disconnect"), map[string]string{"account_id": accountAmojoID}, nil)
}

// User is a chat participant as amojo takes it: the customer (Ref empty) or, with RefID, an
// amoCRM user writing from outside amoCRM.
type User struct {
	ID          string   `json:"id,omitempty"`     // our id of the customer
	RefID       string   `json:"ref_id,omitempty"` // amojo's id (of an amoCRM user)
	Name        string   `json:"name,omitempty"`
	Avatar      string   `json:"avatar,omitempty"`
	Profile     *Profile `json:"profile,omitempty"`
	ProfileLink string   `json:"profile_link,omitempty"`
}

// Profile is the customer's contact details, which amoCRM copies to the contact it makes.
type Profile struct {
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

// Source names the channel's source (and so the pipeline of incoming leads).
type Source struct {
	ExternalID string `json:"external_id"`
}

// ChatRequest creates a chat before its first message, for a customer amoCRM already knows.
type ChatRequest struct {
	ConversationID string  `json:"conversation_id"`
	Source         *Source `json:"source,omitempty"`
	User           User    `json:"user"`
}

// Chat is amojo's chat.
type Chat struct {
	ID   string `json:"id"`
	User struct {
		ID string `json:"id"`
	} `json:"user"`
}

// CreateChat creates (or, for the same conversation_id, finds) a chat.
func (c *Client) CreateChat(ctx context.Context, scopeID string, in ChatRequest) (Chat, error) {
	var out Chat
	if err := c.do(ctx, http.MethodPost, scopePath(scopeID, "/chats"), in, &out); err != nil {
		return out, err
	}
	if out.ID == "" {
		return out, &Error{Status: http.StatusOK, Detail: "create chat answered without an id"}
	}
	return out, nil
}

// Message is the message part of a new_message event.
type Message struct {
	Type     string    `json:"type"` // text, picture, video, file, voice, audio, sticker, location, contact
	Text     string    `json:"text,omitempty"`
	Media    string    `json:"media,omitempty"`
	FileName string    `json:"file_name,omitempty"`
	FileSize int64     `json:"file_size,omitempty"`
	Location *Location `json:"location,omitempty"`
}

// Location is a shared place.
type Location struct {
	Lon float64 `json:"lon"`
	Lat float64 `json:"lat"`
}

// Payload is a new_message event: an inbound message (Sender the customer) or an outgoing one
// imported from outside amoCRM (Sender.RefID an amoCRM user's amojo id, Receiver the customer,
// Silent so no incoming lead or notification is made).
type Payload struct {
	Timestamp      int64    `json:"timestamp"`
	MsecTimestamp  int64    `json:"msec_timestamp"`
	MsgID          string   `json:"msgid"`
	ConversationID string   `json:"conversation_id"`
	Sender         User     `json:"sender"`
	Receiver       *User    `json:"receiver,omitempty"`
	Message        Message  `json:"message"`
	Silent         bool     `json:"silent"`
	Source         *Source  `json:"source,omitempty"`
	ReplyTo        *ReplyTo `json:"reply_to,omitempty"`
}

// ReplyTo quotes a message amoCRM knows by its id.
type ReplyTo struct {
	Message struct {
		MsgID string `json:"msgid"`
	} `json:"message"`
}

// Sent is what amojo answers a new_message with.
type Sent struct {
	ConversationID string `json:"conversation_id"` // amojo's chat id
	SenderID       string `json:"sender_id"`
	ReceiverID     string `json:"receiver_id"`
	MsgID          string `json:"msgid"`  // amojo's message id
	RefID          string `json:"ref_id"` // ours
}

// SendMessage posts a new_message event.
func (c *Client) SendMessage(ctx context.Context, scopeID string, p Payload) (Sent, error) {
	var out struct {
		NewMessage Sent `json:"new_message"`
	}
	err := c.do(ctx, http.MethodPost, scopePath(scopeID, ""), map[string]any{"event_type": "new_message", "payload": p}, &out)
	return out.NewMessage, err
}

// Delivery statuses.
const (
	Delivered = 1
	Read      = 2
	Failed    = -1
)

// Delivery error codes amoCRM shows the manager.
const (
	ErrorDeleted       = 901 // the customer deleted the message or the conversation
	ErrorDisabled      = 902 // the integration is disabled on the channel's side
	ErrorInternal      = 903
	ErrorNoChat        = 904 // the conversation cannot be made (e.g. not on WhatsApp)
	ErrorOther         = 905 // anything else, with the text
	maxErrorTextLength = 255
)

// Delivery is a delivery status of a message amoCRM knows by msgid.
type Delivery struct {
	MsgID     string `json:"msgid"`
	Status    int    `json:"delivery_status"`
	ErrorCode int    `json:"error_code,omitempty"`
	Error     string `json:"error,omitempty"`
}

// DeliveryStatus posts a message's delivery status.
func (c *Client) DeliveryStatus(ctx context.Context, scopeID string, s Delivery) error {
	if r := []rune(s.Error); len(r) > maxErrorTextLength {
		s.Error = string(r[:maxErrorTextLength])
	}
	return c.do(ctx, http.MethodPost, scopePath(scopeID, "/"+url.PathEscape(s.MsgID)+"/delivery_status"), s, nil)
}

// Typing tells amoCRM the customer is typing in a conversation.
func (c *Client) Typing(ctx context.Context, scopeID, conversationID, senderID string) error {
	in := map[string]any{"conversation_id": conversationID, "sender": map[string]string{"id": senderID}}
	return c.do(ctx, http.MethodPost, scopePath(scopeID, "/typing"), in, nil)
}

// React sets (emoji) or removes ("") the customer's reaction on a message, named by amojo's id.
func (c *Client) React(ctx context.Context, scopeID, conversationID, amojoMsgID, userID, emoji string) error {
	in := map[string]any{"conversation_id": conversationID, "id": amojoMsgID, "user": map[string]string{"id": userID},
		"type": "react", "emoji": emoji}
	if emoji == "" {
		in["type"] = "unreact"
		delete(in, "emoji")
	}
	return c.do(ctx, http.MethodPost, scopePath(scopeID, "/react"), in, nil)
}
