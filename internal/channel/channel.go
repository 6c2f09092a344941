// Package channel is the one interface the hub uses for every messenger: sending, media,
// templates, what a channel can do, and reading its webhooks. The adapters live in the
// sub-packages (waba, telegram, max); the pipeline picks one by the connection's kind.
package channel

import (
	"context"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// Capabilities says what a channel can do, so the hub and the chat window ask it instead of
// switching on the connection's kind.
type Capabilities struct {
	Templates bool          // sends provider-approved templates (WABA)
	Groups    bool          // has group chats
	Window    time.Duration // free-form replies only this long after the customer's last message; 0: none
	// CreateByPhone: a chat can be opened with a phone number the customer never wrote from.
	CreateByPhone bool
	// CreateByID: a chat can be opened by the messenger's user id, but only with a customer who
	// has written to the connection before (a Telegram bot cannot start a conversation).
	CreateByID bool
	// Receipts: the provider reports delivered/read (WABA does, the Bot API does not).
	Receipts bool
}

// Adapter is one connection's messenger account.
type Adapter interface {
	Capabilities() Capabilities
	// Send delivers one outgoing message and returns the provider's key for it. Errors are
	// *Error: transient ones are retried by the sender, permanent ones fail the message.
	Send(ctx context.Context, m Outgoing) (providerKey string, err error)
	// React sets (or with "" removes) an emoji on a message of the chat.
	React(ctx context.Context, to, providerKey, emoji string) error
	// Typing shows the business typing in the chat for a few seconds. lastInbound is the
	// provider key of the customer's last message ("" for none): WhatsApp shows typing only
	// in answer to one (and marks it read).
	Typing(ctx context.Context, to, lastInbound string) error
	// Upload hands a file to the provider and returns its media id.
	Upload(ctx context.Context, f File) (mediaID string, err error)
	// Fetch opens an inbound file by the provider's media id, for streaming.
	Fetch(ctx context.Context, mediaID string) (Download, error)
	// Templates lists the provider's message templates (every page); nil for channels without.
	Templates(ctx context.Context) ([]hub.Template, error)
	// Parse reads one stored webhook body into what it carries.
	Parse(body []byte) (Batch, error)
}

// Outgoing is a message to send, in the provider-neutral form the sender builds.
type Outgoing struct {
	To         string // the chat's external id: wa_id or Telegram chat id
	Type       string // hub.Type*
	Text       string // text, or the caption of a file
	ReplyToKey string // provider key of the quoted message
	File       *File  // for image, video, audio, voice, file
	Template   *TemplateSend
}

// TemplateSend names an approved template and its positional body parameters.
type TemplateSend struct {
	Name     string
	Language string
	Params   []string
}

// File is a media file with its bytes.
type File struct {
	Name string
	MIME string
	Data []byte
}

// Batch is everything one webhook carried. A payload may hold many messages and statuses.
type Batch struct {
	// Route is the account the payload is addressed to (WABA phone_number_id, or "" when the
	// URL alone identifies it); the pipeline refuses a payload for another connection's account.
	Routes    []string
	Messages  []Inbound
	Statuses  []Status
	Reactions []Reaction
	Templates []TemplateStatus
	Edits     []Edit
	Removals  []string // provider keys of messages the customer deleted
	Peers     []Peer
}

// Edit is a customer's new text for a message they sent earlier.
type Edit struct {
	ProviderKey string
	Text        string
}

// Peer is a customer starting or stopping the bot (MAX bot_started / bot_stopped): a stopped
// bot cannot write to them until they start it again.
type Peer struct {
	ExternalChatID string
	From           hub.Contact
	Stopped        bool
	At             time.Time
}

// TemplateStatus is the provider's review outcome for a message template (approved, rejected,
// paused, disabled…).
type TemplateStatus struct {
	Name     string
	Language string
	Status   string // as the provider spells it, e.g. APPROVED
}

// GroupTitler is an adapter whose group messages do not carry the group's title (MAX's): the
// pipeline asks it once, when a group chat is first seen without one.
type GroupTitler interface {
	GroupTitle(ctx context.Context, externalChatID string) (string, error)
}

// Inbound is one customer message. Attachments carry the provider's media id; the pipeline
// fetches them into the media store after the message is saved.
type Inbound struct {
	ChatKind       string // hub.ChatPrivate or hub.ChatGroup
	ExternalChatID string
	ChatTitle      string
	From           hub.Contact // WAID / TelegramUserID identify it; phones are E.164
	ReplyToKey     string
	Message        hub.Message // Type, Text, ProviderKey, Payload, Attachments, CreatedAt
}

// Status is a delivery report for an outgoing message.
type Status struct {
	ProviderKey string
	Status      string // hub.StatusSent, Delivered, Read or Failed
	Err         *Error // set when failed
}

// Reaction is a customer's emoji on a message ("" removes it).
type Reaction struct {
	ProviderKey string
	From        string
	Emoji       string
}
