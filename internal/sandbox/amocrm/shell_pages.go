package amocrm

import (
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/switchboardhq/switchboard/internal/i18n"
)

type leadRow struct {
	ID                        int64
	Name, Status, Responsible string
	Price                     int64
	Incoming                  bool
	Contact, Phone, Source    string // an incoming lead's contact, phone and source
}

type contactRow struct {
	ID                       int64
	Name, Phone, Responsible string
}

// shellView is what shell.html renders.
type shellView struct {
	T       func(string) string
	Lang    string
	Prefix  string
	Account *account
	// Accounts are the sandbox's accounts, for the account switcher.
	Accounts []*account
	// Installed: the hub's integration is installed in the account, so its widget is there;
	// else InstallURL begins the install from the CRM's side (its marketplace).
	Installed  bool
	InstallURL string
	// SwitchPath is where the account switcher leads: this area's list (cards are per account).
	SwitchPath string
	User       user
	Area       string
	Path       string
	Leads      []leadRow
	Incoming   []leadRow // incoming leads, listed above the deals
	Contacts   []contactRow
	// Feed is the card's chats' messages; Chats the chats a reply can go to (the newest first).
	Feed  []FeedMessage
	Chats []string
	// Reactions are the emoji a manager can put on a feed message.
	Reactions []string
	// A card: the deal (with its contacts) or the contact (with phones, e-mails and deals).
	Lead          *leadRow
	ResponsibleID int64
	Contact       *contactRow
	Phones        []string
	Emails        []string
	// Hidden: the CRM would not show this card to the user (the sandbox does, so the chat
	// window's own refusal can be seen).
	Hidden bool
	Data   template.JS
}

func (a *account) leadRow(l *lead) leadRow {
	status := ""
	for _, st := range statuses {
		if st.ID == l.StatusID {
			status = st.Name
		}
	}
	if l.Incoming {
		status = "Неразобранное"
	}
	owner, _ := a.user(l.ResponsibleUserID)
	row := leadRow{ID: l.ID, Name: l.Name, Status: status, Responsible: owner.Name, Price: l.Price, Incoming: l.Incoming}
	if len(l.ContactIDs) > 0 {
		if c := a.contact(l.ContactIDs[0]); c != nil {
			row.Contact = c.Name
			if ps := c.Fields["PHONE"]; len(ps) > 0 {
				row.Phone = ps[0].Value
			}
		}
	}
	for _, src := range a.Sources {
		if src.ID == l.SourceID {
			row.Source = src.Name
		}
	}
	return row
}

func (a *account) contactRow(c *contact) contactRow {
	owner, _ := a.user(c.ResponsibleUserID)
	row := contactRow{ID: c.ID, Name: c.Name, Responsible: owner.Name}
	if ps := c.Fields["PHONE"]; len(ps) > 0 {
		row.Phone = ps[0].Value
	}
	return row
}

// shell serves one page of the CRM shell: a list, a card or the widget's page, as the user
// signed in to the current account (current) sees it.
func (s *Server) shell(area string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.lock()
		defer s.unlock()
		acc, u, ok := s.current(w, r)
		if !ok {
			http.Error(w, "the sandbox CRM has no account "+strconv.Quote(r.URL.Query().Get("account")), http.StatusNotFound)
			return
		}
		lang := i18n.Lang(u.Lang)
		v := shellView{T: func(k string) string { return i18n.T(lang, k) }, Lang: lang, Prefix: Prefix, Account: acc,
			Accounts: s.accounts(), User: u, Area: area, Path: r.URL.Path, Installed: s.installed(acc.Code),
			InstallURL: Prefix + "/oauth?" + url.Values{"client_id": {s.opt.ClientID}, "account": {acc.Code},
				"from_widget": {"1"}, "lang": {lang}}.Encode(),
			SwitchPath: Prefix + map[string]string{"leads": "/leads", "lcard": "/leads", "contacts": "/contacts", "ccard": "/contacts",
				"widget_page": "/widget-page"}[area]}
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		switch area {
		case "leads":
			for _, l := range acc.Leads {
				switch {
				case l.Incoming: // everyone sees the incoming leads, to take them
					v.Incoming = append(v.Incoming, acc.leadRow(l))
				case acc.canView(u, u.LeadsView, l.ResponsibleUserID):
					v.Leads = append(v.Leads, acc.leadRow(l))
				}
			}
		case "contacts":
			for _, c := range acc.Contacts {
				if acc.canView(u, u.ContactsView, c.ResponsibleUserID) {
					v.Contacts = append(v.Contacts, acc.contactRow(c))
				}
			}
		case "lcard":
			l := acc.lead(id)
			if l == nil {
				http.NotFound(w, r)
				return
			}
			row := acc.leadRow(l)
			v.Lead, v.ResponsibleID, v.Hidden = &row, l.ResponsibleUserID, !acc.canView(u, u.LeadsView, l.ResponsibleUserID)
			for _, cid := range l.ContactIDs {
				if c := acc.contact(cid); c != nil {
					v.Contacts = append(v.Contacts, acc.contactRow(c))
				}
			}
			v.Chats = acc.chatsOf(l.ContactIDs)
		case "ccard":
			c := acc.contact(id)
			if c == nil {
				http.NotFound(w, r)
				return
			}
			row := acc.contactRow(c)
			v.Contact, v.Hidden = &row, !acc.canView(u, u.ContactsView, c.ResponsibleUserID)
			for _, p := range c.Fields["PHONE"] {
				v.Phones = append(v.Phones, p.Value)
			}
			for _, e := range c.Fields["EMAIL"] {
				v.Emails = append(v.Emails, e.Value)
			}
			for _, lid := range acc.leadsOf(c.ID) {
				v.Leads = append(v.Leads, acc.leadRow(acc.lead(lid)))
			}
			v.Chats = acc.chatsOf([]int64{c.ID})
		}
		if len(v.Chats) > 0 && s.chats != nil {
			// amojo holds its lock while it asks the CRM (a contact for a new chat), so the
			// feed is read with the CRM's let go: never one lock held waiting for the other.
			// What v points into stays readable: a reload replaces the state, never changes it.
			s.unlock()
			v.Feed = s.chats.Feed(AmojoID("account", acc.ID), v.Chats)
			s.lock()
			v.Reactions = feedReactions
		}
		data, err := s.pageData(acc, u, area, id, v.Installed).JSON()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		v.Data = data
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := shellPage.Execute(w, v); err != nil {
			slog.Warn("sandbox amocrm: render page", "err", err)
		}
	}
}

