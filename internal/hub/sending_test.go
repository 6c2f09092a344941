package hub

import (
	"testing"
	"time"
)

func TestSendRefusalOrder(t *testing.T) {
	now := time.Now()
	paid := Workspace{Subscription: Subscription{Active: true, Paid: true, TemplatesPaid: true}}
	waba := Connection{Kind: KindWABA, InSubscription: true}
	open := Chat{Kind: ChatPrivate, LastInboundAt: now.Add(-time.Hour)}
	closed := Chat{Kind: ChatPrivate, LastInboundAt: now.Add(-25 * time.Hour)}
	never := Chat{Kind: ChatPrivate}
	with := func(f func(*Workspace, *Connection)) (Workspace, Connection) {
		w, c := paid, waba
		f(&w, &c)
		return w, c
	}
	inactive, _ := with(func(w *Workspace, _ *Connection) { w.Subscription.Active = false })
	unpaid, _ := with(func(w *Workspace, _ *Connection) { w.Subscription.Paid = false })
	noTemplates, _ := with(func(w *Workspace, _ *Connection) { w.Subscription.TemplatesPaid = false })
	_, outside := with(func(_ *Workspace, c *Connection) { c.InSubscription = false })
	ended, _ := with(func(w *Workspace, _ *Connection) { w.Subscription.EndsAt = now })
	ending, _ := with(func(w *Workspace, _ *Connection) { w.Subscription.EndsAt = now.Add(time.Millisecond) })
	telegram := Connection{Kind: KindTelegramBot, InSubscription: true}
	maxBot := Connection{Kind: KindMaxBot, InSubscription: true}
	stopped := Chat{Kind: ChatPrivate, StoppedAt: now.Add(-time.Minute)}
	cases := []struct {
		name    string
		ws      Workspace
		conn    Connection
		chat    Chat
		blocked bool
		send    Send
		want    string
	}{
		{"ok", paid, waba, open, false, Send{}, ""},
		{"blocked beats everything", inactive, outside, closed, true, Send{WABATemplate: true}, RefuseChatBlocked},
		{"blocked group is not a thing", paid, waba, Chat{Kind: ChatGroup}, true, Send{}, ""},
		{"inactive before unpaid and connection", inactive, outside, closed, false, Send{}, RefuseSubscriptionInactive},
		{"ended at now is inactive", ended, waba, open, false, Send{}, RefuseSubscriptionInactive},
		{"active until its end", ending, waba, open, false, Send{}, ""},
		{"unpaid before connection", unpaid, outside, closed, false, Send{}, RefuseSubscriptionUnpaid},
		{"connection before window", paid, outside, closed, false, Send{}, RefuseConnectionNotInSubscription},
		{"window closed for free text", paid, waba, closed, false, Send{}, RefuseWABAWindowClosed},
		{"never written: closed", paid, waba, never, false, Send{}, RefuseWABAWindowClosed},
		{"window closed before templates unpaid", noTemplates, waba, closed, false, Send{}, RefuseWABAWindowClosed},
		{"template outside window ok", paid, waba, closed, false, Send{WABATemplate: true}, ""},
		{"template unpaid", noTemplates, waba, closed, false, Send{WABATemplate: true}, RefuseTemplatesUnpaid},
		{"telegram has no window", paid, telegram, never, false, Send{}, ""},
		{"free text unaffected by template payment", noTemplates, waba, open, false, Send{}, ""},
		{"a stopped MAX bot", paid, maxBot, stopped, false, Send{}, RefuseBotStopped},
		{"blocked before stopped", paid, maxBot, stopped, true, Send{}, RefuseChatBlocked},
		{"subscription before stopped", unpaid, maxBot, stopped, false, Send{}, RefuseSubscriptionUnpaid},
		{"a group is never stopped", paid, maxBot, Chat{Kind: ChatGroup, StoppedAt: now}, false, Send{}, ""},
	}
	for _, c := range cases {
		if got := SendRefusal(c.ws, c.conn, c.chat, c.blocked, c.send, now); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestCreateRefusal(t *testing.T) {
	ok := Workspace{Subscription: Subscription{Active: true, Paid: true}}
	conn := Connection{InSubscription: true, Status: StatusWorking}
	broken := Connection{InSubscription: true, Status: StatusAuthFailed}
	if got := CreateRefusal(ok, conn, time.Time{}); got != "" {
		t.Errorf("ok: %q", got)
	}
	if got := CreateRefusal(ok, broken, time.Time{}); got != RefuseChannelAuthFailed {
		t.Errorf("auth failed: %q", got)
	}
	if got := CreateRefusal(Workspace{}, broken, time.Time{}); got != RefuseSubscriptionInactive {
		t.Errorf("inactive: %q", got)
	}
}

func TestFillTemplate(t *testing.T) {
	params := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	if got := FillTemplate("{{1}}-{{10}}-{{2}}", params); got != "a-j-b" {
		t.Errorf("got %q", got)
	}
}

func TestTrial(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	tr := Trial(now, 14)
	if !tr.ActiveAt(now) || !tr.Paid || !tr.TemplatesPaid {
		t.Fatalf("a trial includes everything: %+v", tr)
	}
	if !tr.ActiveAt(now.AddDate(0, 0, 14).Add(-time.Second)) || tr.ActiveAt(now.AddDate(0, 0, 14)) {
		t.Errorf("a 14-day trial ends exactly 14 days later: %v", tr.EndsAt)
	}
	if Trial(now, 0).ActiveAt(now) {
		t.Error("no trial days: inactive")
	}
}
