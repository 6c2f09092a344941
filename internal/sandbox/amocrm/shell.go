package amocrm

import (
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/release"
	"github.com/switchboardhq/switchboard/internal/widget"
)

//go:embed shell
var shellFiles embed.FS

var shellPage = template.Must(template.New("shell.html").Funcs(template.FuncMap{
	"money": money,
	"clock": func(ms int64) string { return time.UnixMilli(ms).Format("02.01 15:04") },
}).ParseFS(shellFiles, "shell/shell.html"))

// widgetCode is the code the sandbox CRM gave the installed widget.
const widgetCode = "switchboard"

// accountCookie remembers which sandbox account the shell shows; userCookie (+ "_" + the
// account's code) who is signed in to it, so switching accounts keeps each one's user.
const (
	accountCookie = "sb_amocrm_account"
	userCookie    = "sb_amocrm_user"
)

func (s *Server) mountShell(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Prefix+"/leads?"+r.URL.RawQuery, http.StatusFound)
	})
	mux.HandleFunc("GET "+Prefix+"/leads", s.shell("leads"))
	mux.HandleFunc("GET "+Prefix+"/contacts", s.shell("contacts"))
	mux.HandleFunc("GET "+Prefix+"/widget-page", s.shell("widget_page"))
	mux.HandleFunc("GET "+Prefix+"/leads/detail/{id}", s.shell("lcard"))
	mux.HandleFunc("GET "+Prefix+"/contacts/detail/{id}", s.shell("ccard"))
	mux.HandleFunc("POST "+Prefix+"/leads/detail/{id}/responsible", s.changeResponsible)
	mux.HandleFunc("POST "+Prefix+"/leads/detail/{id}/accept", s.acceptLead)
	mux.HandleFunc("POST "+Prefix+"/leads/detail/{id}/decline", s.declineLead)
	mux.HandleFunc("POST "+Prefix+"/chats/reply", s.reply)
	mux.HandleFunc("POST "+Prefix+"/chats/react", s.react)
	mux.HandleFunc("POST "+Prefix+"/chats/typing", s.typing)
	static, err := fs.Sub(shellFiles, "shell")
	if err != nil {
		panic(err)
	}
	mux.Handle("GET "+Prefix+"/static/", http.StripPrefix(Prefix+"/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET "+Prefix+"/widget/{path...}", s.widgetFile)
}

