package amojo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Outbox job kinds.
const (
	jobMessage = "message" // post a hub message (inbound, or sent from the window) to amojo
	jobStatus  = "status"  // post an outgoing message's delivery status
	jobLink    = "link"    // link the customer to the contact amoCRM made for a new chat
	jobRefusal = "refusal" // report a manager's reply the hub refused as a failed delivery
	jobReact   = "react"   // post the customer's reaction on a message
)

// ClientIDPrefix marks the hub messages that are managers' replies typed in amoCRM: their
// client id is this plus amojo's message id, so a hook processed twice sends once, and the
// mirror never posts them back to amoCRM.
const ClientIDPrefix = "amojo:"

const (
	// lease is how long one instance holds a job or hook while it calls out.
	lease = 2 * time.Minute
	// batch is how many events one pass turns into jobs.
	batch = 200
	// mediaWait is how long an inbound message waits for its file to be fetched from the
	// messenger before it is posted without it.
	mediaWait = 2 * time.Minute
	// keepDone is how long finished calls and processed hooks are kept, for an operator
	// looking into what was mirrored.
	keepDone = 7 * 24 * time.Hour
	// linkTries is how often the chat link is asked for before the customer is looked up by
	// phone instead.
	linkTries = 5
)

// statusData is what a status job carries: the status as the event showed it.
type statusData struct {
	Status string `json:"status"`
	Code   string `json:"code,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// refusalData is a refused reply: amojo's message id and the reason in the manager's language.
type refusalData struct {
	MsgID  string `json:"msgid"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// translate turns an event into outbox jobs: a new message of a private chat (except managers'
// replies that came from amoCRM, which it has), and an outgoing message reaching delivered,
// read or failed.
func translate(e hub.Event) []store.AmojoJob {
	if e.Type != hub.EventMessageCreated && e.Type != hub.EventMessageUpdated {
		return nil
	}
	var msg hub.Message
	if err := json.Unmarshal(e.Data, &msg); err != nil || msg.ID == "" || msg.Hidden {
		return nil
	}
	fromAmo := strings.HasPrefix(msg.ClientID, ClientIDPrefix)
	switch {
	case e.Type == hub.EventMessageCreated && !fromAmo:
		return []store.AmojoJob{{Kind: jobMessage, ChatID: msg.ChatID, MessageID: msg.ID}}
	case e.Type == hub.EventMessageUpdated:
		// An update may be a status or a reaction; the react job posts only a change of the
		// customer's (the business's own reaction came from amoCRM or the hub's window).
		emoji := ""
		for _, r := range msg.Payload.Reactions {
			if r.EmployeeID == "" {
				emoji = r.Emoji
			}
		}
		b, _ := json.Marshal(reactData{Emoji: emoji})
		jobs := []store.AmojoJob{{Kind: jobReact, ChatID: msg.ChatID, MessageID: msg.ID, Data: string(b)}}
		if msg.Direction == hub.DirOut &&
			(msg.Status == hub.StatusDelivered || msg.Status == hub.StatusRead || msg.Status == hub.StatusFailed) {
			b, _ := json.Marshal(statusData{Status: msg.Status, Code: msg.ErrorCode, Reason: msg.ErrorMessage})
			jobs = append(jobs, store.AmojoJob{Kind: jobStatus, ChatID: msg.ChatID, MessageID: msg.ID, Data: string(b)})
		}
		return jobs
	}
	return nil
}

// reactData is the customer's reaction on a message as an update showed it ("" for none).
type reactData struct {
	Emoji string `json:"emoji"`
}

// postReaction posts the customer's reaction on a message amoCRM has, when it changed.
func (m *Mirror) postReaction(ctx context.Context, ws hub.Workspace, a store.AmojoAccount, j store.AmojoJob) error {
	var d reactData
	if err := json.Unmarshal([]byte(j.Data), &d); err != nil {
		return permanent("react: %v", err)
	}
	msgid, _, err := m.Store.AmojoMessage(ctx, ws.ID, j.MessageID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return hubErr(err)
	}
	last, err := m.Store.AmojoReaction(ctx, ws.ID, j.MessageID)
	if err != nil {
		return hubErr(err)
	}
	if last == d.Emoji {
		return nil
	}
	chat, err := m.Store.Chat(ctx, ws.ID, j.ChatID)
	if err != nil {
		return hubErr(err)
	}
	if err := m.Client.React(ctx, a.ScopeID, chat.ID, msgid, chat.ContactID, d.Emoji); err != nil {
		return err
	}
	return hubErrOrNil(m.Store.SetAmojoReaction(ctx, ws.ID, j.MessageID, d.Emoji))
}

// Run works until ctx ends: it connects mirrors switched on but not connected, turns new
// events into jobs, makes the due calls in order, and processes stored hooks.
func (m *Mirror) Run(ctx context.Context) {
	m.init()
	poll := m.Poll
	if poll == 0 {
		poll = time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		m.Pass(ctx)
		select {
		case <-ctx.Done():
			return
		case <-m.wake:
		case <-t.C:
		}
	}
}

// Pass does everything due now once: hooks first (a customer is waiting for those replies),
// then each workspace's outbox.
func (m *Mirror) Pass(ctx context.Context) {
	m.init()
	ctx = amocrm.Background(ctx) // the mirror's CRM calls go after a card opening's
	for ctx.Err() == nil && m.processHook(ctx) {
	}
	if now := m.now(); now.After(m.nextPrune) {
		m.nextPrune = now.Add(time.Hour)
		if n, err := m.Store.PruneAmojo(ctx, now.Add(-keepDone)); err != nil && ctx.Err() == nil {
			slog.Error("amojo: prune", "err", err)
		} else if n > 0 {
			slog.Info("amojo: pruned finished calls and hooks", "count", n)
		}
	}
	accs, err := m.Store.AmojoAccounts(ctx)
	if err != nil {
		if ctx.Err() == nil {
			slog.Error("amojo: list mirrors", "err", err)
		}
		return
	}
	for _, a := range accs {
		if ctx.Err() != nil {
			return
		}
		m.passWorkspace(ctx, a)
	}
}

func (m *Mirror) passWorkspace(ctx context.Context, a store.AmojoAccount) {
	ws, err := m.Store.Workspace(ctx, a.WorkspaceID)
	if err != nil {
		slog.Error("amojo: workspace", "workspace", a.WorkspaceID, "err", err)
		return
	}
	for {
		n, err := m.Store.AdvanceAmojo(ctx, ws.ID, batch, translate)
		if err != nil {
			slog.Error("amojo: read events", "workspace", ws.ID, "err", err)
			return
		}
		if n < batch {
			break
		}
	}
	if a.ScopeID == "" {
		m.mu.Lock()
		wait := m.now().Before(m.nextConnect[ws.ID])
		m.mu.Unlock()
		if wait {
			return
		}
		if err := m.connect(ctx, ws); err != nil {
			m.mu.Lock()
			m.nextConnect[ws.ID] = m.now().Add(m.backoff(3))
			m.mu.Unlock()
			slog.Warn("amojo: connect failed; will retry", "workspace", ws.ID, "err", err)
			return
		}
		if a, err = m.Store.AmojoAccount(ctx, ws.ID); err != nil {
			return
		}
	}
	for ctx.Err() == nil {
		j, ok, err := m.Store.ClaimAmojoJob(ctx, ws.ID, m.now(), lease)
		if err != nil {
			if ctx.Err() == nil {
				slog.Error("amojo: claim", "workspace", ws.ID, "err", err)
			}
			return
		}
		if !ok {
			return
		}
		err = m.do(ctx, ws, a, j)
		if ctx.Err() != nil {
			return // stopping: the job is claimed again once its lease runs out, as after a crash
		}
		switch {
		case err == nil:
			err = m.Store.FinishAmojoJob(ctx, j.ID, store.AmojoDone, "")
		case IsTransient(err):
			wait := m.backoff(j.Attempts)
			var later *retryLater
			if errors.As(err, &later) {
				wait = later.after
			}
			slog.Info("amojo: call will be retried", "workspace", ws.ID, "job", j.Kind, "attempt", j.Attempts, "in", wait, "err", err)
			if err := m.Store.RescheduleAmojoJob(ctx, j.ID, m.now().Add(wait), err.Error()); err != nil {
				slog.Error("amojo: reschedule", "job", j.ID, "err", err)
			}
			return // the rest of this workspace's jobs wait behind it, in order
		default:
			slog.Warn("amojo: call refused; given up", "workspace", ws.ID, "job", j.Kind, "message", j.MessageID, "err", err)
			err = m.Store.FinishAmojoJob(ctx, j.ID, store.AmojoDead, err.Error())
		}
		if err != nil {
			slog.Error("amojo: finish job", "job", j.ID, "err", err)
			return
		}
	}
}

// retryLater is a transient wait of a known length (a file still being fetched, a chat link
// amoCRM has not made yet).
type retryLater struct {
	after time.Duration
	why   string
}

func (r *retryLater) Error() string { return r.why }

// permanent is a job that cannot succeed; it is given up.
func permanent(format string, args ...any) error {
	return &Error{Status: -1, Detail: fmt.Sprintf(format, args...)}
}

// hubErr classifies a failure of the hub's own lookups: a record that is gone cannot be
// mirrored; anything else (the database busy) is tried again.
func hubErr(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return permanent("%v", err)
	}
	return &Error{Transient: true, Detail: err.Error()}
}

