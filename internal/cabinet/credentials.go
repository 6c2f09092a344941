package cabinet

import (
	"net/http"
	"slices"

	"github.com/switchboardhq/switchboard/internal/connections"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/respond"
)

// cabinetReplaceCredentials answers PUT /api/cabinet/v1/connections/{id}/credentials: new
// secrets for a connection whose token was revoked or rotated — WABA {"access_token"?,
// "app_secret"?}, Telegram or MAX {"bot_token"} — checked with the provider before they replace the
// old ones. A connection with chats cannot be removed and added again, so this is how it comes
// back from auth_failed. → 200 CabinetConnection, working again.
func (a *API) cabinetReplaceCredentials(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	conn, err := a.cabinetConnection(r)
	if err != nil {
		return err
	}
	var in struct {
		AccessToken string `json:"access_token"`
		AppSecret   string `json:"app_secret"`
		BotToken    string `json:"bot_token"`
	}
	if err := respond.Decode(r, &in); err != nil {
		return err
	}
	switch conn.Kind {
	case hub.KindWABA:
		if in.AccessToken == "" && in.AppSecret == "" {
			return field("access_token", false)
		}
		for name, v := range map[string]string{"access_token": in.AccessToken, "app_secret": in.AppSecret} {
			if err := field(name, v == "" || secretText.MatchString(v)); err != nil {
				return err
			}
		}
	case hub.KindTelegramBot:
		if err := field("bot_token", telegramToken.MatchString(in.BotToken)); err != nil {
			return err
		}
	case hub.KindMaxBot:
		if err := field("bot_token", secretText.MatchString(in.BotToken)); err != nil {
			return err
		}
	}
	if a.Channels == nil {
		return missing(partChannels)
	}
	next, templates, err := a.Channels.Rekey(ctx, conn,
		connections.Credentials{AccessToken: in.AccessToken, AppSecret: in.AppSecret, BotToken: in.BotToken}, a.webhookURL(conn))
	if err != nil {
		return a.checkFailed(r, err, conn.ID, map[string]any{"name": conn.Name, "kind": conn.Kind})
	}
	next.Status, next.StatusDetail = hub.StatusWorking, ""
	if err := a.Store.UpdateConnection(ctx, next); err != nil {
		return err
	}
	for _, t := range templates {
		t.WorkspaceID, t.ConnectionID, t.Kind = conn.WorkspaceID, conn.ID, hub.TemplateWABA
		if _, err := a.Store.UpsertTemplate(ctx, t); err != nil {
			return err
		}
	}
	// Which secrets were replaced, never their values.
	var replaced []string
	for name, v := range map[string]string{"access_token": in.AccessToken, "app_secret": in.AppSecret, "bot_token": in.BotToken} {
		if v != "" {
			replaced = append(replaced, name)
		}
	}
	slices.Sort(replaced)
	a.audit(r, "connection.credentials", conn.ID, map[string]any{"name": conn.Name, "replaced": replaced})
	respond.JSON(w, http.StatusOK, a.renderWithHealth(r, next))
	return nil
}
