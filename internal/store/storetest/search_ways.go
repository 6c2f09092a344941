package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	// A search pages through both segments alike however it is read (store.SearchWays): walked
	// first and found within the walk's bound or cut there and read again from the index's
	// matches, from the matches alone, walked alone, read whole when a probe of the index found
	// fewer matches than its bound (store.WayProbe: "олег", "ли", "нет") and walked first when it
	// found more ("анна", "смирнов"); as an admin (the activity index) and as a manager (a
	// visibility range), and equal to the unsearched list filtered by the term.
	register("SearchPagesAgreeEveryWay", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		const me = 1
		must(t, s.SaveCRMContact(ctx, f.ws.ID, store.CRMEntity{ID: 100, ResponsibleUserID: me}))
		must(t, s.SaveCRMContact(ctx, f.ws.ID, store.CRMEntity{ID: 101, ResponsibleUserID: me + 1}))
		body := map[string]string{} // contact → what a search may find in it
		mine := map[string]bool{}
		for i := range 24 {
			name := []string{"Анна Смирнова", "Олег Смирнов", "Анна Ли"}[i%3]
			phone := fmt.Sprintf("7916300000%02d", i)
			in := f.inbound(phone, name, fmt.Sprint("p", i), "hi")
			in.Message.CreatedAt = at(i)
			r, err := s.SaveInbound(ctx, in)
			must(t, err)
			c := r.Contact
			c.CRMContactIDs = []int64{100 + int64(i%2)}
			must(t, s.UpdateContact(ctx, c))
			if i%4 != 0 {
				_, err := s.ClearUnanswered(ctx, f.ws.ID, r.Chat.ID)
				must(t, err)
			}
			body[c.ID], mine[c.ID] = store.Fold(name)+" "+phone, i%2 == 0
		}
		manager := hub.NewAccess(hub.Employee{Role: hub.RoleManager}, hub.Viewer{UserID: me, IsActive: true,
			ContactsView: hub.RightOwn, LeadsView: hub.RightNone}, nil)
		pages := func(a hub.Access, search string) []string {
			var out []string
			var after *store.ListCursor
			for range 30 {
				page, err := s.ChatList(ctx, store.ChatListQuery{WorkspaceID: f.ws.ID, Access: a, Search: search, After: after, Limit: 2})
				must(t, err)
				for _, e := range page {
					out = append(out, e.Contact.ID)
				}
				if len(page) < 2 {
					break
				}
				after = &page[len(page)-1].Cursor
			}
			return out
		}
		all := pages(admin, "")
		eq(t, "contacts listed", len(all), 24)
		defer s.SetSearchWay(store.WayChosen)
		for _, who := range []string{"admin", "manager"} {
			a := map[string]hub.Access{"admin": admin, "manager": manager}[who]
			for _, search := range []string{"анна", "смирнов", "олег", "ли", "9163000000", "нет"} {
				want := slices.DeleteFunc(slices.Clone(all), func(id string) bool {
					return !strings.Contains(body[id], search) || (who == "manager" && !mine[id])
				})
				for _, way := range store.SearchWays {
					s.SetSearchWay(way)
					eq(t, fmt.Sprintf("%s searching %q, way %d", who, search, way), fmt.Sprint(pages(a, search)), fmt.Sprint(want))
				}
			}
		}
	})
}
