package cabinet

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/internal/apierr"
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
	// State is the worst that applies: auth_failed | not_in_subscription | not_receiving (the
	// latest webhook was refused) | refusing (some of the last hour's were, later ones got in)
	// | not_verified (a WABA webhook never verified nor used) | send_failing | working.
	State                    string            `json:"state"`
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

// connectionState says what an admin must know first about a connection, from its status and
// its measured health (whose counts are of the last hour).
func connectionState(c hub.Connection, h store.ConnectionHealth) string {
	switch {
	case c.Status == hub.StatusAuthFailed:
		return hub.StatusAuthFailed
	case !c.InSubscription:
		return "not_in_subscription"
	case h.RefusedHour > 0 && !h.LastWebhookAt.After(h.LastRefusalAt):
		return "not_receiving"
	case h.RefusedHour > 0:
		return "refusing"
	case c.Kind == hub.KindWABA && h.VerifiedAt.IsZero() && h.LastWebhookAt.IsZero():
		// Bots' webhooks are set by the hub itself; a number's in Meta's console by the admin.
		return "not_verified"
	case h.SendFailedHour > 0:
		return "send_failing"
	}
	return hub.StatusWorking
}

func (a *API) renderCabinetConnection(c hub.Connection, h store.ConnectionHealth) cabinetConnectionJSON {
	out := cabinetConnectionJSON{ID: c.ID, Kind: c.Kind, Name: c.Name, ExternalID: c.ExternalID,
		State: connectionState(c, h), Status: c.Status, StatusDetail: c.StatusDetail, InSubscription: c.InSubscription,
		DefaultResponsibleUserID: c.DefaultResponsibleUserID, WebhookURL: a.webhookURL(c),
		Settings: map[string]string{}, CreatedAt: c.CreatedAt,
		Health: healthJSON{Verified: !h.VerifiedAt.IsZero(), RefusedHour: h.RefusedHour, LastRefusal: h.LastRefusal,
			SendFailedHour: h.SendFailedHour, LastSendError: h.LastSendError}}
	if !h.LastWebhookAt.IsZero() {
		at := h.LastWebhookAt.UTC()
		out.Health.LastWebhookAt = &at
	}
	for _, k := range publicSettings {
		if v, ok := c.Settings[k]; ok {
			out.Settings[k] = v
		}
	}
	return out
}

