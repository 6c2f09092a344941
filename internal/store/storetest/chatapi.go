package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Store methods the chat API added: access inputs, lookups and opening a chat.
func init() {
	register("AccessOfReadsCachedRights", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		emp, _, err := s.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: f.ws.ID, CRMUserID: 5, Name: "M", Role: hub.RoleManager})
		must(t, err)
		a, err := s.AccessOf(ctx, emp)
		must(t, err)
		eq(t, "uncached user sees nothing", fmt.Sprint(a), fmt.Sprint(hub.Access{}))
		must(t, s.SaveCRMUser(ctx, f.ws.ID, store.CRMUser{ID: 5, GroupID: 9, IsActive: true,
			ContactsView: hub.RightGroup, LeadsView: hub.RightOwn, Rights: `{"contacts":{"view":"A"},"leads":{"view":"A"}}`}))
		must(t, s.SaveCRMUser(ctx, f.ws.ID, store.CRMUser{ID: 6, GroupID: 9, IsActive: true}))
		must(t, s.SaveCRMUser(ctx, f.ws.ID, store.CRMUser{ID: 7, GroupID: 8, IsActive: true}))
		a, err = s.AccessOf(ctx, emp)
		must(t, err)
		eq(t, "group rights, from the views (the rights object is only shown)", fmt.Sprint(a.ContactOwners, a.LeadOwners, a.Admin),
			"[5 6] [5] false")
		emp.Role = hub.RoleAdmin
		a, err = s.AccessOf(ctx, emp)
		must(t, err)
		eq(t, "admin", a.Admin, true)
		must(t, s.SaveCRMUser(ctx, f.ws.ID, store.CRMUser{ID: 5, IsActive: true, ContactsView: "?"}))
		emp.Role = hub.RoleManager
		a, err = s.AccessOf(ctx, emp)
		must(t, err)
		eq(t, "no or unknown views deny", fmt.Sprint(a), fmt.Sprint(hub.Access{}))
	})
	register("ContactLinksAndCRMRefs", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		r, err := s.SaveInbound(ctx, f.inbound("79160000001", "A", "k1", "hi"))
		must(t, err)
		c := r.Contact
		c.CRMContactIDs = []int64{10, 11}
		must(t, s.UpdateContact(ctx, c))
		must(t, s.SaveCRMContact(ctx, f.ws.ID, store.CRMEntity{ID: 10, ResponsibleUserID: 3}))
		must(t, s.SaveCRMLead(ctx, f.ws.ID, store.CRMEntity{ID: 50, ResponsibleUserID: 4}, []int64{10, 11}))
		must(t, s.SaveCRMLead(ctx, f.ws.ID, store.CRMEntity{ID: 51, ResponsibleUserID: 5}, []int64{11}))
		l, err := s.ContactLinks(ctx, f.ws.ID, c.ID)
		must(t, err)
		eq(t, "links", fmt.Sprint(l), "{[{10 3} {11 0}] [{50 4} {51 5}]}")
		other := newFixture(t, s, 2)
		l, err = s.ContactLinks(ctx, other.ws.ID, c.ID)
		must(t, err)
		eq(t, "another workspace", fmt.Sprint(l), "{[] []}")
		ref, leads, err := s.CRMContactRef(ctx, f.ws.ID, 11)
		must(t, err)
		eq(t, "crm contact 11", fmt.Sprint(ref, leads), "{11 0} [{50 4} {51 5}]")
		lead, err := s.CRMLeadRef(ctx, f.ws.ID, 51)
		must(t, err)
		eq(t, "lead", lead, hub.CRMRef{ID: 51, ResponsibleUserID: 5})
		lead, err = s.CRMLeadRef(ctx, f.ws.ID, 99)
		must(t, err)
		eq(t, "unknown lead", lead, hub.CRMRef{ID: 99})
		byID, err := s.ContactsByIDs(ctx, f.ws.ID, []string{c.ID, "nope"})
		must(t, err)
		eq(t, "batch", fmt.Sprint(len(byID), byID[c.ID].Phones, byID[c.ID].CRMContactIDs), "1 [+79160000001] [10 11]")
		byID, err = s.ContactsByIDs(ctx, other.ws.ID, []string{c.ID})
		must(t, err)
		eq(t, "batch across workspaces", len(byID), 0)
	})
	register("MessageAndAttachmentLookups", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		in := f.inbound("79160000002", "B", "k2", "file")
		in.Message.Type = hub.TypeFile
		in.Message.Attachments = []hub.Attachment{{Name: "a.pdf", MIME: "application/pdf", Size: 3, StorageKey: "key"}}
		r, err := s.SaveInbound(ctx, in)
		must(t, err)
		a, chatID, err := s.AttachmentOf(ctx, f.ws.ID, r.Message.Attachments[0].ID)
		must(t, err)
		eq(t, "attachment chat", chatID, r.Chat.ID)
		eq(t, "attachment", a.Name+" "+a.StorageKey, "a.pdf key")
		other := newFixture(t, s, 2)
		_, _, err = s.AttachmentOf(ctx, other.ws.ID, a.ID)
		eq(t, "attachment across workspaces", err, store.ErrNotFound)
		m, _, err := s.CreateOutbound(ctx, hub.Message{WorkspaceID: f.ws.ID, ChatID: r.Chat.ID, ConnectionID: f.conn.ID,
			Type: hub.TypeText, Text: "hi", ClientID: "cid"})
		must(t, err)
		got, err := s.MessageByClientID(ctx, f.ws.ID, r.Chat.ID, "cid")
		must(t, err)
		eq(t, "by client id", got.ID, m.ID)
		_, err = s.MessageByClientID(ctx, other.ws.ID, r.Chat.ID, "cid")
		eq(t, "client id across workspaces", err, store.ErrNotFound)
		// A blocked contact's hidden message keeps its files out of reach too.
		_, err = s.SetBlocked(ctx, f.ws.ID, r.Contact.ID, "admin", true)
		must(t, err)
		in.Message.ProviderKey = "k3"
		in.Message.Attachments = []hub.Attachment{{Name: "b.pdf", MIME: "application/pdf", Size: 3, StorageKey: "key2"}}
		hidden, err := s.SaveInbound(ctx, in)
		must(t, err)
		_, _, err = s.AttachmentOf(ctx, f.ws.ID, hidden.Message.Attachments[0].ID)
		eq(t, "hidden message's file", err, store.ErrNotFound)
	})
	register("OpenChatCreatesOrUpdatesTheContact", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		chat, contact, created, err := s.OpenChat(ctx, hub.Contact{Name: "New", WAID: "79160000003",
			Phones: []string{"+79160000003"}, CRMContactIDs: []int64{7}},
			hub.Chat{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, ExternalChatID: "79160000003"})
		must(t, err)
		eq(t, "created", created, true)
		eq(t, "chat on contact", chat.ContactID, contact.ID)
		eq(t, "never written to", chat.LastInboundAt.IsZero(), true)
		eq(t, "links", fmt.Sprint(contact.CRMContactIDs), "[7]")
		again, _, created, err := s.OpenChat(ctx, hub.Contact{Name: "Other"},
			hub.Chat{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, ExternalChatID: "79160000003"})
		must(t, err)
		eq(t, "second open", created, false)
		eq(t, "same chat", again.ID, chat.ID)
		// An existing contact (a Telegram one) gains a WhatsApp identity and phone.
		tg, err := s.CreateContact(ctx, hub.Contact{WorkspaceID: f.ws.ID, Name: "Tg", TelegramUserID: 42, TelegramUsername: "Tg_User"})
		must(t, err)
		tg.WAID, tg.Phones = "79160000004", []string{"+79160000004"}
		_, updated, created, err := s.OpenChat(ctx, tg, hub.Chat{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID,
			ExternalChatID: "79160000004", LastActivityAt: time.Now()})
		must(t, err)
		eq(t, "created for existing contact", created, true)
		eq(t, "kept identity", fmt.Sprintln(updated.ID == tg.ID, updated.TelegramUserID, updated.WAID, updated.Phones), "true 42 79160000004 [+79160000004]\n")
		found, err := s.ContactByTelegramUsername(ctx, f.ws.ID, "tg_USER")
		must(t, err)
		eq(t, "username any case", found.ID, tg.ID)
		_, err = s.ContactByTelegramUsername(ctx, f.ws.ID, "")
		eq(t, "empty username", err, store.ErrNotFound)
	})
}