// crmErr classifies a failure of the amoCRM REST API: refusals (4xx but 429) are permanent.
func crmErr(err error) error {
	var ae *amocrm.APIError
	if errors.As(err, &ae) && ae.Status/100 == 4 && ae.Status != 429 {
		return permanent("amocrm: %v", err)
	}
	return &Error{Transient: true, Detail: err.Error()}
}

func (m *Mirror) do(ctx context.Context, ws hub.Workspace, a store.AmojoAccount, j store.AmojoJob) error {
	switch j.Kind {
	case jobMessage:
		return m.postMessage(ctx, ws, a, j)
	case jobStatus:
		return m.postStatus(ctx, ws, a, j)
	case jobLink:
		return m.linkChat(ctx, ws, j)
	case jobReact:
		return m.postReaction(ctx, ws, a, j)
	case jobRefusal:
		var d refusalData
		if err := json.Unmarshal([]byte(j.Data), &d); err != nil {
			return permanent("refusal: %v", err)
		}
		return m.Client.DeliveryStatus(ctx, a.ScopeID, Delivery{MsgID: d.MsgID, Status: Failed, ErrorCode: errorCode(d.Code),
			Error: d.Reason})
	}
	return permanent("unknown job kind %q", j.Kind)
}

// postMessage posts a hub message to amojo: an inbound one with the customer as sender, one
// sent from the chat window as the employee's (silent, so no incoming lead or notification).
// The chat's first message decides how amoCRM learns of it: a customer whose CRM contact has a
// deal gets the chat made and linked to that contact first (no incoming lead); anyone else's
// first inbound message makes amoCRM create a contact and an incoming lead, which the hub then
// links the customer to.
func (m *Mirror) postMessage(ctx context.Context, ws hub.Workspace, a store.AmojoAccount, j store.AmojoJob) error {
	msg, err := m.Store.Message(ctx, ws.ID, j.MessageID)
	if err != nil {
		return hubErr(err)
	}
	chat, err := m.Store.Chat(ctx, ws.ID, msg.ChatID)
	if err != nil {
		return hubErr(err)
	}
	if chat.Kind != hub.ChatPrivate || chat.ContactID == "" || msg.Hidden {
		return nil // amoCRM's chats are one customer each; groups stay in the hub
	}
	if msg.Direction == hub.DirIn && m.now().Sub(msg.CreatedAt) < mediaWait {
		for _, at := range msg.Attachments {
			if at.StorageKey == "" {
				return &retryLater{after: 2 * time.Second, why: "the file is still being fetched from the messenger"}
			}
		}
	}
	contact, err := m.Store.Contact(ctx, ws.ID, chat.ContactID)
	if err != nil {
		return hubErr(err)
	}
	conn, err := m.Store.Connection(ctx, ws.ID, chat.ConnectionID)
	if err != nil {
		return hubErr(err)
	}
	src, err := m.source(ctx, ws, conn)
	if err != nil {
		return err
	}
	customer := customerOf(contact, conn)
	p := Payload{Timestamp: msg.CreatedAt.Unix(), MsecTimestamp: msg.CreatedAt.UnixMilli(), MsgID: msg.ID,
		ConversationID: chat.ID, Message: m.messageOf(ws, msg), Source: src}
	if msg.Direction == hub.DirIn {
		p.Sender = customer
	} else {
		emp, err := m.Store.Employee(ctx, ws.ID, msg.AuthorID)
		if err != nil {
			return hubErr(err)
		}
		ref, err := m.amojoUser(ctx, ws, emp.CRMUserID)
		if err != nil {
			return err
		}
		p.Sender, p.Receiver, p.Silent = User{RefID: ref}, &customer, true
	}
	if msg.ReplyToID != "" {
		if q, _, err := m.Store.AmojoMessage(ctx, ws.ID, msg.ReplyToID); err == nil {
			p.ReplyTo = &ReplyTo{}
			p.ReplyTo.Message.MsgID = q
		}
	}
	_, known := "", false
	if _, err := m.Store.AmojoChat(ctx, ws.ID, chat.ID); errors.Is(err, store.ErrNotFound) {
		if known, err = m.openKnownChat(ctx, ws, a, chat, contact, customer, src); err != nil {
			return err
		}
	} else if err != nil {
		return hubErr(err)
	} else {
		known = true
	}
	sent, err := m.Client.SendMessage(ctx, a.ScopeID, p)
	if err != nil {
		return err
	}
	if sent.MsgID != "" {
		if err := m.Store.SaveAmojoMessage(ctx, ws.ID, msg.ID, sent.MsgID); err != nil {
			return hubErr(err)
		}
	}
	if !known && sent.ConversationID != "" {
		if err := m.Store.SaveAmojoChat(ctx, ws.ID, chat.ID, sent.ConversationID); err != nil {
			return hubErr(err)
		}
		if len(contact.CRMContactIDs) == 0 {
			return m.Store.EnqueueAmojo(ctx, store.AmojoJob{WorkspaceID: ws.ID, Kind: jobLink, ChatID: chat.ID})
		}
	}
	return nil
}

