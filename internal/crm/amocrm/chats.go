package amocrm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/store"
)

// The REST side of amoCRM's own chats (package amojo is the Chats API side): amojo ids, chats
// linked to contacts, the integration's sources and the pipelines they point at.

// AccountAmojoID reads the account's amojo id, which connecting the chats channel names.
func (a *Adapter) AccountAmojoID(ctx context.Context, ws hub.Workspace) (string, error) {
	var acc struct {
		AmojoID string `json:"amojo_id"`
	}
	if err := a.call(ctx, ws, http.MethodGet, "/api/v4/account?with=amojo_id", nil, &acc); err != nil {
		return "", err
	}
	if acc.AmojoID == "" {
		return "", fmt.Errorf("amocrm: the account has no amojo_id")
	}
	return acc.AmojoID, nil
}

// UserAmojoIDs maps every CRM user to their amojo id.
func (a *Adapter) UserAmojoIDs(ctx context.Context, ws hub.Workspace) (map[int64]string, error) {
	out := map[int64]string{}
	type user struct {
		ID      int64  `json:"id"`
		AmojoID string `json:"amojo_id"`
	}
	return out, eachPage(ctx, a, ws, "/api/v4/users", "users", url.Values{"with": {"amojo_id"}}, func(us []user) error {
		for _, u := range us {
			if u.AmojoID != "" {
				out[u.ID] = u.AmojoID
			}
		}
		return nil
	})
}

// ChatContact returns the contact an amojo chat is linked to (0 when none yet).
func (a *Adapter) ChatContact(ctx context.Context, ws hub.Workspace, chatID string) (int64, error) {
	var p page[struct {
		ChatID    string `json:"chat_id"`
		ContactID int64  `json:"contact_id"`
	}]
	if err := a.call(ctx, ws, http.MethodGet, "/api/v4/contacts/chats?"+url.Values{"chat_id[]": {chatID}}.Encode(), nil, &p); err != nil {
		return 0, err
	}
	for _, l := range p.Embedded["chats"] {
		if l.ChatID == chatID {
			return l.ContactID, nil
		}
	}
	return 0, nil
}

// LinkChat links an amojo chat to a contact, so its messages go to the contact's deal and no
// incoming lead is made.
func (a *Adapter) LinkChat(ctx context.Context, ws hub.Workspace, chatID string, contactID int64) error {
	body := []map[string]any{{"chat_id": chatID, "contact_id": contactID}}
	return a.call(ctx, ws, http.MethodPost, "/api/v4/contacts/chats", body, nil)
}

// FindContacts finds the CRM contacts of a hub contact by its phones, else its Telegram
// identity, without creating one (amoCRM makes the contact of a new customer with its incoming
// lead when the chats mirror is on). Found contacts are cached.
func (a *Adapter) FindContacts(ctx context.Context, ws hub.Workspace, c hub.Contact) ([]int64, error) {
	var ids []int64
	for _, p := range c.Phones {
		found, err := a.SearchContacts(ctx, ws, store.Digits(p))
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			if slices.ContainsFunc(f.Values(FieldPhone), func(v string) bool { return phoneKey(v) == phoneKey(p) }) {
				ids = appendNew(ids, f.ID)
			}
		}
	}
	if tg := telegramValue(c.TelegramUserID, c.TelegramUsername); len(ids) == 0 && tg != "" {
		found, err := a.SearchContacts(ctx, ws, strings.TrimPrefix(tg, "@"))
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			if slices.ContainsFunc(f.Values(FieldIM), func(v string) bool { return strings.EqualFold(v, tg) }) {
				ids = appendNew(ids, f.ID)
			}
		}
	}
	for _, id := range ids {
		if err := a.RefreshContact(ctx, ws, id); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// Pipeline is a sales pipeline with its stages.
type Pipeline struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	IsMain   bool   `json:"is_main"`
	Embedded struct {
		Statuses []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
			Type int    `json:"type"` // 1: incoming leads
		} `json:"statuses"`
	} `json:"_embedded"`
}

