package scale_test

import (
	"context"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/scale"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

func TestSizeValidation(t *testing.T) {
	for _, bad := range []scale.Size{{}, {Contacts: 10, Chats: 9}, {Contacts: 10, Chats: 21}, {Contacts: 1, Chats: 1, Messages: -1}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestFillMakesAConsistentWorkspace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ws, err := st.CreateWorkspace(ctx, hub.Workspace{Name: "Scale", CRMKind: "amocrm", CRMAccountID: 1})
		if err != nil {
			t.Fatal(err)
		}
		size := scale.Size{Contacts: 300, Chats: 450, Messages: 6000}
		var rows int
		res, err := scale.Fill(ctx, st, ws.ID, size, 1, func(n int) { rows = n })
		if err != nil {
			t.Fatal(err)
		}
		if want := size.Contacts*9/10 + size.Chats + size.Messages; rows < want {
			t.Fatalf("progress reported %d rows, want at least %d", rows, want)
		}
		// Every message is reachable by paging the chats' histories; the long chats are long.
		long, err := st.Messages(ctx, ws.ID, res.LongestChats[0], "", 200)
		if err != nil {
			t.Fatal(err)
		}
		if len(long) < 100 {
			t.Fatalf("longest chat has %d messages", len(long))
		}
		// The list puts unanswered contacts first, and their counters agree with their chats.
		page, err := st.ChatList(ctx, store.ChatListQuery{WorkspaceID: ws.ID, Access: hub.Access{Admin: true}, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 50 || page[0].Contact == nil || page[0].Contact.UnansweredChats == 0 {
			t.Fatalf("first entry is not an unanswered contact: %+v", page[0])
		}
		for _, e := range page {
			n := 0
			for _, c := range e.Chats {
				if c.UnansweredCount > 0 {
					n++
				}
			}
			if n != e.Contact.UnansweredChats {
				t.Fatalf("contact %s counts %d unanswered chats, has %d", e.Contact.ID, e.Contact.UnansweredChats, n)
			}
		}
		ids, err := st.SearchContacts(ctx, ws.ID, "user12", 50)
		if err != nil || len(ids) == 0 {
			t.Fatalf("search by Telegram username: %v %v", ids, err)
		}
	})
}
