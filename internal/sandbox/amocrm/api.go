package amocrm

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// rateLimit is amoCRM's documented limit per integration and account.
const rateLimit = 7

// apiCall is one authenticated API request.
type apiCall struct {
	w    http.ResponseWriter
	r    *http.Request
	acc  *account
	user user
	path []string // after /api/v4/
}

// api serves /api/v4/...: bearer token → account and user, the rate limit, then the route.
func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	s.lock()
	defer s.unlock()
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	g, ok := s.st.Access[token]
	if !strings.EqualFold(scheme, "Bearer") || !ok || s.now().Unix() > g.ExpiresAt {
		problem(w, http.StatusUnauthorized, "Unauthorized", "")
		return
	}
	acc := s.st.Accounts[g.Account]
	if !s.allow(acc.ID) {
		s.throttled++
		w.Header().Set("Retry-After", "1")
		problem(w, http.StatusTooManyRequests, "Too Many Requests: at most 7 requests per second", "")
		return
	}
	u, _ := acc.user(g.UserID)
	c := apiCall{w: w, r: r, acc: acc, user: u,
		path: strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, Prefix+"/api/v4/"), "/"), "/")}
	route := r.Method + " " + c.path[0]
	switch {
	case len(c.path) == 2 && (c.path[1] == "chats" || c.path[1] == "pipelines"):
		route += "/" + c.path[1]
	case len(c.path) == 2:
		route += "/{id}"
	}
	switch route {
	case "GET account":
		s.getAccount(c)
	case "GET users", "GET users/{id}":
		s.getUsers(c)
	case "GET leads", "GET leads/{id}":
		s.getLeads(c)
	case "PATCH leads/{id}":
		s.patchLead(c)
	case "GET contacts", "GET contacts/{id}":
		s.getContacts(c)
	case "POST contacts":
		s.postContacts(c)
	case "PATCH contacts/{id}":
		s.patchContact(c)
	case "POST webhooks":
		s.postWebhook(c)
	case "GET contacts/chats":
		s.getChatLinks(c)
	case "POST contacts/chats":
		s.postChatLinks(c)
	case "GET sources":
		s.getSources(c)
	case "POST sources", "PATCH sources":
		s.postSources(c)
	case "GET leads/pipelines":
		s.getPipelines(c)
	default:
		problem(w, http.StatusNotFound, "Not found", "")
	}
}

// allow counts a request against the account's last second; the caller holds the lock.
func (s *Server) allow(accountID int64) bool {
	now := s.now()
	recent := s.hits[accountID][:0]
	for _, t := range s.hits[accountID] {
		if now.Sub(t) < time.Second {
			recent = append(recent, t)
		}
	}
	if len(recent) >= rateLimit {
		s.hits[accountID] = recent
		return false
	}
	s.hits[accountID] = append(recent, now)
	return true
}

// id is the numeric id in the path ("" → 0, malformed → -1).
func (c apiCall) id() int64 {
	if len(c.path) < 2 {
		return 0
	}
	n, err := strconv.ParseInt(c.path[1], 10, 64)
	if err != nil || n <= 0 {
		return -1
	}
	return n
}

// pageOf slices items by ?page and ?limit (max 250) and writes the HAL list, or 204 when the
// page is empty (as amoCRM answers).
func pageOf[T any](c apiCall, key string, items []T) {
	q := c.r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	page = max(page, 1)
	if limit <= 0 || limit > 250 {
		limit = 50
	}
	from := min((page-1)*limit, len(items))
	to := min(from+limit, len(items))
	if from == to {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	self := c.r.URL.Path + "?" + q.Encode()
	links := map[string]any{"self": map[string]string{"href": self}}
	if to < len(items) {
		q.Set("page", strconv.Itoa(page+1))
		links["next"] = map[string]string{"href": c.r.URL.Path + "?" + q.Encode()}
	}
	hal(c.w, http.StatusOK, map[string]any{"_page": page, "_links": links, "_embedded": map[string]any{key: items[from:to]}})
}

func (s *Server) getAccount(c apiCall) {
	groups := make([]map[string]any, len(c.acc.Groups))
	for i, g := range c.acc.Groups {
		groups[i] = map[string]any{"id": g.ID, "name": g.Name}
	}
	out := map[string]any{"id": c.acc.ID, "name": c.acc.Name, "subdomain": c.acc.Subdomain,
		"country": strings.ToLower(c.acc.Country), "current_user_id": c.user.ID, "currency": "RUB",
		"is_technical_account": false, "_embedded": map[string]any{"users_groups": groups}}
	if strings.Contains(c.r.URL.Query().Get("with"), "amojo_id") {
		out["amojo_id"] = AmojoID("account", c.acc.ID)
	}
	hal(c.w, http.StatusOK, out)
}

// getUsers answers only administrators' tokens, as amoCRM does.
func (s *Server) getUsers(c apiCall) {
	if !c.user.IsAdmin {
		problem(c.w, http.StatusForbidden, "Access denied: users are visible to administrators only", "")
		return
	}
	if id := c.id(); id != 0 {
		u, ok := c.acc.user(id)
		if !ok {
			problem(c.w, http.StatusNotFound, "User not found", "")
			return
		}
		hal(c.w, http.StatusOK, c.acc.userJSON(u))
		return
	}
	out := make([]map[string]any, len(c.acc.Users))
	for i, u := range c.acc.Users {
		out[i] = c.acc.userJSON(u)
	}
	pageOf(c, "users", out)
}

func (a *account) userJSON(u user) map[string]any {
	right := func(view string) map[string]string {
		return map[string]string{"view": view, "edit": view, "add": "A", "delete": "D", "export": "D"}
	}
	rights := map[string]any{"leads": right(u.LeadsView), "contacts": right(u.ContactsView),
		"companies": right(u.ContactsView), "tasks": map[string]string{"edit": "A", "delete": "D"},
		"mail_access": true, "catalog_access": true, "is_admin": u.IsAdmin, "is_free": false, "is_active": true,
		"group_id": u.GroupID, "role_id": nil, "status_rights": []any{}}
	var groups []map[string]any
	for _, g := range a.Groups {
		if g.ID == u.GroupID {
			groups = append(groups, map[string]any{"id": g.ID, "name": g.Name})
		}
	}
	return map[string]any{"id": u.ID, "name": u.Name, "email": u.Email, "lang": u.Lang, "rights": rights,
		"amojo_id": AmojoID("user", u.ID), "_embedded": map[string]any{"roles": []any{}, "groups": groups}}
}
