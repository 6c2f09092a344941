// Package messengers ties the sandbox's messenger stand-ins to the hub: it creates the sandbox
// connections in the demo workspace (once; later starts find them), registers them with the
// stand-ins the way Meta's dashboard and BotFather would, and points their webhooks at the hub.
package messengers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	maxbot "github.com/switchboardhq/switchboard/internal/channel/max"
	"github.com/switchboardhq/switchboard/internal/channel/telegram"
	"github.com/switchboardhq/switchboard/internal/channel/waba"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/pipeline"
	"github.com/switchboardhq/switchboard/internal/sandbox/botapi"
	"github.com/switchboardhq/switchboard/internal/sandbox/graph"
	"github.com/switchboardhq/switchboard/internal/sandbox/maxapi"
	"github.com/switchboardhq/switchboard/internal/sandbox/samples"
	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
	"github.com/switchboardhq/switchboard/internal/store"
)

// The sandbox's accounts. Ids are fixed so a restart finds the same connections.
const (
	SalesNumberID   = "104730000000001" // in the subscription
	SupportNumberID = "104730000000002" // outside it, and without a payment method (templates fail)
	WABAID          = "230450000000001"
	BotID           = 7000000001
	BotUsername     = "severny_veter_bot"
	GroupID         = -1001987654321
	GroupTitle      = "Северный ветер · оптовики"
	botName         = "Северный ветер"
	// The MAX bot and the MAX group it administers (MAX group ids are negative).
	MaxBotID       = 8000000001
	MaxBotUsername = "severny_veter_max_bot"
	MaxGroupID     = -70801090400001
)

// Sandbox is the set of messenger stand-ins of one running hub.
type Sandbox struct {
	Graph  *graph.Server
	BotAPI *botapi.Server
	MaxAPI *maxapi.Server
	// PublicURL is the hub's address as the stand-ins reach it.
	PublicURL func() string
	botToken  string
}

// MaxBotToken is the token of the connection's MAX bot (the simulator writes as its users).
func MaxBotToken(c hub.Connection) string { return c.Secrets[maxbot.SecretBotToken] }

// BotToken is the sandbox bot's token (the simulator writes as users of that bot).
func (s *Sandbox) BotToken() string { return s.botToken }

// New builds the stand-ins for a hub at publicURL, keeping their state in st (the hub's
// database, so every sandbox instance on it answers the same and a restart forgets nothing).
func New(st standin.Store, publicURL func() string) *Sandbox {
	return &Sandbox{Graph: graph.New(st, publicURL), BotAPI: botapi.New(st), MaxAPI: maxapi.New(st, publicURL), PublicURL: publicURL}
}

// Mount adds the stand-ins' routes.
func (s *Sandbox) Mount(mux *http.ServeMux) {
	s.Graph.Mount(mux)
	s.BotAPI.Mount(mux)
	s.MaxAPI.Mount(mux)
}

// Catalog names the sandbox shop's products in carts, for pipeline.Adapters.Catalog.
func Catalog(workspaceID, sku string) string { return samples.ProductName(sku) }

// connStore is what the setup needs.
type connStore interface {
	Connections(ctx context.Context, workspaceID string) ([]hub.Connection, error)
	CreateConnection(ctx context.Context, c hub.Connection) (hub.Connection, error)
	UpdateConnection(ctx context.Context, c hub.Connection) error
}

