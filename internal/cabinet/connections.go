package cabinet

import (
	"net/http"
	"time"

	"github.com/switchboardhq/switchboard/internal/connections"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/respond"
	"github.com/switchboardhq/switchboard/internal/store"
)

// cabinetConnectionJSON is a connection as the cabinet shows it: its public settings only. No
// token, app secret, verify token or webhook secret ever leaves the hub after it was typed in.
type cabinetConnectionJSON struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	ExternalID string `json:"external_id"`
	// State is the worst that applies (connections.State): disabled | auth_failed | … | working.
	State string `json:"state"`
	// DisabledAt is when an admin switched the connection off (null: on).
	DisabledAt               *time.Time        `json:"disabled_at"`
	Health                   healthJSON        `json:"health"`
	Status                   string            `json:"status"`
	StatusDetail             string            `json:"status_detail"`
	InSubscription           bool              `json:"in_subscription"`
	DefaultResponsibleUserID int64             `json:"default_responsible_user_id"`
	WebhookURL               string            `json:"webhook_url"`
	Settings                 map[string]string `json:"settings"`
	CreatedAt                time.Time         `json:"created_at"`
}

// publicSettings are the connection settings an admin may read back.
var publicSettings = []string{"waba_id", "display_phone", "username", "delivery"}

// healthJSON is what was measured of a connection (store.ConnectionHealth): the last accepted
// webhook, whether the provider's verify handshake succeeded, and the last hour's refused
// webhooks and failed sends with the latest reason (a refusal kind or a hub error code).
type healthJSON struct {
	LastWebhookAt  *time.Time `json:"last_webhook_at"`
	Verified       bool       `json:"verified"`
	RefusedHour    int        `json:"refused_last_hour"`
	LastRefusal    string     `json:"last_refusal"`
	SendFailedHour int        `json:"send_failed_last_hour"`
	LastSendError  string     `json:"last_send_error"`
}

func (a *API) renderCabinetConnection(c hub.Connection, h store.ConnectionHealth) cabinetConnectionJSON {
	out := cabinetConnectionJSON{ID: c.ID, Kind: c.Kind, Name: c.Name, ExternalID: c.ExternalID,
		State: connections.State(c, h), Status: c.Status, StatusDetail: c.StatusDetail, InSubscription: c.InSubscription,
		DefaultResponsibleUserID: c.DefaultResponsibleUserID, WebhookURL: a.Connections.WebhookURL(c),
		Settings: map[string]string{}, CreatedAt: c.CreatedAt,
		Health: healthJSON{Verified: !h.VerifiedAt.IsZero(), RefusedHour: h.RefusedHour, LastRefusal: h.LastRefusal,
			SendFailedHour: h.SendFailedHour, LastSendError: h.LastSendError}}
	if !h.LastWebhookAt.IsZero() {
		at := h.LastWebhookAt.UTC()
		out.Health.LastWebhookAt = &at
	}
	if c.Disabled() {
		at := c.DisabledAt.UTC()
		out.DisabledAt = &at
	}
	for _, k := range publicSettings {
		if v, ok := c.Settings[k]; ok {
			out.Settings[k] = v
		}
	}
	return out
}

