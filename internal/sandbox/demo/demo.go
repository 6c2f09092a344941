// Package demo fills the sandbox's demo workspace with conversations that show every feature
// of the chat window: unanswered chats, a closed WABA window, a cart, voice, image, video and
// files, a failed message with its reason, a blocked contact, one CRM contact reached through
// WhatsApp, Telegram and MAX, MAX customers (one of whom stopped the bot), a number outside the
// subscription, a group, quick replies and a long history to scroll. It runs at every sandbox start and only adds what is missing.
package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Files stores media.
type Files interface {
	Put(ctx context.Context, data []byte, declaredMIME string) (key, contentType string, err error)
}

// seeder carries one run's lookups.
type seeder struct {
	st    *store.Store
	files Files
	ws    hub.Workspace
	conns map[string]hub.Connection // by role: sales, support, telegram, max
	now   time.Time
	emps  map[int64]hub.Employee
}

// Seed adds the demo's conversations, group and quick replies to ws where they are missing.
// A conversation whose chat exists is left as it is (people may have written in it since).
func Seed(ctx context.Context, st *store.Store, files Files, ws hub.Workspace) error {
	s := &seeder{st: st, files: files, ws: ws, now: time.Now(), emps: map[int64]hub.Employee{}}
	conns, err := st.Connections(ctx, ws.ID)
	if err != nil {
		return err
	}
	s.conns = map[string]hub.Connection{}
	for _, c := range conns {
		switch c.ExternalID {
		case messengers.SalesNumberID:
			s.conns["sales"] = c
		case messengers.SupportNumberID:
			s.conns["support"] = c
		case strconv.FormatInt(messengers.BotID, 10):
			s.conns["telegram"] = c
		case strconv.FormatInt(messengers.MaxBotID, 10):
			s.conns["max"] = c
		}
	}
	if len(s.conns) != 4 {
		return fmt.Errorf("demo: the sandbox connections are missing (found %d of 4)", len(s.conns))
	}
	for _, c := range append(conversations, longHistory()) {
		if err := s.conversation(ctx, c); err != nil {
			return fmt.Errorf("demo: %s: %w", c.name, err)
		}
	}
	if err := s.group(ctx); err != nil {
		return fmt.Errorf("demo: group: %w", err)
	}
	for _, q := range quickReplies {
		t := hub.Template{WorkspaceID: ws.ID, Kind: "quick_reply", Name: q.name, Language: q.language, Body: q.body,
			Params: hub.CountParams(q.body)}
		if _, err := st.UpsertTemplate(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

func (s *seeder) conversation(ctx context.Context, c conversation) error {
	conn := s.conns[c.via]
	contact := hub.Contact{WorkspaceID: s.ws.ID, Name: c.name, TelegramUserID: c.tgID, TelegramUsername: c.tgUsername,
		MaxUserID: c.maxID}
	external := strconv.FormatInt(c.tgID, 10)
	if c.phone != "" {
		contact.Phones, contact.WAID, external = []string{c.phone}, store.Digits(c.phone), store.Digits(c.phone)
	}
	if c.crmContactID != 0 {
		contact.CRMContactIDs = []int64{c.crmContactID}
	}
	var existing hub.Contact
	var err error
	if c.maxID != 0 {
		external = strconv.FormatInt(c.maxID, 10)
		existing, err = s.st.ContactByMaxUser(ctx, s.ws.ID, c.maxID)
	} else {
		existing, err = s.st.ContactByIdentity(ctx, s.ws.ID, contact.WAID, contact.TelegramUserID)
	}
	switch {
	case err == store.ErrNotFound:
		if contact, err = s.st.CreateContact(ctx, contact); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		contact = existing
	}
	chat, created, err := s.st.CreateChat(ctx, hub.Chat{WorkspaceID: s.ws.ID, ConnectionID: conn.ID, Kind: hub.ChatPrivate,
		ContactID: contact.ID, ExternalChatID: external})
	if err != nil || !created {
		return err
	}
	msgs, err := s.messages(ctx, conn, "demo."+external, c.lines)
	if err != nil {
		return err
	}
	if _, err := s.st.ImportMessages(ctx, s.ws.ID, chat.ID, msgs); err != nil {
		return err
	}
	if c.stopped {
		if _, err := s.st.SetPeer(ctx, store.Peer{WorkspaceID: s.ws.ID, ConnectionID: conn.ID, ExternalChatID: external,
			From: contact, Stopped: true, At: s.now.Add(-time.Hour)}); err != nil {
			return err
		}
	}
	if !c.blocked {
		return nil
	}
	blocker, err := s.employee(ctx, admin)
	if err != nil {
		return err
	}
	if _, err := s.st.SetBlocked(ctx, s.ws.ID, contact.ID, blocker.ID, true); err != nil {
		return err
	}
	for i, text := range c.refused {
		_, err := s.st.SaveInbound(ctx, store.Inbound{WorkspaceID: s.ws.ID, ConnectionID: conn.ID, ChatKind: hub.ChatPrivate,
			ExternalChatID: external, From: contact, Message: hub.Message{Type: hub.TypeText, Text: text,
				ProviderKey: fmt.Sprintf("demo.%s.refused.%d", external, i), CreatedAt: s.now.Add(-time.Duration(3-i) * time.Hour)}})
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *seeder) group(ctx context.Context) error {
	conn := s.conns["telegram"]
	chat, created, err := s.st.CreateChat(ctx, hub.Chat{WorkspaceID: s.ws.ID, ConnectionID: conn.ID, Kind: hub.ChatGroup,
		ExternalChatID: strconv.FormatInt(messengers.GroupID, 10), Title: messengers.GroupTitle})
	if err != nil || !created {
		return err
	}
	msgs, err := s.messages(ctx, conn, "demo.group", groupLines)
	if err != nil {
		return err
	}
	_, err = s.st.ImportMessages(ctx, s.ws.ID, chat.ID, msgs)
	return err
}

// employee provisions the CRM user who wrote a demo message, as their first open would (F2).
func (s *seeder) employee(ctx context.Context, crmUserID int64) (hub.Employee, error) {
	if e, ok := s.emps[crmUserID]; ok {
		return e, nil
	}
	u, err := s.st.CRMUser(ctx, s.ws.ID, crmUserID)
	if err != nil {
		return hub.Employee{}, fmt.Errorf("CRM user %d not synced: %w", crmUserID, err)
	}
	role := hub.RoleManager
	if u.IsAdmin {
		role = hub.RoleAdmin
	}
	e, _, err := s.st.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: s.ws.ID, CRMUserID: u.ID, Name: u.Name,
		Email: u.Email, Role: role, Lang: i18n.Lang(u.Lang)})
	if err == nil {
		s.emps[crmUserID] = e
	}
	return e, err
}