// Pipelines lists the account's pipelines.
func (a *Adapter) Pipelines(ctx context.Context, ws hub.Workspace) ([]Pipeline, error) {
	var p page[Pipeline]
	if err := a.call(ctx, ws, http.MethodGet, "/api/v4/leads/pipelines", nil, &p); err != nil {
		return nil, err
	}
	return p.Embedded["pipelines"], nil
}

// Source is one of the integration's lead sources: amojo messages name it by ExternalID, and
// its pipeline receives their incoming leads. WABA marks a WhatsApp Business number, which
// switches on amoCRM's template tools and Salesbot's "send message".
type Source struct {
	ID         int64  `json:"id,omitempty"`
	Name       string `json:"name"`
	ExternalID string `json:"external_id"`
	PipelineID int64  `json:"pipeline_id,omitempty"`
	WABA       bool   `json:"waba"`
}

// SaveSource creates the source (ID 0) or updates it, and returns its id.
func (a *Adapter) SaveSource(ctx context.Context, ws hub.Workspace, s Source) (int64, error) {
	method := http.MethodPost
	if s.ID != 0 {
		method = http.MethodPatch
	}
	var p page[Source]
	if err := a.call(ctx, ws, method, "/api/v4/sources", []Source{s}, &p); err != nil {
		return 0, err
	}
	got := p.Embedded["sources"]
	if len(got) != 1 || got[0].ID == 0 {
		return 0, fmt.Errorf("amocrm: save source: the CRM returned no source")
	}
	return got[0].ID, nil
}

// SourceByExternalID finds the integration's source with that external id (ok=false: none).
func (a *Adapter) SourceByExternalID(ctx context.Context, ws hub.Workspace, externalID string) (Source, bool, error) {
	var p page[Source]
	if err := a.call(ctx, ws, http.MethodGet, "/api/v4/sources?"+url.Values{"filter[external_id]": {externalID}}.Encode(), nil, &p); err != nil {
		return Source{}, false, err
	}
	for _, s := range p.Embedded["sources"] {
		if s.ExternalID == externalID {
			return s, true, nil
		}
	}
	return Source{}, false, nil
}

// ContactDeals reads the deals a CRM contact belongs to and caches them, with their contacts.
func (a *Adapter) ContactDeals(ctx context.Context, ws hub.Workspace, contactID int64) ([]int64, error) {
	var c struct {
		Embedded struct {
			Leads []struct {
				ID int64 `json:"id"`
			} `json:"leads"`
		} `json:"_embedded"`
	}
	if err := a.call(ctx, ws, http.MethodGet, fmt.Sprintf("/api/v4/contacts/%d?with=leads", contactID), nil, &c); err != nil {
		return nil, err
	}
	var ids []int64
	for _, l := range c.Embedded.Leads {
		if err := a.RefreshLead(ctx, ws, l.ID); err != nil {
			return nil, err
		}
		ids = append(ids, l.ID)
	}
	return ids, nil
}

// EmployeeFor returns the hub employee of a CRM user, provisioning one on first sight (a
// manager who answered in amoCRM's own chats before ever opening the chat window): name and
// e-mail from the CRM, admin when the CRM says so, language ru/es/else en (F2, F3, F34).
func (a *Adapter) EmployeeFor(ctx context.Context, ws hub.Workspace, crmUserID int64) (hub.Employee, error) {
	u, err := a.currentUser(ctx, ws, crmUserID)
	if err != nil {
		return hub.Employee{}, err
	}
	role := hub.RoleManager
	if u.IsAdmin {
		role = hub.RoleAdmin
	}
	emp, _, err := a.store.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: ws.ID, CRMUserID: u.ID, Name: u.Name,
		Email: u.Email, Role: role, Lang: i18n.Lang(u.Lang)})
	return emp, err
}
