package hub

import "time"

// Message directions.
const (
	DirIn  = "in"
	DirOut = "out"
)

// Message types (ARCHITECTURE.md §3).
const (
	TypeText     = "text"
	TypeImage    = "image"
	TypeVideo    = "video"
	TypeAudio    = "audio"
	TypeVoice    = "voice"
	TypeFile     = "file"
	TypeSticker  = "sticker"
	TypeLocation = "location"
	TypeContacts = "contacts"
	TypeOrder    = "order"
	TypeTemplate = "template"
	TypeSystem   = "system"
)

// Message statuses, in the order a message moves through them.
const (
	StatusQueued    = "queued"
	StatusSending   = "sending"
	StatusSent      = "sent"
	StatusDelivered = "delivered"
	StatusRead      = "read"
	StatusFailed    = "failed"
	StatusReceived  = "received" // inbound messages
)

// statusRank orders delivery progress so a late or repeated status never downgrades a message.
var statusRank = map[string]int{
	StatusQueued: 0, StatusSending: 1, StatusSent: 2, StatusDelivered: 3, StatusRead: 4,
}

// StatusAdvances reports whether moving from old to next is progress. Failed is terminal
// except that a retry (queued) or a later success from the provider may replace it.
func StatusAdvances(old, next string) bool {
	if next == StatusFailed {
		return old != StatusDelivered && old != StatusRead
	}
	if old == StatusFailed {
		return next != StatusQueued
	}
	return statusRank[next] > statusRank[old]
}

// Message is one message of a chat.
type Message struct {
	ID           string
	WorkspaceID  string
	ChatID       string
	ConnectionID string
	Direction    string
	Type         string
	Text         string
	AuthorID     string // employee id on outgoing messages
	AuthorName   string
	Status       string
	ErrorCode    string
	ErrorMessage string
	ReplyToID    string
	ProviderKey  string // the provider's message id, unique per connection
	ClientID     string // the chat window's idempotency key, unique per chat
	Payload      Payload
	Attachments  []Attachment
	Hidden       bool // inbound from a blocked contact (F28)
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Payload carries the type-specific parts of a message.
type Payload struct {
	Order     *Order          `json:"order,omitempty"`
	Location  *Location       `json:"location,omitempty"`
	Contacts  []SharedContact `json:"contacts,omitempty"`
	Template  *TemplateRef    `json:"template,omitempty"`
	Reactions []Reaction      `json:"reactions,omitempty"`
	// Edited and Removed: the customer changed the text afterwards, or deleted the message
	// (MAX tells bots both); the hub keeps what it received and says so.
	Edited  bool `json:"edited,omitempty"`
	Removed bool `json:"removed,omitempty"`
}

// Order is a WhatsApp catalogue cart (F16). Prices are decimal strings, never floats.
type Order struct {
	Items    []OrderItem `json:"items"`
	Total    string      `json:"total"`
	Currency string      `json:"currency"`
}

// OrderItem is one line of a cart.
type OrderItem struct {
	SKU      string `json:"sku"`
	Name     string `json:"name"`
	Quantity int    `json:"quantity"`
	Price    string `json:"price"`
	Currency string `json:"currency"`
}

// Location is a shared place.
type Location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Name      string  `json:"name"`
	Address   string  `json:"address"`
}

// SharedContact is a contact card a customer sent.
type SharedContact struct {
	Name   string   `json:"name"`
	Phones []string `json:"phones"`
}

// TemplateRef names the template an outgoing message was sent with.
type TemplateRef struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Params []string `json:"params"`
}

// Reaction is an emoji on a message: a customer's (From is their messenger id) or the
// business's, set by an employee (EmployeeID; the messengers give a business one reaction per
// message, so a new one replaces the last, whoever set it).
type Reaction struct {
	Emoji      string `json:"emoji"`
	From       string `json:"from"`
	EmployeeID string `json:"employee_id,omitempty"`
}

// Attachment is a file of a message.
type Attachment struct {
	ID              string
	MessageID       string
	Name            string
	MIME            string
	Size            int64
	StorageKey      string // where the media store keeps it; "" until fetched
	ProviderMediaID string
	ErrorCode       string // why the file could not be fetched (error.* in the catalogue); "" when fine
	DurationMS      int64
	Width, Height   int
}

// Template is a WABA message template or a workspace quick reply.
type Template struct {
	ID           string
	WorkspaceID  string
	ConnectionID string // "" for quick replies
	Kind         string // "waba" | "quick_reply"
	Name         string
	Language     string
	Body         string
	Params       int
	Status       string
	Category     string
	UpdatedAt    time.Time
}

// Event is one entry of a workspace's gap-free event log.
type Event struct {
	WorkspaceID string
	Seq         int64
	Type        string
	ChatID      string
	ContactID   string
	Data        []byte // JSON of the Message, Chat or Contact as the API shows it
	CreatedAt   time.Time
}

// Event types.
const (
	EventMessageCreated = "message.created"
	EventMessageUpdated = "message.updated"
	EventChatUpdated    = "chat.updated"
	EventContactUpdated = "contact.updated"
	// EventSubscriptionUpdated carries the workspace's Subscription after a change, so open
	// windows show a refusal at once instead of on the next send.
	EventSubscriptionUpdated = "subscription.updated"
	// EventConnectionUpdated names a connection whose place in the subscription changed
	// (data: {"id"}); the socket sends the connection as GET /connections shows it.
	EventConnectionUpdated = "connection.updated"
	// EventEmployeeUpdated says an employee's language or role changed in the CRM (data:
	// {"id", "lang", "role"}); only that employee's sockets get it, and the window switches
	// language without a reload (F34).
	EventEmployeeUpdated = "employee.updated"
)
