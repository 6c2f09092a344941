package demo

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// demoWorkspace is what the earlier sandbox steps leave: the workspace, its CRM users, the three
// sandbox connections and the WABA templates.
func demoWorkspace(t *testing.T, st *store.Store) hub.Workspace {
	t.Helper()
	ctx := context.Background()
	ws, err := st.CreateWorkspace(ctx, hub.Workspace{Name: "Северный ветер", CRMKind: "amocrm", CRMAccountID: 31415926})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{admin, volkov, olga, carlos, joao, emily} {
		if err := st.SaveCRMUser(ctx, ws.ID, store.CRMUser{ID: id, Name: "User " + strconv.FormatInt(id, 10),
			IsAdmin: id == admin, IsActive: true, Lang: "ru"}); err != nil {
			t.Fatal(err)
		}
	}
	var sales hub.Connection
	for _, c := range []hub.Connection{
		{Kind: hub.KindWABA, Name: "Продажи", ExternalID: messengers.SalesNumberID, InSubscription: true},
		{Kind: hub.KindWABA, Name: "Поддержка", ExternalID: messengers.SupportNumberID},
		{Kind: hub.KindTelegramBot, Name: "Bot", ExternalID: strconv.FormatInt(messengers.BotID, 10), InSubscription: true},
		{Kind: hub.KindMaxBot, Name: "MAX", ExternalID: strconv.FormatInt(messengers.MaxBotID, 10), InSubscription: true},
	} {
		c.WorkspaceID = ws.ID
		made, err := st.CreateConnection(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if c.ExternalID == messengers.SalesNumberID {
			sales = made
		}
	}
	if _, err := st.UpsertTemplate(ctx, hub.Template{WorkspaceID: ws.ID, ConnectionID: sales.ID, Kind: "waba",
		Name: "delivery_update", Language: "ru", Body: "Ваша доставка приедет {{1}} с {{2}}.", Params: 2}); err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestSeedShowsEveryFeatureOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		files, err := media.NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		ws := demoWorkspace(t, st)
		if err := Seed(ctx, st, files, ws); err != nil {
			t.Fatal(err)
		}
		head, err := st.EventHead(ctx, ws.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := Seed(ctx, st, files, ws); err != nil {
			t.Fatal(err)
		}
		again, _ := st.EventHead(ctx, ws.ID)
		if again != head {
			t.Fatalf("a second start changed the demo: %d events after %d", again, head)
		}

		seen := map[string]bool{}
		conns, _ := st.Connections(ctx, ws.ID)
		for _, conn := range conns {
			chats, err := st.ChatsOfConnection(ctx, ws.ID, conn.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, chat := range chats {
				if chat.Kind == hub.ChatGroup {
					seen["group"] = true
				}
				if chat.UnansweredCount > 0 {
					seen["unanswered"] = true
				}
				if conn.Kind == hub.KindMaxBot && !chat.StoppedAt.IsZero() {
					seen["a customer who stopped the MAX bot"] = true
				}
				if chat.RefusedCount > 0 {
					seen["refused while blocked"] = true
				}
				if !conn.InSubscription {
					seen["connection outside the subscription"] = true
				}
				if conn.Kind == hub.KindWABA && !chat.LastInboundAt.IsZero() && !hub.WABAWindow(chat, time.Now()).Open {
					seen["closed window"] = true
				}
				msgs, err := st.Messages(ctx, ws.ID, chat.ID, "", 200)
				if err != nil {
					t.Fatal(err)
				}
				if len(msgs) >= 100 {
					seen["history to scroll"] = true
				}
				for _, m := range msgs {
					seen[m.Type] = true
					if m.Status == hub.StatusFailed && m.ErrorMessage != "" {
						seen["failed with a reason"] = true
					}
					if m.ReplyToID != "" {
						seen["reply"] = true
					}
					if len(m.Payload.Reactions) > 0 {
						seen["reaction"] = true
					}
					if m.Type == hub.TypeOrder && (len(m.Payload.Order.Items) != 3 || m.Payload.Order.Total != "104.44") {
						t.Errorf("cart %+v", m.Payload.Order)
					}
				}
			}
		}
		for _, want := range []string{"group", "unanswered", "a customer who stopped the MAX bot", "refused while blocked", "connection outside the subscription",
			"closed window", "history to scroll", "failed with a reason", "reply", "reaction",
			hub.TypeOrder, hub.TypeVoice, hub.TypeImage, hub.TypeVideo, hub.TypeFile, hub.TypeTemplate} {
			if !seen[want] {
				t.Errorf("the demo shows no %s", want)
			}
		}
		ids, err := st.ContactsByCRMContact(ctx, ws.ID, 20004)
		if err != nil || len(ids) != 3 {
			t.Errorf("CRM contact 20004 should be reached through WhatsApp, Telegram and MAX: %v %v", ids, err)
		}
		tpls, _ := st.Templates(ctx, ws.ID, "")
		if len(tpls) != len(quickReplies) {
			t.Errorf("quick replies: %d", len(tpls))
		}
	})
}
