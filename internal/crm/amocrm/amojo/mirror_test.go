package amojo_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/crm/amocrm/amojo"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/messaging"
	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
	"github.com/switchboardhq/switchboard/internal/sandbox/amocrm/amocrmtest"
	standin "github.com/switchboardhq/switchboard/internal/sandbox/amojo"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// clock is the mirror's clock in tests: retries wait on it, never on the wall.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type world struct {
	t       *testing.T
	st      *store.Store
	rig     *amocrmtest.Rig
	amojo   *standin.Server
	mirror  *amojo.Mirror
	clock   *clock
	ws      hub.Workspace
	conn    hub.Connection
	account string // the demo account's amojo id
	scope   string
	files   *media.Local
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	rig := amocrmtest.Start(t, st)
	ws := rig.Install(t)
	must(t, st.SetSubscription(ctx, ws.ID, hub.Subscription{Active: true, Paid: true}))
	ws, err := st.Workspace(ctx, ws.ID)
	must(t, err)
	conn, err := st.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "WhatsApp · Продажи",
		ExternalID: "pn-1", InSubscription: true, Secrets: map[string]string{"token": "t"}})
	must(t, err)
	channel, secret := standin.Credentials("test key")
	w := &world{t: t, st: st, rig: rig, ws: ws, conn: conn, clock: &clock{t: time.Now()},
		account: sandboxamo.AmojoID("account", sandboxamo.DemoAccountID)}
	w.amojo, err = standin.New(standin.Options{ChannelID: channel, Secret: secret, CRM: rig.Sandbox,
		HookURL: rig.URL + amojo.HookPath + ":scope_id"})
	must(t, err)
	t.Cleanup(w.amojo.Wait)
	rig.Sandbox.SetChats(w.amojo)
	files, err := media.NewLocal(t.TempDir())
	must(t, err)
	w.files = files
	w.mirror = &amojo.Mirror{Client: &amojo.Client{BaseURL: rig.URL + standin.Prefix, ChannelID: channel, Secret: secret},
		Store: st, CRM: rig.Adapter, Messaging: &messaging.Service{Store: st}, PublicURL: rig.URL, Media: files,
		MediaKey: []byte("media key"), Title: "Hub", Now: w.clock.Now,
		Backoff: func(int) time.Duration { return 10 * time.Second }}
	mux := http.NewServeMux()
	w.amojo.Mount(mux)
	w.mirror.Mount(mux)
	rig.Serve(mux)
	s, err := w.mirror.SetEnabled(ctx, ws, true)
	must(t, err)
	if !s.Enabled || !s.Connected {
		t.Fatalf("the mirror did not connect: %+v", s)
	}
	acc, err := st.AmojoAccount(ctx, ws.ID)
	must(t, err)
	w.scope = acc.ScopeID
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// customer writes to the hub as a WhatsApp webhook would have it stored.
func (w *world) customer(waID, name, key, text string) store.InboundResult {
	w.t.Helper()
	r, err := w.st.SaveInbound(context.Background(), store.Inbound{WorkspaceID: w.ws.ID, ConnectionID: w.conn.ID,
		ChatKind: hub.ChatPrivate, ExternalChatID: waID, From: hub.Contact{Name: name, WAID: waID, Phones: []string{"+" + waID}},
		Message: hub.Message{Type: hub.TypeText, Text: text, ProviderKey: key, CreatedAt: w.clock.Now()}})
	must(w.t, err)
	return r
}

// feed is the amoCRM feed of a hub chat.
func (w *world) feed(chatID string) []sandboxamo.FeedMessage {
	w.t.Helper()
	id, err := w.st.AmojoChat(context.Background(), w.ws.ID, chatID)
	if err != nil {
		return nil
	}
	return w.amojo.Feed(w.account, []string{id})
}

func texts(f []sandboxamo.FeedMessage) string {
	var out []string
	for _, m := range f {
		out = append(out, m.Author+": "+m.Text+" "+m.Status)
	}
	return strings.Join(out, " | ")
}

