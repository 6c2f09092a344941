package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

var admin = hub.Access{Admin: true}

// listIDs walks every page of q and returns the entry ids (contact or group chat) in order.
func listIDs(t *testing.T, s *store.Store, q store.ChatListQuery) []string {
	t.Helper()
	var ids []string
	for page := 0; page < 100; page++ {
		es, err := s.ChatList(context.Background(), q)
		must(t, err)
		for _, e := range es {
			if e.Group != nil {
				ids = append(ids, e.Group.ID)
			} else {
				ids = append(ids, e.Contact.ID)
			}
		}
		if len(es) < q.Limit {
			return ids
		}
		last := es[len(es)-1].Cursor
		q.After = &last
	}
	t.Fatal("list does not end")
	return nil
}

// at is minutes from now, so activity order is explicit (a new chat's activity starts at its
// creation, so the messages must be later than that).
func at(minutes int) time.Time { return time.Now().Add(time.Duration(minutes+1) * time.Minute) }

func init() {
	register("ChatListOrderKeysetAndGroups", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		ids := map[string]string{}
		for i, name := range []string{"a", "b", "c", "d", "e"} {
			in := f.inbound(fmt.Sprintf("7916000000%d", i), name, "k"+name, "hi")
			in.Message.CreatedAt = at(i)
			r, err := s.SaveInbound(ctx, in)
			must(t, err)
			ids[name] = r.Contact.ID
			if name == "b" || name == "d" {
				_, err := s.ClearUnanswered(ctx, f.ws.ID, r.Chat.ID)
				must(t, err)
			}
		}
		g := f.inbound("79160000009", "member", "kg", "in a group")
		g.ChatKind, g.ExternalChatID, g.ChatTitle, g.Message.CreatedAt = hub.ChatGroup, "group-1", "Team", at(3)
		gr, err := s.SaveInbound(ctx, g)
		must(t, err)
		ids["g"] = gr.Chat.ID
		ids["member"] = gr.Contact.ID
		want := []string{ids["e"], ids["g"], ids["c"], ids["a"], ids["d"], ids["b"]}
		for _, limit := range []int{1, 2, 4, 50} {
			got := listIDs(t, s, store.ChatListQuery{WorkspaceID: f.ws.ID, Access: admin, Groups: true, Limit: limit})
			eq(t, fmt.Sprintf("order with limit %d", limit), fmt.Sprint(got), fmt.Sprint(want))
		}
		got := listIDs(t, s, store.ChatListQuery{WorkspaceID: f.ws.ID, Access: admin, Limit: 2})
		eq(t, "without groups", fmt.Sprint(got), fmt.Sprint(slices.DeleteFunc(slices.Clone(want), func(id string) bool { return id == ids["g"] })))
		manager := hub.Access{ContactsAll: true}
		got = listIDs(t, s, store.ChatListQuery{WorkspaceID: f.ws.ID, Access: manager, Groups: true, Limit: 50})
		eq(t, "manager sees no group and no unlinked contact", len(got), 0)
		es, err := s.ChatList(ctx, store.ChatListQuery{WorkspaceID: f.ws.ID, Access: admin, Limit: 1})
		must(t, err)
		eq(t, "entry carries its chats", len(es[0].Chats), 1)
		eq(t, "chat carries its last message", es[0].Chats[0].LastMessage != nil && es[0].Chats[0].LastMessage.Text == "hi", true)
	})
	register("ChatListAccessAgreesWithPolicy", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		const me, colleague, stranger = 1, 2, 3
		for _, u := range []store.CRMUser{{ID: me, GroupID: 10}, {ID: colleague, GroupID: 10}, {ID: stranger, GroupID: 20}} {
			u.IsActive = true
			must(t, s.SaveCRMUser(ctx, f.ws.ID, u))
		}
		for id, owner := range map[int64]int64{100: me, 101: colleague, 102: stranger} {
			must(t, s.SaveCRMContact(ctx, f.ws.ID, store.CRMEntity{ID: id, ResponsibleUserID: owner}))
		}
		must(t, s.SaveCRMLead(ctx, f.ws.ID, store.CRMEntity{ID: 500, ResponsibleUserID: me}, []int64{102}))
		must(t, s.SaveCRMLead(ctx, f.ws.ID, store.CRMEntity{ID: 501, ResponsibleUserID: colleague}, []int64{103}))
		// 103 is linked but never fetched; 104 neither and in no deal.
		links := [][]int64{nil, {100}, {101}, {102}, {103}, {104}, {102, 100}}
		var contacts []string
		for i, l := range links {
			r, err := s.SaveInbound(ctx, f.inbound(fmt.Sprintf("7916100000%d", i), "n", fmt.Sprint("k", i), "hi"))
			must(t, err)
			c := r.Contact
			c.CRMContactIDs = l
			must(t, s.UpdateContact(ctx, c))
			contacts = append(contacts, c.ID)
		}
		for _, cv := range []string{"A", "G", "M", "D"} {
			for _, lv := range []string{"A", "G", "M", "D"} {
				a := hub.NewAccess(hub.Employee{Role: hub.RoleManager},
					hub.Viewer{UserID: me, GroupID: 10, IsActive: true, ContactsView: cv, LeadsView: lv},
					[]hub.Responsible{{UserID: me, GroupID: 10}, {UserID: colleague, GroupID: 10}, {UserID: stranger, GroupID: 20}})
				var want []string
				for _, id := range contacts {
					l, err := s.ContactLinks(ctx, f.ws.ID, id)
					must(t, err)
					if a.Contact(l) {
						want = append(want, id)
					}
				}
				slices.Sort(want)
				for _, search := range []string{"", "n"} { // a search checks access row by row
					got := listIDs(t, s, store.ChatListQuery{WorkspaceID: f.ws.ID, Access: a, Search: search, Limit: 3})
					slices.Sort(got)
					eq(t, "visible with contacts "+cv+" leads "+lv+" search "+search, fmt.Sprint(got), fmt.Sprint(want))
				}
			}
		}
	})
	register("ChatListScopesAndSearch", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		mk := func(waID, name, username string, crm ...int64) string {
			in := f.inbound(waID, name, "k"+waID, "hi")
			in.From.TelegramUsername = username
			r, err := s.SaveInbound(ctx, in)
			must(t, err)
			c := r.Contact
			c.CRMContactIDs = crm
			must(t, s.UpdateContact(ctx, c))
			return c.ID
		}
		petrova := mk("79161234567", "Анна Петрова", "", 7)
		ivanov := mk("79031112233", "Ivan Ivanov", "vanya_tg", 7, 8)
		other := mk("34600111222", "Lucía Fernández", "", 9)
		must(t, s.SaveCRMLead(ctx, f.ws.ID, store.CRMEntity{ID: 70}, []int64{8, 9}))
		sorted := func(ids ...string) string { slices.Sort(ids); return fmt.Sprint(ids) }
		list := func(q store.ChatListQuery) string { // every way: the index's matches, walking, both
			q.WorkspaceID, q.Access, q.Limit = f.ws.ID, admin, 2
			var got []string
			for _, way := range store.SearchWays {
				s.SetSearchWay(way)
				ids := listIDs(t, s, q)
				slices.Sort(ids)
				if got = append(got, fmt.Sprint(ids)); got[len(got)-1] != got[0] {
					eq(t, fmt.Sprintf("%+v read way %d", q, way), got[len(got)-1], got[0])
				}
			}
			s.SetSearchWay(store.WayChosen)
			return got[0]
		}
		eq(t, "crm contact 7", list(store.ChatListQuery{CRMContactID: 7}), sorted(petrova, ivanov))
		eq(t, "crm lead 70", list(store.ChatListQuery{CRMLeadID: 70}), sorted(ivanov, other))
		eq(t, "unknown crm lead", list(store.ChatListQuery{CRMLeadID: 71}), "[]")
		g := f.inbound("79160000009", "member", "kg", "in a group")
		g.ChatKind, g.ExternalChatID, g.ChatTitle = hub.ChatGroup, "group-1", "Оптовики Севера"
		gr, err := s.SaveInbound(ctx, g)
		must(t, err)
		for q, want := range map[string]string{
			"петр": sorted(petrova), "ПЕТРОВА": sorted(petrova), "ivanov": sorted(ivanov), "VANYA": sorted(ivanov),
			"9161": sorted(petrova), "916-1": sorted(petrova), "+7 (916) 123": sorted(petrova), "31112": sorted(ivanov),
			"nobody": "[]", "100%": "[]", "____": "[]",
			// Issue 11 #2: national formats with the workspace's country, a leading @, accents,
			// group titles.
			"8 916 123-45-67": sorted(petrova), "89161234567": sorted(petrova), "8916123": sorted(petrova),
			"@vanya_tg": sorted(ivanov), "lucia": sorted(other), "Fernandez": sorted(other), "FERNÁNDEZ": sorted(other),
			"оптовики": sorted(gr.Chat.ID),
		} {
			eq(t, "search "+q, list(store.ChatListQuery{Search: q, Country: "RU", Groups: true}), want)
		}
	})
}
