package cabinet

import (
	"net/http"

	"github.com/switchboardhq/switchboard/internal/respond"
)

// cabinetDisableConnection answers POST /api/cabinet/v1/connections/{id}/disable
// (connections.Service.SetDisabled). → 200 CabinetConnection.
func (a *API) cabinetDisableConnection(w http.ResponseWriter, r *http.Request) error {
	return a.switchConnection(w, r, true)
}

// cabinetEnableConnection answers POST /api/cabinet/v1/connections/{id}/enable: sending works
// again. → 200 CabinetConnection.
func (a *API) cabinetEnableConnection(w http.ResponseWriter, r *http.Request) error {
	return a.switchConnection(w, r, false)
}

func (a *API) switchConnection(w http.ResponseWriter, r *http.Request, off bool) error {
	conn, err := a.Connections.SetDisabled(r.Context(), admin(r), r.PathValue("id"), off, a.now())
	if err != nil {
		return err
	}
	respond.JSON(w, http.StatusOK, a.renderWithHealth(r, conn))
	return nil
}

// cabinetRotateVerifyToken answers POST /api/cabinet/v1/connections/{id}/verify-token: a WABA
// number's new verify token, shown this once. → 200 {"connection", "setup": {"webhook_url",
// "verify_token"}}.
func (a *API) cabinetRotateVerifyToken(w http.ResponseWriter, r *http.Request) error {
	conn, token, err := a.Connections.RotateVerifyToken(r.Context(), admin(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	respond.JSON(w, http.StatusOK, map[string]any{"connection": a.renderWithHealth(r, conn),
		"setup": map[string]string{"webhook_url": a.Connections.WebhookURL(conn), "verify_token": token}})
	return nil
}
