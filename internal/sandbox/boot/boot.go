// Package boot is what `serve --sandbox` adds to a hub, as one hook with three phases: New
// before the hub is built (the integrations' settings default to ones the stand-ins know),
// Wire once its parts exist (the stand-ins, the customer simulator, the provider console and
// the start page are mounted; connections the cabinet adds talk to the stand-ins) and Boot
// once it listens (the demo install, connections and dataset, over HTTP as the real
// providers would). The product's packages know nothing of it: a hub without it is a real one.
package boot

import (
	"net/http"
	"path/filepath"

	"github.com/switchboardhq/switchboard/internal/cabinet"
	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/connsetup"
	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/crm/amocrm/amojo"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/pipeline"
	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
	sandboxamojo "github.com/switchboardhq/switchboard/internal/sandbox/amojo"
	"github.com/switchboardhq/switchboard/internal/sandbox/botapi"
	"github.com/switchboardhq/switchboard/internal/sandbox/console"
	"github.com/switchboardhq/switchboard/internal/sandbox/customers"
	"github.com/switchboardhq/switchboard/internal/sandbox/graph"
	"github.com/switchboardhq/switchboard/internal/sandbox/maxapi"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
	"github.com/switchboardhq/switchboard/internal/sandbox/start"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Sandbox is the sandbox of one hub instance. A nil *Sandbox (a hub without --sandbox) does
// nothing in every phase.
type Sandbox struct {
	cfg   config.Config
	crm   *sandboxamo.Server
	msgs  *messengers.Sandbox
	sim   *customers.Simulator
	cons  *console.Console
	parts Parts
	conns []hub.Connection // the demo workspace's sandbox connections, once Boot made them
}

// Parts are the hub's parts the sandbox plugs into (AmoCRM and Mirror nil when not built).
type Parts struct {
	Store    *store.Store
	API      *httpapi.Server
	Cabinet  *cabinet.API
	Adapters *pipeline.Adapters
	Media    media.Store
	AmoCRM   *amocrm.Adapter
	Mirror   *amojo.Mirror
}

// New makes the sandbox CRM and points the hub's integrations at the stand-ins, unless cfg
// names others: amoCRM's client id and secret and the chats channel's id and secret default to
// ones derived from the secret key (which the stand-ins share), the chats API's address and the
// OAuth page to the stand-ins'. cfg must hold the instance's final public URL and secret key.
func New(cfg *config.Config, st *store.Store) (*Sandbox, error) {
	if cfg.AmoCRMClientID == "" && cfg.AmoCRMClientSecret == "" {
		cfg.AmoCRMClientID, cfg.AmoCRMClientSecret = sandboxamo.Credentials(cfg.SecretKey)
	}
	if cfg.AmojoChannelID == "" {
		cfg.AmojoChannelID, cfg.AmojoSecret = sandboxamojo.Credentials(cfg.SecretKey)
	}
	if cfg.AmojoURL == "" {
		cfg.AmojoURL = cfg.PublicURL + sandboxamojo.Prefix
	}
	crm, err := sandboxamo.New(sandboxamo.Options{PublicURL: cfg.PublicURL, ClientID: cfg.AmoCRMClientID,
		ClientSecret: cfg.AmoCRMClientSecret, RedirectURI: cfg.AmoCRMRedirectURI(), Store: st,
		ImportPath: filepath.Join(cfg.DataDir, "sandbox-amocrm.json")})
	if err != nil {
		return nil, err
	}
	cfg.AmoCRMAuthorizeURL = crm.BaseURL() + "/oauth"
	return &Sandbox{cfg: *cfg, crm: crm}, nil
}

// CRMBaseURL is the sandbox CRM's address, which the amoCRM adapter must accept as an install's
// referer (amocrm.Config.StandInBaseURL); "" without a sandbox.
func (s *Sandbox) CRMBaseURL() string {
	if s == nil {
		return ""
	}
	return s.crm.BaseURL()
}

// Addresses of the messenger stand-ins, stored on connections the cabinet adds so they talk
// to the stand-ins through the real adapters.
const (
	graphPath    = graph.Prefix
	telegramPath = botapi.Prefix
	maxPath      = maxapi.Prefix
)

// Wire mounts the sandbox beside the hub's surfaces: the CRM and chats stand-ins, the messenger
// stand-ins and the customer simulator, the provider console and the start page, with the CSP
// of pages that frame the chat window (the CRM shell). The cabinet's new connections talk to
// the stand-ins, and the simulator hears of each.
func (s *Sandbox) Wire(p Parts) error {
	if s == nil {
		return nil
	}
	s.parts = p
	pub := s.cfg.PublicURL
	s.msgs = messengers.New(p.Store, func() string { return pub })
	s.sim = customers.New(s.msgs)
	s.sim.Store = p.Store // every instance offers the same connections
	s.cons = console.New(s.msgs.Graph, s.msgs.BotAPI, s.msgs.MaxAPI)
	p.Adapters.Catalog = messengers.Catalog
	conns := p.Cabinet.Connections
	conns.WABABaseURL = pub + graphPath
	conns.Setup = &connsetup.Setup{TelegramBaseURL: pub + telegramPath, MaxBaseURL: pub + maxPath}
	conns.Added = s.sim.Add
	p.Cabinet.ProviderConsole = "/sandbox/console/"
	mounts := []func(*http.ServeMux){s.crm.Mount, s.msgs.Mount, s.sim.Mount, s.cons.Mount, start.Mount}
	if p.Mirror != nil {
		chats, err := sandboxamojo.New(sandboxamojo.Options{ChannelID: s.cfg.AmojoChannelID, Secret: s.cfg.AmojoSecret,
			HookURL: p.Mirror.HookURL(), CRM: s.crm, Store: p.Store,
			ImportPath: filepath.Join(s.cfg.DataDir, "sandbox-amojo.json")})
		if err != nil {
			return err
		}
		s.crm.SetChats(chats)
		mounts = append(mounts, chats.Mount)
	}
	p.API.Extra = append(p.API.Extra, mounts...)
	if p.API.Pages == nil {
		p.API.Pages = map[string]string{}
	}
	// The sandbox's pages frame the chat window (the CRM shell); nothing frames them but the hub.
	p.API.Pages["/sandbox"] = httpapi.PagePolicy("frame-src 'self'; frame-ancestors 'self'")
	return nil
}
