package cabinet

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/store"
)

// installStateCookie binds an install begun in the cabinet to this browser: the OAuth state
// must come back equal to it, so nobody can finish an install (and get signed in) in someone
// else's browser. It is sent only to the CRM's callback.
const (
	installStateCookie = "sb_install_state"
	installStatePath   = "/amocrm/"
	installStateTTL    = 20 * 60 // seconds: as long as the CRM's authorization code lives
)

// cabinetInstall answers GET /api/cabinet/v1/install ("Connect amoCRM"): it sends the browser
// to the CRM's OAuth page with a fresh state.
func (a *API) cabinetInstall(w http.ResponseWriter, r *http.Request) error {
	if a.AuthorizeURL == "" || a.ClientID == "" {
		return unconfigured(partCRM)
	}
	u, err := url.Parse(a.AuthorizeURL)
	if err != nil {
		return err
	}
	buf := make([]byte, 24)
	rand.Read(buf)
	state := base64.RawURLEncoding.EncodeToString(buf)
	q := u.Query()
	q.Set("client_id", a.ClientID)
	q.Set("state", state)
	u.RawQuery = q.Encode()
	http.SetCookie(w, &http.Cookie{Name: installStateCookie, Value: state, Path: installStatePath, MaxAge: installStateTTL,
		HttpOnly: true, Secure: strings.HasPrefix(a.PublicURL, "https://"), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, u.String(), http.StatusFound)
	return nil
}

// CheckInstallState tells the CRM's OAuth callback whether r continues an install begun in
// the cabinet (it carries a state) and, if so, whether that state is this browser'a. Call it
// before exchanging the code: a state that does not match is apierr.InstallState.
func (a *API) CheckInstallState(r *http.Request) (fromCabinet bool, err error) {
	state := r.URL.Query().Get("state")
	if state == "" || a == nil {
		return false, nil
	}
	ck, err := r.Cookie(installStateCookie)
	if err != nil || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(state)) != 1 {
		return true, apierr.InstallState
	}
	return true, nil
}

// StartSync starts a workspace's full CRM sync in the background through the cabinet's runner,
// so the cabinet shows its progress; false when there is no runner.
func (a *API) StartSync(ws hub.Workspace) bool {
	if a == nil || a.Sync == nil {
		return false
	}
	a.Sync.Start(ws)
	return true
}

// FinishCabinetInstall ends an install begun in the cabinet, after the callback stored the
// workspace and its tokens: the installing CRM user (the account's current user) becomes an
// employee (admin when the CRM says so), the initial sync starts, and the browser goes to the
// cabinet signed in. A CRM user who is not an admin there lands on the cabinet with a message
// instead of a session.
func (a *API) FinishCabinetInstall(w http.ResponseWriter, r *http.Request, ws hub.Workspace, crmUserID int64) error {
	ctx := r.Context()
	http.SetCookie(w, &http.Cookie{Name: installStateCookie, Value: "", Path: installStatePath, MaxAge: -1, HttpOnly: true})
	if a.Sync == nil {
		return unconfigured(partCRM)
	}
	u, err := a.Store.CRMUser(ctx, ws.ID, crmUserID)
	if errors.Is(err, store.ErrNotFound) {
		if err = a.Sync.SyncUsers(ctx, ws); err == nil {
			u, err = a.Store.CRMUser(ctx, ws.ID, crmUserID)
		}
	}
	if err != nil {
		return err
	}
	a.Sync.Start(ws)
	if !u.IsAdmin {
		if err := a.auditInstall(ctx, ws, u, ""); err != nil {
			return err
		}
		http.Redirect(w, r, "/cabinet/?error=cabinet_admins_only", http.StatusSeeOther)
		return nil
	}
	emp, _, err := a.Store.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: ws.ID, CRMUserID: u.ID, Name: u.Name,
		Email: u.Email, Role: hub.RoleAdmin, Lang: i18n.Lang(u.Lang)})
	if err != nil {
		return err
	}
	if err := a.auditInstall(ctx, ws, u, emp.ID); err != nil {
		return err
	}
	if !emp.IsAdmin() {
		// Provisioned earlier as a manager; the CRM sync brings the role in line, not the install.
		http.Redirect(w, r, "/cabinet/?error=cabinet_admins_only", http.StatusSeeOther)
		return nil
	}
	a.setCabinetCookie(w, httpapi.Caller{Workspace: ws, Employee: emp})
	http.Redirect(w, r, "/cabinet/", http.StatusSeeOther)
	return nil
}

// auditInstall records the install, or a reconnect when the workspace was installed before,
// with the CRM user who did it (the employee may not exist yet: the log names the CRM user).
func (a *API) auditInstall(ctx context.Context, ws hub.Workspace, u store.CRMUser, employeeID string) error {
	installed, err := a.Store.AuditHas(ctx, ws.ID, "workspace.install")
	if err != nil {
		return err
	}
	action := "workspace.install"
	if installed {
		action = "workspace.reconnect"
	}
	details, _ := json.Marshal(map[string]any{"name": u.Name, "crm_user_id": u.ID, "crm": ws.CRMBaseURL})
	return a.Store.Audit(ctx, ws.ID, employeeID, action, ws.ID, string(details))
}
