package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// Migration 19 gives a CRM user's views (contacts, deals) columns of the hub's own, which the
// CRM adapter writes: users cached before it keep what they may see, read once from the
// rights object; rights that are not a JSON object give no views, as they gave none before.
func TestMigrationFillsCRMUserViews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ws := storetest.PaidWorkspace(t, s, 1)
		for id, rights := range []string{`{"contacts":{"view":"G"},"leads":{"view":"M"}}`, `not json`,
			`{"leads":{"view":"A"},"is_admin":false}`, `[1]`, `"A"`} {
			if err := s.SaveCRMUser(ctx, ws.ID, store.CRMUser{ID: int64(id + 1), Name: "U", IsActive: true, Rights: rights}); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.Unapply(ctx, s, 19, `ALTER TABLE crm_users DROP COLUMN contacts_view;
			ALTER TABLE crm_users DROP COLUMN leads_view`); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Migrate(ctx); n != 1 || err != nil {
			t.Fatalf("migrate again: %d applied, %v", n, err)
		}
		users, err := s.CRMUsers(ctx, ws.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range users {
			got = append(got, fmt.Sprintf("%d:%s/%s", u.ID, u.ContactsView, u.LeadsView))
		}
		if want := "1:G/M 2:/ 3:/A 4:/ 5:/"; strings.Join(got, " ") != want {
			t.Fatalf("views = %s, want %s", strings.Join(got, " "), want)
		}
	})
}