// openKnownChat makes the chat in amoCRM ahead of its first message and links it to the
// customer's CRM contact when that contact has a deal, so the conversation lands in the deal's
// feed and no incoming lead is made. It returns false for a customer amoCRM does not know yet.
func (m *Mirror) openKnownChat(ctx context.Context, ws hub.Workspace, a store.AmojoAccount, chat hub.Chat,
	contact hub.Contact, customer User, src *Source) (bool, error) {
	ids := contact.CRMContactIDs
	if len(ids) == 0 {
		found, err := m.CRM.FindContacts(ctx, ws, contact)
		if err != nil {
			return false, crmErr(err)
		}
		if len(found) > 0 {
			if err := m.link(ctx, ws, contact.ID, found); err != nil {
				return false, err
			}
			ids = found
		}
	}
	for _, id := range ids {
		deals, err := m.CRM.ContactDeals(ctx, ws, id)
		if err != nil {
			return false, crmErr(err)
		}
		if len(deals) == 0 {
			continue
		}
		made, err := m.Client.CreateChat(ctx, a.ScopeID, ChatRequest{ConversationID: chat.ID, Source: src, User: customer})
		if err != nil {
			return false, err
		}
		if err := m.CRM.LinkChat(ctx, ws, made.ID, id); err != nil {
			return false, crmErr(err)
		}
		if err := m.Store.SaveAmojoChat(ctx, ws.ID, chat.ID, made.ID); err != nil {
			return false, hubErr(err)
		}
		return true, nil
	}
	return false, nil
}

