package amojo_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/crm/amocrm/amojo"
	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
	standin "github.com/switchboardhq/switchboard/internal/sandbox/amojo"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

type rig struct {
	crm    *sandboxamo.Server
	amojo  *standin.Server
	client *amojo.Client
	hooks  chan *http.Request
	bodies chan []byte
}

func start(t *testing.T) rig {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	crm, err := sandboxamo.New(sandboxamo.Options{PublicURL: srv.URL, ClientID: "id", ClientSecret: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	channel, secret := standin.Credentials("test key")
	st, err := standin.New(standin.Options{ChannelID: channel, Secret: secret, CRM: crm,
		HookURL: srv.URL + "/hooks/:scope_id"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Wait)
	crm.SetChats(st)
	crm.Mount(mux)
	st.Mount(mux)
	r := rig{crm: crm, amojo: st, hooks: make(chan *http.Request, 4), bodies: make(chan []byte, 4),
		client: &amojo.Client{BaseURL: srv.URL + standin.Prefix, ChannelID: channel, Secret: secret}}
	mux.HandleFunc("POST /hooks/{scope}", func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.hooks <- req
		r.bodies <- b
	})
	return r
}

func TestSignedCallsAndIncomingLead(t *testing.T) {
	r := start(t)
	ctx := context.Background()
	account := sandboxamo.AmojoID("account", sandboxamo.DemoAccountID)

	bad := *r.client
	bad.Secret = "not the channel's"
	if _, err := bad.Connect(ctx, account, "Hub"); err == nil || amojo.IsTransient(err) {
		t.Fatalf("a wrong secret must be refused for good, got %v", err)
	}
	skewed := *r.client
	skewed.Now = func() time.Time { return time.Now().Add(-20 * time.Minute) }
	if _, err := skewed.Connect(ctx, account, "Hub"); err == nil {
		t.Fatal("a Date 20 minutes old must be refused")
	}
	if _, err := r.client.SendMessage(ctx, "not-connected", amojo.Payload{}); err == nil {
		t.Fatal("an unknown scope must be refused")
	}

	scope, err := r.client.Connect(ctx, account, "Hub")
	if err != nil {
		t.Fatal(err)
	}
	in := amojo.Payload{Timestamp: 1_700_000_000, MsecTimestamp: 1_700_000_000_000, MsgID: "m1", ConversationID: "chat-1",
		Sender:  amojo.User{ID: "customer-1", Name: "Rosa Díaz", Profile: &amojo.Profile{Phone: "+34600111222"}},
		Message: amojo.Message{Type: "text", Text: "Hola"}}
	sent, err := r.client.SendMessage(ctx, scope, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := r.client.SendMessage(ctx, scope, in)
	if err != nil || again.MsgID != sent.MsgID {
		t.Fatalf("a repeated msgid must give the same message: %+v %v", again, err)
	}
	if !r.crm.ChatLinked(account, sent.ConversationID) {
		t.Fatal("the first message of an unknown customer must link the chat to a new contact")
	}
	feed := r.amojo.Feed(account, []string{sent.ConversationID})
	if len(feed) != 1 || feed[0].Text != "Hola" || !feed[0].Incoming {
		t.Fatalf("feed: %+v", feed)
	}

	if err := r.amojo.Reply(account, sent.ConversationID, sandboxamo.AmojoID("user", sandboxamo.DemoOwnRU), "¿En qué puedo ayudar?"); err != nil {
		t.Fatal(err)
	}
	req := testwait.Recv(t, r.hooks, "the reply's hook")
	body := <-r.bodies
	if !amojo.VerifyHook(r.client.Secret, body, req.Header.Get("X-Signature")) {
		t.Fatal("the hook's signature does not verify")
	}
	h, err := amojo.ParseHook(body)
	if err != nil || h.Message.Conversation.ClientID != "chat-1" || h.Message.Message.Text != "¿En qué puedo ayudar?" {
		t.Fatalf("hook %+v %v", h, err)
	}
	if err := r.client.DeliveryStatus(ctx, scope, amojo.Delivery{MsgID: h.Message.Message.ID, Status: amojo.Failed,
		ErrorCode: amojo.ErrorOther, Error: "blocked"}); err != nil {
		t.Fatal(err)
	}
	feed = r.amojo.Feed(account, []string{sent.ConversationID})
	if len(feed) != 2 || feed[1].Status != "failed" || feed[1].Author != "Дмитрий Волков" {
		t.Fatalf("feed after the reply: %+v", feed)
	}

	r.amojo.SetDown(true)
	if _, err := r.client.SendMessage(ctx, scope, in); !amojo.IsTransient(err) {
		t.Fatalf("an outage must be a transient error, got %v", err)
	}
}
