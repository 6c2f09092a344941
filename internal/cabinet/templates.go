package cabinet

import (
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/respond"
	"github.com/switchboardhq/switchboard/internal/store"
)

type cabinetTemplateJSON struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Name      string    `json:"name"`
	Language  string    `json:"language"`
	Body      string    `json:"body"`
	Params    int       `json:"params"`
	Status    string    `json:"status"`
	Category  string    `json:"category"`
	UpdatedAt time.Time `json:"updated_at"`
}

func renderTemplates(ts []hub.Template, kind string) []cabinetTemplateJSON {
	out := make([]cabinetTemplateJSON, 0, len(ts))
	for _, t := range ts {
		if t.Kind == kind {
			out = append(out, cabinetTemplateJSON{ID: t.ID, Kind: t.Kind, Name: t.Name, Language: t.Language, Body: t.Body,
				Params: t.Params, Status: t.Status, Category: t.Category, UpdatedAt: t.UpdatedAt})
		}
	}
	return out
}

// cabinetTemplates answers GET /api/cabinet/v1/connections/{id}/templates: the WABA templates
// as last synced, with their review status.
func (a *API) cabinetTemplates(w http.ResponseWriter, r *http.Request) error {
	conn, err := a.cabinetConnection(r)
	if err != nil {
		return err
	}
	ts, err := a.Store.Templates(r.Context(), conn.WorkspaceID, conn.ID)
	if err != nil {
		return err
	}
	respond.JSON(w, http.StatusOK, map[string]any{"items": renderTemplates(ts, hub.TemplateWABA)})
	return nil
}

// cabinetSyncTemplates answers POST /api/cabinet/v1/connections/{id}/templates/sync: read the
// templates from the provider and store them. A token the provider refuses marks the
// connection auth_failed; a working answer marks it working again.
func (a *API) cabinetSyncTemplates(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.Connections.SyncTemplates(r.Context(), admin(r), r.PathValue("id")); err != nil {
		return err
	}
	return a.cabinetTemplates(w, r)
}

// cabinetQuickReplies answers GET /api/cabinet/v1/quick-replies.
func (a *API) cabinetQuickReplies(w http.ResponseWriter, r *http.Request) error {
	ts, err := a.Store.QuickReplies(r.Context(), httpapi.CallerOf(r.Context()).Workspace.ID)
	if err != nil {
		return err
	}
	respond.JSON(w, http.StatusOK, map[string]any{"items": renderTemplates(ts, hub.TemplateQuickReply)})
	return nil
}

// quickReplyLanguages are the languages a quick reply may be set to: the product's, whose
// speakers the chat window shows it to first; "" is for any language.
var quickReplyLanguages = map[string]bool{"": true, "ru": true, "en": true, "es": true}

// cabinetSaveQuickReply answers POST /api/cabinet/v1/quick-replies (→ 201) and
// PUT /api/cabinet/v1/quick-replies/{id} (→ 200): {"name", "body", "language"?}.
func (a *API) cabinetSaveQuickReply(w http.ResponseWriter, r *http.Request) error {
	ws := httpapi.CallerOf(r.Context()).Workspace
	var in struct {
		Name     string `json:"name"`
		Body     string `json:"body"`
		Language string `json:"language"`
	}
	if err := respond.Decode(r, &in); err != nil {
		return err
	}
	in.Name, in.Body = strings.TrimSpace(in.Name), strings.TrimSpace(in.Body)
	if err := apierr.CheckField("name", in.Name != "" && utf8.RuneCountInString(in.Name) <= 100); err != nil {
		return err
	}
	if err := apierr.CheckField("body", in.Body != "" && utf8.RuneCountInString(in.Body) <= 4096); err != nil {
		return err
	}
	if err := apierr.CheckField("language", quickReplyLanguages[in.Language]); err != nil {
		return err
	}
	t, err := a.Store.SaveQuickReply(r.Context(), hub.Template{ID: r.PathValue("id"), WorkspaceID: ws.ID, Name: in.Name,
		Language: in.Language, Body: in.Body, Params: hub.CountParams(in.Body)})
	switch {
	case errors.Is(err, store.ErrDuplicate):
		return apierr.NameTaken.With("field", "name")
	case errors.Is(err, store.ErrNotFound):
		return apierr.NotFound.Because(err)
	case err != nil:
		return err
	}
	status, action := http.StatusOK, "quick_reply.update"
	if r.Method == http.MethodPost {
		status, action = http.StatusCreated, "quick_reply.create"
	}
	a.audit(r, action, t.ID, map[string]any{"name": t.Name, "language": t.Language})
	respond.JSON(w, status, renderTemplates([]hub.Template{t}, hub.TemplateQuickReply)[0])
	return nil
}

// cabinetDeleteQuickReply answers DELETE /api/cabinet/v1/quick-replies/{id} → 204.
func (a *API) cabinetDeleteQuickReply(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	err := a.Store.DeleteQuickReply(r.Context(), httpapi.CallerOf(r.Context()).Workspace.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return apierr.NotFound.Because(err)
	} else if err != nil {
		return err
	}
	a.audit(r, "quick_reply.delete", id, nil)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