// linkChat links the customer of a new chat to the contact amoCRM made with its incoming lead:
// found through the chat's link, or, when amoCRM has not linked one after a few tries, by phone
// or Telegram id (F31a). The contact.updated event lets the windows of those who may now see
// the customer show them.
func (m *Mirror) linkChat(ctx context.Context, ws hub.Workspace, j store.AmojoJob) error {
	chat, err := m.Store.Chat(ctx, ws.ID, j.ChatID)
	if err != nil {
		return hubErr(err)
	}
	contact, err := m.Store.Contact(ctx, ws.ID, chat.ContactID)
	if err != nil {
		return hubErr(err)
	}
	if len(contact.CRMContactIDs) > 0 {
		return nil
	}
	amojoChat, err := m.Store.AmojoChat(ctx, ws.ID, chat.ID)
	if err != nil {
		return hubErr(err)
	}
	id, err := m.CRM.ChatContact(ctx, ws, amojoChat)
	if err != nil {
		return crmErr(err)
	}
	var ids []int64
	if id != 0 {
		if _, err := m.CRM.ContactDeals(ctx, ws, id); err != nil { // caches the contact's incoming lead
			return crmErr(err)
		}
		ids = []int64{id}
	} else if j.Attempts < linkTries {
		return &retryLater{after: m.backoff(j.Attempts), why: "amoCRM has not linked the chat to a contact yet"}
	} else if ids, err = m.CRM.FindContacts(ctx, ws, contact); err != nil {
		return crmErr(err)
	}
	if len(ids) == 0 {
		return permanent("amoCRM has no contact for the customer of chat %s", chat.ID)
	}
	return m.link(ctx, ws, contact.ID, ids)
}

