package httpapi

import (
	"time"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/phone"
	"github.com/switchboardhq/switchboard/internal/store"
)

// The JSON shapes of ARCHITECTURE.md §3. A view renders them for one employee: texts in their
// language and attachment links signed for them. The realtime endpoint renders event frames
// with the same view, so a frame and a GET show the same object.

type messageJSON struct {
	ID          string              `json:"id"`
	ChatID      string              `json:"chat_id"`
	ClientID    *string             `json:"client_id"`
	Direction   string              `json:"direction"`
	Type        string              `json:"type"`
	Text        string              `json:"text"`
	Attachments []attachmentJSON    `json:"attachments"`
	Order       *hub.Order          `json:"order"`
	Location    *hub.Location       `json:"location"`
	Contacts    []hub.SharedContact `json:"contacts"`
	Template    *hub.TemplateRef    `json:"template"`
	Author      *authorJSON         `json:"author"`
	Status      string              `json:"status"`
	Error       *errorJSON          `json:"error"`
	ReplyTo     *string             `json:"reply_to"`
	Reactions   []hub.Reaction      `json:"reactions"`
	Edited      bool                `json:"edited"`  // the customer changed the text afterwards (MAX)
	Removed     bool                `json:"removed"` // the customer deleted it (MAX); the hub keeps what it got
	CreatedAt   time.Time           `json:"created_at"`
}

type attachmentJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	MIME         string `json:"mime"`
	Size         int64  `json:"size"`
	URL          string `json:"url"`
	Duration     *int64 `json:"duration,omitempty"` // seconds
	Width        *int   `json:"width,omitempty"`
	Height       *int   `json:"height,omitempty"`
	ThumbnailURL string `json:"thumbnail_url,omitempty"`
	// Error says why the file could not be fetched from the messenger; url leads nowhere then.
	Error *errorJSON `json:"error,omitempty"`
}

// authorJSON names who wrote a message: the employee of an outgoing one, or the member of a group
// who wrote an inbound one (employee_id null).
type authorJSON struct {
	EmployeeID *string `json:"employee_id"`
	Name       string  `json:"name"`
}

type errorJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type chatJSON struct {
	ID              string        `json:"id"`
	Kind            string        `json:"kind"`
	Title           string        `json:"title"`
	ContactID       *string       `json:"contact_id"`
	Connection      connectionRef `json:"connection"`
	Unanswered      bool          `json:"unanswered"`
	UnansweredCount int           `json:"unanswered_count"`
	Blocked         bool          `json:"blocked"`
	RefusedCount    int           `json:"refused_count"`
	LastMessage     *messageJSON  `json:"last_message"`
	LastActivityAt  time.Time     `json:"last_activity_at"`
	Window          *windowJSON   `json:"window"`
	// Stopped: the customer stopped the bot (MAX); sending is bot_stopped until they start it.
	Stopped bool    `json:"stopped"`
	Draft   *string `json:"draft,omitempty"`
}

type connectionRef struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name"`
}

type windowJSON struct {
	Kind      string     `json:"kind"`
	Open      bool       `json:"open"`
	ExpiresAt *time.Time `json:"expires_at"`
}

type contactJSON struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	AvatarURL        string   `json:"avatar_url"`
	Phones           []string `json:"phones"`
	TelegramUsername string   `json:"telegram_username"`
	TelegramUserID   *int64   `json:"telegram_user_id"`
	MaxUserID        *int64   `json:"max_user_id"`
	MaxUsername      string   `json:"max_username"`
	Email            string   `json:"email"`
	Blocked          bool     `json:"blocked"`
	CRMContactIDs    []int64  `json:"crm_contact_ids"`
}

// view renders for one employee at one moment.
type view struct {
	lang  string
	now   time.Time
	conns map[string]store.ConnectionName
	// fileURL signs an attachment's download link for the employee.
	fileURL func(a hub.Attachment) string
}

