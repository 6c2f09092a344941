package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	register("ContactCRUDAndLookups", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		c, err := s.CreateContact(ctx, hub.Contact{WorkspaceID: f.ws.ID, Name: "Мария Петрова", WAID: "79161234567",
			Phones: []string{"+79161234567"}, CRMContactIDs: []int64{501}})
		must(t, err)
		got, err := s.Contact(ctx, f.ws.ID, c.ID)
		must(t, err)
		eq(t, "name", got.Name, "Мария Петрова")
		eq(t, "phones", len(got.Phones), 1)
		eq(t, "crm links", len(got.CRMContactIDs), 1)

		got.TelegramUserID, got.TelegramUsername, got.Email = 777, "mpetrova", "m@example.com"
		got.Phones = append(got.Phones, "+79031112233")
		got.CRMContactIDs = []int64{502}
		must(t, s.UpdateContact(ctx, got))
		again, err := s.Contact(ctx, f.ws.ID, c.ID)
		must(t, err)
		eq(t, "phones after update", len(again.Phones), 2)
		eq(t, "links only grow", len(again.CRMContactIDs), 2)
		eq(t, "email", again.Email, "m@example.com")

		byTG, err := s.ContactByIdentity(ctx, f.ws.ID, "", 777)
		must(t, err)
		eq(t, "by telegram id", byTG.ID, c.ID)
		byWA, err := s.ContactByIdentity(ctx, f.ws.ID, "79161234567", 0)
		must(t, err)
		eq(t, "by wa_id", byWA.ID, c.ID)
		ids, err := s.ContactsByPhone(ctx, f.ws.ID, "+79031112233")
		must(t, err)
		eq(t, "by phone", len(ids), 1)
		ids, err = s.ContactsByCRMContact(ctx, f.ws.ID, 502)
		must(t, err)
		eq(t, "by crm contact", len(ids), 1)
		_, err = s.ContactByIdentity(ctx, f.ws.ID, "", 0)
		eq(t, "no identity", err, store.ErrNotFound)
	})
	register("SearchAnyAlphabetAndPhoneFormats", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		petrova, err := s.CreateContact(ctx, hub.Contact{WorkspaceID: f.ws.ID, Name: "Ольга Петрова",
			Phones: []string{"+79161234567"}})
		must(t, err)
		garcia, err := s.CreateContact(ctx, hub.Contact{WorkspaceID: f.ws.ID, Name: "José García",
			TelegramUsername: "jgarcia_mx", TelegramUserID: 42})
		must(t, err)
		for _, tc := range []struct {
			q    string
			want string
		}{
			{"петр", petrova.ID}, {"ПЕТРОВА", petrova.ID}, {"9161", petrova.ID}, {"916-1", petrova.ID},
			{"+7 (916) 123", petrova.ID}, {"garc", garcia.ID}, {"JGARCIA", garcia.ID}, {"GARCÍA", garcia.ID},
		} {
			ids, err := searchBoth(t, s, f.ws.ID, tc.q, 10)
			must(t, err)
			if len(ids) != 1 || ids[0] != tc.want {
				t.Errorf("search %q = %v, want [%s]", tc.q, ids, tc.want)
			}
		}
		ids, err := searchBoth(t, s, f.ws.ID, "zzzz", 10)
		must(t, err)
		eq(t, "no match", len(ids), 0)
		ids, err = searchBoth(t, s, f.ws.ID, "100%", 10)
		must(t, err)
		eq(t, "LIKE wildcards are literal", len(ids), 0)
		// Terms holding LIKE's wildcards or a backslash, and terms too short for a trigram, take
		// other paths on SQLite than plain terms; they must find the same contacts on both engines.
		sale, err := s.CreateContact(ctx, hub.Contact{WorkspaceID: f.ws.ID, Name: `Sale 50%_off \ Shop "Best"`})
		must(t, err)
		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"50%", []string{sale.ID}}, {"%_o", []string{sale.ID}}, {"0%_", []string{sale.ID}},
			{"5_%", nil}, {"e_5", nil}, {"sale%", nil}, {`f \ s`, []string{sale.ID}}, {`\`, []string{sale.ID}},
			{"ол", []string{petrova.ID}}, {"pe", nil}, {"ga", []string{garcia.ID}}, {`p "be`, []string{sale.ID}},
			{`"best""`, nil},
		} {
			ids, err := searchBoth(t, s, f.ws.ID, tc.q, 10)
			must(t, err)
			if !slices.Equal(ids, tc.want) {
				t.Errorf("search %q = %v, want %v", tc.q, ids, tc.want)
			}
		}
	})
	register("BlockedContactInboundIsHiddenAndCounted", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		emp := employee(t, s, f, 1, hub.RoleAdmin)
		first, err := s.SaveInbound(ctx, f.inbound("79990001122", "Spammer", "wamid.a", "hi"))
		must(t, err)
		blocked, err := s.SetBlocked(ctx, f.ws.ID, first.Contact.ID, emp.ID, true)
		must(t, err)
		eq(t, "blocked", blocked.Blocked, true)
		head, err := s.EventHead(ctx, f.ws.ID)
		must(t, err)
		r, err := s.SaveInbound(ctx, f.inbound("79990001122", "Spammer", "wamid.b", "buy now"))
		must(t, err)
		eq(t, "refused", r.Refused, true)
		// No message event; only the chat again, so the refused counter shows live (issue 11 #11).
		evs, err := s.EventsSince(ctx, f.ws.ID, head, 10)
		must(t, err)
		eq(t, "events for a refused inbound", len(evs), 1)
		eq(t, "its type", evs[0].Type, hub.EventChatUpdated)
		ms, err := s.Messages(ctx, f.ws.ID, first.Chat.ID, "", 10)
		must(t, err)
		eq(t, "visible messages", len(ms), 1)
		chat, err := s.Chat(ctx, f.ws.ID, first.Chat.ID)
		must(t, err)
		eq(t, "refused count", chat.RefusedCount, 1)
		eq(t, "unanswered unchanged", chat.UnansweredCount, 1)
		list, err := s.Blacklist(ctx, f.ws.ID)
		must(t, err)
		eq(t, "blacklist size", len(list), 1)
		eq(t, "blacklist refused", list[0].RefusedCount, 1)
		eq(t, "blocked by", list[0].BlockedBy, emp.ID)
		unblocked, err := s.SetBlocked(ctx, f.ws.ID, first.Contact.ID, emp.ID, false)
		must(t, err)
		eq(t, "unblocked", unblocked.Blocked, false)
		list, err = s.Blacklist(ctx, f.ws.ID)
		must(t, err)
		eq(t, "blacklist after unblock", len(list), 0)
	})
}

func employee(t *testing.T, s *store.Store, f fixture, crmUserID int64, role string) hub.Employee {
	t.Helper()
	e, _, err := s.ProvisionEmployee(context.Background(), hub.Employee{WorkspaceID: f.ws.ID, CRMUserID: crmUserID,
		Name: "Employee", Role: role, Lang: "ru"})
	must(t, err)
	return e
}

// searchBoth runs SearchContacts every way it may be read (store.SearchWays: the index's matches
// read whole, the activity index walked), which must agree, and returns what it found.
func searchBoth(t *testing.T, s *store.Store, workspaceID, q string, limit int) ([]string, error) {
	t.Helper()
	defer s.SetSearchWay(store.WayChosen)
	var found [][]string
	for _, way := range store.SearchWays {
		s.SetSearchWay(way)
		ids, err := s.SearchContacts(context.Background(), workspaceID, q, limit)
		if err != nil {
			return nil, err
		}
		if found = append(found, ids); !slices.Equal(ids, found[0]) {
			t.Errorf("search %q: %v read way %d, %v the store's way", q, ids, way, found[0])
		}
	}
	return found[0], nil
}
