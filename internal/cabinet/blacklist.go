package cabinet

import (
	"errors"
	"net/http"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/respond"
	"github.com/switchboardhq/switchboard/internal/store"
)

// cabinetBlacklist answers GET /api/cabinet/v1/blacklist: each blocked contact, who blocked it
// and when, and how many of its messages were refused since (F27, F28).
func (a *API) cabinetBlacklist(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ws := httpapi.CallerOf(ctx).Workspace
	entries, err := a.Store.Blacklist(ctx, ws.ID)
	if err != nil {
		return err
	}
	names, err := a.employeeNames(r)
	if err != nil {
		return err
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ContactID
	}
	contacts, err := a.Store.ContactsByIDs(ctx, ws.ID, ids)
	if err != nil {
		return err
	}
	items := make([]map[string]any, 0, len(entries))
	for _, e := range entries {
		c := contacts[e.ContactID]
		phones := c.Phones
		if phones == nil {
			phones = []string{}
		}
		items = append(items, map[string]any{
			"contact": map[string]any{"id": c.ID, "name": c.Name, "phones": phones,
				"telegram_username": c.TelegramUsername, "telegram_user_id": c.TelegramUserID},
			"blocked_by": map[string]string{"id": e.BlockedBy, "name": names[e.BlockedBy]},
			"blocked_at": e.BlockedAt, "refused_count": e.RefusedCount,
		})
	}
	respond.JSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// hiddenLimit bounds the hidden messages the blacklist shows of one contact.
const hiddenLimit = 200

// cabinetHiddenMessages answers GET /api/cabinet/v1/blacklist/{contact_id}/messages: what the
// blocked contact wrote that was kept out of the chats (F28), newest first (at most 200).
func (a *API) cabinetHiddenMessages(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ws := httpapi.CallerOf(ctx).Workspace
	contact, err := a.Store.Contact(ctx, ws.ID, r.PathValue("contact_id"))
	if errors.Is(err, store.ErrNotFound) || err == nil && !contact.Blocked {
		return apierr.NotFound.Because(errors.New("no such blocked contact"))
	} else if err != nil {
		return err
	}
	ms, err := a.Store.HiddenMessages(ctx, ws.ID, contact.ID, hiddenLimit)
	if err != nil {
		return err
	}
	items := make([]map[string]any, 0, len(ms))
	for _, m := range ms {
		files := make([]map[string]any, 0, len(m.Attachments))
		for _, f := range m.Attachments {
			files = append(files, map[string]any{"name": f.Name, "mime": f.MIME, "size": f.Size})
		}
		items = append(items, map[string]any{"id": m.ID, "chat_id": m.ChatID, "connection_id": m.ConnectionID,
			"type": m.Type, "text": m.Text, "attachments": files, "created_at": m.CreatedAt})
	}
	respond.JSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// cabinetUnblock answers DELETE /api/cabinet/v1/blacklist/{contact_id} → 204: the contact's
// messages reach its chats again.
func (a *API) cabinetUnblock(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := httpapi.CallerOf(ctx)
	id := r.PathValue("contact_id")
	contact, err := a.Store.Contact(ctx, c.Workspace.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return apierr.NotFound.Because(err)
	} else if err != nil {
		return err
	}
	if !contact.Blocked {
		return apierr.NotFound.Because(errors.New("contact is not blocked"))
	}
	if _, err := a.Store.SetBlocked(ctx, c.Workspace.ID, id, c.Employee.ID, false); err != nil {
		return err
	}
	a.audit(r, "contact.unblock", id, map[string]any{"name": contact.Name})
	w.WriteHeader(http.StatusNoContent)
	return nil
}
