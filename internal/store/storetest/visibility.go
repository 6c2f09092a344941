package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	// A manager's list and search read who may see a contact from the visibility table, which
	// the store keeps in step with every CRM write that changes it; after each change both ways
	// of reading it (a few contacts read whole, or the activity index walked) must agree with
	// the policy evaluated on the contact's links.
	register("VisibilityFollowsCRMChanges", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		const me, colleague, stranger = 1, 2, 3
		users := []hub.Responsible{{UserID: me, GroupID: 10}, {UserID: colleague, GroupID: 10}, {UserID: stranger, GroupID: 20}}
		for _, u := range users {
			must(t, s.SaveCRMUser(ctx, f.ws.ID, store.CRMUser{ID: u.UserID, GroupID: u.GroupID, IsActive: true}))
		}
		for id, owner := range map[int64]int64{100: me, 101: colleague, 102: stranger} {
			must(t, s.SaveCRMContact(ctx, f.ws.ID, store.CRMEntity{ID: id, ResponsibleUserID: owner}))
		}
		must(t, s.SaveCRMLead(ctx, f.ws.ID, store.CRMEntity{ID: 500, ResponsibleUserID: stranger}, []int64{101}))
		var contacts, chats []string
		for i, l := range [][]int64{nil, {100}, {101}, {102}, {103}} {
			in := f.inbound(fmt.Sprintf("7916200000%d", i), "Ира", fmt.Sprint("v", i), "hi")
			in.Message.CreatedAt = at(i)
			r, err := s.SaveInbound(ctx, in)
			must(t, err)
			c := r.Contact
			c.CRMContactIDs = l
			must(t, s.UpdateContact(ctx, c))
			contacts, chats = append(contacts, c.ID), append(chats, r.Chat.ID)
			if i%2 == 0 {
				_, err := s.ClearUnanswered(ctx, f.ws.ID, r.Chat.ID)
				must(t, err)
			}
		}
		check := func(step string) {
			t.Helper()
			order := map[string][]string{} // the admin's list, by search
			for _, search := range []string{"", "ира"} {
				order[search] = listIDs(t, s, store.ChatListQuery{WorkspaceID: f.ws.ID, Access: admin, Search: search, Limit: 2})
			}
			for _, cv := range []string{"A", "G", "M", "D"} {
				for _, lv := range []string{"A", "G", "M", "D"} {
					for _, who := range []int64{me, stranger} {
						a := hub.NewAccess(hub.Employee{Role: hub.RoleManager}, hub.Viewer{UserID: who,
							GroupID: map[int64]int64{me: 10, stranger: 20}[who], IsActive: true, ContactsView: cv, LeadsView: lv}, users)
						visible := map[string]bool{}
						for _, id := range contacts {
							l, err := s.ContactLinks(ctx, f.ws.ID, id)
							must(t, err)
							visible[id] = a.Contact(l)
						}
						// Read whole, and walked or ranged over the visibility index.
						for _, way := range store.SearchWays {
							s.SetSearchWay(way)
							for _, search := range []string{"", "ира"} {
								want := slices.DeleteFunc(slices.Clone(order[search]), func(id string) bool { return !visible[id] })
								got := listIDs(t, s, store.ChatListQuery{WorkspaceID: f.ws.ID, Access: a, Search: search, Limit: 2})
								eq(t, fmt.Sprintf("%s: user %d, contacts %s, leads %s, search %q, way %d", step, who, cv, lv,
									search, way), fmt.Sprint(got), fmt.Sprint(want))
							}
						}
						s.SetSearchWay(store.WayChosen)
					}
				}
			}
		}
		check("start")
		must(t, s.SaveCRMContact(ctx, f.ws.ID, store.CRMEntity{ID: 100, ResponsibleUserID: stranger}))
		check("a CRM contact's responsible user changed")
		must(t, s.SaveCRMContact(ctx, f.ws.ID, store.CRMEntity{ID: 103, ResponsibleUserID: me}))
		check("a linked CRM contact fetched for the first time")
		must(t, s.SaveCRMLead(ctx, f.ws.ID, store.CRMEntity{ID: 500, ResponsibleUserID: me}, []int64{101}))
		check("a deal's responsible user changed")
		must(t, s.SaveCRMLead(ctx, f.ws.ID, store.CRMEntity{ID: 500, ResponsibleUserID: me}, []int64{102}))
		check("a deal's contacts changed")
		must(t, s.SaveCRMLead(ctx, f.ws.ID, store.CRMEntity{ID: 501, ResponsibleUserID: colleague}, []int64{100, 104}))
		check("a new deal")
		_, err := s.LinkCRMContacts(ctx, f.ws.ID, contacts[0], []int64{104})
		must(t, err)
		check("a link added to an unlinked contact")
		c, err := s.Contact(ctx, f.ws.ID, contacts[2])
		must(t, err)
		c.CRMContactIDs = append(c.CRMContactIDs, 100)
		must(t, s.UpdateContact(ctx, c))
		check("a link added beside another")
		must(t, s.SaveCRMLead(ctx, f.ws.ID, store.CRMEntity{ID: 500, ResponsibleUserID: me}, nil))
		check("a deal left without contacts")
		in := f.inbound("79162000001", "Ира", "v-again", "again")
		in.Message.CreatedAt = at(10)
		_, err = s.SaveInbound(ctx, in)
		must(t, err)
		check("an answered contact writes again")
		_, err = s.ClearUnanswered(ctx, f.ws.ID, chats[3])
		must(t, err)
		check("a contact answered")
	})
}