func TestNewCustomerBecomesAnIncomingLeadAndTheManagersReplyGoesOut(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	r := w.customer("34611222333", "Rosa Díaz", "wamid.1", "Hola, ¿tienen stock?")
	w.mirror.Pass(ctx)
	if got := texts(w.feed(r.Chat.ID)); got != "Rosa Díaz: Hola, ¿tienen stock? " {
		t.Fatalf("feed = %q", got)
	}
	contact, err := w.st.Contact(ctx, w.ws.ID, r.Contact.ID)
	must(t, err)
	if len(contact.CRMContactIDs) != 1 {
		t.Fatalf("the customer is not linked to the contact amoCRM made: %v", contact.CRMContactIDs)
	}
	amoChat, _ := w.st.AmojoChat(ctx, w.ws.ID, r.Chat.ID)
	if !w.rig.Sandbox.ChatLinked(w.account, amoChat) {
		t.Fatal("amoCRM did not link the chat to a contact")
	}

	// A hook that is not amoCRM's is refused and changes nothing.
	body := []byte(`{"account_id":"` + w.account + `","time":1,"message":{"sender":{"id":"x"},"conversation":{"id":"c","client_id":"` +
		r.Chat.ID + `"},"message":{"id":"forged","type":"text","text":"hacked"}}}`)
	req, _ := http.NewRequest(http.MethodPost, w.rig.URL+amojo.HookPath+w.scope, bytes.NewReader(body))
	req.Header.Set("X-Signature", amojo.HookSignature("not the channel secret", body))
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a forged hook answered %d", res.StatusCode)
	}
	if n, _ := w.st.AmojoHooks(ctx, w.ws.ID); n != 0 {
		t.Fatalf("a forged hook was stored (%d)", n)
	}

	// The manager answers in amoCRM: the hook goes through the hub's send path as them.
	must(t, w.amojo.Reply(w.account, amoChat, sandboxamo.AmojoID("user", sandboxamo.DemoOwnRU), "Sí, tenemos"))
	w.amojo.Wait()
	if n, _ := w.st.AmojoHooks(ctx, w.ws.ID); n != 1 {
		t.Fatalf("the hook was not stored before the answer (%d)", n)
	}
	w.mirror.Pass(ctx)
	msgs, err := w.st.Messages(ctx, w.ws.ID, r.Chat.ID, "", 10)
	must(t, err)
	var reply hub.Message
	for _, m := range msgs {
		if m.Direction == hub.DirOut {
			reply = m
		}
	}
	if reply.Text != "Sí, tenemos" || reply.AuthorName != "Дмитрий Волков" || reply.Status != hub.StatusQueued ||
		!strings.HasPrefix(reply.ClientID, amojo.ClientIDPrefix) {
		t.Fatalf("reply = %+v", reply)
	}
	chat, err := w.st.Chat(ctx, w.ws.ID, r.Chat.ID)
	must(t, err)
	if chat.UnansweredCount != 0 {
		t.Fatal("the reply from amoCRM did not clear the unanswered mark")
	}
	if got := texts(w.feed(r.Chat.ID)); strings.Count(got, "Sí, tenemos") != 1 {
		t.Fatalf("the reply was posted back to amoCRM: %q", got)
	}

	// The messenger delivers it: amoCRM's feed shows it delivered.
	_, err = w.st.MarkSent(ctx, w.ws.ID, reply.ID, "wamid.out-1")
	must(t, err)
	_, _, err = w.st.ApplyStatus(ctx, w.conn.ID, "wamid.out-1", hub.StatusDelivered, "", "")
	must(t, err)
	w.mirror.Pass(ctx)
	if f := w.feed(r.Chat.ID); f[len(f)-1].Status != "delivered" {
		t.Fatalf("delivery status not in the feed: %q", texts(f))
	}

	// An answer from the hub's window shows in amoCRM as the employee's.
	emp, err := w.rig.Adapter.EmployeeFor(ctx, w.ws, sandboxamo.DemoGroupRU)
	must(t, err)
	svc := &messaging.Service{Store: w.st}
	who, err := svc.ActorOf(ctx, w.ws, emp)
	must(t, err)
	who.Access = hub.Access{Admin: true}
	_, _, err = svc.Send(ctx, who, r.Chat.ID, messaging.Outgoing{ClientID: "window-1", Text: "Les enviamos el catálogo"})
	must(t, err)
	w.mirror.Pass(ctx)
	if f := w.feed(r.Chat.ID); f[len(f)-1].Author != "Ольга Кузнецова" || f[len(f)-1].Text != "Les enviamos el catálogo" {
		t.Fatalf("the window's answer: %q", texts(f))
	}

	// A reply the hub refuses (the customer is blocked) is reported to amoCRM as not delivered.
	_, err = w.st.SetBlocked(ctx, w.ws.ID, r.Contact.ID, emp.ID, true)
	must(t, err)
	must(t, w.amojo.Reply(w.account, amoChat, sandboxamo.AmojoID("user", sandboxamo.DemoOwnRU), "¿Sigue ahí?"))
	w.amojo.Wait()
	w.mirror.Pass(ctx)
	w.mirror.Pass(ctx)
	f := w.feed(r.Chat.ID)
	if last := f[len(f)-1]; last.Status != "failed" || !strings.Contains(last.Error, "905") {
		t.Fatalf("the refusal did not reach amoCRM: %+v", last)
	}
}

func TestAmojoDownForAMinuteLosesNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	w.amojo.SetDown(true)
	var chatID string
	for i, text := range []string{"uno", "dos", "tres"} {
		r := w.customer("34699000111", "Pablo", "wamid.d"+string(rune('0'+i)), text)
		chatID = r.Chat.ID
		w.mirror.Pass(ctx) // the customer's conversation goes on; the mirror's calls wait
	}
	for elapsed := time.Duration(0); elapsed < time.Minute; elapsed += 15 * time.Second {
		w.clock.Add(15 * time.Second)
		w.mirror.Pass(ctx)
	}
	if f := w.feed(chatID); len(f) != 0 {
		t.Fatalf("amojo was down, yet the feed has %q", texts(f))
	}
	s, err := w.mirror.StatusOf(ctx, w.ws.ID)
	must(t, err)
	if s.Backlog != 3 {
		t.Fatalf("backlog during the outage = %d, want the 3 messages", s.Backlog)
	}
	w.amojo.SetDown(false)
	w.clock.Add(15 * time.Second)
	w.mirror.Pass(ctx)
	if got := texts(w.feed(chatID)); got != "Pablo: uno  | Pablo: dos  | Pablo: tres " {
		t.Fatalf("after the outage the feed is %q", got)
	}
}

func TestKnownCustomerWithADealGetsNoIncomingLead(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	// Иван Петров is contact 20001 of the demo account, on deal 30001.
	r := w.customer("79161234567", "Иван", "wamid.k1", "Когда доставка?")
	w.mirror.Pass(ctx)
	amoChat, err := w.st.AmojoChat(ctx, w.ws.ID, r.Chat.ID)
	must(t, err)
	linked, err := w.rig.Adapter.ChatContact(ctx, w.ws, amoChat)
	must(t, err)
	if linked != 20001 {
		t.Fatalf("the chat is linked to contact %d, want the customer's own 20001 (no new contact, no incoming lead)", linked)
	}
	if got := texts(w.feed(r.Chat.ID)); got != "Иван: Когда доставка? " {
		t.Fatalf("feed = %q", got)
	}
	res, err := http.Get(w.rig.URL + sandboxamo.Prefix + "/leads")
	must(t, err)
	defer res.Body.Close()
	var page bytes.Buffer
	page.ReadFrom(res.Body)
	if strings.Contains(page.String(), "incoming-leads") {
		t.Fatal("a known customer's message made an incoming lead")
	}
}

