package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel"
	maxbot "github.com/switchboardhq/switchboard/internal/channel/max"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/pipeline"
	"github.com/switchboardhq/switchboard/internal/sandbox/maxapi"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// A MAX customer writes (text, photo, voice, file, a reply, a group message), edits and deletes
// a message; the employee answers with text, a file and a voice note, which stay "sent" (MAX
// gives bots no receipts); then the customer stops the bot and sends are refused.
func TestMaxEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		ctx := context.Background()
		from := map[string]any{"max_user_id": 91000301, "name": "Ирина Ковалёва"}
		send := func(body map[string]any) string {
			body["connection_id"], body["from"] = r.max.ID, from
			return r.post("/sandbox/customers/send", body, http.StatusAccepted)["external_id"].(string)
		}
		first := send(map[string]any{"type": "text", "text": "Здравствуйте"})
		send(map[string]any{"type": "image", "text": "вот фото"})
		send(map[string]any{"type": "voice"})
		send(map[string]any{"type": "file", "text": "реквизиты"})
		send(map[string]any{"type": "text", "text": "это ответ", "reply_to_external_id": first})
		send(map[string]any{"type": "text", "text": "Всем привет", "group": true})
		r.drain()

		chat, ms := r.chatMessages(r.max, "91000301")
		if chat.Kind != hub.ChatPrivate || len(ms) != 5 {
			t.Fatalf("private chat %s with %d messages", chat.Kind, len(ms))
		}
		contact, err := st.Contact(ctx, r.ws.ID, chat.ContactID)
		must(t, err)
		if contact.MaxUserID != 91000301 || contact.Name != "Ирина Ковалёва" {
			t.Errorf("contact = %+v", contact)
		}
		if found, err := st.SearchContacts(ctx, r.ws.ID, "ковалёв", 10); err != nil || len(found) != 1 || found[0] != contact.ID {
			t.Errorf("search by the MAX name: %v %v", found, err)
		}
		// Newest first: the reply, the file, the voice, the photo, the first text.
		if ms[0].ReplyToID != ms[4].ID || ms[4].ProviderKey != first {
			t.Errorf("reply_to = %q, want %q", ms[0].ReplyToID, ms[4].ID)
		}
		for i, want := range []string{hub.TypeFile, hub.TypeVoice, hub.TypeImage} {
			if m := ms[i+1]; m.Type != want || m.Attachments[0].StorageKey == "" {
				t.Errorf("message %d: %+v", i+1, m)
			}
		}
		group, gms := r.chatMessages(r.max, "-70801090400001")
		// MAX's update carries the group's id only: its title is asked for once.
		if group.Kind != hub.ChatGroup || group.Title != messengers.GroupTitle || len(gms) != 1 || gms[0].AuthorName != "Ирина Ковалёва" {
			t.Errorf("group chat = %+v, %d messages", group, len(gms))
		}

		// Edits and removals are shown, and a redelivered edit changes nothing more.
		token := messengers.MaxBotToken(r.max)
		user := maxapi.User{ID: 91000301, FirstName: "Ирина", LastName: "Ковалёва"}
		must(t, r.sb.MaxAPI.Edit(token, user, first, "Здравствуйте!"))
		must(t, r.sb.MaxAPI.Remove(token, user, ms[0].ProviderKey))
		r.drain()
		if got := r.message(ms[4].ID); got.Text != "Здравствуйте!" || !got.Payload.Edited {
			t.Errorf("edited: %+v", got)
		}
		if got := r.message(ms[0].ID); !got.Payload.Removed || got.Text != "это ответ" {
			t.Errorf("removed: %+v", got)
		}

		// The employee's text, file and voice note go out; MAX sends bots no receipts.
		s := r.sender()
		text := r.queue(chat, hub.Message{Text: "Добрый день, Ирина!", ReplyToID: ms[4].ID})
		file := r.queueSample(chat, hub.TypeFile, "file", "счёт.pdf")
		voice := r.queueSample(chat, hub.TypeVoice, "webm", "voice.webm")
		for s.Drain(ctx) > 0 {
		}
		for _, m := range []hub.Message{text, file, voice} {
			if got := r.message(m.ID); got.Status != hub.StatusSent || got.ProviderKey == "" {
				t.Fatalf("sent: %+v", got)
			}
		}
		box := r.get("/sandbox/customers/outbox?connection_id=" + r.max.ID + "&chat=91000301")["items"].([]any)
		var kinds []string
		for _, o := range box {
			kinds = append(kinds, o.(map[string]any)["type"].(string))
		}
		if len(kinds) != 3 || kinds[0] != "text" || kinds[1] != "file" || kinds[2] != "audio" ||
			box[0].(map[string]any)["reply_to"] != first {
			t.Errorf("simulator outbox: %v", box)
		}

		// The customer stops the bot: the chat refuses sends, with a reason, until they start it.
		r.post("/sandbox/customers/bot", map[string]any{"connection_id": r.max.ID, "from": from, "action": "stop"}, http.StatusAccepted)
		r.drain()
		chat, _ = r.chatMessages(r.max, "91000301")
		if chat.StoppedAt.IsZero() {
			t.Fatal("bot_stopped did not mark the chat")
		}
		if code := hub.SendRefusal(r.ws, r.max, chat, false, hub.Send{}, time.Now()); code != hub.RefuseBotStopped {
			t.Errorf("refusal %q", code)
		}
		late := r.queue(chat, hub.Message{Text: "вы здесь?"}) // queued before the hub knew
		s.Drain(ctx)
		if got := r.message(late.ID); got.Status != hub.StatusFailed || got.ErrorCode != channel.CodeBlockedByUser {
			t.Errorf("send to a stopped bot: %+v", got)
		}
		r.post("/sandbox/customers/bot", map[string]any{"connection_id": r.max.ID, "from": from, "action": "start"}, http.StatusAccepted)
		r.drain()
		if chat, _ = r.chatMessages(r.max, "91000301"); !chat.StoppedAt.IsZero() {
			t.Error("bot_started did not clear the mark")
		}
	})
}