// Setup is the sandbox boot step after the demo workspace exists: it creates the sandbox
// connections in ws unless they are there (idempotent), updates their base URLs to the hub's
// current address, and registers them with the stand-ins. It returns the connections.
func (s *Sandbox) Setup(ctx context.Context, st connStore, ws hub.Workspace) ([]hub.Connection, error) {
	existing, err := st.Connections(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	var out []hub.Connection
	for _, want := range s.wanted(ws) {
		c, found := find(existing, want.Kind, want.ExternalID)
		if !found {
			if c, err = st.CreateConnection(ctx, want); err != nil {
				return nil, fmt.Errorf("sandbox connection %s: %w", want.Name, err)
			}
		} else if c.Settings[waba.SettingBaseURL] != want.Settings[waba.SettingBaseURL] &&
			!ServedElsewhere(ctx, c.Settings[waba.SettingBaseURL]) {
			c.Settings[waba.SettingBaseURL] = want.Settings[waba.SettingBaseURL]
			if err := st.UpdateConnection(ctx, c); err != nil {
				return nil, err
			}
		}
		s.register(c)
		out = append(out, c)
	}
	return out, nil
}

// ServedElsewhere reports whether a stand-in base URL is on another hub that is up (it answers
// /readyz): another instance on the same database, whose stand-ins hold the conversations, so a
// second instance leaves the connection pointing there. A hub that moved (a restart on a new
// port) finds its old address dead and takes the connection over.
func ServedElsewhere(ctx context.Context, baseURL string) bool {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.Scheme+"://"+u.Host+"/readyz", nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// HubOf is the address of the hub whose stand-ins serve a sandbox connection (its base URL's
// origin): the providers' webhooks go there too, so a second instance on the database, which
// leaves the connections with the first, leaves their webhooks there as well.
func HubOf(c hub.Connection) string {
	u, err := url.Parse(c.Settings[waba.SettingBaseURL])
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

func find(cs []hub.Connection, kind, externalID string) (hub.Connection, bool) {
	for _, c := range cs {
		if c.Kind == kind && c.ExternalID == externalID {
			return c, true
		}
	}
	return hub.Connection{}, false
}

func (s *Sandbox) wanted(ws hub.Workspace) []hub.Connection {
	graphURL := s.PublicURL() + graph.Prefix
	wabaConn := func(name, pnid, display string, in bool) hub.Connection {
		return hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: name, ExternalID: pnid, InSubscription: in,
			Settings: map[string]string{waba.SettingBaseURL: graphURL, waba.SettingWABAID: WABAID, waba.SettingDisplayPhone: display},
			Secrets: map[string]string{waba.SecretAccessToken: "EAAG" + random(), waba.SecretAppSecret: random(),
				waba.SecretVerifyToken: random()}}
	}
	return []hub.Connection{
		wabaConn("WhatsApp · Продажи", SalesNumberID, "+7 495 120-45-67", true),
		wabaConn("WhatsApp · Поддержка", SupportNumberID, "+7 495 120-45-68", false),
		{WorkspaceID: ws.ID, Kind: hub.KindTelegramBot, Name: "Telegram · @" + BotUsername, ExternalID: fmt.Sprint(BotID),
			InSubscription: true,
			Settings:       map[string]string{telegram.SettingBaseURL: s.PublicURL() + botapi.Prefix, telegram.SettingUsername: BotUsername},
			Secrets:        map[string]string{telegram.SecretBotToken: fmt.Sprintf("%d:AAH%s", BotID, random()), telegram.SecretWebhook: random()}},
		{WorkspaceID: ws.ID, Kind: hub.KindMaxBot, Name: "MAX · " + botName, ExternalID: fmt.Sprint(MaxBotID),
			InSubscription: true,
			Settings:       map[string]string{maxbot.SettingBaseURL: s.PublicURL() + maxapi.Prefix, maxbot.SettingUsername: MaxBotUsername},
			Secrets:        map[string]string{maxbot.SecretBotToken: "max" + random(), maxbot.SecretWebhook: random()}},
	}
}

// register tells the stand-ins about a connection, as the provider's own configuration would.
func (s *Sandbox) register(c hub.Connection) {
	switch c.Kind {
	case hub.KindWABA:
		s.Graph.Register(graph.Account{PhoneNumberID: c.ExternalID, WABAID: c.Settings[waba.SettingWABAID],
			DisplayPhone: c.Settings[waba.SettingDisplayPhone], Token: c.Secrets[waba.SecretAccessToken],
			AppSecret: c.Secrets[waba.SecretAppSecret], HookURL: HubOf(c) + "/hooks/waba/" + c.ID,
			Unpaid: c.ExternalID == SupportNumberID})
	case hub.KindTelegramBot:
		s.botToken = c.Secrets[telegram.SecretBotToken]
		s.BotAPI.Register(botapi.Bot{ID: BotID, Username: BotUsername, Name: botName, Token: c.Secrets[telegram.SecretBotToken]},
			botapi.Chat{ID: GroupID, Type: "supergroup", Title: GroupTitle})
	case hub.KindMaxBot:
		s.MaxAPI.Register(maxapi.Bot{ID: MaxBotID, Username: MaxBotUsername, Name: botName, Token: MaxBotToken(c)},
			maxapi.Group{ID: MaxGroupID, Title: GroupTitle})
	}
}

// Connect finishes what needs the hub to be serving: the bots' webhooks are set through the
// real Bot API helper, and WABA templates are synced through the real adapter.
func (s *Sandbox) Connect(ctx context.Context, st *store.Store, ad *pipeline.Adapters, conns []hub.Connection) error {
	var errs []error
	for _, c := range conns {
		switch c.Kind {
		case hub.KindTelegramBot:
			bot := telegram.New(c, nil)
			errs = append(errs, bot.SetWebhook(ctx, HubOf(c)+"/hooks/telegram/"+c.ID, c.Secrets[telegram.SecretWebhook]))
		case hub.KindMaxBot:
			if c.Settings[maxbot.SettingDelivery] != maxbot.DeliveryPolling {
				errs = append(errs, maxbot.New(c, nil).Subscribe(ctx, HubOf(c)+"/hooks/max/"+c.ID, c.Secrets[maxbot.SecretWebhook]))
			}
		case hub.KindWABA:
			n, err := ad.SyncTemplates(ctx, st, c)
			if err == nil {
				slog.Info("sandbox: templates synced", "connection", c.Name, "count", n)
			}
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ConnectWhenServing runs Connect once the hub answers, retrying briefly while it starts.
func (s *Sandbox) ConnectWhenServing(ctx context.Context, st *store.Store, ad *pipeline.Adapters, conns []hub.Connection) {
	var err error
	for i := 0; i < 20; i++ {
		if err = s.Connect(ctx, st, ad, conns); err == nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(250 * time.Millisecond):
		}
	}
	slog.Error("sandbox: messenger connections not ready", "err", err)
}

func random() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
