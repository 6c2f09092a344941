package cabinet

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/respond"
)

const (
	// cabinetCookie holds the cabinet session: a token of API.Signer, sent only to the
	// cabinet API, never readable by scripts.
	cabinetCookie = "sb_cabinet"
	cabinetPath   = "/api/cabinet/"
	// handoffTTL bounds the one-time code the chat window hands to a new cabinet tab.
	handoffTTL = time.Minute
)

// cabinetAuthed wraps a cabinet handler: the cookie must hold a valid cabinet token whose
// employee still exists and is an admin; a request that changes something must come from the
// hub's own pages (its Origin is this host; a write without Origin is refused).
func (a *API) cabinetAuthed(fn respond.Handler) http.Handler {
	return respond.Handle(func(w http.ResponseWriter, r *http.Request) error {
		ck, err := r.Cookie(cabinetCookie)
		if err != nil {
			return apierr.Unauthorized
		}
		sess, err := a.Signer.Verify(ck.Value, time.Now())
		if err != nil {
			return apierr.Unauthorized.Because(err)
		}
		c, err := a.gate.CallerOfSession(r.Context(), sess)
		if err != nil {
			return err
		}
		return inCallerLang(w, r, c, func(r *http.Request) error {
			if !c.Employee.IsAdmin() {
				return apierr.AdminsOnly
			}
			if err := a.gate.AllowCall(w, c); err != nil {
				return err
			}
			if time.Until(sess.ExpiresAt) < auth.MaxSessionTTL/2 {
				// An admin at work stays signed in; one away for an hour is signed out.
				a.setCabinetCookie(w, c)
			}
			if r.Method != http.MethodGet && !sameOrigin(r) {
				return apierr.Forbidden.Because(errors.New("cross-origin request to the cabinet"))
			}
			return fn(w, r)
		})
	})
}

// inCallerLang runs fn with the caller in the request and writes its error in the caller's
// language (respond.Handle alone would write it in the browser's).
func inCallerLang(w http.ResponseWriter, r *http.Request, c httpapi.Caller, fn func(r *http.Request) error) error {
	r = r.WithContext(httpapi.WithCaller(r.Context(), c))
	if err := fn(r); err != nil {
		respond.Error(w, r, err)
	}
	return nil
}

// sameOrigin: a browser sends Origin with every write it makes (fetch, forms), so a write
// without one is not from the cabinet's page, and is refused like a foreign one.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return false
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// setCabinetCookie signs the caller in to the cabinet for the token's life.
func (a *API) setCabinetCookie(w http.ResponseWriter, c httpapi.Caller) {
	tok, sess := a.Signer.Issue(auth.Session{WorkspaceID: c.Workspace.ID, EmployeeID: c.Employee.ID}, time.Now())
	http.SetCookie(w, &http.Cookie{Name: cabinetCookie, Value: tok, Path: cabinetPath, Expires: sess.ExpiresAt,
		HttpOnly: true, Secure: strings.HasPrefix(a.PublicURL, "https://"), SameSite: http.SameSiteLaxMode})
}

// cabinetHandoff answers POST /api/cabinet/v1/handoff for a chat window session (Bearer): a
// one-time code, valid a minute, that a new cabinet tab trades for its cookie. The chat
// window lives in the CRM's page, where the hub's cookies are third-party; the tab it opens is
// first-party. The code travels in the URL fragment, which no server or log sees.
func (a *API) cabinetHandoff(w http.ResponseWriter, r *http.Request) error {
	c := httpapi.CallerOf(r.Context())
	if !c.Employee.IsAdmin() {
		return apierr.AdminsOnly
	}
	code, sess := a.Handoff.Issue(auth.Session{WorkspaceID: c.Workspace.ID, EmployeeID: c.Employee.ID,
		ExpiresAt: time.Now().Add(handoffTTL)}, time.Now())
	respond.JSON(w, http.StatusCreated, map[string]any{"code": code, "expires_at": sess.ExpiresAt,
		"url": a.PublicURL + "/cabinet/#handoff=" + url.QueryEscape(code)})
	return nil
}

// cabinetSignIn answers POST /api/cabinet/v1/session: {"handoff": code} from the chat window,
// or a chat window session as `Authorization: Bearer`, becomes the cabinet cookie. Admins only.
func (a *API) cabinetSignIn(w http.ResponseWriter, r *http.Request) error {
	var c httpapi.Caller
	var err error
	if r.Header.Get("Authorization") != "" {
		c, err = a.gate.Authenticate(r)
	} else {
		c, err = a.redeemHandoff(r)
	}
	if err != nil {
		return err
	}
	return inCallerLang(w, r, c, func(r *http.Request) error {
		if !c.Employee.IsAdmin() {
			return apierr.AdminsOnly
		}
		a.setCabinetCookie(w, c)
		return a.cabinetMe(w, r)
	})
}

func (a *API) redeemHandoff(r *http.Request) (httpapi.Caller, error) {
	var body struct {
		Handoff string `json:"handoff"`
	}
	if err := respond.Decode(r, &body); err != nil {
		return httpapi.Caller{}, err
	}
	sess, err := a.Handoff.Verify(body.Handoff, time.Now())
	if err != nil {
		return httpapi.Caller{}, apierr.Unauthorized.Because(err)
	}
	sum := sha256.Sum256([]byte(body.Handoff))
	first, err := a.Store.UseTokenID(r.Context(), "cabinet-handoff:"+hex.EncodeToString(sum[:]), sess.ExpiresAt)
	if err != nil {
		return httpapi.Caller{}, err
	}
	if !first {
		return httpapi.Caller{}, apierr.Unauthorized.Because(errors.New("hand-off code used twice"))
	}
	return a.gate.CallerOfSession(r.Context(), sess)
}

// cabinetSignOut answers DELETE /api/cabinet/v1/session by dropping the cookie.
func (a *API) cabinetSignOut(w http.ResponseWriter, r *http.Request) error {
	http.SetCookie(w, &http.Cookie{Name: cabinetCookie, Value: "", Path: cabinetPath, MaxAge: -1,
		HttpOnly: true, Secure: strings.HasPrefix(a.PublicURL, "https://"), SameSite: http.SameSiteLaxMode})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// cabinetMe answers GET /api/cabinet/v1/me: who is signed in, and in which language.
func (a *API) cabinetMe(w http.ResponseWriter, r *http.Request) error {
	c := httpapi.CallerOf(r.Context())
	respond.JSON(w, http.StatusOK, map[string]any{
		"employee": map[string]any{"id": c.Employee.ID, "crm_user_id": c.Employee.CRMUserID, "name": c.Employee.Name,
			"email": c.Employee.Email, "role": c.Employee.Role, "is_admin": c.Employee.IsAdmin()},
		"workspace": map[string]any{"id": c.Workspace.ID, "name": c.Workspace.Name},
		"lang":      respond.Lang(r.Context()),
		"sandbox":   a.ProviderConsole != "",
	})
	return nil
}