// A MAX bot whose admin chose long polling: updates are fetched, stored like webhooks and
// acknowledged only after that, so each message arrives once.
func TestMaxLongPolling(t *testing.T) {
	r := newRig(t, storetest.OpenSQLite(t))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	conn := r.pollingMax()
	wake := make(chan struct{}, 1)
	p := &pipeline.Poller{Store: r.st, Wake: wake, Refresh: 20 * time.Millisecond, Timeout: time.Second, Retry: 20 * time.Millisecond}
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	say, count := r.maxUser(conn, 91000302)
	say("первое")
	say("второе")
	r.eventually("both messages stored", func() bool { return count() == 2 })
	say("третье")
	r.eventually("the third", func() bool { return count() == 3 })
	cancel()
	<-done
	_, ms := r.chatMessages(conn, "91000302")
	if len(ms) != 3 || ms[0].Text != "третье" || ms[2].Text != "первое" {
		t.Fatalf("messages: %+v", ms)
	}
}

// pollWrites counts the poller's writes and the updates in each.
type pollWrites struct {
	*store.Store
	mu     sync.Mutex
	writes []int
}

func (c *pollWrites) SaveWebhooks(ctx context.Context, ws []store.RawWebhook) error {
	c.mu.Lock()
	c.writes = append(c.writes, len(ws))
	c.mu.Unlock()
	return c.Store.SaveWebhooks(ctx, ws)
}

// Updates waiting for a bot (the hub was down, or the bot busy) come in one poll and are stored
// in one transaction, not one commit each.
func TestMaxLongPollStoresAPollAtOnce(t *testing.T) {
	r := newRig(t, storetest.OpenSQLite(t))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	conn := r.pollingMax()
	say, count := r.maxUser(conn, 91000304)
	for _, text := range []string{"раз", "два", "три"} {
		say(text)
	}
	cs := &pollWrites{Store: r.st}
	p := &pipeline.Poller{Store: cs, Wake: make(chan struct{}, 1), Refresh: 20 * time.Millisecond, Timeout: time.Second, Retry: 20 * time.Millisecond}
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	r.eventually("the three messages stored", func() bool { return count() == 3 })
	cancel()
	<-done
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if len(cs.writes) != 1 || cs.writes[0] != 3 {
		t.Fatalf("updates per write: %v, want one write of the three", cs.writes)
	}
}

