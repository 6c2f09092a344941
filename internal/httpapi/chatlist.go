package httpapi

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/respond"
	"github.com/switchboardhq/switchboard/internal/store"
)

// minSearch is the shortest query that searches (F9).
const minSearch = 4

// contactEntryJSON and groupEntryJSON are the two kinds of list entry; a contact entry always
// carries its chats and the one to open, so the window never meets a half entry.
type contactEntryJSON struct {
	Type       string      `json:"type"`
	Contact    contactJSON `json:"contact"`
	Chats      []chatJSON  `json:"chats"`
	OpenChatID string      `json:"open_chat_id"`
}

type groupEntryJSON struct {
	Type string   `json:"type"`
	Chat chatJSON `json:"chat"`
}

// listChats answers GET /api/v1/chats (F8–F12, F30, F31).
func (s *Server) listChats(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := callerOf(ctx)
	q, err := s.parseListQuery(r)
	if err != nil {
		return err
	}
	a, err := s.access(ctx)
	if err != nil {
		return err
	}
	q.WorkspaceID, q.Access, q.Country = c.Workspace.ID, a, c.Workspace.Country
	if err := s.checkScope(r, a, q); err != nil {
		return err
	}
	entries, err := s.Store.ChatList(ctx, q)
	if err != nil {
		return err
	}
	v, err := s.viewFor(ctx)
	if err != nil {
		return err
	}
	items := make([]any, 0, len(entries))
	for _, e := range entries {
		if e.Group != nil {
			items = append(items, groupEntryJSON{Type: "group", Chat: v.chat(*e.Group, nil)})
			continue
		}
		entry := contactEntryJSON{Type: "contact", Contact: v.contact(*e.Contact), Chats: make([]chatJSON, 0, len(e.Chats))}
		for _, ch := range e.Chats {
			entry.Chats = append(entry.Chats, v.chat(ch, e.Contact))
		}
		if len(e.Chats) > 0 {
			entry.OpenChatID = e.Chats[0].ID // most recently active (F8, F12)
		}
		items = append(items, entry)
	}
	var next *string
	if len(entries) == q.Limit {
		cur := encodeListCursor(entries[len(entries)-1].Cursor)
		next = &cur
	}
	respond.JSON(w, http.StatusOK, page{Items: items, NextCursor: next})
	return nil
}

// parseListQuery reads exactly one scope, the search, the cursor and the limit.
func (s *Server) parseListQuery(r *http.Request) (store.ChatListQuery, error) {
	p := r.URL.Query()
	var q store.ChatListQuery
	scopes := 0
	if p.Has("scope") {
		if p.Get("scope") != "all" {
			return q, apierr.BadRequest.Because(errors.New("scope must be all"))
		}
		q.Groups = true
		scopes++
	}
	for name, dst := range map[string]*int64{"crm_lead_id": &q.CRMLeadID, "crm_contact_id": &q.CRMContactID} {
		if !p.Has(name) {
			continue
		}
		id, err := cardParam(p, name)
		if err != nil {
			return q, err
		}
		*dst = id
		scopes++
	}
	if scopes != 1 {
		return q, apierr.BadRequest.Because(errors.New("exactly one of scope=all, crm_lead_id, crm_contact_id"))
	}
	if p.Has("q") {
		if !q.Groups {
			return q, apierr.BadRequest.Because(errors.New("search is only for scope=all"))
		}
		text := strings.TrimSpace(p.Get("q"))
		if utf8.RuneCountInString(text) < minSearch {
			return q, apierr.QueryTooShort
		}
		if len(text) > 200 {
			return q, apierr.BadRequest.Because(errors.New("search query too long"))
		}
		q.Search = text
	}
	if raw := p.Get("cursor"); raw != "" {
		cur, err := decodeListCursor(raw)
		if err != nil {
			return q, apierr.BadRequest.Because(err)
		}
		q.After = &cur
	}
	q.Limit = limitOf(r)
	return q, nil
}

// checkScope refuses a deal or contact card the employee may not view in the CRM (F30),
// after refreshing it from the CRM when the card opens (the first page; F33) or waiting for the
// refresh its session started. A refresh that let the employee in serves the card's next first
// page for a few seconds (refreshCRM); one that kept them out does not, so a deal handed to them
// opens on the next try.
func (s *Server) checkScope(r *http.Request, a hub.Access, q store.ChatListQuery) error {
	ctx := r.Context()
	ws := callerOf(ctx).Workspace
	opening := q.After == nil
	var card cardKey
	var allowed bool
	switch {
	case q.CRMLeadID != 0:
		card = cardKey{ws.ID, "lead", q.CRMLeadID}
		if opening {
			if err := s.refreshCRM(ctx, ws, card); err != nil {
				return err
			}
		}
		ref, err := s.Store.CRMLeadRef(ctx, ws.ID, q.CRMLeadID)
		if err != nil {
			return err
		}
		allowed = a.CRMLead(ref)
	case q.CRMContactID != 0:
		card = cardKey{ws.ID, "contact", q.CRMContactID}
		if opening {
			if err := s.refreshCRM(ctx, ws, card); err != nil {
				return err
			}
		}
		ref, leads, err := s.Store.CRMContactRef(ctx, ws.ID, q.CRMContactID)
		if err != nil {
			return err
		}
		allowed = a.Contact(hub.ContactLinks{CRMContacts: []hub.CRMRef{ref}, Leads: leads})
	default:
		return nil
	}
	if !allowed {
		s.cards.fresh.Forget(card)
		return apierr.CRMAccessDenied
	}
	return nil
}

// cardParam reads a card's id from the query parameter name (crm_lead_id, crm_contact_id): 0
// when absent, 400 when not a positive integer.
func cardParam(p url.Values, name string) (int64, error) {
	if !p.Has(name) {
		return 0, nil
	}
	id, err := strconv.ParseInt(p.Get(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apierr.BadRequest.Because(fmt.Errorf("%s must be a positive integer", name))
	}
	return id, nil
}

// encodeListCursor makes a list position opaque to clients.
func encodeListCursor(c store.ListCursor) string {
	u := 0
	if c.Unanswered {
		u = 1
	}
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d|%d|%s", u, c.ActivityAt, c.ID))
}

func decodeListCursor(s string) (store.ListCursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return store.ListCursor{}, fmt.Errorf("bad cursor: %w", err)
	}
	parts := strings.SplitN(string(raw), "|", 3)
	if len(parts) != 3 || (parts[0] != "0" && parts[0] != "1") || parts[2] == "" {
		return store.ListCursor{}, errors.New("bad cursor")
	}
	ts, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return store.ListCursor{}, fmt.Errorf("bad cursor: %w", err)
	}
	return store.ListCursor{Unanswered: parts[0] == "1", ActivityAt: ts, ID: parts[2]}, nil
}
