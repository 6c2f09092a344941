package amocrm

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Lifetimes as amoCRM has them.
const (
	codeTTL    = 20 * time.Minute
	accessTTL  = 24 * time.Hour
	refreshTTL = 90 * 24 * time.Hour
)

// IssueCode authorizes the integration for an account as its administrator would by clicking
// "Allow", and returns the code and referer the CRM would redirect with.
func (s *Server) IssueCode(accountCode string) (code, referer string, err error) {
	s.lock()
	defer s.unlock()
	acc, ok := s.st.Accounts[accountCode]
	if !ok {
		return "", "", fmt.Errorf("sandbox amocrm: no account %q", accountCode)
	}
	code = randomToken()
	s.st.Codes[code] = grant{Account: accountCode, UserID: acc.admin().ID, ExpiresAt: s.now().Add(codeTTL).Unix()}
	return code, s.Referer(), nil
}

// authorize is the "Allow" button of the consent page: it redirects to the integration's
// redirect URI with code, referer and state — or from_widget, for an install begun inside the
// CRM (its marketplace), as amoCRM marks those.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("client_id") != s.opt.ClientID {
		problem(w, http.StatusBadRequest, "unknown client_id", "")
		return
	}
	code, referer, err := s.IssueCode(r.FormValue("account"))
	if err != nil {
		problem(w, http.StatusBadRequest, err.Error(), "")
		return
	}
	q := url.Values{"code": {code}, "referer": {referer}, "client_id": {s.opt.ClientID}}
	if st := r.FormValue("state"); st != "" {
		q.Set("state", st)
	}
	if r.FormValue("from_widget") != "" {
		q.Set("from_widget", "1")
	}
	http.Redirect(w, r, s.opt.RedirectURI+"?"+q.Encode(), http.StatusFound)
}

type tokenRequest struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	GrantType    string `json:"grant_type"`
	Code         string `json:"code"`
	RefreshToken string `json:"refresh_token"`
	RedirectURI  string `json:"redirect_uri"`
}

// accessToken is POST /oauth2/access_token with the authorization_code and refresh_token
// grants. Refresh tokens are single use: a second use is 401 "Token has been revoked".
func (s *Server) accessToken(w http.ResponseWriter, r *http.Request) {
	s.lock()
	before := s.beforeToken
	s.unlock()
	if before != nil {
		before()
	}
	var req tokenRequest
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
			problem(w, http.StatusBadRequest, "malformed JSON", "")
			return
		}
	} else {
		req = tokenRequest{r.FormValue("client_id"), r.FormValue("client_secret"), r.FormValue("grant_type"),
			r.FormValue("code"), r.FormValue("refresh_token"), r.FormValue("redirect_uri")}
	}
	if req.ClientID != s.opt.ClientID || req.ClientSecret != s.opt.ClientSecret {
		problem(w, http.StatusUnauthorized, "Client authentication failed", "")
		return
	}
	if req.RedirectURI != s.opt.RedirectURI {
		problem(w, http.StatusBadRequest, "redirect_uri does not match the integration's", "")
		return
	}
	s.lock()
	defer s.unlock()
	now := s.now()
	var g grant
	var ok bool
	switch req.GrantType {
	case "authorization_code":
		g, ok = s.st.Codes[req.Code]
		delete(s.st.Codes, req.Code)
		if !ok || now.Unix() > g.ExpiresAt {
			problem(w, http.StatusBadRequest, "The authorization code is invalid or expired", "Authorization code has expired")
			return
		}
	case "refresh_token":
		g, ok = s.st.Refresh[req.RefreshToken]
		if !ok || g.Used || now.Unix() > g.ExpiresAt {
			problem(w, http.StatusUnauthorized, "The refresh token is invalid.", "Token has been revoked")
			return
		}
		g.Used = true
		s.st.Refresh[req.RefreshToken] = g
	default:
		problem(w, http.StatusBadRequest, "unsupported grant_type", "")
		return
	}
	access, refresh := randomToken(), randomToken()
	s.st.Access[access] = grant{Account: g.Account, UserID: g.UserID, ExpiresAt: now.Add(accessTTL).Unix()}
	s.st.Refresh[refresh] = grant{Account: g.Account, UserID: g.UserID, ExpiresAt: now.Add(refreshTTL).Unix()}
	s.persist()
	hal(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": int(accessTTL.Seconds()),
		"server_time": now.Unix(), "access_token": access, "refresh_token": refresh})
}

// BeforeToken makes every later token request run fn first, before its grant is looked at:
// tests make the CRM answer slowly with it, or hold the answer back until they let it go.
func (s *Server) BeforeToken(fn func()) {
	s.lock()
	defer s.unlock()
	s.beforeToken = fn
}

// RefreshCount reports how many refresh tokens were spent (tests use it).
func (s *Server) RefreshCount() int {
	s.lock()
	defer s.unlock()
	n := 0
	for _, g := range s.st.Refresh {
		if g.Used {
			n++
		}
	}
	return n
}

// ExpireAccessTokens makes every issued access token expired, as a day passing would (tests).
func (s *Server) ExpireAccessTokens() {
	s.lock()
	defer s.unlock()
	for k, g := range s.st.Access {
		g.ExpiresAt = s.now().Add(-time.Second).Unix()
		s.st.Access[k] = g
	}
}