func (v view) message(m hub.Message) messageJSON {
	out := messageJSON{ID: m.ID, ChatID: m.ChatID, ClientID: optional(m.ClientID), Direction: m.Direction,
		Type: m.Type, Text: m.Text, Attachments: []attachmentJSON{}, Order: m.Payload.Order,
		Location: m.Payload.Location, Contacts: m.Payload.Contacts, Template: m.Payload.Template,
		Status: m.Status, ReplyTo: optional(m.ReplyToID), Reactions: m.Payload.Reactions,
		Edited: m.Payload.Edited, Removed: m.Payload.Removed, CreatedAt: m.CreatedAt.UTC()}
	if out.Reactions == nil {
		out.Reactions = []hub.Reaction{}
	}
	if t := out.Template; t != nil && t.Params == nil {
		// A template sent without parameters stored none; the contract's params is a list.
		out.Template = &hub.TemplateRef{ID: t.ID, Name: t.Name, Params: []string{}}
	}
	if m.Status == hub.StatusReceived {
		out.Status = hub.StatusDelivered // the contract's statuses: an inbound message has reached us
	}
	if m.Direction == hub.DirOut && m.AuthorID != "" {
		out.Author = &authorJSON{EmployeeID: &m.AuthorID, Name: m.AuthorName}
	} else if m.Direction == hub.DirIn && m.AuthorName != "" {
		out.Author = &authorJSON{Name: m.AuthorName} // a group member (the store names them)
	}
	if m.ErrorCode != "" || m.ErrorMessage != "" {
		out.Error = &errorJSON{Code: m.ErrorCode, Message: v.reason(m.ErrorCode, m.ErrorMessage)}
	}
	for _, a := range m.Attachments {
		out.Attachments = append(out.Attachments, v.attachment(a))
	}
	return out
}

// reason is a failure's text: the catalogue's for a code it knows, in the viewer's language —
// except where the stored text carries the provider's own words after the catalogue's (a
// refusal the hub has no code for), which only it can tell (F20) — else the provider's words.
func (v view) reason(code, detail string) string {
	if (code == channel.CodeRejected || code == channel.CodeNotSupported) && detail != "" {
		return detail
	}
	if code != "" && i18n.Has("error."+code) {
		return i18n.T(v.lang, "error."+code)
	}
	return detail
}

func (v view) attachment(a hub.Attachment) attachmentJSON {
	out := attachmentJSON{ID: a.ID, Name: a.Name, MIME: a.MIME, Size: a.Size, URL: v.fileURL(a)}
	if a.DurationMS > 0 {
		d := (a.DurationMS + 999) / 1000
		out.Duration = &d
	}
	if a.Width > 0 && a.Height > 0 {
		out.Width, out.Height = &a.Width, &a.Height
	}
	if a.ErrorCode != "" {
		out.Error = &errorJSON{Code: a.ErrorCode, Message: v.reason(a.ErrorCode, "")}
	}
	return out
}

// chat renders c; contact is the chat's contact (nil for groups).
func (v view) chat(c hub.Chat, contact *hub.Contact) chatJSON {
	conn := v.conns[c.ConnectionID]
	out := chatJSON{ID: c.ID, Kind: c.Kind, Title: c.Title, ContactID: optional(c.ContactID),
		Connection: connectionRef{ID: conn.ID, Kind: conn.Kind, Name: conn.Name},
		Unanswered: c.UnansweredCount > 0, UnansweredCount: c.UnansweredCount, RefusedCount: c.RefusedCount,
		LastActivityAt: c.LastActivityAt.UTC(), Stopped: !c.StoppedAt.IsZero()}
	if contact != nil {
		out.Blocked = contact.Blocked
		if out.Title == "" {
			out.Title = displayName(*contact)
		}
	}
	if c.LastMessage != nil {
		m := v.message(*c.LastMessage)
		out.LastMessage = &m
	}
	if conn.Kind == hub.KindWABA && c.Kind == hub.ChatPrivate {
		w := hub.WABAWindow(c, v.now)
		out.Window = &windowJSON{Kind: hub.KindWABA, Open: w.Open}
		if !w.ExpiresAt.IsZero() {
			exp := w.ExpiresAt.UTC()
			out.Window.ExpiresAt = &exp
		}
	}
	return out
}

func (v view) contact(c hub.Contact) contactJSON {
	out := contactJSON{ID: c.ID, Name: c.Name, AvatarURL: c.AvatarURL, Phones: c.Phones,
		TelegramUsername: c.TelegramUsername, MaxUsername: c.MaxUsername, Email: c.Email, Blocked: c.Blocked, CRMContactIDs: c.CRMContactIDs}
	if out.Phones == nil {
		out.Phones = []string{}
	}
	if out.CRMContactIDs == nil {
		out.CRMContactIDs = []int64{}
	}
	if c.TelegramUserID != 0 {
		id := c.TelegramUserID
		out.TelegramUserID = &id
	}
	if c.MaxUserID != 0 {
		id := c.MaxUserID
		out.MaxUserID = &id
	}
	return out
}

// displayName is what a chat with no title of its own is called.
func displayName(c hub.Contact) string {
	switch {
	case c.Name != "":
		return c.Name
	case len(c.Phones) > 0:
		return phone.Format(c.Phones[0])
	case c.TelegramUsername != "":
		return "@" + c.TelegramUsername
	}
	return ""
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
