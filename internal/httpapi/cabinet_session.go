package httpapi

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
	"github.com/switchboardhq/switchboard/internal/respond"
)

const (
	// cabinetCookie holds the cabinet session: a token of Cabinet.Signer, sent only to the
	// cabinet API, never readable by scripts.
	cabinetCookie = "sb_cabinet"
	cabinetPath   = "/api/cabinet/"
	// handoffTTL bounds the one-time code the chat window hands to a new cabinet tab.
	handoffTTL = time.Minute
)

// cabinetAuthed wraps a cabinet handler: the cookie must hold a valid cabinet token whose
// employee still exists and is an admin; a request that changes something must come from the
// hub's own pages (its Origin is this host; a write without Origin is refused).
func (s *Server) cabinetAuthed(fn respond.Handler) http.Handler {
	return respond.Handle(func(w http.ResponseWriter, r *http.Request) error {
		ck, err := r.Cookie(cabinetCookie)
		if err != nil {
			return apierr.Unauthorized
		}
		sess, err := s.Cabinet.Signer.Verify(ck.Value, time.Now())
		if err != nil {
			return apierr.Unauthorized.Because(err)
		}
		c, err := s.callerOfSession(r.Context(), sess)
		if err != nil {
			return err
		}
		return inCallerLang(w, r, c, func(r *http.Request) error {
			if !c.Employee.IsAdmin() {
				return apierr.AdminsOnly
			}
			if err := s.allowCall(w, c); err != nil {
				return err
			}
			if time.Until(sess.ExpiresAt) < auth.MaxSessionTTL/2 {
				// An admin at work stays signed in; one away for an hour is signed out.
				s.setCabinetCookie(w, c)
			}
			if r.Method != http.MethodGet && !sameOrigin(r) {
				return apierr.Forbidden.Because(errors.New("cross-origin request to the cabinet"))
			}
			return fn(w, r)
		})
	})
}

// inCallerLang runs fn with the caller in the request and writes its error in the caller's
// language (s.h would write it in the browser's).
func inCallerLang(w http.ResponseWriter, r *http.Request, c Caller, fn func(r *http.Request) error) error {
	r = r.WithContext(withCaller(r.Context(), c))
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
func (s *Server) setCabinetCookie(w http.ResponseWriter, c Caller) {
	tok, sess := s.Cabinet.Signer.Issue(auth.Session{WorkspaceID: c.Workspace.ID, EmployeeID: c.Employee.ID}, time.Now())
	http.SetCookie(w, &http.Cookie{Name: cabinetCookie, Value: tok, Path: cabinetPath, Expires: sess.ExpiresAt,
		HttpOnly: true, Secure: strings.HasPrefix(s.Cabinet.PublicURL, "https://"), SameSite: http.SameSiteLaxMode})
}

// cabinetHandoff answers POST /api/cabinet/v1/handoff for a chat window session (Bearer): a
// one-time code, valid a minute, that a new cabinet tab trades for its cookie. The chat
// window lives in the CRM's page, where the hub's cookies are third-party; the tab it opens is
// first-party. The code travels in the URL fragment, which no server or log sees.
func (s *Server) cabinetHandoff(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r.Context())
	if !c.Employee.IsAdmin() {
		return apierr.AdminsOnly
	}
	code, sess := s.Cabinet.Handoff.Issue(auth.Session{WorkspaceID: c.Workspace.ID, EmployeeID: c.Employee.ID,
		ExpiresAt: time.Now().Add(handoffTTL)}, time.Now())
	respond.JSON(w, http.StatusCreated, map[string]any{"code": code, "expires_at": sess.ExpiresAt,
		"url": s.Cabinet.PublicURL + "/cabinet/#handoff=" + url.QueryEscape(code)})
	return nil
}

// cabinetSignIn answers POST /api/cabinet/v1/session: {"handoff": code} from the chat window,
// or a chat window session as `Authorization: Bearer`, becomes the cabinet cookie. Admins only.
func (s *Server) cabinetSignIn(w http.ResponseWriter, r *http.Request) error {
	var c Caller
	var err error
	if r.Header.Get("Authorization") != "" {
		c, err = s.authenticate(r)
	} else {
		c, err = s.redeemHandoff(r)
	}
	if err != nil {
		return err
	}
	return inCallerLang(w, r, c, func(r *http.Request) error {
		if !c.Employee.IsAdmin() {
			return apierr.AdminsOnly
		}
		s.setCabinetCookie(w, c)
		return s.cabinetMe(w, r)
	})
}

func (s *Server) redeemHandoff(r *http.Request) (Caller, error) {
	var body struct {
		Handoff string `json:"handoff"`
	}
	if err := respond.Decode(r, &body); err != nil {
		return Caller{}, err
	}
	sess, err := s.Cabinet.Handoff.Verify(body.Handoff, time.Now())
	if err != nil {
		return Caller{}, apierr.Unauthorized.Because(err)
	}
	sum := sha256.Sum256([]byte(body.Handoff))
	first, err := s.Store.UseTokenID(r.Context(), "cabinet-handoff:"+hex.EncodeToString(sum[:]), sess.ExpiresAt)
	if err != nil {
		return Caller{}, err
	}
	if !first {
		return Caller{}, apierr.Unauthorized.Because(errors.New("hand-off code used twice"))
	}
	return s.callerOfSession(r.Context(), sess)
}

// cabinetSignOut answers DELETE /api/cabinet/v1/session by dropping the cookie.
func (s *Server) cabinetSignOut(w http.ResponseWriter, r *http.Request) error {
	http.SetCookie(w, &http.Cookie{Name: cabinetCookie, Value: "", Path: cabinetPath, MaxAge: -1,
		HttpOnly: true, Secure: strings.HasPrefix(s.Cabinet.PublicURL, "https://"), SameSite: http.SameSiteLaxMode})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// cabinetMe answers GET /api/cabinet/v1/me: who is signed in, and in which language.
func (s *Server) cabinetMe(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r.Context())
	respond.JSON(w, http.StatusOK, map[string]any{
		"employee": map[string]any{"id": c.Employee.ID, "crm_user_id": c.Employee.CRMUserID, "name": c.Employee.Name,
			"email": c.Employee.Email, "role": c.Employee.Role, "is_admin": c.Employee.IsAdmin()},
		"workspace": map[string]any{"id": c.Workspace.ID, "name": c.Workspace.Name},
		"lang":      respond.Lang(r.Context()),
		"sandbox":   s.Cabinet.Sandbox,
	})
	return nil
}
