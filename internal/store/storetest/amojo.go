package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	register("AmojoOutboxFollowsTheEventLogInOrder", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		_, err := s.SaveInbound(ctx, f.inbound("79160000001", "До включения", "wamid.before", "раньше"))
		must(t, err)
		acc, err := s.SetAmojoEnabled(ctx, f.ws.ID, true)
		must(t, err)
		head, err := s.EventHead(ctx, f.ws.ID)
		must(t, err)
		eq(t, "switching on starts at the head", acc.EventCursor, head)
		r, err := s.SaveInbound(ctx, f.inbound("79160000001", "Клиент", "wamid.after", "после"))
		must(t, err)
		perMessage := func(e hub.Event) []store.AmojoJob {
			if e.Type != hub.EventMessageCreated {
				return nil
			}
			return []store.AmojoJob{{Kind: "message", ChatID: e.ChatID, MessageID: r.Message.ID}}
		}
		n, err := s.AdvanceAmojo(ctx, f.ws.ID, 100, perMessage)
		must(t, err)
		if n == 0 {
			t.Fatal("the new message's events were not read")
		}
		n, err = s.AdvanceAmojo(ctx, f.ws.ID, 100, perMessage)
		must(t, err)
		eq(t, "events are translated once", n, 0)
		must(t, s.EnqueueAmojo(ctx, store.AmojoJob{WorkspaceID: f.ws.ID, Kind: "link", ChatID: r.Chat.ID}))
		backlog, err := s.AmojoBacklog(ctx, f.ws.ID)
		must(t, err)
		eq(t, "backlog", backlog, 2)

		now := time.Now()
		j, ok, err := s.ClaimAmojoJob(ctx, f.ws.ID, now, time.Minute)
		must(t, err)
		eq(t, "claimed", ok, true)
		eq(t, "first the message", j.Kind, "message")
		eq(t, "its message", j.MessageID, r.Message.ID)
		_, ok, err = s.ClaimAmojoJob(ctx, f.ws.ID, now, time.Minute)
		must(t, err)
		eq(t, "a leased job holds the line", ok, false)
		must(t, s.RescheduleAmojoJob(ctx, j.ID, now.Add(time.Minute), "amojo down"))
		_, ok, err = s.ClaimAmojoJob(ctx, f.ws.ID, now.Add(30*time.Second), time.Minute)
		must(t, err)
		eq(t, "a job waiting for its retry holds the ones behind it", ok, false)
		j2, ok, err := s.ClaimAmojoJob(ctx, f.ws.ID, now.Add(2*time.Minute), time.Minute)
		must(t, err)
		eq(t, "retried", ok && j2.ID == j.ID && j2.Attempts == 2 && j2.LastError == "amojo down", true)
		must(t, s.FinishAmojoJob(ctx, j.ID, store.AmojoDone, ""))
		j3, ok, err := s.ClaimAmojoJob(ctx, f.ws.ID, now.Add(2*time.Minute), time.Minute)
		must(t, err)
		eq(t, "then the link", ok && j3.Kind == "link", true)

		must(t, s.SaveAmojoChat(ctx, f.ws.ID, r.Chat.ID, "amojo-chat"))
		id, err := s.AmojoChat(ctx, f.ws.ID, r.Chat.ID)
		must(t, err)
		eq(t, "amojo chat", id, "amojo-chat")
		must(t, s.SaveAmojoMessage(ctx, f.ws.ID, r.Message.ID, "amojo-msg"))
		must(t, s.SetAmojoMessageStatus(ctx, f.ws.ID, r.Message.ID, "read"))
		msgid, last, err := s.AmojoMessage(ctx, f.ws.ID, r.Message.ID)
		must(t, err)
		eq(t, "amojo msgid and status", msgid+" "+last, "amojo-msg read")
		must(t, s.SetAmojoReaction(ctx, f.ws.ID, r.Message.ID, "👍"))
		emoji, err := s.AmojoReaction(ctx, f.ws.ID, r.Message.ID)
		must(t, err)
		eq(t, "reaction", emoji, "👍")
		must(t, s.SaveAmojoUsers(ctx, f.ws.ID, map[int64]string{7: "user-uuid"}))
		user, err := s.CRMUserByAmojo(ctx, f.ws.ID, "user-uuid")
		must(t, err)
		eq(t, "user by amojo id", user, int64(7))

		_, err = s.SetAmojoEnabled(ctx, f.ws.ID, false)
		must(t, err)
		_, err = s.SaveInbound(ctx, f.inbound("79160000001", "Клиент", "wamid.off", "выключено"))
		must(t, err)
		n, err = s.AdvanceAmojo(ctx, f.ws.ID, 100, perMessage)
		must(t, err)
		eq(t, "a mirror switched off reads nothing", n, 0)
	})
	register("AmojoHooksAreKeptUntilProcessed", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		_, err := s.SetAmojoEnabled(ctx, f.ws.ID, true)
		must(t, err)
		must(t, s.SetAmojoScope(ctx, f.ws.ID, "acc-uuid", "chan_acc-uuid"))
		acc, err := s.AmojoAccountByScope(ctx, "chan_acc-uuid")
		must(t, err)
		eq(t, "by scope", acc.WorkspaceID, f.ws.ID)
		id, err := s.SaveAmojoHook(ctx, f.ws.ID, `{"account_id":"acc-uuid"}`)
		must(t, err)
		now := time.Now()
		h, ok, err := s.ClaimAmojoHook(ctx, now, time.Minute)
		must(t, err)
		eq(t, "claimed", ok && h.ID == id && h.Attempts == 1, true)
		_, ok, err = s.ClaimAmojoHook(ctx, now, time.Minute)
		must(t, err)
		eq(t, "leased", ok, false)
		must(t, s.RescheduleAmojoHook(ctx, id, now.Add(time.Second), "chat not stored yet"))
		h, ok, err = s.ClaimAmojoHook(ctx, now.Add(2*time.Second), time.Minute)
		must(t, err)
		eq(t, "again", ok && h.Attempts == 2, true)
		must(t, s.FinishAmojoHook(ctx, id, store.AmojoDone, ""))
		_, ok, err = s.ClaimAmojoHook(ctx, now.Add(time.Hour), time.Minute)
		must(t, err)
		eq(t, "done", ok, false)
		n, err := s.PruneAmojo(ctx, time.Now().Add(-time.Hour))
		must(t, err)
		eq(t, "a fresh hook is kept", n, int64(0))
		n, err = s.PruneAmojo(ctx, time.Now().Add(time.Hour))
		must(t, err)
		eq(t, "pruned", n, int64(1))
	})
}
