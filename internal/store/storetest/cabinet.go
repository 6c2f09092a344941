package storetest

import (
	"context"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	register("DeleteConnectionOnlyWithoutChats", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		other := newFixture(t, s, 2)
		_, err := s.UpsertTemplate(ctx, hub.Template{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, Kind: hub.TemplateWABA,
			Name: "hello", Language: "en", Body: "Hi {{1}}", Params: 1, Status: "APPROVED"})
		must(t, err)
		eq(t, "other workspace's connection", s.DeleteConnection(ctx, other.ws.ID, f.conn.ID), store.ErrNotFound)
		_, err = s.SaveInbound(ctx, other.inbound("79161234567", "Ann", "k1", "hi"))
		must(t, err)
		eq(t, "connection with chats", s.DeleteConnection(ctx, other.ws.ID, other.conn.ID), store.ErrInUse)
		must(t, s.DeleteConnection(ctx, f.ws.ID, f.conn.ID))
		_, err = s.Connection(ctx, f.ws.ID, f.conn.ID)
		eq(t, "deleted", err, store.ErrNotFound)
		tpls, err := s.Templates(ctx, f.ws.ID, f.conn.ID)
		must(t, err)
		eq(t, "templates gone", len(tpls), 0)
		eq(t, "twice", s.DeleteConnection(ctx, f.ws.ID, f.conn.ID), store.ErrNotFound)
	})
	register("QuickRepliesCreateEditDelete", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		other := newFixture(t, s, 2)
		q, err := s.SaveQuickReply(ctx, hub.Template{WorkspaceID: f.ws.ID, Name: "Hello", Body: "Hello!"})
		must(t, err)
		_, err = s.SaveQuickReply(ctx, hub.Template{WorkspaceID: f.ws.ID, Name: "Hello", Body: "again"})
		eq(t, "duplicate name", err, store.ErrDuplicate)
		_, err = s.SaveQuickReply(ctx, hub.Template{WorkspaceID: other.ws.ID, Name: "Hello", Body: "theirs"})
		must(t, err)
		// The same name in another language is another reply; an edit may set the language.
		es, err := s.SaveQuickReply(ctx, hub.Template{WorkspaceID: f.ws.ID, Name: "Hello", Language: "es", Body: "¡Hola!"})
		must(t, err)
		eq(t, "language kept", es.Language, "es")
		es.Language = ""
		_, err = s.SaveQuickReply(ctx, es)
		eq(t, "an edit onto a taken name and language", err, store.ErrDuplicate)
		must(t, s.DeleteQuickReply(ctx, f.ws.ID, es.ID))
		q.Name, q.Body, q.Language = "Greeting", "Good day!", "en"
		q, err = s.SaveQuickReply(ctx, q)
		must(t, err)
		_, err = s.SaveQuickReply(ctx, hub.Template{ID: q.ID, WorkspaceID: other.ws.ID, Name: "x", Body: "y"})
		eq(t, "edit across workspaces", err, store.ErrNotFound)
		list, err := s.QuickReplies(ctx, f.ws.ID)
		must(t, err)
		eq(t, "one quick reply", len(list), 1)
		eq(t, "edited body", list[0].Body, "Good day!")
		eq(t, "edited language", list[0].Language, "en")
		eq(t, "kind", list[0].Kind, hub.TemplateQuickReply)
		eq(t, "delete across workspaces", s.DeleteQuickReply(ctx, other.ws.ID, q.ID), store.ErrNotFound)
		must(t, s.DeleteQuickReply(ctx, f.ws.ID, q.ID))
		list, err = s.QuickReplies(ctx, f.ws.ID)
		must(t, err)
		eq(t, "deleted", len(list), 0)
	})
	register("CRMCountsAndAuditLog", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		must(t, s.SaveCRMUser(ctx, f.ws.ID, store.CRMUser{ID: 7, Name: "Olga"}))
		must(t, s.SaveCRMContact(ctx, f.ws.ID, store.CRMEntity{ID: 1, Name: "Ivan", ResponsibleUserID: 7}))
		must(t, s.SaveCRMContact(ctx, f.ws.ID, store.CRMEntity{ID: 2, Name: "Ana", ResponsibleUserID: 7}))
		must(t, s.SaveCRMLead(ctx, f.ws.ID, store.CRMEntity{ID: 9, Name: "Deal", ResponsibleUserID: 7}, []int64{1, 2}))
		c, err := s.CRMCounts(ctx, f.ws.ID)
		must(t, err)
		eq(t, "counts", c, store.CRMCounts{Users: 1, Contacts: 2, Leads: 1})
		must(t, s.Audit(ctx, f.ws.ID, "emp-1", "connection.create", "conn-1", `{"kind":"waba"}`))
		must(t, s.Audit(ctx, f.ws.ID, "emp-1", "connection.delete", "conn-1", ""))
		log, err := s.AuditLog(ctx, f.ws.ID, 10)
		must(t, err)
		eq(t, "entries", len(log), 2)
		eq(t, "newest first", log[0].Action, "connection.delete")
		other, err := s.AuditLog(ctx, "someone-else", 10)
		must(t, err)
		eq(t, "nothing crosses workspaces", len(other), 0)
	})
}