func TestFilesGoToAmoCRMBySignedLinks(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	key, _, err := w.files.Put(t.Context(), []byte("\xff\xd8\xff picture"), "image/jpeg")
	must(t, err)
	r, err := w.st.SaveInbound(ctx, store.Inbound{WorkspaceID: w.ws.ID, ConnectionID: w.conn.ID, ChatKind: hub.ChatPrivate,
		ExternalChatID: "34600999888", From: hub.Contact{Name: "Lola", WAID: "34600999888", Phones: []string{"+34600999888"}},
		Message: hub.Message{Type: hub.TypeImage, ProviderKey: "wamid.img", CreatedAt: w.clock.Now(),
			Attachments: []hub.Attachment{{Name: "photo.jpg", MIME: "image/jpeg", Size: 11, StorageKey: key}}}})
	must(t, err)
	w.mirror.Pass(ctx)
	f := w.feed(r.Chat.ID)
	if len(f) != 1 || f[0].Media == "" || f[0].FileName != "photo.jpg" || !f[0].Picture {
		t.Fatalf("feed = %+v", f)
	}
	get := func(u string) (int, string) {
		res, err := http.Get(u)
		must(t, err)
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := get(f[0].Media); code != http.StatusOK || body != "\xff\xd8\xff picture" {
		t.Fatalf("amoCRM fetching the link got %d %q", code, body)
	}
	if code, _ := get(strings.Replace(f[0].Media, "sig=", "sig=0", 1)); code != http.StatusForbidden {
		t.Fatalf("a tampered link answered %d", code)
	}
}

func TestReinstallReconnectsTheChannel(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	w.rig.Adapter.Installed, w.rig.Adapter.Uninstalled = w.mirror.Installed, w.mirror.Uninstalled
	id := strconv.FormatInt(sandboxamo.DemoAccountID, 10)
	mac := hmac.New(sha256.New, []byte(w.rig.Config.ClientSecret))
	mac.Write([]byte(w.rig.Config.ClientID + "|" + id))
	must(t, w.rig.Adapter.HandleDisconnect(ctx, url.Values{"account_id": {id}, "client_uuid": {w.rig.Config.ClientID},
		"signature": {hex.EncodeToString(mac.Sum(nil))}}))
	if s, _ := w.mirror.StatusOf(ctx, w.ws.ID); !s.Enabled || s.Connected {
		t.Fatalf("after the uninstall the mirror is %+v, want on but not connected", s)
	}
	// Reinstall through the OAuth flow; the sandbox CRM's 7-per-second limit may refuse the
	// install's account read right after the setup's calls, as amoCRM would: install again.
	testwait.Until(t, "the reinstall past the CRM's rate limit", func() bool {
		code, referer, err := w.rig.Sandbox.IssueCode("demo")
		must(t, err)
		_, _, err = w.rig.Adapter.Install(ctx, code, referer)
		if err != nil && !strings.Contains(err.Error(), "429") {
			t.Fatal(err)
		}
		return err == nil
	})
	if s, _ := w.mirror.StatusOf(ctx, w.ws.ID); !s.Connected {
		t.Fatalf("the reinstall did not reconnect: %+v", s)
	}
	r := w.customer("34611000222", "Tras reinstalar", "wamid.r1", "¿Hola?")
	w.mirror.Pass(ctx)
	if got := texts(w.feed(r.Chat.ID)); got != "Tras reinstalar: ¿Hola? " {
		t.Fatalf("after the reinstall the feed is %q", got)
	}
}

func TestCustomersReactionReachesAmoCRM(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	r := w.customer("34677000111", "Inés", "wamid.x1", "Gracias")
	w.mirror.Pass(ctx)
	emp, err := w.rig.Adapter.EmployeeFor(ctx, w.ws, sandboxamo.DemoAdmin)
	must(t, err)
	svc := &messaging.Service{Store: w.st}
	who, err := svc.ActorOf(ctx, w.ws, emp)
	must(t, err)
	out, _, err := svc.Send(ctx, who, r.Chat.ID, messaging.Outgoing{ClientID: "c1", Text: "¡A usted!"})
	must(t, err)
	_, err = w.st.MarkSent(ctx, w.ws.ID, out.ID, "wamid.o1")
	must(t, err)
	w.mirror.Pass(ctx)
	_, err = w.st.ApplyReaction(ctx, w.conn.ID, "wamid.o1", "34677000111", "❤️")
	must(t, err)
	w.mirror.Pass(ctx)
	f := w.feed(r.Chat.ID)
	if last := f[len(f)-1]; last.Text != "¡A usted!" || last.Reaction != "❤️" {
		t.Fatalf("the customer's reaction is not in amoCRM's feed: %+v", last)
	}
	_, err = w.st.ApplyReaction(ctx, w.conn.ID, "wamid.o1", "34677000111", "")
	must(t, err)
	w.mirror.Pass(ctx)
	if f := w.feed(r.Chat.ID); f[len(f)-1].Reaction != "" {
		t.Fatal("the removed reaction is still in amoCRM's feed")
	}
}

func TestManagersFileFromAmoCRMGoesToTheCustomer(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	r := w.customer("34688000111", "Marta", "wamid.f1", "¿Me manda el catálogo?")
	w.mirror.Pass(ctx)
	amoChat, err := w.st.AmojoChat(ctx, w.ws.ID, r.Chat.ID)
	must(t, err)
	pdf := []byte("%PDF-1.4 catálogo")
	amoFiles := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/files/catalogo.pdf" {
			http.NotFound(rw, req)
			return
		}
		rw.Header().Set("Content-Type", "application/pdf")
		rw.Write(pdf)
	}))
	defer amoFiles.Close()
	hook := func(id, media string) {
		t.Helper()
		body := []byte(`{"account_id":"` + w.account + `","time":1,"message":{"receiver":{"id":"c","client_id":"` + r.Contact.ID +
			`"},"sender":{"id":"` + sandboxamo.AmojoID("user", sandboxamo.DemoAdmin) + `"},"conversation":{"id":"` + amoChat +
			`","client_id":"` + r.Chat.ID + `"},"timestamp":1,"msec_timestamp":1000,"message":{"id":"` + id +
			`","type":"file","text":"Aquí está","media":"` + media + `","file_name":"catálogo.pdf"}}}`)
		req, _ := http.NewRequest(http.MethodPost, w.rig.URL+amojo.HookPath+w.scope, bytes.NewReader(body))
		req.Header.Set("X-Signature", amojo.HookSignature(w.mirror.Client.Secret, body))
		res, err := http.DefaultClient.Do(req)
		must(t, err)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("hook answered %d", res.StatusCode)
		}
		w.mirror.Pass(ctx)
		w.mirror.Pass(ctx)
	}
	hook("amo-file-1", amoFiles.URL+"/files/catalogo.pdf")
	msgs, err := w.st.Messages(ctx, w.ws.ID, r.Chat.ID, "", 10)
	must(t, err)
	var sent hub.Message
	for _, m := range msgs {
		if m.ClientID == amojo.ClientIDPrefix+"amo-file-1" {
			sent = m
		}
	}
	if sent.Type != hub.TypeFile || len(sent.Attachments) != 1 || sent.Attachments[0].Name != "catálogo.pdf" || sent.Text != "Aquí está" {
		t.Fatalf("the manager's file went out as %+v", sent)
	}
	if b, err := w.files.Read(context.Background(), sent.Attachments[0].StorageKey); err != nil || !bytes.Equal(b, pdf) {
		t.Fatalf("stored file %q %v", b, err)
	}

	// A file amoCRM no longer has: nothing goes to the customer (the refusal goes back to
	// amoCRM as a failed delivery, as the blocked customer's does).
	hook("amo-file-2", amoFiles.URL+"/files/gone.pdf")
	if _, err := w.st.MessageByClientID(ctx, w.ws.ID, r.Chat.ID, amojo.ClientIDPrefix+"amo-file-2"); err == nil {
		t.Fatal("a reply whose file could not be fetched was sent")
	}
}

