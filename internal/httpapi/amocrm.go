package httpapi

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/respond"
)

// initialSyncTimeout bounds the first sync after an install, run in the background.
const initialSyncTimeout = 30 * time.Minute

var installPage = template.Must(template.New("install").Parse(`<!doctype html>
<html lang="{{.Lang}}"><meta charset="utf-8"><title>{{.Title}}</title>
<body style="font:16px system-ui,sans-serif;margin:3em auto;max-width:36em">
<h1>{{.Title}}</h1><p>{{.Text}}</p><p><a href="/cabinet/">{{.Link}}</a></p></body></html>`))

// amocrmInstall is GET /amocrm/oauth: the CRM sends the admin here with an authorization code —
// with the state of an install begun in the hub's cabinet (then the browser must be the one
// that began it, and ends up signed in to the cabinet), or with `from_widget` for an install
// begun in the CRM.
func (s *Server) amocrmInstall(w http.ResponseWriter, r *http.Request) error {
	if s.AmoCRM == nil {
		return apierr.CRMNotConfigured
	}
	q := r.URL.Query()
	if q.Get("error") != "" || q.Get("code") == "" {
		return s.installResult(w, r, http.StatusBadRequest, "cabinet.install_refused")
	}
	fromCabinet, err := s.CheckInstallState(r)
	if err != nil {
		return err
	}
	if !fromCabinet && q.Get("from_widget") == "" {
		return apierr.BadRequest.Because(errors.New("install callback with neither a cabinet state nor from_widget"))
	}
	ws, installer, err := s.AmoCRM.Install(r.Context(), q.Get("code"), q.Get("referer"))
	if errors.Is(err, amocrm.ErrBadReferer) {
		return apierr.BadRequest.Because(err)
	}
	if err != nil {
		slog.Error("amocrm install failed", "referer", q.Get("referer"), "err", err)
		return s.installResult(w, r, http.StatusBadGateway, "cabinet.install_failed")
	}
	slog.Info("amocrm account connected", "workspace", ws.ID, "account", ws.CRMAccountID)
	if fromCabinet {
		return s.FinishCabinetInstall(w, r, ws, installer) // starts the sync, signs in
	}
	s.startSync(ws)
	return s.installResult(w, r, http.StatusOK, "cabinet.install_done")
}

// startSync runs the first sync in the background, through the cabinet's runner when there is
// one (so the cabinet shows its progress).
func (s *Server) startSync(ws hub.Workspace) {
	if s.Cabinet != nil && s.Cabinet.Sync != nil {
		s.Cabinet.Sync.Start(ws)
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), initialSyncTimeout)
		defer cancel()
		if err := s.AmoCRM.Sync(ctx, ws); err != nil {
			slog.Error("amocrm initial sync failed", "workspace", ws.ID, "err", err)
		}
	}()
}

func (s *Server) installResult(w http.ResponseWriter, r *http.Request, status int, key string) error {
	lang := respond.Lang(r.Context())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	return installPage.Execute(w, map[string]string{"Lang": lang, "Title": i18n.T(lang, key+"_title"),
		"Text": i18n.T(lang, key), "Link": i18n.T(lang, "cabinet.open")})
}

// amocrmHook is POST /amocrm/hooks/{secret}: a CRM webhook (form-encoded). The entities it
// names are re-read from the API before 200, so a failed re-read makes the CRM send it again.
func (s *Server) amocrmHook(w http.ResponseWriter, r *http.Request) error {
	if s.AmoCRM == nil {
		return apierr.CRMNotConfigured
	}
	r.Body = http.MaxBytesReader(w, r.Body, respond.MaxJSONBody)
	if err := r.ParseForm(); err != nil {
		return apierr.BadRequest.Because(err)
	}
	if err := s.AmoCRM.HandleHook(r.Context(), r.PathValue("secret"), r.PostForm); err != nil {
		if errors.Is(err, amocrm.ErrBadHook) {
			return apierr.BadRequest.Because(err)
		}
		return crmError(err)
	}
	respond.JSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// amocrmDisconnect is GET /amocrm/disconnect: the CRM says the integration was removed.
func (s *Server) amocrmDisconnect(w http.ResponseWriter, r *http.Request) error {
	if s.AmoCRM == nil {
		return apierr.CRMNotConfigured
	}
	if err := s.AmoCRM.HandleDisconnect(r.Context(), r.URL.Query()); err != nil {
		return crmError(err)
	}
	respond.JSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}
