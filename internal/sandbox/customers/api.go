// Package customers is the sandbox's customer simulator: a page where a person plays a customer
// (writes to the business on WhatsApp, Telegram or MAX, sends media and carts, replies, and watches
// the employees' answers arrive with their ticks), and the JSON API behind it that tests use.
package customers

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/phone"
	"github.com/switchboardhq/switchboard/internal/sandbox/botapi"
	"github.com/switchboardhq/switchboard/internal/sandbox/graph"
	"github.com/switchboardhq/switchboard/internal/sandbox/maxapi"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
)

// Simulator serves /sandbox/customers/.
type Simulator struct {
	Sandbox *messengers.Sandbox
	// Store, when set, is where the simulator also finds connections to the stand-ins, so every
	// instance of the sandbox offers the same ones (those added in the cabinet through another
	// instance too).
	Store connStore

	mu    sync.Mutex
	conns map[string]hub.Connection
	// country reads phones typed in local form (the demo workspace's country).
	country string
}

// New returns a simulator over the stand-ins.
func New(sb *messengers.Sandbox) *Simulator {
	return &Simulator{Sandbox: sb, conns: map[string]hub.Connection{}}
}

// Use sets the connections customers can write to (the sandbox's, after setup).
func (s *Simulator) Use(ws hub.Workspace, conns []hub.Connection) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.country = ws.Country
	for _, c := range conns {
		s.conns[c.ID] = c
	}
}

// Add lets customers write to one more connection (one an admin added in the cabinet).
func (s *Simulator) Add(c hub.Connection) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns[c.ID] = c
}

// Mount adds the simulator's routes.
func (s *Simulator) Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET /sandbox/customers/{$}", s.page)
	mux.HandleFunc("GET /sandbox/customers/app.js", s.script)
	mux.HandleFunc("GET /sandbox/customers/texts", s.texts)
	mux.HandleFunc("GET /sandbox/customers/connections", s.connections)
	mux.HandleFunc("GET /sandbox/customers/people", s.people)
	mux.HandleFunc("POST /sandbox/customers/send", s.send)
	mux.HandleFunc("POST /sandbox/customers/redeliver", s.redeliver)
	mux.HandleFunc("POST /sandbox/customers/bot", s.bot)
	mux.HandleFunc("GET /sandbox/customers/outbox", s.outbox)
	mux.HandleFunc("GET /sandbox/customers/inbox", s.inbox)
	mux.HandleFunc("POST /sandbox/customers/read", s.read)
}

// connStore lists connections.
type connStore interface {
	ConnectionsOfKind(ctx context.Context, kind string) ([]hub.Connection, error)
}

// all lists the connections customers can write to: those the simulator was given, and with a
// Store every connection whose base URL is a stand-in's.
func (s *Simulator) all(ctx context.Context) map[string]hub.Connection {
	s.mu.Lock()
	out := maps.Clone(s.conns)
	s.mu.Unlock()
	if s.Store == nil {
		return out
	}
	for kind, prefix := range map[string]string{hub.KindWABA: graph.Prefix, hub.KindTelegramBot: botapi.Prefix,
		hub.KindMaxBot: maxapi.Prefix} {
		cs, err := s.Store.ConnectionsOfKind(ctx, kind)
		if err != nil {
			slog.Warn("sandbox simulator: connections", "err", err)
			continue
		}
		for _, c := range cs {
			if _, known := out[c.ID]; !known && strings.HasSuffix(c.Settings["base_url"], prefix) {
				out[c.ID] = c
			}
		}
	}
	return out
}