// link records the CRM contacts of a hub contact; the store tells the windows (the contact and
// its chats, for those who may see them only now).
func (m *Mirror) link(ctx context.Context, ws hub.Workspace, contactID string, ids []int64) error {
	if _, err := m.Store.LinkCRMContacts(ctx, ws.ID, contactID, ids); err != nil {
		return hubErr(err)
	}
	return nil
}

// postStatus posts an outgoing message's delivery status, once per status.
func (m *Mirror) postStatus(ctx context.Context, ws hub.Workspace, a store.AmojoAccount, j store.AmojoJob) error {
	var d statusData
	if err := json.Unmarshal([]byte(j.Data), &d); err != nil {
		return permanent("status: %v", err)
	}
	msgid, last, err := m.Store.AmojoMessage(ctx, ws.ID, j.MessageID)
	if errors.Is(err, store.ErrNotFound) {
		// A manager's reply whose hook another instance has not finished recording yet names
		// amojo's id in its client id; any other message amoCRM never got (e.g. a group's).
		msg, err := m.Store.Message(ctx, ws.ID, j.MessageID)
		if err != nil || !strings.HasPrefix(msg.ClientID, ClientIDPrefix) {
			return nil
		}
		msgid = strings.TrimPrefix(msg.ClientID, ClientIDPrefix)
		if err := m.Store.SaveAmojoMessage(ctx, ws.ID, msg.ID, msgid); err != nil {
			return hubErr(err)
		}
	} else if err != nil {
		return hubErr(err)
	}
	if last == d.Status || (last == hub.StatusRead && d.Status == hub.StatusDelivered) {
		return nil
	}
	s := Delivery{MsgID: msgid}
	switch d.Status {
	case hub.StatusDelivered:
		s.Status = Delivered
	case hub.StatusRead:
		s.Status = Read
	default:
		s.Status, s.ErrorCode, s.Error = Failed, errorCode(d.Code), d.Reason
	}
	if err := m.Client.DeliveryStatus(ctx, a.ScopeID, s); err != nil {
		return err
	}
	return hubErrOrNil(m.Store.SetAmojoMessageStatus(ctx, ws.ID, j.MessageID, d.Status))
}

func hubErrOrNil(err error) error {
	if err == nil {
		return nil
	}
	return hubErr(err)
}

// errorCode is amoCRM's delivery error code for a hub failure code.
func errorCode(code string) int {
	switch code {
	case "not_on_whatsapp", "chat_not_found":
		return ErrorNoChat
	case "blocked_by_user":
		return ErrorDeleted
	case "channel_auth_failed", "connection_not_in_subscription", "subscription_inactive", "subscription_unpaid",
		"connection_disabled":
		return ErrorDisabled
	}
	return ErrorOther
}

// source returns the connection's amoCRM source, making it on first use (the main pipeline;
// WABA numbers marked waba).
func (m *Mirror) source(ctx context.Context, ws hub.Workspace, conn hub.Connection) (*Source, error) {
	srcs, err := m.Store.AmojoSources(ctx, ws.ID)
	if err != nil {
		return nil, hubErr(err)
	}
	for _, s := range srcs {
		if s.ConnectionID == conn.ID && s.SourceID != 0 {
			return &Source{ExternalID: conn.ID}, nil
		}
	}
	existing, ok, err := m.CRM.SourceByExternalID(ctx, ws, conn.ID)
	if err != nil {
		return nil, crmErr(err)
	}
	id := existing.ID
	if !ok {
		if id, err = m.CRM.SaveSource(ctx, ws, amocrm.Source{Name: conn.Name, ExternalID: conn.ID,
			WABA: conn.Kind == hub.KindWABA}); err != nil {
			return nil, crmErr(err)
		}
	}
	if err := m.Store.SaveAmojoSource(ctx, ws.ID, store.AmojoSource{ConnectionID: conn.ID, SourceID: id,
		PipelineID: existing.PipelineID}); err != nil {
		return nil, hubErr(err)
	}
	return &Source{ExternalID: conn.ID}, nil
}

