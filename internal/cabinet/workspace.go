package cabinet

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/crmsync"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/respond"
	"github.com/switchboardhq/switchboard/internal/widget"
)

// cabinetWorkspace answers GET /api/cabinet/v1/workspace: the account, its subscription (the
// install's trial or what the operator API set), the CRM sync's progress and whether the widget archive can be built.
func (a *API) cabinetWorkspace(w http.ResponseWriter, r *http.Request) error {
	c := httpapi.CallerOf(r.Context())
	ws := c.Workspace
	body := map[string]any{
		"id": ws.ID, "name": ws.Name, "created_at": ws.CreatedAt,
		"crm":              map[string]any{"kind": ws.CRMKind, "account_id": ws.CRMAccountID, "base_url": ws.CRMBaseURL},
		"subscription":     httpapi.RenderSubscription(ws.Subscription, a.now()),
		"widget_available": a.Widget != nil,
		// The archive needs an address the CRM's HTTPS pages can load the script from.
		"widget_https": widget.CheckURL(a.PublicURL) == nil,
	}
	sync, err := a.syncJSON(r, ws.ID)
	if err != nil {
		return err
	}
	body["sync"] = sync
	respond.JSON(w, http.StatusOK, body)
	return nil
}

// syncJSON is the CRM sync's progress, or "unavailable" with the settings the amoCRM
// integration lacks (the page names them, as crm_not_configured does on POST /sync).
func (a *API) syncJSON(r *http.Request, workspaceID string) (any, error) {
	if a.Sync == nil {
		return map[string]any{"state": "unavailable", "missing": partCRM}, nil
	}
	p, err := a.Sync.Progress(r.Context(), workspaceID)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"state": p.State, "users": p.Counts.Users, "contacts": p.Counts.Contacts,
		"leads": p.Counts.Leads, "started_at": timeOrNil(p.StartedAt), "finished_at": timeOrNil(p.FinishedAt), "error": nil}
	if p.Err != nil {
		// The reason stays in the log; the admin gets the code and can retry.
		out["error"] = map[string]string{"code": "crm_sync_failed"}
	}
	return out, nil
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// cabinetStartSync answers POST /api/cabinet/v1/sync: a full re-read of the CRM, in the
// background; 202 with the progress (of the run already going, if one is).
func (a *API) cabinetStartSync(w http.ResponseWriter, r *http.Request) error {
	c := httpapi.CallerOf(r.Context())
	if a.Sync == nil {
		return unconfigured(partCRM)
	}
	if a.Sync.Start(c.Workspace) {
		a.audit(r, "crm.sync", c.Workspace.ID, nil)
	}
	sync, err := a.syncJSON(r, c.Workspace.ID)
	if err != nil {
		return err
	}
	respond.JSON(w, http.StatusAccepted, sync)
	return nil
}

// cabinetWidget answers GET /api/cabinet/v1/widget.zip: the amoCRM widget archive with this
// hub's address baked in, for accounts that install it as a private integration.
func (a *API) cabinetWidget(w http.ResponseWriter, r *http.Request) error {
	if a.Widget == nil {
		return missing(partWidget)
	}
	kind := widget.Kind(r.URL.Query().Get("kind"))
	if err := apierr.CheckField("kind", kind == widget.Private || kind == widget.Public); err != nil {
		return err
	}
	// Built whole first (it is small), so a failure is still an error answer, not half a zip.
	var buf bytes.Buffer
	if err := a.Widget(&buf, a.PublicURL, kind); errors.Is(err, widget.ErrNotHTTPS) {
		return apierr.WidgetNeedsHTTPS.Because(err)
	} else if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="switchboard-widget.zip"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, err := w.Write(buf.Bytes())
	return err
}

// audit records an admin action; a failure is logged, never shown: the action itself happened.
func (a *API) audit(r *http.Request, action, target string, details map[string]any) {
	c := httpapi.CallerOf(r.Context())
	raw := "{}"
	if details != nil {
		b, _ := json.Marshal(details)
		raw = string(b)
	}
	if err := a.Store.Audit(r.Context(), c.Workspace.ID, c.Employee.ID, action, target, raw); err != nil {
		respond.LogError(r, "audit", err)
	}
}

