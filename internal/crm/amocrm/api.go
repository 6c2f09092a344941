package amocrm

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// pageLimit is the CRM's largest page.
const pageLimit = 250

// Account reads the account the workspace is.
func (a *Adapter) Account(ctx context.Context, ws hub.Workspace) (Account, error) {
	var acc Account
	return acc, a.call(ctx, ws, http.MethodGet, "/api/v4/account", nil, &acc)
}

// Users lists every CRM user with rights and group (admin token only, which the install's is).
func (a *Adapter) Users(ctx context.Context, ws hub.Workspace) ([]User, error) {
	var all []User
	return all, eachPage(ctx, a, ws, "/api/v4/users", "users", url.Values{"with": {"role,group"}}, func(us []User) error {
		all = append(all, us...)
		return nil
	})
}

// User reads one CRM user.
func (a *Adapter) User(ctx context.Context, ws hub.Workspace, id int64) (User, error) {
	var u User
	return u, a.call(ctx, ws, http.MethodGet, fmt.Sprintf("/api/v4/users/%d?with=role,group", id), nil, &u)
}

// Lead reads one deal with its contacts.
func (a *Adapter) Lead(ctx context.Context, ws hub.Workspace, id int64) (Lead, error) {
	var l Lead
	return l, a.call(ctx, ws, http.MethodGet, fmt.Sprintf("/api/v4/leads/%d?with=contacts", id), nil, &l)
}

// Contact reads one contact.
func (a *Adapter) Contact(ctx context.Context, ws hub.Workspace, id int64) (Contact, error) {
	var c Contact
	return c, a.call(ctx, ws, http.MethodGet, fmt.Sprintf("/api/v4/contacts/%d", id), nil, &c)
}

// ContactsByID reads the contacts with these ids, a page of up to 250 per request
// (filter[id][]); one the CRM no longer has is left out.
func (a *Adapter) ContactsByID(ctx context.Context, ws hub.Workspace, ids []int64) ([]Contact, error) {
	q := url.Values{}
	for _, id := range ids {
		q.Add("filter[id][]", strconv.FormatInt(id, 10))
	}
	var all []Contact
	return all, eachPage(ctx, a, ws, "/api/v4/contacts", "contacts", q, func(cs []Contact) error {
		all = append(all, cs...)
		return nil
	})
}

// SearchContacts finds contacts by the CRM's full-text query (a phone's digits, a name, an
// e-mail); at most one page.
func (a *Adapter) SearchContacts(ctx context.Context, ws hub.Workspace, query string) ([]Contact, error) {
	var p page[Contact]
	q := url.Values{"query": {query}, "limit": {"50"}}
	if err := a.call(ctx, ws, http.MethodGet, "/api/v4/contacts?"+q.Encode(), nil, &p); err != nil {
		return nil, err
	}
	return p.Embedded["contacts"], nil
}

// CreateContact creates a contact assigned to a responsible user (F31a) and returns it as the
// CRM keeps it. amoCRM answers a create with ids only and assigns a contact sent without a
// responsible user to the token's user (the installer), so the contact is read back: the cache
// holds the responsible user the CRM actually assigned, and colleagues with group rights over
// that user see the customer at once.
func (a *Adapter) CreateContact(ctx context.Context, ws hub.Workspace, c Contact) (Contact, error) {
	var p page[Contact]
	if err := a.call(ctx, ws, http.MethodPost, "/api/v4/contacts", []Contact{c}, &p); err != nil {
		return Contact{}, err
	}
	created := p.Embedded["contacts"]
	if len(created) != 1 || created[0].ID == 0 {
		return Contact{}, fmt.Errorf("amocrm: create contact: the CRM returned no contact")
	}
	c.ID = created[0].ID
	back, err := a.Contact(ctx, ws, c.ID)
	if err != nil {
		// Created, but not read back: cache what was sent, so the customer is linked; a webhook
		// or the next card open brings the CRM's own assignment.
		slog.Warn("amocrm: read back a created contact", "contact", c.ID, "err", err)
		return c, a.store.SaveCRMContact(ctx, ws.ID, store.CRMEntity{ID: c.ID, Name: c.Name, ResponsibleUserID: c.ResponsibleUserID})
	}
	if err := a.ensureUser(ctx, ws, back.ResponsibleUserID); err != nil {
		return back, err
	}
	return back, a.saveContact(ctx, ws, back)
}

// addValue re-reads the contact and writes the field back with the new value appended: a PATCH
// replaces a multitext field's whole list, so the existing values must be sent along.
func (a *Adapter) addValue(ctx context.Context, ws hub.Workspace, contactID int64, code string, v FieldValue,
	norm func(string) string) error {
	c, err := a.Contact(ctx, ws, contactID)
	if err != nil {
		return err
	}
	field := CustomField{FieldCode: code}
	if f := c.Field(code); f != nil {
		field = *f
		field.FieldCode = code
	}
	for _, have := range field.Values {
		if norm(have.String()) == norm(v.String()) {
			return nil
		}
	}
	field.Values = append(field.Values, v)
	patch := map[string]any{"custom_fields_values": []CustomField{field}}
	return a.call(ctx, ws, http.MethodPatch, fmt.Sprintf("/api/v4/contacts/%d", contactID), patch, nil)
}

// eachPage walks a HAL list page by page until the CRM gives no next link (or 204).
func eachPage[T any](ctx context.Context, a *Adapter, ws hub.Workspace, path, key string, q url.Values,
	fn func([]T) error) error {
	for n := 1; ; n++ {
		q.Set("page", fmt.Sprint(n))
		q.Set("limit", fmt.Sprint(pageLimit))
		var p page[T]
		if err := a.call(ctx, ws, http.MethodGet, path+"?"+q.Encode(), nil, &p); err != nil {
			return err
		}
		items := p.Embedded[key]
		if len(items) > 0 {
			if err := fn(items); err != nil {
				return err
			}
		}
		if p.Links.Next == nil || len(items) == 0 {
			return nil
		}
	}
}
