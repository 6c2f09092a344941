package max_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/channel"
	maxbot "github.com/switchboardhq/switchboard/internal/channel/max"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/sandbox/maxapi"
	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// standIn runs the MAX stand-in and an adapter of its bot; hooks receives webhook deliveries.
type delivery struct {
	secret string
	body   []byte
}

func standIn(t *testing.T) (*maxapi.Server, *maxbot.Adapter, chan delivery) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	api := maxapi.New(standin.NewMemory(), func() string { return srv.URL })
	api.Mount(mux)
	hooks := make(chan delivery, 10)
	mux.HandleFunc("POST /hook", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		hooks <- delivery{r.Header.Get(maxbot.SecretHeader), body}
	})
	api.Register(maxapi.Bot{ID: 900, Username: "shop_bot", Name: "Shop", Token: "tok-900"}, maxapi.Group{ID: -77, Title: "Опт"})
	ad := maxbot.New(hub.Connection{Settings: map[string]string{maxbot.SettingBaseURL: srv.URL + maxapi.Prefix},
		Secrets: map[string]string{maxbot.SecretBotToken: "tok-900"}}, nil)
	ad.Wait = func(context.Context, int) error { return nil }
	return api, ad, hooks
}

func code(err error) string {
	var e *channel.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return "not a channel error: " + err.Error()
}

func TestAdapterAgainstStandIn(t *testing.T) {
	ctx := context.Background()
	api, ad, hooks := standIn(t)
	me, err := ad.GetMe(ctx)
	if err != nil || me.UserID != 900 || me.Username != "shop_bot" {
		t.Fatalf("me: %+v %v", me, err)
	}
	bad := *ad
	bad.Token = "Bearer tok-900" // MAX takes the token without "Bearer"
	if _, err := bad.GetMe(ctx); code(err) != channel.CodeAuthFailed {
		t.Fatalf("a wrong token: %v", err)
	}

	// A bot cannot write first.
	if _, err := ad.Send(ctx, channel.Outgoing{To: "31", Type: hub.TypeText, Text: "hi"}); code(err) != channel.CodeChatNotFound {
		t.Fatalf("unstarted user: %v", err)
	}
	user := maxapi.User{ID: 31, FirstName: "Ирина"}
	if err := api.Start("tok-900", user); err != nil {
		t.Fatal(err)
	}
	mid, err := ad.Send(ctx, channel.Outgoing{To: "31", Type: hub.TypeText, Text: "Здравствуйте", ReplyToKey: "mid.q"})
	if err != nil || !strings.HasPrefix(mid, "mid.") {
		t.Fatalf("text: %q %v", mid, err)
	}
	// Files go upload → token → attach; the stand-in says "not ready" once and the adapter retries.
	for _, typ := range []string{hub.TypeFile, hub.TypeVoice, hub.TypeImage, hub.TypeVideo} {
		if _, err := ad.Send(ctx, channel.Outgoing{To: "31", Type: typ, Text: "см.",
			File: &channel.File{Name: "a.bin", MIME: "application/octet-stream", Data: []byte("data")}}); err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
	}
	if _, err := ad.Send(ctx, channel.Outgoing{To: "-77", Type: hub.TypeText, Text: "в группу"}); err != nil {
		t.Fatalf("group: %v", err)
	}
	out := api.Outbox(900)
	got := []string{}
	for _, o := range out {
		got = append(got, o.To+" "+o.Type+" "+o.ReplyTo)
	}
	if strings.Join(got, "|") != "31 text mid.q|31 file |31 audio |31 image |31 video |-77 text " {
		t.Fatalf("outbox: %q", got)
	}
	// The customer stops the bot: sends are refused as blocked.
	if err := api.Stop("tok-900", user); err != nil {
		t.Fatal(err)
	}
	if _, err := ad.Send(ctx, channel.Outgoing{To: "31", Type: hub.TypeText, Text: "ещё"}); code(err) != channel.CodeBlockedByUser {
		t.Fatalf("stopped: %v", err)
	}

	// Long polling: with no webhook, updates queue up and a marker commits them.
	updates, marker, err := ad.Updates(ctx, nil, 0)
	if err != nil || len(updates) != 2 || marker != 2 {
		t.Fatalf("poll: %d %d %v", len(updates), marker, err)
	}
	b, err := ad.Parse(updates[1])
	if err != nil || len(b.Peers) != 1 || !b.Peers[0].Stopped {
		t.Fatalf("stopped update: %+v %v", b, err)
	}
	if again, _, _ := ad.Updates(ctx, &marker, 0); len(again) != 0 {
		t.Fatalf("committed updates came again: %d", len(again))
	}

	// Webhook: the secret comes back in X-Max-Bot-Api-Secret; a file is fetched by its URL.
	hookURL := strings.TrimSuffix(ad.BaseURL, maxapi.Prefix) + "/hook"
	if err := ad.Subscribe(ctx, hookURL, "s3cret-Value_1"); err != nil {
		t.Fatal(err)
	}
	if err := ad.Subscribe(ctx, hookURL, "no spaces!"); code(err) != channel.CodeRejected {
		t.Fatalf("bad secret: %v", err)
	}
	go func() {
		_, _ = api.Receive("tok-900", user, maxapi.Incoming{Type: "file", Text: "счёт",
			File: &maxapi.File{Name: "invoice.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.4")}})
	}()
	d := testwait.Recv(t, hooks, "the webhook delivery")
	if d.secret != "s3cret-Value_1" {
		t.Fatalf("secret header %q", d.secret)
	}
	b, err = ad.Parse(d.body)
	if err != nil || len(b.Messages) != 1 {
		t.Fatalf("%+v %v", b, err)
	}
	f, err := ad.Fetch(ctx, b.Messages[0].Message.Attachments[0].ProviderMediaID)
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	data, err := io.ReadAll(f.Body)
	f.Body.Close()
	if err != nil || string(data) != "%PDF-1.4" || b.Messages[0].Message.Attachments[0].Name != "invoice.pdf" {
		t.Fatalf("fetch: %q %v", data, err)
	}
}