func (s *Simulator) connection(ctx context.Context, id string) (hub.Connection, bool) {
	c, ok := s.all(ctx)[id]
	return c, ok
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// problem answers an API error in the hub's shape; the simulator is a developer tool, so the
// message names the field at fault.
func problem(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func (s *Simulator) connections(w http.ResponseWriter, r *http.Request) {
	items := []map[string]any{}
	for _, c := range s.all(r.Context()) {
		item := map[string]any{"id": c.ID, "kind": c.Kind, "name": c.Name, "in_subscription": c.InSubscription}
		switch c.Kind {
		case hub.KindTelegramBot:
			item["group_chat_id"] = messengers.GroupID
		case hub.KindMaxBot:
			item["group_chat_id"] = messengers.MaxGroupID
		}
		items = append(items, item)
	}
	sort.Slice(items, func(i, j int) bool { return items[i]["name"].(string) < items[j]["name"].(string) })
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

type outItem struct {
	ExternalID string    `json:"external_id"`
	To         string    `json:"to"`
	Type       string    `json:"type"`
	Text       string    `json:"text"`
	Template   string    `json:"template,omitempty"`
	ReplyTo    string    `json:"reply_to,omitempty"`
	Status     string    `json:"status"`
	Error      string    `json:"error,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// outbox is GET /sandbox/customers/outbox?connection_id=: what the hub sent to that provider.
func (s *Simulator) outbox(w http.ResponseWriter, r *http.Request) {
	c, ok := s.connection(r.Context(), r.URL.Query().Get("connection_id"))
	if !ok {
		problem(w, http.StatusNotFound, "not_found", "connection_id: not a sandbox connection")
		return
	}
	keep := s.filter(r)
	items := []outItem{}
	switch c.Kind {
	case hub.KindWABA:
		for _, o := range s.Sandbox.Graph.Outbox(c.ExternalID) {
			if !keep(o.To) {
				continue
			}
			items = append(items, outItem{o.ExternalID, "+" + o.To, o.Type, o.Text, o.Template, o.ReplyTo, o.Status, o.Error, o.CreatedAt})
		}
	case hub.KindTelegramBot:
		for _, o := range s.Sandbox.BotAPI.Outbox(messengers.BotID) {
			if !keep(o.To) {
				continue
			}
			items = append(items, outItem{ExternalID: o.ExternalID, To: o.To, Type: o.Type, Text: o.Text,
				ReplyTo: o.ReplyTo, Status: o.Status, CreatedAt: o.CreatedAt})
		}
	case hub.KindMaxBot:
		for _, o := range s.Sandbox.MaxAPI.Outbox(messengers.MaxBotID) {
			if !keep(o.To) {
				continue
			}
			items = append(items, outItem{ExternalID: o.ExternalID, To: o.To, Type: o.Type, Text: o.Text,
				ReplyTo: o.ReplyTo, Status: o.Status, CreatedAt: o.CreatedAt})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// inbox is GET /sandbox/customers/inbox?connection_id=: what customers sent (the page shows
// both sides of a conversation), with the business's reaction on it as their phone shows it.
func (s *Simulator) inbox(w http.ResponseWriter, r *http.Request) {
	c, ok := s.connection(r.Context(), r.URL.Query().Get("connection_id"))
	if !ok {
		problem(w, http.StatusNotFound, "not_found", "connection_id: not a sandbox connection")
		return
	}
	keep := s.filter(r)
	items := []map[string]any{}
	switch c.Kind {
	case hub.KindWABA:
		reacted := s.Sandbox.Graph.Signals().Reactions
		for _, m := range s.Sandbox.Graph.Inbox(c.ExternalID) {
			if !keep(m.From) {
				continue
			}
			items = append(items, map[string]any{"external_id": m.ExternalID, "from": "+" + m.From, "type": m.Type,
				"text": m.Text, "reply_to": m.ReplyTo, "created_at": m.CreatedAt, "business_reaction": reacted[m.ExternalID]})
		}
	case hub.KindTelegramBot:
		reacted := s.Sandbox.BotAPI.Signals().Reactions
		for _, m := range s.Sandbox.BotAPI.Inbox(messengers.BotID) {
			if !keep(strconv.FormatInt(m.ChatID, 10)) {
				continue
			}
			items = append(items, map[string]any{"external_id": m.ExternalID, "from": strconv.FormatInt(m.From, 10),
				"chat": strconv.FormatInt(m.ChatID, 10), "type": m.Type, "text": m.Text, "created_at": m.CreatedAt,
				"business_reaction": reacted[m.ExternalID]})
		}
	case hub.KindMaxBot:
		for _, m := range s.Sandbox.MaxAPI.Inbox(messengers.MaxBotID) {
			if !keep(strconv.FormatInt(m.ChatID, 10)) {
				continue
			}
			items = append(items, map[string]any{"external_id": m.ExternalID, "from": strconv.FormatInt(m.From, 10),
				"chat": strconv.FormatInt(m.ChatID, 10), "type": m.Type, "text": m.Text, "created_at": m.CreatedAt})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (s *Simulator) redeliver(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ExternalID string `json:"external_id"`
	}
	if err := decode(r, &in); err != nil || in.ExternalID == "" {
		problem(w, http.StatusBadRequest, "bad_request", `expected {"external_id": "..."}`)
		return
	}
	found, err := s.Sandbox.Graph.Redeliver(in.ExternalID)
	if !found {
		found, err = s.Sandbox.BotAPI.Redeliver(in.ExternalID)
	}
	if !found {
		found, err = s.Sandbox.MaxAPI.Redeliver(in.ExternalID)
	}
	switch {
	case !found:
		problem(w, http.StatusNotFound, "not_found", "external_id: no such customer message")
	case err != nil:
		problem(w, http.StatusBadGateway, "delivery_failed", err.Error())
	default:
		writeJSON(w, http.StatusAccepted, map[string]string{"external_id": in.ExternalID})
	}
}

// read is the customer looking at the chat: WhatsApp sends read statuses for what the hub sent.
func (s *Simulator) read(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ConnectionID string   `json:"connection_id"`
		ExternalIDs  []string `json:"external_ids"`
	}
	if err := decode(r, &in); err != nil {
		problem(w, http.StatusBadRequest, "bad_request", `expected {"connection_id", "external_ids": [...]}`)
		return
	}
	c, ok := s.connection(r.Context(), in.ConnectionID)
	if !ok {
		problem(w, http.StatusNotFound, "not_found", "connection_id: not a sandbox connection")
		return
	}
	n := 0
	if c.Kind == hub.KindWABA && len(in.ExternalIDs) > 0 {
		n = s.Sandbox.Graph.MarkRead(c.ExternalID, in.ExternalIDs)
	}
	writeJSON(w, http.StatusOK, map[string]int{"read": n})
}

// filter keeps one conversation when the query names it: phone= (WhatsApp, as typed) or
// chat= (Telegram or MAX chat id: the user id of a dialog, the group's id); with neither, everything.
func (s *Simulator) filter(r *http.Request) func(string) bool {
	q := r.URL.Query()
	want := q.Get("chat")
	if p := q.Get("phone"); p != "" {
		want, _ = s.waID(p)
		if want == "" {
			want = "-"
		}
	}
	return func(v string) bool { return want == "" || v == want }
}

// waID reads the customer's phone as typed into WhatsApp's id (international digits).
func (s *Simulator) waID(raw string) (string, error) {
	s.mu.Lock()
	country := s.country
	s.mu.Unlock()
	e, err := phone.E164(raw, country)
	if err != nil {
		return "", errors.New("from.phone: not a valid phone number")
	}
	return strings.TrimPrefix(e, "+"), nil
}