// widgetFile serves the widget archive's files (script.js with this hub's URL baked in, i18n,
// images), as the CRM serves an uploaded widget. A logo is drawn when first asked for, so the
// first page of a fresh sandbox does not wait for all of them before the widget's script.
func (s *Server) widgetFile(w http.ResponseWriter, r *http.Request) {
	s.widgetOnce.Do(func() { s.widgetFiles, s.widgetErr = widget.Sources(s.opt.PublicURL, widget.Public) })
	if s.widgetErr != nil {
		http.Error(w, s.widgetErr.Error(), http.StatusInternalServerError)
		return
	}
	name := r.PathValue("path")
	b, ok := s.widgetFiles[name]
	if logo, isLogo := strings.CutPrefix(name, "images/"); !ok && isLogo {
		b, ok = s.widgetLogo(logo)
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	types := map[string]string{".js": "text/javascript; charset=utf-8", ".json": "application/json", ".png": "image/png",
		".svg": "image/svg+xml"}
	w.Header().Set("Content-Type", types[path.Ext(name)])
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

// widgetCache holds the widget's files, built once, and its logos, each drawn once.
type widgetCache struct {
	widgetOnce  sync.Once
	widgetFiles map[string][]byte
	widgetErr   error
	logoMu      sync.Mutex
	logos       map[string][]byte
}

// widgetLogo is the logo named name (one of widget.Logos), drawn the first time.
func (c *widgetCache) widgetLogo(name string) ([]byte, bool) {
	size, ok := widget.Logos[name]
	if !ok {
		return nil, false
	}
	c.logoMu.Lock()
	defer c.logoMu.Unlock()
	if b, ok := c.logos[name]; ok {
		return b, true
	}
	b, err := widget.Logo(size.W, size.H)
	if err != nil {
		return nil, false
	}
	if c.logos == nil {
		c.logos = map[string][]byte{}
	}
	c.logos[name] = b
	return b, true
}

// current is the account the shell shows and who is signed in to it. The account: ?account=
// (its code), else the account of the ?as= user, else the cookie, else demo; an unknown code is
// not found. The user: ?as=, else the account's cookie, else its admin. The caller holds s.mu.
func (s *Server) current(w http.ResponseWriter, r *http.Request) (*account, user, bool) {
	q := r.URL.Query()
	code := q.Get("account")
	if code == "" {
		if id, err := strconv.ParseInt(q.Get("as"), 10, 64); err == nil {
			for c, acc := range s.st.Accounts {
				if _, ok := acc.user(id); ok {
					code = c
				}
			}
		}
	}
	if code == "" {
		if c, err := r.Cookie(accountCookie); err == nil {
			if _, ok := s.st.Accounts[c.Value]; ok {
				code = c.Value
			}
		}
	}
	if code == "" {
		code = "demo"
	}
	acc, ok := s.st.Accounts[code]
	if !ok {
		return nil, user{}, false
	}
	if q.Has("account") || q.Has("as") {
		http.SetCookie(w, &http.Cookie{Name: accountCookie, Value: code, Path: Prefix + "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode})
	}
	return acc, s.viewer(w, r, acc), true
}

// viewer is who is signed in to acc: ?as=<user id>, else the account's cookie, else its admin.
func (s *Server) viewer(w http.ResponseWriter, r *http.Request, acc *account) user {
	pick := func(v string) (user, bool) {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return user{}, false
		}
		return acc.user(id)
	}
	cookie := userCookie + "_" + acc.Code
	if u, ok := pick(r.URL.Query().Get("as")); ok {
		http.SetCookie(w, &http.Cookie{Name: cookie, Value: strconv.FormatInt(u.ID, 10), Path: Prefix + "/",
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
		return u
	}
	if c, err := r.Cookie(cookie); err == nil {
		if u, ok := pick(c.Value); ok {
			return u
		}
	}
	return acc.admin()
}

// admin is the account's administrator (the first one; every seeded account has one).
func (a *account) admin() user {
	for _, u := range a.Users {
		if u.IsAdmin {
			return u
		}
	}
	return a.Users[0]
}

// installed reports whether the hub's integration holds a grant for the account: amoCRM shows
// an integration's widget only in accounts it is installed in. The caller holds s.mu.
func (s *Server) installed(code string) bool {
	for _, g := range s.st.Refresh {
		if g.Account == code {
			return true
		}
	}
	return false
}

// canView applies the CRM's view right (A, G, M, D) of u to an entity owned by owner.
func (a *account) canView(u user, right string, owner int64) bool {
	switch {
	case u.IsAdmin || right == "A":
		return true
	case right == "G":
		return owner == u.ID || a.groupOf(owner) == u.GroupID
	case right == "M":
		return owner == u.ID
	}
	return false
}

func money(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// pageData is what shell.js gives the widget as APP / AMOCRM and the widget object.
type pageData struct {
	User        map[string]any            `json:"user"`
	Account     map[string]any            `json:"account"`
	Managers    map[string]map[string]any `json:"managers"`
	Lang        string                    `json:"lang"`
	WidgetLang  string                    `json:"widget_lang"`
	Area        string                    `json:"area"`
	WidgetsArea string                    `json:"widgets_area"`
	BaseEntity  string                    `json:"base_entity"`
	Card        *struct {
		ID int64 `json:"id"`
	} `json:"card"`
	Widget map[string]string `json:"widget"`
	// Installed: the widget is loaded (only where the hub's integration is installed).
	Installed bool `json:"installed"`
}

func (s *Server) pageData(acc *account, u user, area string, cardID int64, installed bool) pageData {
	managers := map[string]map[string]any{}
	for _, m := range acc.Users {
		yn := map[bool]string{true: "Y", false: "N"}[m.IsAdmin]
		managers[strconv.FormatInt(m.ID, 10)] = map[string]any{"id": m.ID, "title": m.Name, "login": m.Email,
			"is_admin": yn, "group": "group_" + strconv.FormatInt(m.GroupID, 10), "active": true}
	}
	d := pageData{
		User: map[string]any{"id": u.ID, "name": u.Name, "login": u.Email, "group_id": u.GroupID, "is_admin": u.IsAdmin,
			"lang": u.Lang},
		Account: map[string]any{"id": acc.ID, "subdomain": acc.Subdomain, "name": acc.Name, "code": acc.Code,
			"top_level_domain": "ru"},
		Managers: managers, Lang: u.Lang, WidgetLang: i18n.Lang(u.Lang), Area: area, Installed: installed,
		Widget: map[string]string{"code": widgetCode, "path": Prefix + "/widget", "version": release.Version(),
			"client_uuid": s.opt.ClientID, "token_url": Prefix + "/token"},
	}
	switch area {
	case "lcard", "ccard":
		d.BaseEntity = map[string]string{"lcard": "leads", "ccard": "contacts"}[area]
		d.WidgetsArea = d.BaseEntity + "_card"
		d.Card = &struct {
			ID int64 `json:"id"`
		}{cardID}
	case "widget_page":
		d.WidgetsArea = "widget-page:" + widgetCode
	default:
		d.BaseEntity, d.WidgetsArea = area, area
	}
	return d
}

func (d pageData) JSON() (template.JS, error) {
	b, err := json.Marshal(d)
	return template.JS(b), err
}
