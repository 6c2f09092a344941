package amocrm

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/store"
)

// UserRefreshInterval is how often the CRM's users, rights and languages are re-read, so a
// change shows in the chat window within 10 minutes (F34).
const UserRefreshInterval = 5 * time.Minute

// Sync caches the account's users with rights, then every contact and deal (with its contacts),
// as background work (a card opened meanwhile goes first).
func (a *Adapter) Sync(ctx context.Context, ws hub.Workspace) error {
	ctx = Background(ctx)
	if err := a.SyncUsers(ctx, ws); err != nil {
		return err
	}
	err := eachPage(ctx, a, ws, "/api/v4/contacts", "contacts", url.Values{}, func(cs []Contact) error {
		for _, c := range cs {
			if err := a.saveContact(ctx, ws, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return eachPage(ctx, a, ws, "/api/v4/leads", "leads", url.Values{"with": {"contacts"}}, func(ls []Lead) error {
		for _, l := range ls {
			if err := a.saveLead(ctx, ws, l); err != nil {
				return err
			}
		}
		return nil
	})
}

// SyncUsers caches every CRM user and brings the workspace's employees' name, e-mail, role and
// language in line with the CRM (F3, F34).
func (a *Adapter) SyncUsers(ctx context.Context, ws hub.Workspace) error {
	users, err := a.Users(ctx, ws)
	if err != nil {
		return err
	}
	byID := map[int64]User{}
	for _, u := range users {
		if err := a.saveUser(ctx, ws, u); err != nil {
			return err
		}
		byID[u.ID] = u
	}
	emps, err := a.store.Employees(ctx, ws.ID)
	if err != nil {
		return err
	}
	for _, e := range emps {
		u, ok := byID[e.CRMUserID]
		if !ok {
			continue
		}
		if want := employeeFrom(ws, u); want.Name != e.Name || want.Email != e.Email || want.Role != e.Role || want.Lang != e.Lang {
			if _, _, err := a.store.ProvisionEmployee(ctx, want); err != nil {
				return err
			}
		}
	}
	return nil
}

// employeeFrom is the employee profile a CRM user gets: name and e-mail from the CRM, role
// Manager unless the CRM says admin (F2, F3), language ru/es/else en (F34).
func employeeFrom(ws hub.Workspace, u User) hub.Employee {
	role := hub.RoleManager
	if u.flags().IsAdmin {
		role = hub.RoleAdmin
	}
	return hub.Employee{WorkspaceID: ws.ID, CRMUserID: u.ID, Name: u.Name, Email: u.Email, Role: role, Lang: i18n.Lang(u.Lang)}
}

func (a *Adapter) saveUser(ctx context.Context, ws hub.Workspace, u User) error {
	f := u.flags()
	active := f.IsActive == nil || *f.IsActive
	rights := string(u.Rights)
	if rights == "" || rights == "null" {
		rights = "{}"
	}
	return a.store.SaveCRMUser(ctx, ws.ID, store.CRMUser{ID: u.ID, Name: u.Name, Email: u.Email, Lang: u.Lang,
		GroupID: f.GroupID, IsAdmin: f.IsAdmin, IsActive: active, ContactsView: f.Contacts.View, LeadsView: f.Leads.View,
		Rights: rights, FetchedAt: a.now()})
}

func (a *Adapter) saveContact(ctx context.Context, ws hub.Workspace, c Contact) error {
	return a.store.SaveCRMContact(ctx, ws.ID, store.CRMEntity{ID: c.ID, Name: c.Name,
		ResponsibleUserID: c.ResponsibleUserID, FetchedAt: a.now()})
}

func (a *Adapter) saveLead(ctx context.Context, ws hub.Workspace, l Lead) error {
	return a.store.SaveCRMLead(ctx, ws.ID, store.CRMEntity{ID: l.ID, Name: l.Name,
		ResponsibleUserID: l.ResponsibleUserID, FetchedAt: a.now()}, l.ContactIDs())
}

// RefreshLead re-reads a deal, its contacts (in one request: a card's refresh waits for two
// reads, not one per contact) and their responsible users from the CRM into the cache. The chat
// window calls it when opened from a deal card (F33); webhooks call it when the CRM reports a
// change. A deal the CRM no longer has gives an APIError with status 404.
func (a *Adapter) RefreshLead(ctx context.Context, ws hub.Workspace, leadID int64) error {
	l, err := a.Lead(ctx, ws, leadID)
	if err != nil {
		return err
	}
	if err := a.ensureUser(ctx, ws, l.ResponsibleUserID); err != nil {
		return err
	}
	if ids := l.ContactIDs(); len(ids) > 0 {
		cs, err := a.ContactsByID(ctx, ws, ids)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if err := a.ensureUser(ctx, ws, c.ResponsibleUserID); err != nil {
				return err
			}
			if err := a.saveContact(ctx, ws, c); err != nil {
				return err
			}
		}
	}
	return a.saveLead(ctx, ws, l)
}

// RefreshContact re-reads a contact and its responsible user from the CRM into the cache.
func (a *Adapter) RefreshContact(ctx context.Context, ws hub.Workspace, id int64) error {
	c, err := a.Contact(ctx, ws, id)
	if err != nil {
		return err
	}
	if err := a.ensureUser(ctx, ws, c.ResponsibleUserID); err != nil {
		return err
	}
	return a.saveContact(ctx, ws, c)
}

// ensureUser caches a responsible user the hub has not seen (a user added after the last sync),
// since a group right cannot be judged without the user's group.
func (a *Adapter) ensureUser(ctx context.Context, ws hub.Workspace, id int64) error {
	if id == 0 {
		return nil
	}
	if _, err := a.store.CRMUser(ctx, ws.ID, id); !errors.Is(err, store.ErrNotFound) {
		return err
	}
	u, err := a.User(ctx, ws, id)
	if err != nil {
		return err
	}
	return a.saveUser(ctx, ws, u)
}

// RefreshUsersLoop re-reads every connected workspace's users each UserRefreshInterval until ctx
// ends. A failure is logged and retried on the next round.
func (a *Adapter) RefreshUsersLoop(ctx context.Context) {
	ctx = Background(ctx)
	t := time.NewTicker(UserRefreshInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		wss, err := a.store.Workspaces(ctx)
		if err != nil {
			slog.Warn("amocrm: list workspaces", "err", err)
			continue
		}
		for _, ws := range wss {
			if ws.CRMKind != CRMKind {
				continue
			}
			if err := a.SyncUsers(ctx, ws); err != nil && !errors.Is(err, ErrNotInstalled) {
				slog.Warn("amocrm: refresh users", "workspace", ws.ID, "err", err)
			}
		}
	}
}
