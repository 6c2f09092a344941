package pipeline_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/messaging"
	"github.com/switchboardhq/switchboard/internal/pipeline"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// actor is an admin of the rig's workspace, acting through the messaging service.
func (r *rig) actor() (*messaging.Service, messaging.Actor) {
	r.t.Helper()
	emp, _, err := r.st.ProvisionEmployee(context.Background(), hub.Employee{WorkspaceID: r.ws.ID, CRMUserID: 502,
		Name: "Олег Петров", Role: hub.RoleAdmin, Lang: "ru"})
	must(r.t, err)
	svc := &messaging.Service{Store: r.st, Signals: pipeline.Signals{Store: r.st, Adapters: r.ad}}
	who, err := svc.ActorOf(context.Background(), r.ws, emp)
	must(r.t, err)
	return svc, who
}

// An employee's reaction reaches the customer's WhatsApp and Telegram; a newer one replaces one
// not yet sent; one the messenger refuses is taken off the message; MAX bots have none.
func TestBusinessReactionsReachTheCustomer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		ctx := context.Background()
		svc, who := r.actor()
		s := r.sender()
		wamid := r.whatsapp(r.sales, "+34 612 48 93 10", "text", "Hola")
		r.drain()
		chat, ms := r.chatMessages(r.sales, "34612489310")

		if _, err := svc.React(ctx, who, chat.ID, ms[0].ID, "👍"); err != nil {
			t.Fatal(err)
		}
		m, err := svc.React(ctx, who, chat.ID, ms[0].ID, "❤️")
		must(t, err)
		if len(m.Payload.Reactions) != 1 || m.Payload.Reactions[0] != (hub.Reaction{Emoji: "❤️", EmployeeID: who.Employee.ID}) {
			t.Fatalf("reactions on the message: %+v", m.Payload.Reactions)
		}
		if n := s.DrainReactions(ctx); n != 1 || s.DrainReactions(ctx) != 0 {
			t.Fatal("the two reactions were not sent as one")
		}
		if got := r.sb.Graph.Signals().Reactions[wamid]; got != "❤️" {
			t.Fatalf("the customer's WhatsApp shows %q", got)
		}
		must(t, errOnly(svc.React(ctx, who, chat.ID, ms[0].ID, "")))
		s.DrainReactions(ctx)
		if got := r.sb.Graph.Signals().Reactions[wamid]; got != "" {
			t.Fatalf("the reaction was not taken off: %q", got)
		}

		// A revoked token is a refusal: the reaction leaves the queue and the message.
		r.sb.Graph.SetRevoked(r.sales.ExternalID, true)
		must(t, errOnly(svc.React(ctx, who, chat.ID, ms[0].ID, "🔥")))
		s.DrainReactions(ctx)
		if got := r.message(ms[0].ID); len(got.Payload.Reactions) != 0 || s.DrainReactions(ctx) != 0 {
			t.Fatalf("a refused reaction stays: %+v", got.Payload.Reactions)
		}
		r.sb.Graph.SetRevoked(r.sales.ExternalID, false)

		r.post("/sandbox/customers/send", map[string]any{"connection_id": r.bot.ID, "type": "text", "text": "привет",
			"from": map[string]any{"telegram_user_id": 512340003, "name": "Ольга"}}, http.StatusAccepted)
		r.drain()
		tchat, tms := r.chatMessages(r.bot, "512340003")
		must(t, errOnly(svc.React(ctx, who, tchat.ID, tms[0].ID, "👍")))
		s.DrainReactions(ctx)
		if got := r.sb.BotAPI.Signals().Reactions[tms[0].ProviderKey]; got != "👍" {
			t.Fatalf("the customer's Telegram shows %q (key %s)", got, tms[0].ProviderKey)
		}

		r.post("/sandbox/customers/send", map[string]any{"connection_id": r.max.ID, "type": "text", "text": "Здравствуйте",
			"from": map[string]any{"max_user_id": 91000301, "name": "Ирина"}}, http.StatusAccepted)
		r.drain()
		mchat, mms := r.chatMessages(r.max, "91000301")
		if _, err := svc.React(ctx, who, mchat.ID, mms[0].ID, "👍"); !isAPI(err, apierr.ReactionsNotSupported) {
			t.Fatalf("a reaction in MAX: %v", err)
		}
		for _, bad := range []string{"ok", "👍 ", "<b>", string(make([]byte, 40))} {
			if _, err := svc.React(ctx, who, chat.ID, ms[0].ID, bad); !isAPI(err, apierr.BadRequest) {
				t.Errorf("emoji %q: %v", bad, err)
			}
		}
		if _, err := svc.React(ctx, who, tchat.ID, ms[0].ID, "👍"); !isAPI(err, apierr.NotFound) {
			t.Errorf("a message of another chat: %v", err)
		}
	})
}

// "Typing…" reaches WhatsApp (in answer to the customer's last message), Telegram and a MAX
// group; a MAX private chat says plainly that it cannot.
func TestTypingReachesTheCustomer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		ctx := context.Background()
		svc, who := r.actor()
		r.whatsapp(r.sales, "+34 612 48 93 10", "text", "Hola")
		r.post("/sandbox/customers/send", map[string]any{"connection_id": r.bot.ID, "type": "text", "text": "привет",
			"from": map[string]any{"telegram_user_id": 512340003, "name": "Ольга"}}, http.StatusAccepted)
		for _, group := range []bool{false, true} {
			r.post("/sandbox/customers/send", map[string]any{"connection_id": r.max.ID, "type": "text", "text": "Здравствуйте",
				"group": group, "from": map[string]any{"max_user_id": 91000301, "name": "Ирина"}}, http.StatusAccepted)
		}
		r.drain()
		wa, _ := r.chatMessages(r.sales, "34612489310")
		tg, _ := r.chatMessages(r.bot, "512340003")
		mp, _ := r.chatMessages(r.max, "91000301")
		mg, _ := r.chatMessages(r.max, "-70801090400001")

		must(t, svc.Typing(ctx, who, wa.ID))
		if r.sb.Graph.Signals().Typing[r.sales.ExternalID+"|34612489310"].IsZero() {
			t.Error("WhatsApp shows no typing")
		}
		must(t, svc.Typing(ctx, who, tg.ID))
		if r.sb.BotAPI.Signals().Typing["512340003"].IsZero() {
			t.Error("Telegram shows no typing")
		}
		must(t, svc.Typing(ctx, who, mg.ID))
		if r.sb.MaxAPI.Signals().Typing["-70801090400001"].IsZero() {
			t.Error("the MAX group shows no typing")
		}
		if err := svc.Typing(ctx, who, mp.ID); !isAPI(err, apierr.TypingNotSupported) {
			t.Errorf("typing in a MAX private chat: %v", err)
		}
		r.sb.Graph.SetRevoked(r.sales.ExternalID, true)
		if err := svc.Typing(ctx, who, wa.ID); !isAPI(err, apierr.SignalFailed) {
			t.Errorf("typing with a revoked token: %v", err)
		}
	})
}

func errOnly(_ hub.Message, err error) error { return err }

// isAPI tells whether err is the catalogue's error want (with or without a cause).
func isAPI(err error, want *apierr.Error) bool {
	var e *apierr.Error
	return errors.As(err, &e) && e.Code == want.Code
}