// currentCode is the code of the account the shell shows (current), for the forms.
func (s *Server) currentCode(w http.ResponseWriter, r *http.Request) (string, bool) {
	s.lock()
	defer s.unlock()
	acc, _, ok := s.current(w, r)
	if !ok {
		return "", false
	}
	return acc.Code, true
}

// accounts lists the sandbox's accounts by code, for the switcher. The caller holds s.mu.
func (s *Server) accounts() []*account {
	out := make([]*account, 0, len(s.st.Accounts))
	for _, a := range s.st.Accounts {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *account) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// acceptLead is the incoming list's green tick: the signed-in user takes the lead.
func (s *Server) acceptLead(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s.lock()
	acc, u, ok := s.current(w, r)
	s.unlock()
	if !ok {
		http.Error(w, "no such sandbox account", http.StatusNotFound)
		return
	}
	if err := s.AcceptLead(acc.Code, id, u.ID); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, Prefix+"/leads/detail/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// declineLead deletes an incoming lead.
func (s *Server) declineLead(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	code, ok := s.currentCode(w, r)
	if !ok {
		http.Error(w, "no such sandbox account", http.StatusNotFound)
		return
	}
	if err := s.DeclineLead(code, id); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, Prefix+"/leads", http.StatusSeeOther)
}

// feedAction is what a manager does in a card's feed — reply, react, type: in the signed-in
// user's name, in a chat of the account (form field chat_id), through the amojo stand-in, which
// sends the integration its hook as amoCRM does. act's error is the stand-in's refusal.
func (s *Server) feedAction(act func(c Chats, account, chatID, user string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		chatID := r.FormValue("chat_id")
		s.lock()
		acc, u, ok := s.current(w, r)
		linked := ok && acc.chatContact(chatID) != 0
		chats := s.chats
		s.unlock()
		switch {
		case chats == nil:
			http.Error(w, "the sandbox has no amojo stand-in", http.StatusServiceUnavailable)
			return
		case !linked:
			http.Error(w, "not a chat of this account: "+chatID, http.StatusBadRequest)
			return
		}
		if err := act(chats, AmojoID("account", acc.ID), chatID, AmojoID("user", u.ID)); errors.Is(err, errEmptyReply) {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		} else if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		if back := r.FormValue("back"); strings.HasPrefix(back, Prefix+"/") {
			http.Redirect(w, r, back, http.StatusSeeOther)
			return
		}
		w.WriteHeader(http.StatusNoContent) // typing, sent by the page's script
	}
}

// feedReactions are the reactions amoCRM's feed offers first.
var feedReactions = []string{"👍", "❤️", "😂", "🙏"}

var errEmptyReply = errors.New("a reply needs text")

// reply is the feed's reply box.
func (s *Server) reply(w http.ResponseWriter, r *http.Request) {
	text := strings.TrimSpace(r.FormValue("text"))
	s.feedAction(func(c Chats, account, chatID, user string) error {
		if text == "" {
			return errEmptyReply
		}
		return c.Reply(account, chatID, user, text)
	})(w, r)
}

// react is a message's reaction buttons in the feed (an empty emoji takes the reaction off).
func (s *Server) react(w http.ResponseWriter, r *http.Request) {
	s.feedAction(func(c Chats, account, chatID, user string) error {
		return c.React(account, chatID, user, r.FormValue("message_id"), r.FormValue("emoji"))
	})(w, r)
}

// typing is sent by the page while the manager types in the reply box.
func (s *Server) typing(w http.ResponseWriter, r *http.Request) {
	s.feedAction(func(c Chats, account, chatID, user string) error { return c.Typing(account, chatID, user) })(w, r)
}

// changeResponsible is the card's "responsible user" form: the deal changes hands and the CRM
// sends its webhooks, as in amoCRM.
func (s *Server) changeResponsible(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	to, _ := strconv.ParseInt(r.FormValue("responsible_user_id"), 10, 64)
	code, ok := s.currentCode(w, r)
	if !ok {
		http.Error(w, "no such sandbox account", http.StatusNotFound)
		return
	}
	if err := s.SetLeadResponsible(code, id, to); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, Prefix+"/leads/detail/"+strings.TrimSpace(r.PathValue("id")), http.StatusSeeOther)
}