// typed records the typing signals the hub would send to the customer's messenger.
type typed struct {
	mu    sync.Mutex
	chats []string
}

func (s *typed) Typing(ctx context.Context, conn hub.Connection, chat hub.Chat) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chats = append(s.chats, chat.ID)
	return nil
}

func (s *typed) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.chats)
}

// A manager's reaction in amoCRM goes through the hub's reaction use case (queued for the
// customer's messenger, shown in the window as theirs), and so does taking it off; their typing
// reaches the customer while it lasts, and not once it is over.
func TestManagersReactionAndTypingReachTheCustomer(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	signals := &typed{}
	w.mirror.Messaging = &messaging.Service{Store: w.st, Signals: signals, Now: w.clock.Now}
	r := w.customer("34677000222", "Lola", "wamid.r1", "¿Abren mañana?")
	w.mirror.Pass(ctx)
	amoChat, err := w.st.AmojoChat(ctx, w.ws.ID, r.Chat.ID)
	must(t, err)
	manager := sandboxamo.AmojoID("user", sandboxamo.DemoOwnRU)
	emp, err := w.rig.Adapter.EmployeeFor(ctx, w.ws, sandboxamo.DemoOwnRU)
	must(t, err)
	f := w.feed(r.Chat.ID)
	must(t, w.amojo.React(w.account, amoChat, manager, f[0].ID, "👍"))
	w.amojo.Wait()
	w.mirror.Pass(ctx)
	m, err := w.st.Message(ctx, w.ws.ID, r.Message.ID)
	must(t, err)
	if len(m.Payload.Reactions) != 1 || m.Payload.Reactions[0] != (hub.Reaction{Emoji: "👍", EmployeeID: emp.ID}) {
		t.Fatalf("the manager's reaction on the message: %+v", m.Payload.Reactions)
	}
	job, ok, err := w.st.ClaimReaction(ctx, "test", w.clock.Now(), time.Minute)
	must(t, err)
	if !ok || job.Emoji != "👍" || job.Message.ProviderKey != "wamid.r1" {
		t.Fatalf("the reaction is not queued for WhatsApp: %+v %v", job, ok)
	}
	must(t, w.st.FinishReaction(ctx, job))
	w.mirror.Pass(ctx)
	if got := w.feed(r.Chat.ID)[0]; got.Reaction != "" || got.ManagerReaction != "👍" {
		t.Fatalf("the manager's reaction came back to amoCRM as the customer's: %+v", got)
	}

	must(t, w.amojo.React(w.account, amoChat, manager, f[0].ID, ""))
	w.amojo.Wait()
	w.mirror.Pass(ctx)
	if m, _ := w.st.Message(ctx, w.ws.ID, r.Message.ID); len(m.Payload.Reactions) != 0 {
		t.Fatalf("the reaction was not taken off: %+v", m.Payload.Reactions)
	}
	if job, ok, _ := w.st.ClaimReaction(ctx, "test", w.clock.Now(), time.Minute); !ok || job.Emoji != "" {
		t.Fatalf("taking it off is not queued: %+v %v", job, ok)
	}

	must(t, w.amojo.Typing(w.account, amoChat, manager))
	w.amojo.Wait()
	w.mirror.Pass(ctx)
	if signals.count() != 1 || signals.chats[0] != r.Chat.ID {
		t.Fatalf("typing reached %v", signals.chats)
	}
	must(t, w.amojo.Typing(w.account, amoChat, manager))
	w.amojo.Wait()
	w.clock.Add(time.Minute) // the hub gets to the hook after amoCRM stopped showing typing
	w.mirror.Pass(ctx)
	if signals.count() != 1 {
		t.Fatal("a typing signal that was over went to the customer")
	}
}
