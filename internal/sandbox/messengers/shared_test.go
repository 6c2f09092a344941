package messengers_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/channel/telegram"
	"github.com/switchboardhq/switchboard/internal/channel/waba"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/sandbox/botapi"
	"github.com/switchboardhq/switchboard/internal/sandbox/graph"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// sandboxAt runs a sandbox's stand-ins on st behind their own address, as one instance of the
// hub serves them (up: it answers /readyz); its /hooks/waba/ keeps the last webhook in *waHook.
func sandboxAt(t *testing.T, st *store.Store, waHook *[]byte) (*messengers.Sandbox, string) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	sb := messengers.New(st, func() string { return srv.URL })
	sb.Mount(mux)
	mux.HandleFunc("/readyz", func(http.ResponseWriter, *http.Request) {})
	var mu sync.Mutex
	mux.HandleFunc("/hooks/", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if strings.HasPrefix(r.URL.Path, "/hooks/waba/") && waHook != nil {
			mu.Lock()
			*waHook = b
			mu.Unlock()
		}
	})
	return sb, srv.URL
}

// The stand-ins keep their state in the database: what a customer did through one instance
// is known to another (its conversation, its file, the bot's message ids), and to an instance
// started later (a restart), which forgets nothing.
func TestStandInsShareTheirState(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ws, err := st.CreateWorkspace(ctx, hub.Workspace{Name: "Demo", CRMKind: "amocrm", CRMAccountID: 31415926, Country: "RU"})
		if err != nil {
			t.Fatal(err)
		}
		var hook []byte
		a, urlA := sandboxAt(t, st, &hook)
		conns, err := a.Setup(ctx, st, ws)
		if err != nil {
			t.Fatal(err)
		}
		sales, bot := conns[0], conns[2]
		if err := telegram.New(bot, nil).SetWebhook(ctx, urlA+"/hooks/telegram/"+bot.ID, "s3cret"); err != nil {
			t.Fatal(err)
		}
		b, urlB := sandboxAt(t, st, nil)
		if _, err := b.Setup(ctx, st, ws); err != nil {
			t.Fatal(err)
		}
		onB := func(c hub.Connection) hub.Connection { // the connection as B's own stand-ins serve it
			c.Settings = map[string]string{waba.SettingBaseURL: strings.Replace(c.Settings[waba.SettingBaseURL], urlA, urlB, 1),
				waba.SettingWABAID: c.Settings[waba.SettingWABAID]}
			return c
		}

		// A customer writes a photo through A; B's Graph opens the window and serves the file.
		user := graph.Customer{WAID: "79035551234", Name: "Анна"}
		if _, err := a.Graph.Receive(messengers.SalesNumberID, user, graph.Incoming{Type: "image", Text: "фото",
			File: &graph.SampleFile{Name: "a.jpg", MIME: "image/jpeg", Data: []byte("\xff\xd8\xff\xe0photo")}}); err != nil {
			t.Fatal(err)
		}
		in := b.Graph.Inbox(messengers.SalesNumberID)
		if len(in) != 1 || in[0].Text != "фото" {
			t.Fatalf("B's inbox: %+v", in)
		}
		batch, err := waba.New(sales, nil).Parse(hook)
		if err != nil || len(batch.Messages) != 1 || len(batch.Messages[0].Message.Attachments) != 1 {
			t.Fatalf("the photo's webhook: %+v %v", batch, err)
		}
		mediaID := batch.Messages[0].Message.Attachments[0].ProviderMediaID
		wabaB := waba.New(onB(sales), nil)
		if _, err := wabaB.Send(ctx, channel.Outgoing{To: user.WAID, Type: hub.TypeText, Text: "Здравствуйте!"}); err != nil {
			t.Fatalf("a reply through B in the window the customer opened through A: %v", err)
		}
		if out := a.Graph.Outbox(messengers.SalesNumberID); len(out) != 1 || out[0].Text != "Здравствуйте!" {
			t.Fatalf("A's outbox after B sent: %+v", out)
		}

		// Telegram ids continue across instances: no update or message id is handed out twice.
		u := botapi.User{ID: 512340001, FirstName: "Анна"}
		first, err := a.BotAPI.Receive(a.BotToken(), u, botapi.Incoming{Type: "text", Text: "привет"})
		if err != nil {
			t.Fatal(err)
		}
		second, err := b.BotAPI.Receive(b.BotToken(), u, botapi.Incoming{Type: "text", Text: "ещё"})
		if err != nil {
			t.Fatalf("B delivers to the webhook set through A: %v", err)
		}
		if first == second {
			t.Fatalf("both instances gave the id %s", first)
		}

		// A restart (a new instance) remembers it all.
		c, urlC := sandboxAt(t, st, nil)
		if _, err := c.Setup(ctx, st, ws); err != nil {
			t.Fatal(err)
		}
		if in := c.BotAPI.Inbox(messengers.BotID); len(in) != 2 || in[0].ExternalID != first || in[1].ExternalID != second {
			t.Fatalf("Telegram inbox after a restart: %+v", in)
		}
		third, err := c.BotAPI.Receive(c.BotToken(), u, botapi.Incoming{Type: "text", Text: "и ещё"})
		if err != nil || third == first || third == second {
			t.Fatalf("after a restart the next id is %s (%v), had %s and %s", third, err, first, second)
		}
		conn := onB(sales)
		conn.Settings[waba.SettingBaseURL] = strings.Replace(conn.Settings[waba.SettingBaseURL], urlB, urlC, 1)
		wabaC := waba.New(conn, nil)
		if _, err := wabaC.Send(ctx, channel.Outgoing{To: user.WAID, Type: hub.TypeText, Text: "Мы здесь"}); err != nil {
			t.Fatalf("after a restart the customer's window is forgotten: %v", err)
		}
		d, err := wabaC.Fetch(ctx, mediaID)
		if err != nil {
			t.Fatalf("the customer's photo after a restart: %v", err)
		}
		data, _ := io.ReadAll(d.Body)
		d.Body.Close()
		if string(data) != "\xff\xd8\xff\xe0photo" {
			t.Fatalf("photo bytes: %q", data)
		}
	})
}