// cabinetAudit answers GET /api/cabinet/v1/audit: the latest 100 admin actions.
func (a *API) cabinetAudit(w http.ResponseWriter, r *http.Request) error {
	c := httpapi.CallerOf(r.Context())
	entries, err := a.Store.AuditLog(r.Context(), c.Workspace.ID, 100)
	if err != nil {
		return err
	}
	names, err := a.employeeNames(r)
	if err != nil {
		return err
	}
	items := make([]map[string]any, 0, len(entries))
	for _, e := range entries {
		items = append(items, map[string]any{"id": e.ID, "action": e.Action, "target": e.Target,
			"details": json.RawMessage(e.DetailsJSON), "created_at": e.CreatedAt,
			"employee": map[string]string{"id": e.EmployeeID, "name": names[e.EmployeeID]}})
	}
	respond.JSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// employeeNames maps the workspace's employee ids to names, for lists that name who did what.
func (a *API) employeeNames(r *http.Request) (map[string]string, error) {
	emps, err := a.Store.Employees(r.Context(), httpapi.CallerOf(r.Context()).Workspace.ID)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(emps))
	for _, e := range emps {
		names[e.ID] = e.Name
	}
	return names, nil
}

// cabinetEmployees answers GET /api/cabinet/v1/employees: every CRM user the hub knows, with
// their CRM rights as cached, and the chat window profile of those who opened it (F2, F3).
func (a *API) cabinetEmployees(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ws := httpapi.CallerOf(ctx).Workspace
	users, err := a.Store.CRMUsers(ctx, ws.ID)
	if err != nil {
		return err
	}
	emps, err := a.Store.Employees(ctx, ws.ID)
	if err != nil {
		return err
	}
	byCRM := map[int64]hub.Employee{}
	for _, e := range emps {
		byCRM[e.CRMUserID] = e
	}
	items := make([]map[string]any, 0, len(users))
	seen := map[int64]bool{}
	for _, u := range users {
		seen[u.ID] = true
		item := map[string]any{"crm_user_id": u.ID, "name": u.Name, "email": u.Email, "crm_lang": u.Lang,
			"group_id": u.GroupID, "crm_admin": u.IsAdmin, "active": u.IsActive, "rights": json.RawMessage(u.Rights),
			"fetched_at": u.FetchedAt, "employee": nil}
		if e, ok := byCRM[u.ID]; ok {
			item["employee"] = employeeJSON(e)
		}
		items = append(items, item)
	}
	for _, e := range emps {
		if !seen[e.CRMUserID] {
			// Provisioned, but the CRM cache lost them (deleted in the CRM): shown, without rights.
			items = append(items, map[string]any{"crm_user_id": e.CRMUserID, "name": e.Name, "email": e.Email,
				"crm_lang": "", "group_id": 0, "crm_admin": false, "active": false, "rights": nil,
				"fetched_at": nil, "employee": employeeJSON(e)})
		}
	}
	respond.JSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func employeeJSON(e hub.Employee) map[string]any {
	return map[string]any{"id": e.ID, "role": e.Role, "lang": e.Lang, "created_at": e.CreatedAt}
}

// cabinetRefreshEmployees answers POST /api/cabinet/v1/employees/refresh: re-read users and
// rights from the CRM now, then the list.
func (a *API) cabinetRefreshEmployees(w http.ResponseWriter, r *http.Request) error {
	c := httpapi.CallerOf(r.Context())
	if a.Sync == nil {
		return unconfigured(partCRM)
	}
	if err := a.Sync.SyncUsers(r.Context(), c.Workspace); err != nil {
		return apierr.CRMUnavailable.Because(err)
	}
	a.audit(r, "employees.refresh", c.Workspace.ID, nil)
	return a.cabinetEmployees(w, r)
}

var _ CRMSync = (*crmsync.Runner)(nil)
