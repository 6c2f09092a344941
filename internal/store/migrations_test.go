package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
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

// Migration 24 fills the visibility table and each contact's copy of its search entry from the
// data so far: a manager keeps seeing (and finding, on either way a search reads) exactly the
// contacts their CRM contacts and deals give them.
func TestMigrationFillsContactVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ws := storetest.PaidWorkspace(t, s, 1)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(s.SaveCRMContact(ctx, ws.ID, store.CRMEntity{ID: 100, ResponsibleUserID: 1}))
		must(s.SaveCRMContact(ctx, ws.ID, store.CRMEntity{ID: 101, ResponsibleUserID: 2}))
		must(s.SaveCRMLead(ctx, ws.ID, store.CRMEntity{ID: 500, ResponsibleUserID: 1}, []int64{101}))
		conn, err := s.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "Sales",
			ExternalID: "pn-1", InSubscription: true})
		must(err)
		names := map[string]string{}
		for i, links := range [][]int64{{100}, {101}, {102}, nil} {
			wa := fmt.Sprintf("7916300000%d", i)
			r, err := s.SaveInbound(ctx, store.Inbound{WorkspaceID: ws.ID, ConnectionID: conn.ID, ChatKind: hub.ChatPrivate,
				ExternalChatID: wa, From: hub.Contact{Name: fmt.Sprintf("Клиент %d", i), WAID: wa},
				Message: hub.Message{Type: hub.TypeText, Text: "hi", ProviderKey: wa, CreatedAt: time.Now()}})
			must(err)
			c := r.Contact
			c.CRMContactIDs = links
			must(s.UpdateContact(ctx, c))
			names[c.ID] = c.Name
		}
		must(store.Unapply(ctx, s, 24, `DROP TABLE contact_visibility; ALTER TABLE contacts DROP COLUMN search_body`))
		if n, err := s.Migrate(ctx); n != 1 || err != nil {
			t.Fatalf("migrate again: %d applied, %v", n, err)
		}
		own := hub.NewAccess(hub.Employee{Role: hub.RoleManager}, hub.Viewer{UserID: 1, IsActive: true,
			ContactsView: hub.RightOwn, LeadsView: hub.RightOwn}, nil)
		for _, way := range store.SearchWays {
			s.SetSearchWay(way)
			for _, search := range []string{"", "клиент"} {
				es, err := s.ChatList(ctx, store.ChatListQuery{WorkspaceID: ws.ID, Access: own, Search: search, Limit: 10})
				must(err)
				var got []string
				for _, e := range es {
					got = append(got, names[e.Contact.ID])
				}
				slices.Sort(got)
				if want := "Клиент 0, Клиент 1"; strings.Join(got, ", ") != want {
					t.Fatalf("way %d, search %q: manager sees %v, want %s", way, search, got, want)
				}
			}
		}
	})
}
