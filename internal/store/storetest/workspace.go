package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	register("WorkspaceSubscriptionAndList", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		must(t, s.SetSubscription(ctx, f.ws.ID, hub.Subscription{Active: true, Paid: false, TemplatesPaid: true}))
		ws, err := s.Workspace(ctx, f.ws.ID)
		must(t, err)
		// The change is an event of the workspace's log, for its open windows.
		evs, err := s.EventsSince(ctx, f.ws.ID, 0, 100)
		must(t, err)
		if len(evs) == 0 || evs[len(evs)-1].Type != hub.EventSubscriptionUpdated {
			t.Fatalf("events after a subscription change: %+v, want the last to be %s", evs, hub.EventSubscriptionUpdated)
		}
		var logged hub.Subscription
		must(t, json.Unmarshal(evs[len(evs)-1].Data, &logged))
		eq(t, "logged subscription", logged, hub.Subscription{Active: true, TemplatesPaid: true})
		eq(t, "paid", ws.Subscription.Paid, false)
		eq(t, "templates paid", ws.Subscription.TemplatesPaid, true)
		ws.Name, ws.Country = "Acme Iberia", "ES"
		must(t, s.UpdateWorkspace(ctx, ws))
		got, err := s.WorkspaceByCRM(ctx, "amocrm", 1)
		must(t, err)
		eq(t, "renamed", got.Name, "Acme Iberia")
		eq(t, "country", got.Country, "ES")
		newFixture(t, s, 2)
		all, err := s.Workspaces(ctx)
		must(t, err)
		eq(t, "workspaces", len(all), 2)
		eq(t, "unknown subscription target", s.SetSubscription(ctx, "nope", hub.Subscription{}), store.ErrNotFound)

		// ends_at round-trips and clears; installing the same account again keeps the subscription.
		ends := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
		must(t, s.SetSubscription(ctx, f.ws.ID, hub.Subscription{Active: true, Paid: true, EndsAt: ends}))
		again, err := s.CreateWorkspace(ctx, hub.Workspace{Name: "Acme", CRMKind: "amocrm", CRMAccountID: 1,
			Subscription: hub.Trial(ends, 14)})
		must(t, err)
		eq(t, "ends at kept on reinstall", again.Subscription.EndsAt, ends)
		eq(t, "templates flag kept on reinstall", again.Subscription.TemplatesPaid, false)
		must(t, s.SetSubscription(ctx, f.ws.ID, hub.Subscription{Active: true, Paid: true}))
		cleared, err := s.Workspace(ctx, f.ws.ID)
		must(t, err)
		eq(t, "ends at cleared", cleared.Subscription.EndsAt.IsZero(), true)
		trial, err := s.CreateWorkspace(ctx, hub.Workspace{Name: "Fresh", CRMKind: "amocrm", CRMAccountID: 3,
			Subscription: hub.Trial(ends, 14)})
		must(t, err)
		eq(t, "fresh workspace gets its trial", trial.Subscription.EndsAt, ends.AddDate(0, 0, 14))
	})
	register("CachedConnectionSeesEveryChange", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		other := newFixture(t, s, 2)
		read := func() hub.Connection {
			t.Helper()
			c, err := s.CachedConnection(ctx, f.conn.ID)
			must(t, err)
			return c
		}
		eq(t, "cached secret", read().Secrets["token"], "t0k3n")
		// Each write through the store is seen by the next read, within the cache's time.
		rotated := read()
		rotated.Secrets = map[string]string{"token": "rotated"}
		must(t, s.UpdateConnection(ctx, rotated))
		eq(t, "rotated secret", read().Secrets["token"], "rotated")
		must(t, s.SetConnectionStatus(ctx, f.ws.ID, f.conn.ID, hub.StatusAuthFailed, "190"))
		eq(t, "status", read().Status, hub.StatusAuthFailed)
		must(t, s.SetConnectionInSubscription(ctx, f.ws.ID, f.conn.ID, false))
		eq(t, "in subscription", read().InSubscription, false)
		must(t, s.SetConnectionDisabled(ctx, f.ws.ID, f.conn.ID, time.Now()))
		eq(t, "disabled", read().DisabledAt.IsZero(), false)
		_, err := s.CachedConnection(ctx, other.conn.ID)
		must(t, err)
		must(t, s.DeleteConnection(ctx, other.ws.ID, other.conn.ID))
		_, err = s.CachedConnection(ctx, other.conn.ID)
		eq(t, "deleted", err, store.ErrNotFound)
	})
	register("ConnectionSecretsSealed", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		got, err := s.Connection(ctx, f.ws.ID, f.conn.ID)
		must(t, err)
		eq(t, "secret round trip", got.Secrets["token"], "t0k3n")
		got.Settings = map[string]string{"waba_id": "1234"}
		got.Secrets["app_secret"] = "shh"
		got.Name = "Продажи"
		must(t, s.UpdateConnection(ctx, got))
		must(t, s.SetConnectionStatus(ctx, f.ws.ID, f.conn.ID, hub.StatusAuthFailed, "190"))
		must(t, s.SetConnectionInSubscription(ctx, f.ws.ID, f.conn.ID, false))
		again, err := s.ConnectionByID(ctx, f.conn.ID)
		must(t, err)
		eq(t, "app secret", again.Secrets["app_secret"], "shh")
		eq(t, "setting", again.Settings["waba_id"], "1234")
		eq(t, "status", again.Status, hub.StatusAuthFailed)
		eq(t, "in subscription", again.InSubscription, false)
		eq(t, "name", again.Name, "Продажи")
		list, err := s.Connections(ctx, f.ws.ID)
		must(t, err)
		eq(t, "connections", len(list), 1)
		names, err := s.ConnectionNames(ctx, f.ws.ID)
		must(t, err)
		eq(t, "connection names", len(names), 1)
		eq(t, "shown as", names[0], store.ConnectionName{ID: f.conn.ID, Kind: f.conn.Kind, Name: "Продажи"})
		other := newFixture(t, s, 2)
		names, err = s.ConnectionNames(ctx, other.ws.ID)
		must(t, err)
		eq(t, "another workspace's names", len(names), 1)
		eq(t, "only its own", names[0].ID, other.conn.ID)
	})
	register("WebhooksStoredThenProcessed", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		// Kept byte for byte, even bytes no text column takes (invalid UTF-8, NUL).
		raw := []byte("{\"object\":\"x\xff\xfe\x00\"}")
		id, err := s.SaveWebhook(ctx, store.RawWebhook{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, Source: "waba", Body: raw})
		must(t, err)
		pending, err := s.PendingWebhooks(ctx, 10)
		must(t, err)
		eq(t, "pending", len(pending), 1)
		eq(t, "raw body kept", string(pending[0].Body), string(raw))
		// An error quoting the payload's bytes is recorded too, or the attempt would not count.
		must(t, s.FinishWebhook(ctx, id, time.Now(), store.WebhookOutcome{Err: errors.New("boom \xff\x00"),
			RetryAt: time.Now().Add(time.Minute)}))
		must(t, s.FinishWebhook(ctx, id, time.Now(), store.WebhookOutcome{Err: errors.New("boom \xff\x00")}))
		pending, err = s.PendingWebhooks(ctx, 10)
		must(t, err)
		eq(t, "given up", len(pending), 0)
		id2, err := s.SaveWebhook(ctx, store.RawWebhook{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, Source: "waba", Body: []byte("{}")})
		must(t, err)
		must(t, s.FinishWebhook(ctx, id2, time.Now(), store.WebhookOutcome{}))
		pending, err = s.PendingWebhooks(ctx, 10)
		must(t, err)
		eq(t, "processed leaves the queue", len(pending), 0)
	})
	register("TokenIDsAreSingleUse", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ok, err := s.UseTokenID(ctx, "jti-1", time.Now().Add(time.Minute))
		must(t, err)
		eq(t, "first use", ok, true)
		ok, err = s.UseTokenID(ctx, "jti-1", time.Now().Add(time.Minute))
		must(t, err)
		eq(t, "replay", ok, false)
	})
	register("TemplatesDraftsUploadsAudit", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		emp := employee(t, s, f, 1, hub.RoleAdmin)
		tpl, err := s.UpsertTemplate(ctx, hub.Template{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, Kind: "waba",
			Name: "order_ready", Language: "ru", Body: "Заказ {{1}} готов", Params: 1, Status: "APPROVED"})
		must(t, err)
		same, err := s.UpsertTemplate(ctx, hub.Template{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, Kind: "waba",
			Name: "order_ready", Language: "ru", Body: "Заказ {{1}} готов к выдаче", Params: 1, Status: "APPROVED"})
		must(t, err)
		eq(t, "upsert keeps id", same.ID, tpl.ID)
		_, err = s.UpsertTemplate(ctx, hub.Template{WorkspaceID: f.ws.ID, Kind: "quick_reply", Name: "Приветствие", Body: "Здравствуйте!"})
		must(t, err)
		list, err := s.Templates(ctx, f.ws.ID, f.conn.ID)
		must(t, err)
		eq(t, "templates + quick replies", len(list), 2)
		one, err := s.Template(ctx, f.ws.ID, tpl.ID)
		must(t, err)
		eq(t, "updated body", one.Body, "Заказ {{1}} готов к выдаче")

		r, err := s.SaveInbound(ctx, f.inbound("79160000003", "Олег", "wamid.d", "?"))
		must(t, err)
		must(t, s.SaveDraft(ctx, f.ws.ID, emp.ID, r.Chat.ID, "черновик"))
		d, err := s.Draft(ctx, f.ws.ID, emp.ID, r.Chat.ID)
		must(t, err)
		eq(t, "draft", d, "черновик")
		must(t, s.SaveDraft(ctx, f.ws.ID, emp.ID, r.Chat.ID, ""))
		d, err = s.Draft(ctx, f.ws.ID, emp.ID, r.Chat.ID)
		must(t, err)
		eq(t, "draft cleared", d, "")

		u, err := s.CreateUpload(ctx, store.Upload{WorkspaceID: f.ws.ID, EmployeeID: emp.ID, Name: "a.pdf", MIME: "application/pdf", Size: 10, StorageKey: "k"})
		must(t, err)
		got, err := s.Upload(ctx, f.ws.ID, emp.ID, u.ID)
		must(t, err)
		eq(t, "upload", got.Name, "a.pdf")
		_, err = s.Upload(ctx, f.ws.ID, "someone-else", u.ID)
		eq(t, "upload bound to its employee", err, store.ErrNotFound)
		must(t, s.Audit(ctx, f.ws.ID, emp.ID, "block", "contact:1", ""))
		e, err := s.Employee(ctx, f.ws.ID, emp.ID)
		must(t, err)
		eq(t, "employee", e.ID, emp.ID)
	})
	register("EventLogReadsAndPrunes", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		for i := 0; i < 5; i++ {
			_, err := s.AppendEvent(ctx, f.ws.ID, hub.EventChatUpdated, "c", "", i)
			must(t, err)
		}
		evs, err := s.EventsSince(ctx, f.ws.ID, 3, 10)
		must(t, err)
		eq(t, "since", len(evs), 2)
		eq(t, "first after since", evs[0].Seq, int64(4))
		oldest, err := s.OldestEvent(ctx, f.ws.ID)
		must(t, err)
		eq(t, "oldest", oldest, int64(1))
		n, err := s.PruneEvents(ctx, time.Now().Add(time.Minute))
		must(t, err)
		eq(t, "pruned", n, int64(5))
		oldest, err = s.OldestEvent(ctx, f.ws.ID)
		must(t, err)
		eq(t, "empty log", oldest, int64(0))
		head, err := s.EventHead(ctx, f.ws.ID)
		must(t, err)
		eq(t, "head survives pruning", head, int64(5))
	})
}