// cabinetConnections answers GET /api/cabinet/v1/connections.
func (a *API) cabinetConnections(w http.ResponseWriter, r *http.Request) error {
	ws := httpapi.CallerOf(r.Context()).Workspace.ID
	conns, err := a.Store.Connections(r.Context(), ws)
	if err != nil {
		return err
	}
	health, err := a.Store.Health(r.Context(), ws, a.now())
	if err != nil {
		return err
	}
	items := make([]cabinetConnectionJSON, 0, len(conns))
	for _, c := range conns {
		items = append(items, a.renderCabinetConnection(c, health[c.ID]))
	}
	respond.JSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// newConnectionRequest is the body of POST /api/cabinet/v1/connections.
type newConnectionRequest struct {
	Kind                     string `json:"kind"`
	Name                     string `json:"name"`
	DefaultResponsibleUserID int64  `json:"default_responsible_user_id"`
	// WABA
	PhoneNumberID string `json:"phone_number_id"`
	WABAID        string `json:"waba_id"`
	AccessToken   string `json:"access_token"`
	AppSecret     string `json:"app_secret"`
	VerifyToken   string `json:"verify_token"`
	// Telegram, MAX
	BotToken string `json:"bot_token"`
	// MAX: "webhook" (default) or "polling", the fallback where a webhook cannot reach the hub
	Delivery string `json:"delivery"`
}

// admin is the cabinet's caller as the connection use cases name them.
func admin(r *http.Request) connections.Admin {
	c := httpapi.CallerOf(r.Context())
	return connections.Admin{Workspace: c.Workspace, EmployeeID: c.Employee.ID}
}

// cabinetCreateConnection answers POST /api/cabinet/v1/connections: a WABA number or a
// Telegram or MAX bot, checked with the provider before anything is stored. → 201
// {"connection", "setup": {"webhook_url", "verify_token"?}}: the verify token is shown this
// once, to paste into Meta's console with the URL.
func (a *API) cabinetCreateConnection(w http.ResponseWriter, r *http.Request) error {
	var in newConnectionRequest
	if err := respond.Decode(r, &in); err != nil {
		return err
	}
	out, err := a.Connections.Connect(r.Context(), admin(r), connections.New{Kind: in.Kind, Name: in.Name,
		DefaultResponsibleUserID: in.DefaultResponsibleUserID, BotToken: in.BotToken, Delivery: in.Delivery,
		WABA: connections.WABACredentials{PhoneNumberID: in.PhoneNumberID, WABAID: in.WABAID, AccessToken: in.AccessToken,
			AppSecret: in.AppSecret, VerifyToken: in.VerifyToken}})
	if err != nil {
		return err
	}
	setup := map[string]any{"webhook_url": out.WebhookURL}
	if out.VerifyToken != "" {
		setup["verify_token"] = out.VerifyToken
	}
	respond.JSON(w, http.StatusCreated, map[string]any{"connection": a.renderWithHealth(r, out.Connection), "setup": setup})
	return nil
}

// cabinetUpdateConnection answers PATCH /api/cabinet/v1/connections/{id}: {"name"?,
// "default_responsible_user_id"?, "delivery"? (MAX: "webhook" or "polling")} (F31a).
func (a *API) cabinetUpdateConnection(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name                     *string `json:"name"`
		DefaultResponsibleUserID *int64  `json:"default_responsible_user_id"`
		Delivery                 *string `json:"delivery"`
	}
	if err := respond.Decode(r, &in); err != nil {
		return err
	}
	conn, err := a.Connections.Update(r.Context(), admin(r), r.PathValue("id"),
		connections.Changes{Name: in.Name, DefaultResponsibleUserID: in.DefaultResponsibleUserID, Delivery: in.Delivery})
	if err != nil {
		return err
	}
	respond.JSON(w, http.StatusOK, a.renderWithHealth(r, conn))
	return nil
}

// cabinetConnection loads the path's connection of the caller's workspace; another
// workspace's id is simply not found.
func (a *API) cabinetConnection(r *http.Request) (hub.Connection, error) {
	return a.Connections.Get(r.Context(), httpapi.CallerOf(r.Context()).Workspace.ID, r.PathValue("id"))
}

// cabinetDeleteConnection answers DELETE /api/cabinet/v1/connections/{id} → 204; a connection
// that has chats stays (409 connection_in_use), so no conversation loses its history.
func (a *API) cabinetDeleteConnection(w http.ResponseWriter, r *http.Request) error {
	if err := a.Connections.Delete(r.Context(), admin(r), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// renderWithHealth renders one connection with its measured health (a failure to read it is
// logged and the connection shown as measured nothing yet).
func (a *API) renderWithHealth(r *http.Request, c hub.Connection) cabinetConnectionJSON {
	health, err := a.Store.Health(r.Context(), c.WorkspaceID, a.now())
	if err != nil {
		respond.LogError(r, "connection health", err)
	}
	return a.renderCabinetConnection(c, health[c.ID])
}
