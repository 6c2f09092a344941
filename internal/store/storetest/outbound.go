package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// outgoing queues a text from emp in the chat of the fixture's first customer.
func outgoing(t *testing.T, s *store.Store, f fixture, emp hub.Employee, clientID string) (hub.Message, bool) {
	t.Helper()
	ctx := context.Background()
	r, err := s.SaveInbound(ctx, f.inbound("79160000009", "Клиент", "wamid.in-"+clientID, "здравствуйте"))
	must(t, err)
	chatID := r.Chat.ID
	if r.Duplicate {
		chat, err := s.ChatByExternal(ctx, f.conn.ID, "79160000009")
		must(t, err)
		chatID = chat.ID
	}
	m, created, err := s.CreateOutbound(ctx, hub.Message{WorkspaceID: f.ws.ID, ChatID: chatID, ConnectionID: f.conn.ID,
		Type: hub.TypeText, Text: "Добрый день!", AuthorID: emp.ID, AuthorName: emp.Name, ClientID: clientID})
	must(t, err)
	return m, created
}

func init() {
	register("OutboundClientIDIsIdempotent", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		emp := employee(t, s, f, 1, hub.RoleManager)
		m1, created := outgoing(t, s, f, emp, "c-1")
		eq(t, "created", created, true)
		eq(t, "queued", m1.Status, hub.StatusQueued)
		m2, created := outgoing(t, s, f, emp, "c-1")
		eq(t, "second post", created, false)
		eq(t, "same message", m2.ID, m1.ID)
		chat, err := s.Chat(ctx, f.ws.ID, m1.ChatID)
		must(t, err)
		eq(t, "outbound clears unanswered", chat.UnansweredCount, 0)
		eq(t, "last message is the reply", chat.LastMessage.ID, m1.ID)
		items, err := s.ClaimDue(ctx, "a", time.Now(), time.Minute, 10)
		must(t, err)
		eq(t, "one send queued", len(items), 1)
	})
	register("OutboxLifecycle", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		emp := employee(t, s, f, 1, hub.RoleManager)
		m, _ := outgoing(t, s, f, emp, "c-2")
		items, err := s.ClaimDue(ctx, "a", time.Now(), time.Minute, 10)
		must(t, err)
		eq(t, "claimed", len(items), 1)
		eq(t, "sending", items[0].Message.Status, hub.StatusSending)
		eq(t, "attempt", items[0].Attempts, 1)
		again, err := s.ClaimDue(ctx, "a", time.Now(), time.Minute, 10)
		must(t, err)
		eq(t, "not claimed twice", len(again), 0)

		must(t, s.Reschedule(ctx, f.ws.ID, m.ID, time.Now().Add(time.Hour), "429"))
		later, err := s.ClaimDue(ctx, "a", time.Now(), time.Minute, 10)
		must(t, err)
		eq(t, "not due yet", len(later), 0)
		due, err := s.ClaimDue(ctx, "a", time.Now().Add(2*time.Hour), time.Minute, 10)
		must(t, err)
		eq(t, "due after backoff", len(due), 1)
		eq(t, "second attempt", due[0].Attempts, 2)

		sent, err := s.MarkSent(ctx, f.ws.ID, m.ID, "wamid.out1")
		must(t, err)
		eq(t, "sent", sent.Status, hub.StatusSent)
		eq(t, "provider key", sent.ProviderKey, "wamid.out1")
		got, changed, err := s.ApplyStatus(ctx, f.conn.ID, "wamid.out1", hub.StatusRead, "", "")
		must(t, err)
		eq(t, "read applied", changed, true)
		eq(t, "read", got.Status, hub.StatusRead)
		got, changed, err = s.ApplyStatus(ctx, f.conn.ID, "wamid.out1", hub.StatusDelivered, "", "")
		must(t, err)
		eq(t, "no downgrade", changed, false)
		eq(t, "still read", got.Status, hub.StatusRead)
		_, changed, err = s.ApplyStatus(ctx, f.conn.ID, "wamid.out1", hub.StatusRead, "", "")
		must(t, err)
		eq(t, "replay is a no-op", changed, false)
	})
	register("FailedRetryAndCrashRecovery", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		emp := employee(t, s, f, 1, hub.RoleManager)
		m, _ := outgoing(t, s, f, emp, "c-3")
		_, err := s.ClaimDue(ctx, "a", time.Now(), time.Minute, 10)
		must(t, err)
		failed, err := s.MarkFailed(ctx, f.ws.ID, m.ID, "not_on_whatsapp", "Пользователь не зарегистрирован в WhatsApp.")
		must(t, err)
		eq(t, "failed", failed.Status, hub.StatusFailed)
		eq(t, "reason", failed.ErrorCode, "not_on_whatsapp")
		retried, err := s.Retry(ctx, f.ws.ID, m.ID)
		must(t, err)
		eq(t, "queued again", retried.Status, hub.StatusQueued)
		eq(t, "old reason kept until a new outcome", retried.ErrorCode, "not_on_whatsapp")
		_, err = s.Retry(ctx, f.ws.ID, m.ID)
		eq(t, "retry of a queued message", err, store.ErrNotFound)
		items, err := s.ClaimDue(ctx, "a", time.Now(), time.Minute, 10)
		must(t, err)
		eq(t, "retry really queues a send", len(items), 1)

		// The process dies here, mid-call: while its lease lasts nobody touches the message; once
		// it has run out the message fails, and is not sent again.
		n, err := s.RecoverSending(ctx, time.Now(), "outcome_unknown", "unknown")
		must(t, err)
		eq(t, "a live lease is left alone", n, 0)
		n, err = s.RecoverSending(ctx, time.Now().Add(2*time.Minute), "outcome_unknown", "unknown")
		must(t, err)
		eq(t, "recovered", n, 1)
		got, err := s.Message(ctx, f.ws.ID, m.ID)
		must(t, err)
		eq(t, "failed after crash", got.Status, hub.StatusFailed)
		eq(t, "crash reason", got.ErrorCode, "outcome_unknown")
		none, err := s.ClaimDue(ctx, "a", time.Now().Add(time.Hour), time.Minute, 10)
		must(t, err)
		eq(t, "never sent twice", len(none), 0)
	})
	register("QueuedMessageSurvivesRestart", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		emp := employee(t, s, f, 1, hub.RoleManager)
		m, _ := outgoing(t, s, f, emp, "c-4")
		n, err := s.RecoverSending(ctx, time.Now().Add(time.Hour), "outcome_unknown", "unknown")
		must(t, err)
		eq(t, "nothing mid-call", n, 0)
		items, err := s.ClaimDue(ctx, "a", time.Now(), time.Minute, 10)
		must(t, err)
		eq(t, "still queued", len(items), 1)
		eq(t, "the same message", items[0].Message.ID, m.ID)
	})
	register("SendLeases", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		emp := employee(t, s, f, 1, hub.RoleManager)
		m, _ := outgoing(t, s, f, emp, "c-5")
		t0 := time.Now()
		items, err := s.ClaimDue(ctx, "a", t0, time.Minute, 10)
		must(t, err)
		eq(t, "claimed by a", len(items), 1)
		none, err := s.ClaimDue(ctx, "b", t0.Add(2*time.Minute), time.Minute, 10)
		must(t, err)
		eq(t, "b never claims a sending row", len(none), 0)

		// a renews while its call lasts: an instance starting later leaves the send alone.
		must(t, s.RenewSend(ctx, "a", m.ID, t0.Add(3*time.Minute)))
		eq(t, "renewal by another owner", s.RenewSend(ctx, "b", m.ID, t0.Add(3*time.Minute)), store.ErrLeaseLost)
		n, err := s.RecoverSending(ctx, t0.Add(2*time.Minute), "outcome_unknown", "unknown")
		must(t, err)
		eq(t, "renewed lease left alone", n, 0)
		got, err := s.Message(ctx, f.ws.ID, m.ID)
		must(t, err)
		eq(t, "still sending", got.Status, hub.StatusSending)

		// a falls silent: after its lease the outcome is unknown, and a's renewal is refused.
		n, err = s.RecoverSending(ctx, t0.Add(4*time.Minute), "outcome_unknown", "unknown")
		must(t, err)
		eq(t, "expired lease recovered", n, 1)
		eq(t, "renewal after recovery", s.RenewSend(ctx, "a", m.ID, t0.Add(5*time.Minute)), store.ErrLeaseLost)

		// The provider's answer reaches the database at last: it was sent, whatever recovery guessed.
		sent, err := s.MarkSent(ctx, f.ws.ID, m.ID, "wamid.late")
		must(t, err)
		eq(t, "sent after all", sent.Status, hub.StatusSent)
		eq(t, "no failure shown", sent.ErrorCode, "")
		late, err := s.MarkFailed(ctx, f.ws.ID, m.ID, "x", "a late failure")
		must(t, err)
		eq(t, "a sent message never turns failed from the outbox", late.Status, hub.StatusSent)
		must(t, s.Reschedule(ctx, f.ws.ID, m.ID, t0, "late transient"))
		again, err := s.ClaimDue(ctx, "b", t0.Add(time.Hour), time.Minute, 10)
		must(t, err)
		eq(t, "never queued again", len(again), 0)
	})
	register("StatusBeforeSendIsParked", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		emp := employee(t, s, f, 1, hub.RoleManager)
		m, _ := outgoing(t, s, f, emp, "c-6")
		_, err := s.ClaimDue(ctx, "a", time.Now(), time.Minute, 10)
		must(t, err)
		_, _, err = s.ApplyStatus(ctx, f.conn.ID, "wamid.early", hub.StatusDelivered, "", "")
		eq(t, "unknown key", err, store.ErrNotFound)
		must(t, s.ParkStatus(ctx, f.conn.ID, "wamid.early", hub.StatusDelivered, "", "", time.Now()))
		must(t, s.ParkStatus(ctx, f.conn.ID, "wamid.early", hub.StatusDelivered, "", "", time.Now()))
		sent, err := s.MarkSent(ctx, f.ws.ID, m.ID, "wamid.early")
		must(t, err)
		eq(t, "parked status applied with the send", sent.Status, hub.StatusDelivered)
		n, err := s.ApplyParkedStatuses(ctx)
		must(t, err)
		eq(t, "nothing left parked", n, 0)

		// A failure the employee must see, parked, then the send recorded: failed with the reason.
		m2, _ := outgoing(t, s, f, emp, "c-7")
		_, err = s.ClaimDue(ctx, "a", time.Now(), time.Minute, 10)
		must(t, err)
		must(t, s.ParkStatus(ctx, f.conn.ID, "wamid.fail", hub.StatusFailed, "not_on_whatsapp", "not on WhatsApp", time.Now()))
		got, err := s.MarkSent(ctx, f.ws.ID, m2.ID, "wamid.fail")
		must(t, err)
		eq(t, "failed", got.Status, hub.StatusFailed)
		eq(t, "reason", got.ErrorCode, "not_on_whatsapp")

		// Parked after the send was recorded (the race the other way): applied at once.
		m3, _ := outgoing(t, s, f, emp, "c-8")
		_, err = s.ClaimDue(ctx, "a", time.Now(), time.Minute, 10)
		must(t, err)
		_, err = s.MarkSent(ctx, f.ws.ID, m3.ID, "wamid.race")
		must(t, err)
		must(t, s.ParkStatus(ctx, f.conn.ID, "wamid.race", hub.StatusRead, "", "", time.Now()))
		got, err = s.Message(ctx, f.ws.ID, m3.ID)
		must(t, err)
		eq(t, "read", got.Status, hub.StatusRead)

		// A report for a message this hub never sent waits, then is pruned.
		must(t, s.ParkStatus(ctx, f.conn.ID, "wamid.stranger", hub.StatusRead, "", "", time.Now().Add(-8*24*time.Hour)))
		pruned, err := s.PruneParkedStatuses(ctx, time.Now().Add(-7*24*time.Hour))
		must(t, err)
		eq(t, "pruned", pruned, int64(1))
	})
}