// Two instances poll one MAX bot: only the lease holder polls; when it dies (its database and
// network gone, its lease left behind) the other takes over once the lease has run out by the
// test's clock, not before; a poller that stops hands the bot over at once. No message is lost
// or stored twice.
func TestMaxLongPollLeased(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		ctx := context.Background()
		conn := r.pollingMax()
		var clock atomic.Int64
		clock.Store(time.Now().UnixMilli())
		const lease = 90 * time.Millisecond
		type instance struct {
			store *dyingStore
			http  *dyingTransport
			stop  context.CancelFunc
			done  chan struct{}
		}
		start := func(i int) *instance {
			in := &instance{store: &dyingStore{Store: st}, http: &dyingTransport{}, done: make(chan struct{})}
			p := &pipeline.Poller{Store: in.store, HTTP: &http.Client{Transport: in.http}, Wake: make(chan struct{}, 1),
				Refresh: 20 * time.Millisecond, Timeout: time.Second, Retry: 20 * time.Millisecond,
				Claims: pipeline.Claims{Owner: fmt.Sprint("instance-", i), Lease: lease,
					Now: func() time.Time { return time.UnixMilli(clock.Load()) }}}
			var cctx context.Context
			cctx, in.stop = context.WithCancel(ctx)
			go func() { p.Run(cctx); close(in.done) }()
			return in
		}
		say, count := r.maxUser(conn, 91000303)

		a, b := start(0), start(1)
		testwait.Until(t, "one instance polls", func() bool { return a.http.polls.Load()+b.http.polls.Load() > 0 })
		holder, other := a, b
		if b.http.polls.Load() > 0 {
			holder, other = b, a
		}
		say("первое")
		r.eventually("the first message stored", func() bool { return count() == 1 })
		// The other keeps asking for the lease and never gets it while the holder lives.
		asked := other.store.claims.Load()
		testwait.Until(t, "the other asks again", func() bool { return other.store.claims.Load() >= asked+3 })
		if n := other.http.polls.Load(); n != 0 {
			t.Fatalf("the instance without the lease polled %d times", n)
		}

		// The holder dies: nothing of it reaches the database or MAX any more.
		holder.store.dead.Store(true)
		holder.http.dead.Store(true)
		holder.stop()
		<-holder.done
		say("второе")
		asked = other.store.claims.Load()
		testwait.Until(t, "the other asks while the lease lasts", func() bool { return other.store.claims.Load() >= asked+3 })
		if n := other.http.polls.Load(); n != 0 {
			t.Fatalf("took over before the dead holder's lease ran out (%d polls)", n)
		}
		clock.Add((lease + time.Millisecond).Milliseconds())
		r.eventually("the other takes over and stores the second message", func() bool { return count() == 2 })

		// A poller that stops releases the bot: a third instance takes it with the clock still.
		other.stop()
		<-other.done
		c := start(2)
		say("третье")
		r.eventually("the third instance polls at once", func() bool { return count() == 3 })
		c.stop()
		<-c.done
		_, ms := r.chatMessages(conn, "91000303")
		if len(ms) != 3 || ms[0].Text != "третье" || ms[1].Text != "второе" || ms[2].Text != "первое" {
			t.Fatalf("messages: %+v", ms)
		}
	})
}

// dyingStore is an instance's database connection, which dies with it; it counts lease claims.
type dyingStore struct {
	*store.Store
	dead   atomic.Bool
	claims atomic.Int64
}

var errDead = errors.New("the instance is dead")

func (d *dyingStore) ClaimLease(ctx context.Context, name, owner string, now, until time.Time) (bool, error) {
	if d.dead.Load() {
		return false, errDead
	}
	d.claims.Add(1)
	return d.Store.ClaimLease(ctx, name, owner, now, until)
}

func (d *dyingStore) ReleaseLease(ctx context.Context, name, owner string) error {
	if d.dead.Load() {
		return errDead
	}
	return d.Store.ReleaseLease(ctx, name, owner)
}

func (d *dyingStore) SaveWebhooks(ctx context.Context, ws []store.RawWebhook) error {
	if d.dead.Load() {
		return errDead
	}
	return d.Store.SaveWebhooks(ctx, ws)
}

// dyingTransport is an instance's network; it counts long polls.
type dyingTransport struct {
	dead  atomic.Bool
	polls atomic.Int64
}

func (d *dyingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if d.dead.Load() {
		return nil, errDead
	}
	if strings.HasSuffix(req.URL.Path, "/updates") {
		d.polls.Add(1)
	}
	return http.DefaultTransport.RoundTrip(req)
}

// pollingMax switches the rig's MAX bot to long polling (no webhook) and returns it.
func (r *rig) pollingMax() hub.Connection {
	ctx := context.Background()
	conn := r.max
	conn.Settings[maxbot.SettingDelivery] = maxbot.DeliveryPolling
	must(r.t, r.st.UpdateConnection(ctx, conn))
	must(r.t, maxbot.New(conn, nil).Unsubscribe(ctx, r.srv.URL+"/hooks/max/"+conn.ID))
	return conn
}

// maxUser is a MAX user of conn: say writes a text through the simulator, count counts the
// messages of their chat in the hub.
func (r *rig) maxUser(conn hub.Connection, userID int64) (say func(text string), count func() int) {
	from := map[string]any{"max_user_id": userID, "name": "Павел"}
	say = func(text string) {
		r.post("/sandbox/customers/send", map[string]any{"connection_id": conn.ID, "from": from, "type": "text", "text": text},
			http.StatusAccepted)
	}
	count = func() int {
		ctx := context.Background()
		chat, err := r.st.ChatByExternal(ctx, conn.ID, strconv.FormatInt(userID, 10))
		if err != nil {
			return 0
		}
		ms, _ := r.st.Messages(ctx, r.ws.ID, chat.ID, "", 10)
		return len(ms)
	}
	return say, count
}
