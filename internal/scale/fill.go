package scale

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// CRMUsers are the responsible users the generated CRM contacts are spread over (ids
// CRMUserBase+1 … CRMUserBase+CRMUsers), so benchmarks can act as a manager who sees a tenth.
const (
	CRMUserBase = 9000
	CRMUsers    = 10
)

// batchRows bounds how many rows one transaction writes.
const batchRows = 50_000

// Result says what Fill made.
type Result struct {
	WorkspaceID string
	WABA, Bot   hub.Connection
	// LongestChats names up to ten of the chats that got the long histories.
	LongestChats []string
	Took         time.Duration
}

// Fill generates size into the workspace: a WABA and a Telegram connection, contacts (eight in
// ten linked to a CRM contact), their chats and messages. progress, when not nil, hears the
// rows written so far.
func Fill(ctx context.Context, st *store.Store, workspaceID string, size Size, seed uint64,
	progress func(rows int)) (Result, error) {
	start := time.Now()
	res := Result{WorkspaceID: workspaceID}
	if err := size.Validate(); err != nil {
		return res, err
	}
	var err error
	tag := strconv.FormatInt(start.UnixNano(), 36) // connections of several fills never collide
	if res.WABA, err = st.CreateConnection(ctx, hub.Connection{WorkspaceID: workspaceID, Kind: hub.KindWABA,
		Name: "Generated WhatsApp", ExternalID: "gen-" + tag, InSubscription: true}); err != nil {
		return res, err
	}
	if res.Bot, err = st.CreateConnection(ctx, hub.Connection{WorkspaceID: workspaceID, Kind: hub.KindTelegramBot,
		Name: "Generated bot", ExternalID: "gen-" + tag, InSubscription: true}); err != nil {
		return res, err
	}
	g := &gen{plan: newPlan(size, seed, start), r: rand.New(rand.NewPCG(seed, 2)), res: &res, st: st,
		contactIDs: make([]string, size.Contacts), progress: progress}
	if err := g.contacts(ctx); err != nil {
		return res, err
	}
	if err := g.chats(ctx); err != nil {
		return res, err
	}
	if err := st.Analyze(ctx); err != nil {
		return res, err
	}
	res.Took = time.Since(start)
	return res, nil
}

type gen struct {
	*plan
	r          *rand.Rand
	res        *Result
	st         *store.Store
	contactIDs []string
	written    int
	progress   func(rows int)
}

func (g *gen) flush(ctx context.Context, b *store.Bulk) error {
	if err := g.st.BulkInsert(ctx, *b); err != nil {
		return err
	}
	g.written += len(b.CRMContacts) + len(b.Contacts) + len(b.Chats) + len(b.Messages)
	if g.progress != nil {
		g.progress(g.written)
	}
	*b = store.Bulk{WorkspaceID: b.WorkspaceID}
	return nil
}

// onTelegram: every third contact writes through the bot first.
func onTelegram(contact int) bool { return contact%3 == 2 }

func (g *gen) contacts(ctx context.Context) error {
	b := store.Bulk{WorkspaceID: g.res.WorkspaceID}
	for i := range g.size.Contacts {
		id := store.NewID()
		g.contactIDs[i] = id
		name := firstNames[g.r.IntN(len(firstNames))] + " " + lastNames[g.r.IntN(len(lastNames))]
		c := hub.Contact{ID: id, Name: name, UnansweredChats: int(g.contactUnanswered[i]),
			LastActivityAt: time.UnixMilli(g.contactActivity[i]), CreatedAt: g.now, UpdatedAt: g.now}
		// Every contact has a phone and a wa_id; Telegram ones also a user id and username.
		phone := fmt.Sprintf("+79%09d", 100_000_000+i)
		c.Phones, c.WAID = []string{phone}, phone[1:]
		if onTelegram(i) || i < g.size.Chats-g.size.Contacts {
			c.TelegramUserID = int64(5_000_000_000 + i)
			c.TelegramUsername = fmt.Sprintf("user%d", i)
		}
		if i%10 < 8 {
			crmID := int64(1_000_000 + i)
			c.CRMContactIDs = []int64{crmID}
			b.CRMContacts = append(b.CRMContacts, store.CRMEntity{ID: crmID, Name: name,
				ResponsibleUserID: int64(CRMUserBase + 1 + i%CRMUsers), FetchedAt: g.now})
		}
		b.Contacts = append(b.Contacts, c)
		if len(b.Contacts) >= batchRows/4 {
			if err := g.flush(ctx, &b); err != nil {
				return err
			}
		}
	}
	return g.flush(ctx, &b)
}
