package storetest

import (
	"context"
	"testing"

	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	register("AuditLogNewestFirstPerWorkspace", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := newFixture(t, s, 1), newFixture(t, s, 2)
		must(t, s.Audit(ctx, a.ws.ID, "e1", "contact.block", "c1", `{"name":"x"}`))
		must(t, s.Audit(ctx, a.ws.ID, "e1", "contact.unblock", "c1", ""))
		must(t, s.Audit(ctx, b.ws.ID, "e2", "contact.block", "c2", ""))
		log, err := s.AuditLog(ctx, a.ws.ID, 10)
		must(t, err)
		eq(t, "entries", len(log), 2)
		eq(t, "newest", log[0].Action, "contact.unblock")
		eq(t, "details", log[1].Details, `{"name":"x"}`)
	})
}
