package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	register("CRMTokensCompareAndSwap", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		_, err := s.SaveCRMTokens(ctx, f.ws.ID, store.CRMTokens{AccessToken: "a1", RefreshToken: "r1", ExpiresAt: time.Now().Add(time.Hour)}, 0)
		must(t, err)
		cur, err := s.LoadCRMTokens(ctx, f.ws.ID)
		must(t, err)
		eq(t, "refresh token", cur.RefreshToken, "r1")
		ok, err := s.SaveCRMTokens(ctx, f.ws.ID, store.CRMTokens{AccessToken: "a2", RefreshToken: "r2"}, cur.Version)
		must(t, err)
		eq(t, "first refresher wins", ok, true)
		ok, err = s.SaveCRMTokens(ctx, f.ws.ID, store.CRMTokens{AccessToken: "a3", RefreshToken: "r3"}, cur.Version)
		must(t, err)
		eq(t, "second refresher with the stale version loses", ok, false)
		now, err := s.LoadCRMTokens(ctx, f.ws.ID)
		must(t, err)
		eq(t, "kept the winner", now.RefreshToken, "r2")
		must(t, s.DeleteCRMTokens(ctx, f.ws.ID))
		_, err = s.LoadCRMTokens(ctx, f.ws.ID)
		eq(t, "deleted", err, store.ErrNotFound)
	})
	register("CRMCaches", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		must(t, s.SaveCRMUser(ctx, f.ws.ID, store.CRMUser{ID: 10, Name: "Анна", Lang: "ru", GroupID: 1, IsActive: true,
			ContactsView: hub.RightOwn, Rights: `{"contacts":{"view":"M"}}`, FetchedAt: time.Now()}))
		u, err := s.CRMUser(ctx, f.ws.ID, 10)
		must(t, err)
		eq(t, "views and rights as saved", u.ContactsView+"/"+u.LeadsView+" "+u.Rights, `M/ {"contacts":{"view":"M"}}`)
		must(t, s.SaveCRMUser(ctx, f.ws.ID, store.CRMUser{ID: 10, Name: "Анна К.", Lang: "es", GroupID: 2, IsActive: true,
			LeadsView: hub.RightAll}))
		u, err = s.CRMUser(ctx, f.ws.ID, 10)
		must(t, err)
		eq(t, "user updated", u.Name, "Анна К.")
		eq(t, "views updated", u.ContactsView+u.LeadsView, "A")
		eq(t, "group", u.GroupID, int64(2))
		eq(t, "empty rights default", u.Rights, "{}")
		users, err := s.CRMUsers(ctx, f.ws.ID)
		must(t, err)
		eq(t, "users", len(users), 1)

		must(t, s.SaveCRMContact(ctx, f.ws.ID, store.CRMEntity{ID: 500, Name: "ООО Ромашка", ResponsibleUserID: 10}))
		c, err := s.CRMContact(ctx, f.ws.ID, 500)
		must(t, err)
		eq(t, "responsible", c.ResponsibleUserID, int64(10))
		must(t, s.SaveCRMLead(ctx, f.ws.ID, store.CRMEntity{ID: 900, Name: "Сделка", ResponsibleUserID: 11}, []int64{500, 501}))
		must(t, s.SaveCRMLead(ctx, f.ws.ID, store.CRMEntity{ID: 900, Name: "Сделка", ResponsibleUserID: 12}, []int64{500}))
		l, err := s.CRMLead(ctx, f.ws.ID, 900)
		must(t, err)
		eq(t, "lead responsible refreshed", l.ResponsibleUserID, int64(12))
		ids, err := s.LeadContacts(ctx, f.ws.ID, 900)
		must(t, err)
		eq(t, "lead contacts replaced", len(ids), 1)
		leads, err := s.ContactLeads(ctx, f.ws.ID, 500)
		must(t, err)
		eq(t, "contact leads", len(leads), 1)
		_, err = s.CRMLead(ctx, f.ws.ID, 901)
		eq(t, "unknown lead", err, store.ErrNotFound)
	})
}
