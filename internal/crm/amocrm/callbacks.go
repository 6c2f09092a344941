package amocrm

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/crm"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/respond"
)

// Installs is what the install callback asks of the hub's cabinet: whether this browser began
// the install there (a state that is not its own is an error), finishing such an install (the
// installer signed in, the sync started), and starting the first sync of an install begun in
// the CRM (false when the cabinet has no sync runner).
type Installs interface {
	CheckInstallState(r *http.Request) (fromCabinet bool, err error)
	FinishCabinetInstall(w http.ResponseWriter, r *http.Request, ws hub.Workspace, crmUserID int64) error
	StartSync(ws hub.Workspace) bool
}

// Mount adds amoCRM's callbacks to the route table: the OAuth install callback, the CRM's
// webhooks and the disconnect hook. With a nil adapter (the integration not configured) they
// answer crm_not_configured.
func Mount(mux *http.ServeMux, a *Adapter, in Installs) {
	c := callbacks{a: a, in: in}
	mux.Handle("GET /amocrm/oauth", respond.Handle(c.install))
	mux.Handle("POST /amocrm/hooks/{secret}", respond.Handle(c.hook))
	mux.Handle("GET /amocrm/disconnect", respond.Handle(c.disconnect))
}

type callbacks struct {
	a  *Adapter
	in Installs
}

// initialSyncTimeout bounds the first sync after an install, run in the background.
const initialSyncTimeout = 30 * time.Minute

var installPage = template.Must(template.New("install").Parse(`<!doctype html>
<html lang="{{.Lang}}"><meta charset="utf-8"><title>{{.Title}}</title>
<body style="font:16px system-ui,sans-serif;margin:3em auto;max-width:36em">
<h1>{{.Title}}</h1><p>{{.Text}}</p><p><a href="/cabinet/">{{.Link}}</a></p></body></html>`))

// install is GET /amocrm/oauth: the CRM sends the admin here with an authorization code —
// with the state of an install begun in the hub's cabinet (then the browser must be the one
// that began it, and ends up signed in to the cabinet), or with `from_widget` for an install
// begun in the CRM.
func (c callbacks) install(w http.ResponseWriter, r *http.Request) error {
	if c.a == nil {
		return apierr.CRMNotConfigured
	}
	q := r.URL.Query()
	if q.Get("error") != "" || q.Get("code") == "" {
		return installResult(w, r, http.StatusBadRequest, "cabinet.install_refused")
	}
	fromCabinet, err := c.in.CheckInstallState(r)
	if err != nil {
		return err
	}
	if !fromCabinet && q.Get("from_widget") == "" {
		return apierr.BadRequest.Because(errors.New("install callback with neither a cabinet state nor from_widget"))
	}
	ws, installer, err := c.a.Install(r.Context(), q.Get("code"), q.Get("referer"))
	if errors.Is(err, ErrBadReferer) {
		return apierr.BadRequest.Because(err)
	}
	if err != nil {
		slog.Error("amocrm install failed", "referer", q.Get("referer"), "err", err)
		return installResult(w, r, http.StatusBadGateway, "cabinet.install_failed")
	}
	slog.Info("amocrm account connected", "workspace", ws.ID, "account", ws.CRMAccountID)
	if fromCabinet {
		return c.in.FinishCabinetInstall(w, r, ws, installer) // starts the sync, signs in
	}
	if !c.in.StartSync(ws) {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), initialSyncTimeout)
			defer cancel()
			if err := c.a.Sync(ctx, ws); err != nil {
				slog.Error("amocrm initial sync failed", "workspace", ws.ID, "err", err)
			}
		}()
	}
	return installResult(w, r, http.StatusOK, "cabinet.install_done")
}

func installResult(w http.ResponseWriter, r *http.Request, status int, key string) error {
	lang := respond.Lang(r.Context())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	return installPage.Execute(w, map[string]string{"Lang": lang, "Title": i18n.T(lang, key+"_title"),
		"Text": i18n.T(lang, key), "Link": i18n.T(lang, "cabinet.open")})
}

// hook is POST /amocrm/hooks/{secret}: a CRM webhook (form-encoded). The entities it names
// are re-read from the API before 200, so a failed re-read makes the CRM send it again.
func (c callbacks) hook(w http.ResponseWriter, r *http.Request) error {
	if c.a == nil {
		return apierr.CRMNotConfigured
	}
	r.Body = http.MaxBytesReader(w, r.Body, respond.MaxJSONBody)
	if err := r.ParseForm(); err != nil {
		return apierr.BadRequest.Because(err)
	}
	if err := c.a.HandleHook(r.Context(), r.PathValue("secret"), r.PostForm); err != nil {
		if errors.Is(err, ErrBadHook) {
			return apierr.BadRequest.Because(err)
		}
		return crm.APIError(err)
	}
	respond.JSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// disconnect is GET /amocrm/disconnect: the CRM says the integration was removed.
func (c callbacks) disconnect(w http.ResponseWriter, r *http.Request) error {
	if c.a == nil {
		return apierr.CRMNotConfigured
	}
	if err := c.a.HandleDisconnect(r.Context(), r.URL.Query()); err != nil {
		return crm.APIError(err)
	}
	respond.JSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}
