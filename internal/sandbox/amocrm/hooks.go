package amocrm

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

func (s *Server) postWebhook(c apiCall) {
	var in struct {
		Destination string   `json:"destination"`
		Settings    []string `json:"settings"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, 1<<16)).Decode(&in); err != nil {
		problem(c.w, http.StatusBadRequest, "malformed JSON", "")
		return
	}
	u, err := url.Parse(in.Destination)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || len(in.Settings) == 0 {
		problem(c.w, http.StatusBadRequest, "destination must be an http(s) URL and settings not empty", "")
		return
	}
	if !slices.Contains(c.acc.Hooks, in.Destination) {
		c.acc.Hooks = append(c.acc.Hooks, in.Destination)
		s.persist()
	}
	hal(c.w, http.StatusCreated, map[string]any{"destination": in.Destination, "settings": in.Settings,
		"account_id": c.acc.ID, "disabled": false})
}

// SetLeadResponsible gives a deal to another user and notifies the webhooks, as a manager
// reassigning it in the CRM would.
func (s *Server) SetLeadResponsible(accountCode string, leadID, userID int64) error {
	s.lock()
	defer s.unlock()
	acc, ok := s.st.Accounts[accountCode]
	if !ok {
		return fmt.Errorf("no account %q", accountCode)
	}
	return s.setLeadResponsible(acc, leadID, userID)
}

// setLeadResponsible; the caller holds the lock.
func (s *Server) setLeadResponsible(acc *account, leadID, userID int64) error {
	l := acc.lead(leadID)
	if l == nil {
		return fmt.Errorf("lead %d not found", leadID)
	}
	if _, ok := acc.user(userID); !ok {
		return fmt.Errorf("responsible_user_id %d is not a user of the account", userID)
	}
	if l.ResponsibleUserID == userID {
		return nil
	}
	l.ResponsibleUserID = userID
	l.UpdatedAt = s.now().Unix()
	s.persist()
	s.sendHook(acc, "leads", "responsible", l.ID, userID)
	return nil
}

// sendHook posts a form-encoded webhook to every destination, in the background (the CRM does
// not wait for its subscribers); the caller holds the lock.
func (s *Server) sendHook(acc *account, entity, event string, id, responsible int64) {
	prefix := entity + "[" + event + "][0]"
	form := url.Values{prefix + "[id]": {strconv.FormatInt(id, 10)},
		prefix + "[responsible_user_id]": {strconv.FormatInt(responsible, 10)},
		"account[id]":                    {strconv.FormatInt(acc.ID, 10)}, "account[subdomain]": {acc.Subdomain}}
	for _, dest := range acc.Hooks {
		s.hooks.Add(1)
		go func() {
			defer s.hooks.Done()
			req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, dest, strings.NewReader(form.Encode()))
			if err != nil {
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := s.opt.HTTPClient.Do(req)
			if err != nil {
				slog.Warn("sandbox amocrm: webhook not delivered", "destination", dest, "err", err)
				return
			}
			res.Body.Close()
			if res.StatusCode/100 != 2 {
				slog.Warn("sandbox amocrm: webhook refused", "destination", dest, "status", res.StatusCode)
			}
		}()
	}
}

// SetUserProfile changes a user's language and admin flag, as the account's admin would in the
// CRM's user settings (amoCRM sends no webhook for it; the hub re-reads users on a timer).
func (s *Server) SetUserProfile(accountCode string, userID int64, lang string, isAdmin bool) error {
	s.lock()
	defer s.unlock()
	acc, ok := s.st.Accounts[accountCode]
	if !ok {
		return fmt.Errorf("no account %q", accountCode)
	}
	for i := range acc.Users {
		if acc.Users[i].ID == userID {
			acc.Users[i].Lang, acc.Users[i].IsAdmin = lang, isAdmin
			s.persist()
			return nil
		}
	}
	return fmt.Errorf("no user %d", userID)
}
