package scale_test

import (
	"context"

	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/scale"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// defaultBenchSize keeps `go test -bench` within minutes on a 2-core machine; set
// SWITCHBOARD_BENCH_SIZE=100000,200000,2000000 for the full size of docs/performance.md.
var defaultBenchSize = scale.Size{Contacts: 20_000, Chats: 40_000, Messages: 400_000}

// BenchmarkScale measures the chat list, search and history paging on a generated workspace,
// on SQLite and, with SWITCHBOARD_TEST_POSTGRES_URL, on PostgreSQL. Each operation is timed on
// its own and reported as p50-ms and p99-ms besides the mean ns/op.
func BenchmarkScale(b *testing.B) {
	size := benchSize(b)
	b.Run("sqlite", func(b *testing.B) { benchEngine(b, storetest.OpenSQLite(b), size) })
	if os.Getenv(storetest.PostgresEnv) != "" {
		b.Run("postgres", func(b *testing.B) { benchEngine(b, storetest.OpenDSN(b, storetest.PostgresDSN(b)), size) })
	}
}

func benchSize(b *testing.B) scale.Size {
	v := os.Getenv("SWITCHBOARD_BENCH_SIZE")
	if v == "" {
		return defaultBenchSize
	}
	var n [3]int
	parts := strings.Split(v, ",")
	for i := range n {
		if len(parts) != 3 {
			b.Fatalf("SWITCHBOARD_BENCH_SIZE=%q: want contacts,chats,messages", v)
		}
		var err error
		if n[i], err = strconv.Atoi(strings.TrimSpace(parts[i])); err != nil {
			b.Fatalf("SWITCHBOARD_BENCH_SIZE=%q: %v", v, err)
		}
	}
	return scale.Size{Contacts: n[0], Chats: n[1], Messages: n[2]}
}

func benchEngine(b *testing.B, st *store.Store, size scale.Size) {
	ctx := context.Background()
	ws, err := st.CreateWorkspace(ctx, hub.Workspace{Name: "Bench", CRMKind: "amocrm", CRMAccountID: 1})
	if err != nil {
		b.Fatal(err)
	}
	res, err := scale.Fill(ctx, st, ws.ID, size, 1, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: generated %d contacts, %d chats, %d messages in %s", st.Dialect(), size.Contacts, size.Chats,
		size.Messages, res.Took.Round(time.Millisecond))

	admin := hub.Access{Admin: true}
	// A manager who may view the CRM contacts of one responsible user in ten.
	manager := hub.NewAccess(hub.Employee{Role: hub.RoleManager}, hub.Viewer{UserID: scale.CRMUserBase + 1,
		IsActive: true, ContactsView: hub.RightOwn, LeadsView: hub.RightNone}, nil)
	list := func(a hub.Access, search string, after *store.ListCursor) ([]store.ListEntry, error) {
		return st.ChatList(ctx, store.ChatListQuery{WorkspaceID: ws.ID, Access: a, Groups: a.Admin,
			Search: search, After: after, Limit: 50})
	}
	deepList := listCursor(b, list, admin, 20)
	queries := []string{"иван", "garc", "smith", "петро", "user1234", "9100012", "+7 910 000-15"}
	deepHistory := historyCursors(b, st, ws.ID, res.LongestChats, 20)

	for _, c := range []struct {
		name string
		op   func(i int) error
	}{
		{"chat-list/admin/first-page", func(int) error { _, err := list(admin, "", nil); return err }},
		{"chat-list/admin/page-20", func(int) error { _, err := list(admin, "", deepList); return err }},
		{"chat-list/manager/first-page", func(int) error { _, err := list(manager, "", nil); return err }},
		{"search/chat-list", func(i int) error { _, err := list(admin, queries[i%len(queries)], nil); return err }},
		{"search/chat-list-manager", func(i int) error { _, err := list(manager, queries[i%len(queries)], nil); return err }},
		{"search/contacts", func(i int) error {
			_, err := st.SearchContacts(ctx, ws.ID, queries[i%len(queries)], 50)
			return err
		}},
		{"history/newest-page", func(i int) error {
			_, err := st.Messages(ctx, ws.ID, res.LongestChats[i%len(res.LongestChats)], "", 50)
			return err
		}},
		{"history/deep-page", func(i int) error {
			h := deepHistory[i%len(deepHistory)]
			_, err := st.Messages(ctx, ws.ID, h[0], h[1], 50)
			return err
		}},
	} {
		b.Run(c.name, func(b *testing.B) { measure(b, c.op) })
	}
}

// measure times each call of op and reports the median and 99th percentile.
func measure(b *testing.B, op func(i int) error) {
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := op(i); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	pct := func(p float64) float64 {
		return float64(took[min(len(took)-1, int(p*float64(len(took))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// listCursor walks the admin's list pages-1 pages deep and returns the cursor of the last.
func listCursor(b *testing.B, list func(hub.Access, string, *store.ListCursor) ([]store.ListEntry, error),
	a hub.Access, pages int) *store.ListCursor {
	var after *store.ListCursor
	for range pages - 1 {
		page, err := list(a, "", after)
		if err != nil || len(page) == 0 {
			b.Fatalf("list walk: %d entries, %v", len(page), err)
		}
		after = &page[len(page)-1].Cursor
	}
	return after
}

// historyCursors returns, per long chat, the (chat, before) of its oldest full page of history
// (at most pages deep).
func historyCursors(b *testing.B, st *store.Store, wsID string, chats []string, pages int) [][2]string {
	var out [][2]string
	depth := 0
	for _, chat := range chats {
		before, next := "", ""
		for n := 0; n < pages; n++ {
			ms, err := st.Messages(context.Background(), wsID, chat, next, 50)
			if err != nil {
				b.Fatal(err)
			}
			if len(ms) < 50 {
				break
			}
			before, next = next, ms[len(ms)-1].ID
			depth = max(depth, n+1)
		}
		out = append(out, [2]string{chat, before})
	}
	b.Logf("deepest history page measured: %d", depth)
	return out
}
