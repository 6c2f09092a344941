package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Every query scoped by workspace must refuse ids that belong to another workspace.
func init() {
	register("WorkspaceIsolation", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := newFixture(t, s, 1), newFixture(t, s, 2)
		empA := employee(t, s, a, 1, hub.RoleAdmin)
		empB := employee(t, s, b, 1, hub.RoleAdmin)
		in := a.inbound("79160000004", "Вера Соколова", "wamid.iso", "секрет")
		in.Message.Attachments = []hub.Attachment{{Name: "passport.jpg", MIME: "image/jpeg"}}
		r, err := s.SaveInbound(ctx, in)
		must(t, err)
		out, _, err := s.CreateOutbound(ctx, hub.Message{WorkspaceID: a.ws.ID, ChatID: r.Chat.ID, ConnectionID: a.conn.ID,
			Type: hub.TypeText, Text: "ответ", AuthorID: empA.ID, ClientID: "iso-1"})
		must(t, err)
		tpl, err := s.UpsertTemplate(ctx, hub.Template{WorkspaceID: a.ws.ID, Kind: "quick_reply", Name: "q", Body: "b"})
		must(t, err)
		must(t, s.SaveDraft(ctx, a.ws.ID, empA.ID, r.Chat.ID, "draft"))
		up, err := s.CreateUpload(ctx, store.Upload{WorkspaceID: a.ws.ID, EmployeeID: empA.ID, Name: "x", MIME: "text/plain", StorageKey: "k"})
		must(t, err)
		must(t, s.SaveCRMUser(ctx, a.ws.ID, store.CRMUser{ID: 5, Name: "U", IsActive: true}))
		must(t, s.SaveCRMContact(ctx, a.ws.ID, store.CRMEntity{ID: 5, ResponsibleUserID: 5}))
		must(t, s.SaveCRMLead(ctx, a.ws.ID, store.CRMEntity{ID: 6, ResponsibleUserID: 5}, []int64{5}))

		notFound := func(what string, err error) {
			t.Helper()
			if err != store.ErrNotFound {
				t.Errorf("%s across workspaces: err = %v, want ErrNotFound", what, err)
			}
		}
		empty := func(what string, n int, err error) {
			t.Helper()
			must(t, err)
			if n != 0 {
				t.Errorf("%s across workspaces: %d rows leaked", what, n)
			}
		}
		_, err = s.Chat(ctx, b.ws.ID, r.Chat.ID)
		notFound("Chat", err)
		_, err = s.Contact(ctx, b.ws.ID, r.Contact.ID)
		notFound("Contact", err)
		_, err = s.Message(ctx, b.ws.ID, r.Message.ID)
		notFound("Message", err)
		_, err = s.Connection(ctx, b.ws.ID, a.conn.ID)
		notFound("Connection", err)
		_, err = s.Employee(ctx, b.ws.ID, empA.ID)
		notFound("Employee", err)
		_, err = s.Template(ctx, b.ws.ID, tpl.ID)
		notFound("Template", err)
		_, err = s.Upload(ctx, b.ws.ID, empA.ID, up.ID)
		notFound("Upload", err)
		_, err = s.CRMUser(ctx, b.ws.ID, 5)
		notFound("CRMUser", err)
		_, err = s.CRMContact(ctx, b.ws.ID, 5)
		notFound("CRMContact", err)
		_, err = s.CRMLead(ctx, b.ws.ID, 6)
		notFound("CRMLead", err)
		_, err = s.ClearUnanswered(ctx, b.ws.ID, r.Chat.ID)
		notFound("ClearUnanswered", err)
		_, err = s.SetBlocked(ctx, b.ws.ID, r.Contact.ID, empB.ID, true)
		notFound("SetBlocked", err)
		_, err = s.Retry(ctx, b.ws.ID, out.ID)
		notFound("Retry", err)
		_, err = s.MarkFailed(ctx, b.ws.ID, out.ID, "x", "y")
		notFound("MarkFailed", err)
		notFound("SetConnectionStatus", s.SetConnectionStatus(ctx, b.ws.ID, a.conn.ID, hub.StatusAuthFailed, ""))
		notFound("SetConnectionInSubscription", s.SetConnectionInSubscription(ctx, b.ws.ID, a.conn.ID, false))
		notFound("Reschedule", s.Reschedule(ctx, b.ws.ID, out.ID, time.Now(), ""))
		notFound("SetAttachmentStored", s.SetAttachmentStored(ctx, b.ws.ID, r.Message.Attachments[0].ID, "k", 1, "x"))
		foreign := r.Contact
		foreign.WorkspaceID = b.ws.ID
		notFound("UpdateContact", s.UpdateContact(ctx, foreign))

		ms, err := s.Messages(ctx, b.ws.ID, r.Chat.ID, "", 50)
		empty("Messages", len(ms), err)
		chats, err := s.ChatsOfContact(ctx, b.ws.ID, r.Contact.ID)
		empty("ChatsOfContact", len(chats), err)
		ids, err := s.SearchContacts(ctx, b.ws.ID, "соколова", 10)
		empty("SearchContacts", len(ids), err)
		ids, err = s.ContactsByPhone(ctx, b.ws.ID, "+79160000004")
		empty("ContactsByPhone", len(ids), err)
		_, err = s.ContactByIdentity(ctx, b.ws.ID, "79160000004", 0)
		notFound("ContactByIdentity", err)
		evs, err := s.EventsSince(ctx, b.ws.ID, 0, 100)
		empty("EventsSince", len(evs), err)
		conns, err := s.Connections(ctx, b.ws.ID)
		must(t, err)
		eq(t, "Connections of b", len(conns), 1)
		eq(t, "b's own connection", conns[0].ID, b.conn.ID)
		tpls, err := s.Templates(ctx, b.ws.ID, a.conn.ID)
		empty("Templates", len(tpls), err)
		d, err := s.Draft(ctx, b.ws.ID, empA.ID, r.Chat.ID)
		must(t, err)
		eq(t, "Draft across workspaces", d, "")
		bl, err := s.Blacklist(ctx, b.ws.ID)
		empty("Blacklist", len(bl), err)
		users, err := s.CRMUsers(ctx, b.ws.ID)
		empty("CRMUsers", len(users), err)
		lc, err := s.LeadContacts(ctx, b.ws.ID, 6)
		empty("LeadContacts", len(lc), err)
		cl, err := s.ContactLeads(ctx, b.ws.ID, 5)
		empty("ContactLeads", len(cl), err)
		emps, err := s.Employees(ctx, b.ws.ID)
		must(t, err)
		eq(t, "Employees of b", len(emps), 1)

		// The same wa_id in two workspaces is two contacts.
		rb, err := s.SaveInbound(ctx, b.inbound("79160000004", "Вера", "wamid.iso", "другая компания"))
		must(t, err)
		eq(t, "same provider key on another connection is not a duplicate", rb.Duplicate, false)
		if rb.Contact.ID == r.Contact.ID || rb.Chat.ID == r.Chat.ID {
			t.Fatal("contact or chat shared across workspaces")
		}
	})
}
