package amocrm

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
)

// user is a CRM user of a sandbox account.
type user struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	Lang         string `json:"lang"`
	GroupID      int64  `json:"group_id"`
	IsAdmin      bool   `json:"is_admin"`
	ContactsView string `json:"contacts_view"`
	LeadsView    string `json:"leads_view"`
}

type group struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// value is one value of a multitext field (PHONE, EMAIL, IM).
type value struct {
	Value    string `json:"value"`
	EnumCode string `json:"enum_code"`
}

type contact struct {
	ID                int64              `json:"id"`
	Name              string             `json:"name"`
	ResponsibleUserID int64              `json:"responsible_user_id"`
	Fields            map[string][]value `json:"fields"`
	UpdatedAt         int64              `json:"updated_at"`
}

type lead struct {
	ID                int64   `json:"id"`
	Name              string  `json:"name"`
	Price             int64   `json:"price"`
	ResponsibleUserID int64   `json:"responsible_user_id"`
	StatusID          int64   `json:"status_id"`
	ContactIDs        []int64 `json:"contact_ids"` // main contact first
	UpdatedAt         int64   `json:"updated_at"`
	// Incoming: an incoming lead (Неразобранное) a chat made, until a manager accepts it.
	Incoming bool `json:"incoming,omitempty"`
	// SourceID is the source an incoming lead came from.
	SourceID int64 `json:"source_id,omitempty"`
}

type account struct {
	ID        int64      `json:"id"`
	Code      string     `json:"code"` // "demo" or "fresh": how the sandbox's pages name it
	Subdomain string     `json:"subdomain"`
	Name      string     `json:"name"`
	Country   string     `json:"country"`
	Groups    []group    `json:"groups"`
	Users     []user     `json:"users"`
	Contacts  []*contact `json:"contacts"`
	Leads     []*lead    `json:"leads"`
	Hooks     []string   `json:"hooks"` // webhook destinations
	NextID    int64      `json:"next_id"`
	// ChatLinks tie amojo chats to contacts (/api/v4/contacts/chats).
	ChatLinks []chatLink `json:"chat_links,omitempty"`
	Sources   []*source  `json:"sources,omitempty"`
}

// chatLink ties an amojo chat to a contact.
type chatLink struct {
	ChatID    string `json:"chat_id"`
	ContactID int64  `json:"contact_id"`
}

// source is an integration's lead source (/api/v4/sources): the pipeline its incoming leads go to.
type source struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	ExternalID string `json:"external_id"`
	PipelineID int64  `json:"pipeline_id"`
	WABA       bool   `json:"waba,omitempty"`
}

// grant is an issued OAuth token.
type grant struct {
	Account   string `json:"account"`
	UserID    int64  `json:"user_id"`
	ExpiresAt int64  `json:"expires_at"` // Unix seconds
	Used      bool   `json:"used,omitempty"`
}

// state is everything the sandbox CRM knows, kept in the sandbox's store, so a restart keeps the
// CRM's changes and issued tokens (as a real CRM would) and every instance sees the same CRM.
type state struct {
	Accounts map[string]*account `json:"accounts"`
	Access   map[string]grant    `json:"access_tokens"`
	Refresh  map[string]grant    `json:"refresh_tokens"`
	// Codes are authorization codes (20 minutes, single use).
	Codes map[string]grant `json:"codes,omitempty"`
}

func (a *account) user(id int64) (user, bool) {
	i := slices.IndexFunc(a.Users, func(u user) bool { return u.ID == id })
	if i < 0 {
		return user{}, false
	}
	return a.Users[i], true
}

func (a *account) contact(id int64) *contact {
	i := slices.IndexFunc(a.Contacts, func(c *contact) bool { return c.ID == id })
	if i < 0 {
		return nil
	}
	return a.Contacts[i]
}

func (a *account) lead(id int64) *lead {
	i := slices.IndexFunc(a.Leads, func(l *lead) bool { return l.ID == id })
	if i < 0 {
		return nil
	}
	return a.Leads[i]
}

// leadsOf lists the deals a contact is on.
func (a *account) leadsOf(contactID int64) []int64 {
	var ids []int64
	for _, l := range a.Leads {
		if slices.Contains(l.ContactIDs, contactID) {
			ids = append(ids, l.ID)
		}
	}
	return ids
}

func loadState(path string) (*state, error) {
	if path == "" {
		return nil, os.ErrNotExist
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s state
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("sandbox amocrm: %s: %w", path, err)
	}
	if s.Accounts == nil || s.Access == nil || s.Refresh == nil {
		return nil, errors.New("sandbox amocrm: " + path + " is incomplete")
	}
	return &s, nil
}
