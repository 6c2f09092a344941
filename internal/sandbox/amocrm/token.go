package amocrm

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// disposableTTL is how long a disposable token lives (amoCRM does not document it; minutes).
const disposableTTL = 10 * time.Minute

// Token signs a disposable token for a user of an account exactly as amoCRM does for the
// widget's $authorizedAjax: HS256 under the client secret, iss the account address, aud scheme
// and host of the integration's redirect URI.
func (s *Server) Token(accountCode string, userID int64) (string, bool) {
	s.lock()
	acc, ok := s.st.Accounts[accountCode]
	var u user
	if ok {
		u, ok = acc.user(userID)
	}
	s.unlock()
	if !ok {
		return "", false
	}
	aud, _ := url.Parse(s.opt.RedirectURI)
	now := s.now()
	claims := jwt.MapClaims{"iss": s.BaseURL(), "aud": aud.Scheme + "://" + aud.Host, "jti": uuid.NewString(),
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(disposableTTL).Unix(),
		"account_id": acc.ID, "subdomain": acc.Subdomain, "user_id": u.ID, "is_admin": u.IsAdmin,
		"client_uuid": s.opt.ClientID}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(s.opt.ClientSecret))
	return tok, err == nil
}

// disposableToken is POST /sandbox/amocrm/token {"user_id", "account"?} → {"token"}.
func (s *Server) disposableToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		UserID  int64  `json:"user_id"`
		Account string `json:"account"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<12)).Decode(&in); err != nil {
		problem(w, http.StatusBadRequest, `expected {"user_id": <int>, "account"?: "demo"|"fresh"}`, "")
		return
	}
	if in.Account == "" {
		in.Account = "demo"
	}
	tok, ok := s.Token(in.Account, in.UserID)
	if !ok {
		problem(w, http.StatusNotFound, "no such user in that account", "")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"token": tok})
}

// userItem is a user as GET /sandbox/amocrm/users lists them.
type userItem struct {
	ID      int64          `json:"id"`
	Name    string         `json:"name"`
	Email   string         `json:"email"`
	Lang    string         `json:"lang"`
	GroupID int64          `json:"group_id"`
	IsAdmin bool           `json:"is_admin"`
	Rights  map[string]any `json:"rights"`
}

// Users lists an account's users.
func (s *Server) Users(accountCode string) []userItem {
	s.lock()
	defer s.unlock()
	acc, ok := s.st.Accounts[accountCode]
	if !ok {
		return nil
	}
	out := make([]userItem, len(acc.Users))
	for i, u := range acc.Users {
		out[i] = userItem{u.ID, u.Name, u.Email, u.Lang, u.GroupID, u.IsAdmin,
			map[string]any{"contacts": map[string]string{"view": u.ContactsView}, "leads": map[string]string{"view": u.LeadsView}}}
	}
	return out
}

// listUsers is GET /sandbox/amocrm/users (?account=fresh for the other account).
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("account")
	if code == "" {
		code = "demo"
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"items": s.Users(code)})
}