func init() {
	register("ConnectionHealthCountsTheLastHour", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		other := newFixture(t, s, 2)
		now := time.Date(2026, 6, 1, 12, 0, 30, 0, time.UTC)
		must(t, s.RecordHealth(ctx, f.conn.ID, store.HealthWebhookRefused, now.Add(-61*time.Minute), "old"))
		for i := 0; i < 3; i++ {
			must(t, s.RecordHealth(ctx, f.conn.ID, store.HealthWebhookRefused, now.Add(-time.Duration(i)*time.Minute), "bad signature"))
		}
		must(t, s.RecordHealth(ctx, f.conn.ID, store.HealthSendFailed, now, "190: token"))
		must(t, s.RecordHealth(ctx, f.conn.ID, store.HealthWebhook, now.Add(-2*time.Hour), ""))
		must(t, s.RecordHealth(ctx, other.conn.ID, store.HealthVerified, now, ""))
		got, err := s.Health(ctx, f.ws.ID, now)
		must(t, err)
		h := got[f.conn.ID]
		eq(t, "refused in the hour", h.RefusedHour, 3)
		eq(t, "send failures", h.SendFailedHour, 1)
		eq(t, "last refusal", h.LastRefusal, "bad signature")
		eq(t, "last send error", h.LastSendError, "190: token")
		eq(t, "last webhook", h.LastWebhookAt, now.Add(-2*time.Hour).Truncate(time.Millisecond))
		eq(t, "other workspace's connection not listed", len(got), 1)
		eq(t, "an hour later nothing counts", mustHealth(t, s, f.ws.ID, now.Add(62*time.Minute))[f.conn.ID].RefusedHour, 0)
	})
}

func mustHealth(t *testing.T, s *store.Store, ws string, now time.Time) map[string]store.ConnectionHealth {
	t.Helper()
	h, err := s.Health(context.Background(), ws, now)
	must(t, err)
	return h
}
