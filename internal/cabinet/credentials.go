package cabinet

import (
	"net/http"

	"github.com/switchboardhq/switchboard/internal/connections"
	"github.com/switchboardhq/switchboard/internal/respond"
)

// cabinetReplaceCredentials answers PUT /api/cabinet/v1/connections/{id}/credentials: new
// secrets for a connection whose token was revoked or rotated — WABA {"access_token"?,
// "app_secret"?, "phone_number_id"? (a wrong one corrected)}, Telegram or MAX {"bot_token"} —
// checked with the provider before they replace the old ones. A connection with chats cannot be removed and added again, so this is how it comes
// back from auth_failed. → 200 CabinetConnection, working again.
func (a *API) cabinetReplaceCredentials(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		AccessToken string `json:"access_token"`
		AppSecret   string `json:"app_secret"`
		BotToken    string `json:"bot_token"`
		// PhoneNumberID is not a secret: a WABA number's corrected id, checked like a new one.
		PhoneNumberID string `json:"phone_number_id"`
	}
	if err := respond.Decode(r, &in); err != nil {
		return err
	}
	conn, err := a.Connections.Rekey(r.Context(), admin(r), r.PathValue("id"),
		connections.Credentials{AccessToken: in.AccessToken, AppSecret: in.AppSecret, PhoneNumberID: in.PhoneNumberID,
			BotToken: in.BotToken})
	if err != nil {
		return err
	}
	respond.JSON(w, http.StatusOK, a.renderWithHealth(r, conn))
	return nil
}