// amojoUser is a CRM user's amojo id, re-reading the users once when one is missing (a user
// added since the channel was connected).
func (m *Mirror) amojoUser(ctx context.Context, ws hub.Workspace, crmUserID int64) (string, error) {
	id, err := m.Store.AmojoUser(ctx, ws.ID, crmUserID)
	if err == nil {
		return id, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", hubErr(err)
	}
	users, err := m.CRM.UserAmojoIDs(ctx, ws)
	if err != nil {
		return "", crmErr(err)
	}
	if err := m.Store.SaveAmojoUsers(ctx, ws.ID, users); err != nil {
		return "", hubErr(err)
	}
	if id, ok := users[crmUserID]; ok {
		return id, nil
	}
	return "", permanent("CRM user %d has no amojo id", crmUserID)
}

// customerOf is the customer as amojo takes them: name, phone, e-mail, avatar and, for
// Telegram, the profile link.
func customerOf(c hub.Contact, conn hub.Connection) User {
	u := User{ID: c.ID, Name: c.Name}
	p := Profile{Email: c.Email}
	if len(c.Phones) > 0 {
		p.Phone = c.Phones[0]
	}
	if p.Phone != "" || p.Email != "" {
		u.Profile = &p
	}
	if strings.HasPrefix(c.AvatarURL, "https://") || strings.HasPrefix(c.AvatarURL, "http://") {
		u.Avatar = c.AvatarURL
	}
	if c.TelegramUsername != "" && conn.Kind == hub.KindTelegramBot {
		u.ProfileLink = "https://t.me/" + strings.TrimPrefix(c.TelegramUsername, "@")
	}
	if u.Name == "" {
		u.Name = p.Phone
	}
	if u.Name == "" && c.TelegramUsername != "" {
		u.Name = "@" + strings.TrimPrefix(c.TelegramUsername, "@")
	}
	return u
}

// messageOf is the hub message as amojo's message: files by signed links amoCRM can fetch;
// what amojo has no type for (orders, templates, system notes) as text.
func (m *Mirror) messageOf(ws hub.Workspace, msg hub.Message) Message {
	out := Message{Type: "text", Text: msg.Text}
	if len(msg.Attachments) > 0 && msg.Attachments[0].StorageKey != "" {
		at := msg.Attachments[0]
		out.Type = map[string]string{hub.TypeImage: "picture", hub.TypeVideo: "video", hub.TypeVoice: "voice",
			hub.TypeAudio: "audio", hub.TypeSticker: "sticker"}[msg.Type]
		if out.Type == "" {
			out.Type = "file"
		}
		out.Media, out.FileName, out.FileSize = m.mediaURL(ws.ID, msg.ID, at.ID), at.Name, at.Size
		return out
	}
	switch {
	case msg.Type == hub.TypeLocation && msg.Payload.Location != nil:
		l := msg.Payload.Location
		out.Type = "location"
		out.Location = &Location{Lon: l.Longitude, Lat: l.Latitude}
		out.Text = strings.TrimSpace(l.Name + " " + l.Address)
	case msg.Type == hub.TypeOrder && msg.Payload.Order != nil:
		out.Text = orderText(msg.Payload.Order)
	case msg.Type == hub.TypeContacts:
		var lines []string
		for _, c := range msg.Payload.Contacts {
			lines = append(lines, strings.TrimSpace(c.Name+" "+strings.Join(c.Phones, ", ")))
		}
		out.Text = strings.Join(lines, "\n")
	}
	if strings.TrimSpace(out.Text) == "" {
		// A file not fetched in time, a sticker without its image: say what it was.
		out.Text = "[" + i18n.T("en", "app.type."+msg.Type) + "]"
	}
	return out
}

func orderText(o *hub.Order) string {
	var b strings.Builder
	for _, it := range o.Items {
		fmt.Fprintf(&b, "%s × %d — %s %s\n", it.Name, it.Quantity, it.Price, it.Currency)
	}
	fmt.Fprintf(&b, "= %s %s", o.Total, o.Currency)
	return b.String()
}