func (a *API) webhookURL(c hub.Connection) string {
	kind := "waba"
	switch c.Kind {
	case hub.KindTelegramBot:
		kind = "telegram"
	case hub.KindMaxBot:
		kind = "max"
	}
	return a.PublicURL + "/hooks/" + kind + "/" + c.ID
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

var (
	providerID    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	secretText    = regexp.MustCompile(`^[\x21-\x7e]{1,1000}$`)
	verifyToken   = regexp.MustCompile(`^[A-Za-z0-9_.~-]{8,256}$`)
	telegramToken = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{1,128}$`)
)

// field checks one input; a bad one is invalid_field naming it, so the form can point at it.
func field(name string, ok bool) error {
	if ok {
		return nil
	}
	return apierr.InvalidField.With("field", name)
}

// cabinetCreateConnection answers POST /api/cabinet/v1/connections: a WABA number or a
// Telegram bot, checked with the provider before anything is stored. → 201
// {"connection", "setup": {"webhook_url", "verify_token"?}}: the verify token is shown this
// once, to paste into Meta's console with the URL.
func (a *API) cabinetCreateConnection(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ws := httpapi.CallerOf(ctx).Workspace
	var in newConnectionRequest
	if err := respond.Decode(r, &in); err != nil {
		return err
	}
	in.Name = strings.TrimSpace(in.Name)
	if err := field("name", utf8.RuneCountInString(in.Name) <= 100); err != nil {
		return err
	}
	if err := a.checkResponsible(ctx, ws.ID, in.DefaultResponsibleUserID); err != nil {
		return err
	}
	if a.Channels == nil {
		return missing(partChannels)
	}
	base := hub.Connection{ID: store.NewID(), WorkspaceID: ws.ID, Kind: in.Kind, Name: in.Name, InSubscription: true,
		Status: hub.StatusWorking, DefaultResponsibleUserID: in.DefaultResponsibleUserID}
	var conn hub.Connection
	var templates []hub.Template
	setup := map[string]any{}
	var err error
	switch in.Kind {
	case hub.KindWABA:
		if in.VerifyToken == "" {
			in.VerifyToken = randomToken()
		}
		for _, f := range []error{field("phone_number_id", providerID.MatchString(in.PhoneNumberID)),
			field("waba_id", providerID.MatchString(in.WABAID)), field("access_token", secretText.MatchString(in.AccessToken)),
			field("app_secret", secretText.MatchString(in.AppSecret)), field("verify_token", verifyToken.MatchString(in.VerifyToken))} {
			if f != nil {
				return f
			}
		}
		if err := a.refuseDuplicate(ctx, ws.ID, in.Kind, in.PhoneNumberID); err != nil {
			return err
		}
		conn, templates, err = a.Channels.PrepareWABA(ctx, base, connections.WABACredentials{PhoneNumberID: in.PhoneNumberID,
			WABAID: in.WABAID, AccessToken: in.AccessToken, AppSecret: in.AppSecret, VerifyToken: in.VerifyToken,
			BaseURL: a.WABABaseURL})
		setup["verify_token"] = in.VerifyToken
	case hub.KindTelegramBot:
		if err := field("bot_token", telegramToken.MatchString(in.BotToken)); err != nil {
			return err
		}
		if conn, err = a.Channels.PrepareTelegram(ctx, base, in.BotToken); err != nil {
			return a.checkFailed(r, err, "", map[string]any{"kind": in.Kind})
		}
		if err := a.refuseDuplicate(ctx, ws.ID, conn.Kind, conn.ExternalID); err != nil {
			return err
		}
	case hub.KindMaxBot:
		if in.Delivery == "" {
			in.Delivery = maxDeliveryWebhook
		}
		if err := field("bot_token", secretText.MatchString(in.BotToken)); err != nil {
			return err
		}
		if err := field("delivery", in.Delivery == maxDeliveryWebhook || in.Delivery == maxDeliveryPolling); err != nil {
			return err
		}
		if conn, err = a.Channels.PrepareMax(ctx, base, in.BotToken, in.Delivery); err != nil {
			return setupError(err)
		}
		if err := a.refuseDuplicate(ctx, ws.ID, conn.Kind, conn.ExternalID); err != nil {
			return err
		}
	default:
		return field("kind", false)
	}
	if err != nil {
		return a.checkFailed(r, err, "", map[string]any{"kind": in.Kind, "external_id": in.PhoneNumberID})
	}
	if in.Name != "" {
		conn.Name = in.Name
	}
	if conn, err = a.Store.CreateConnection(ctx, conn); err != nil {
		return err
	}
	setup["webhook_url"] = a.webhookURL(conn)
	if err := a.Channels.RegisterWebhook(ctx, conn, a.webhookURL(conn)); err != nil {
		// Without its webhook the bot would stay silent: undo, so nothing half-made is left.
		if derr := a.Store.DeleteConnection(ctx, ws.ID, conn.ID); derr != nil {
			respond.LogError(r, "undo connection", derr)
		}
		return a.checkFailed(r, err, "", map[string]any{"kind": conn.Kind, "external_id": conn.ExternalID})
	}
	for _, t := range templates {
		t.WorkspaceID, t.ConnectionID, t.Kind = ws.ID, conn.ID, hub.TemplateWABA
		if _, err := a.Store.UpsertTemplate(ctx, t); err != nil {
			return err
		}
	}
	if a.Added != nil {
		a.Added(conn)
	}
	a.audit(r, "connection.create", conn.ID, map[string]any{"kind": conn.Kind, "name": conn.Name, "external_id": conn.ExternalID})
	respond.JSON(w, http.StatusCreated, map[string]any{"connection": a.renderWithHealth(r, conn), "setup": setup})
	return nil
}

// checkFailed records a provider's refusal of credentials in the audit log (the reason has every
// secret cut out already) and answers it as connection_check_failed.
func (a *API) checkFailed(r *http.Request, err error, target string, details map[string]any) error {
	var se *connections.SetupError
	if errors.As(err, &se) {
		details["reason"] = se.Reason
	}
	a.audit(r, "connection.check_failed", target, details)
	return setupError(err)
}

// setupError turns a provider's refusal into connection_check_failed with its reason.
func setupError(err error) error {
	var se *connections.SetupError
	if errors.As(err, &se) {
		return apierr.CheckFailed.With("reason", se.Reason).Because(err)
	}
	return apierr.CheckFailed.With("reason", "").Because(err)
}

func (a *API) refuseDuplicate(ctx context.Context, workspaceID, kind, externalID string) error {
	conns, err := a.Store.Connections(ctx, workspaceID)
	if err != nil {
		return err
	}
	for _, c := range conns {
		if c.Kind == kind && c.ExternalID == externalID {
			return apierr.ConnectionExists.With("connection_id", c.ID)
		}
	}
	return nil
}

// checkResponsible accepts 0 (none) or a CRM user the hub has cached for the workspace.
func (a *API) checkResponsible(ctx context.Context, workspaceID string, crmUserID int64) error {
	if crmUserID == 0 {
		return nil
	}
	_, err := a.Store.CRMUser(ctx, workspaceID, crmUserID)
	if errors.Is(err, store.ErrNotFound) {
		return apierr.UnknownCRMUser.With("field", "default_responsible_user_id")
	}
	return err
}

func randomToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// How a MAX bot's updates reach the hub (the "delivery" setting, as channel/max spells it).
const (
	maxDeliveryWebhook = "webhook"
	maxDeliveryPolling = "polling"
)

// cabinetUpdateConnection answers PATCH /api/cabinet/v1/connections/{id}: {"name"?,
// "default_responsible_user_id"?, "delivery"? (MAX: "webhook" or "polling")} (F31a). A new
// delivery is set with MAX first (webhook subscribed or removed), so a refusal changes nothing.
func (a *API) cabinetUpdateConnection(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ws := httpapi.CallerOf(ctx).Workspace
	conn, err := a.cabinetConnection(r)
	if err != nil {
		return err
	}
	var in struct {
		Name                     *string `json:"name"`
		DefaultResponsibleUserID *int64  `json:"default_responsible_user_id"`
		Delivery                 *string `json:"delivery"`
	}
	if err := respond.Decode(r, &in); err != nil {
		return err
	}
	changes := map[string][2]any{}
	if in.Delivery != nil {
		d := *in.Delivery
		if err := field("delivery", conn.Kind == hub.KindMaxBot && (d == maxDeliveryWebhook || d == maxDeliveryPolling)); err != nil {
			return err
		}
		if a.Channels == nil {
			return missing(partChannels)
		}
		previous := conn.Settings["delivery"]
		settings := make(map[string]string, len(conn.Settings)+1)
		for k, v := range conn.Settings {
			settings[k] = v
		}
		settings["delivery"] = d
		conn.Settings = settings
		if err := a.Channels.RegisterWebhook(ctx, conn, a.webhookURL(conn)); err != nil {
			return setupError(err)
		}
		if d != previous {
			changes["delivery"] = [2]any{previous, d}
		}
	}
	if in.Name != nil {
		name := strings.TrimSpace(*in.Name)
		if err := field("name", name != "" && utf8.RuneCountInString(name) <= 100); err != nil {
			return err
		}
		if name != conn.Name {
			changes["name"] = [2]any{conn.Name, name}
		}
		conn.Name = name
	}
	if in.DefaultResponsibleUserID != nil {
		if err := a.checkResponsible(ctx, ws.ID, *in.DefaultResponsibleUserID); err != nil {
			return err
		}
		if *in.DefaultResponsibleUserID != conn.DefaultResponsibleUserID {
			changes["default_responsible_user_id"] = [2]any{conn.DefaultResponsibleUserID, *in.DefaultResponsibleUserID}
		}
		conn.DefaultResponsibleUserID = *in.DefaultResponsibleUserID
	}
	if err := a.Store.UpdateConnection(ctx, conn); err != nil {
		return err
	}
	a.audit(r, "connection.update", conn.ID, map[string]any{"name": conn.Name, "changes": changes})
	respond.JSON(w, http.StatusOK, a.renderWithHealth(r, conn))
	return nil
}

// cabinetConnection loads the path's connection of the caller's workspace; another
// workspace's id is simply not found.
func (a *API) cabinetConnection(r *http.Request) (hub.Connection, error) {
	c, err := a.Store.Connection(r.Context(), httpapi.CallerOf(r.Context()).Workspace.ID, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		return c, apierr.NotFound.Because(err)
	}
	return c, err
}

// cabinetDeleteConnection answers DELETE /api/cabinet/v1/connections/{id} → 204; a connection
// that has chats stays (409 connection_in_use), so no conversation loses its history.
func (a *API) cabinetDeleteConnection(w http.ResponseWriter, r *http.Request) error {
	conn, err := a.cabinetConnection(r)
	if err != nil {
		return err
	}
	err = a.Store.DeleteConnection(r.Context(), conn.WorkspaceID, conn.ID)
	if errors.Is(err, store.ErrInUse) {
		return apierr.ConnectionInUse.Because(err)
	} else if err != nil {
		return err
	}
	a.audit(r, "connection.delete", conn.ID, map[string]any{"kind": conn.Kind, "name": conn.Name})
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
