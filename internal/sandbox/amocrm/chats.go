package amocrm

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// The CRM's side of amoCRM's chats: amojo ids of the account and its users, chats linked to
// contacts, the integration's sources, the pipelines, and incoming leads (Неразобранное), which
// the amojo stand-in (package sandbox/amojo) makes when an unknown customer writes.

// unsortedStatus is the pipeline's incoming-leads stage (amoCRM's status of type 1).
const unsortedStatus int64 = 51000

// AmojoID is the amojo id the CRM gives an account or user: a UUID that never changes.
func AmojoID(kind string, id int64) string {
	sum := sha256.Sum256([]byte("sandbox amojo " + kind + " " + strconv.FormatInt(id, 10)))
	u, _ := uuid.FromBytes(sum[:16])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u.String()
}

// Chats is the amojo stand-in as the CRM's pages need it: a chat's messages for the feed, and a
// manager's reply typed there.
type Chats interface {
	Feed(accountAmojoID string, chatIDs []string) []FeedMessage
	Reply(accountAmojoID, chatID, userAmojoID, text string) error
	React(accountAmojoID, chatID, userAmojoID, messageID, emoji string) error
	Typing(accountAmojoID, chatID, userAmojoID string) error
}

// FeedMessage is one message of a chat as a card's feed shows it.
type FeedMessage struct {
	ID       string // amojo's
	ChatID   string
	Incoming bool   // from the customer
	Author   string // the customer's or the manager's name
	Text     string
	Media    string // a link to the file, if any
	Picture  bool   // the file is a picture, shown in the feed
	FileName string
	Status   string // of an outgoing message: "", delivered, read, failed
	Error    string // why it failed
	At       int64  // Unix milliseconds
	Reaction string // the customer's reaction on it
	// ManagerReaction is the reaction a manager set on it in amoCRM.
	ManagerReaction string
}

// SetChats connects the CRM's pages to the amojo stand-in.
func (s *Server) SetChats(c Chats) {
	s.lock()
	defer s.unlock()
	s.chats = c
}

// accountByAmojo finds the account with that amojo id; the caller holds the lock.
func (s *Server) accountByAmojo(amojoID string) *account {
	for _, a := range s.st.Accounts {
		if AmojoID("account", a.ID) == amojoID {
			return a
		}
	}
	return nil
}

// AccountExists reports whether an account has that amojo id (amojo's connect checks it).
func (s *Server) AccountExists(amojoID string) bool {
	s.lock()
	defer s.unlock()
	return s.accountByAmojo(amojoID) != nil
}

// UserByAmojo names the account's user with that amojo id.
func (s *Server) UserByAmojo(accountAmojoID, userAmojoID string) (id int64, name string, ok bool) {
	s.lock()
	defer s.unlock()
	acc := s.accountByAmojo(accountAmojoID)
	if acc == nil {
		return 0, "", false
	}
	for _, u := range acc.Users {
		if AmojoID("user", u.ID) == userAmojoID {
			return u.ID, u.Name, true
		}
	}
	return 0, "", false
}

// Customer is who writes in a new chat, as amojo passes them on.
type Customer struct {
	Name, Phone, Email, Avatar, ProfileLink string
}

// IncomingChat is what amoCRM does with the first message of a chat no contact is linked to:
// it makes a contact with the customer's details, an incoming lead in the pipeline of the
// chat's source (the main pipeline without one), and links the chat to the contact. It
// returns the contact.
func (s *Server) IncomingChat(accountAmojoID, chatID, sourceExternalID string, c Customer) (int64, error) {
	s.lock()
	defer s.unlock()
	acc := s.accountByAmojo(accountAmojoID)
	if acc == nil {
		return 0, fmt.Errorf("no account with amojo id %s", accountAmojoID)
	}
	if id := acc.chatContact(chatID); id != 0 {
		return id, nil
	}
	owner := acc.Users[0].ID // amoCRM gives unsorted leads to the account's main user
	ct := &contact{Name: c.Name, ResponsibleUserID: owner, Fields: map[string][]value{}, UpdatedAt: s.now().Unix()}
	if ct.Name == "" {
		ct.Name = c.Phone
	}
	if c.Phone != "" {
		ct.Fields["PHONE"] = []value{{Value: c.Phone, EnumCode: "MOB"}}
	}
	if c.Email != "" {
		ct.Fields["EMAIL"] = []value{{Value: c.Email, EnumCode: "WORK"}}
	}
	acc.NextID++
	ct.ID = acc.NextID
	acc.Contacts = append(acc.Contacts, ct)
	l := &lead{Name: ct.Name, ResponsibleUserID: owner, StatusID: unsortedStatus, ContactIDs: []int64{ct.ID},
		UpdatedAt: s.now().Unix(), Incoming: true}
	if src := acc.sourceByExternal(sourceExternalID); src != nil {
		l.SourceID = src.ID
	}
	acc.NextID++
	l.ID = acc.NextID
	acc.Leads = append(acc.Leads, l)
	acc.ChatLinks = append(acc.ChatLinks, chatLink{ChatID: chatID, ContactID: ct.ID})
	s.persist()
	return ct.ID, nil
}

// ChatLinked reports whether the chat is linked to a contact (then a message makes no incoming
// lead).
func (s *Server) ChatLinked(accountAmojoID, chatID string) bool {
	s.lock()
	defer s.unlock()
	acc := s.accountByAmojo(accountAmojoID)
	return acc != nil && acc.chatContact(chatID) != 0
}

func (a *account) chatContact(chatID string) int64 {
	for _, l := range a.ChatLinks {
		if l.ChatID == chatID {
			return l.ContactID
		}
	}
	return 0
}

func (a *account) chatsOf(contactIDs []int64) []string {
	var out []string
	for _, l := range a.ChatLinks {
		if slices.Contains(contactIDs, l.ContactID) {
			out = append(out, l.ChatID)
		}
	}
	return out
}

func (a *account) sourceByExternal(externalID string) *source {
	for _, src := range a.Sources {
		if externalID != "" && src.ExternalID == externalID {
			return src
		}
	}
	return nil
}

// AcceptLead accepts an incoming lead as a manager would with the green tick: it becomes a deal
// in the pipeline's first stage, the manager its responsible user and its contact's, and the
// CRM's webhooks tell the hub.
func (s *Server) AcceptLead(accountCode string, leadID, userID int64) error {
	s.lock()
	defer s.unlock()
	acc, ok := s.st.Accounts[accountCode]
	if !ok {
		return fmt.Errorf("no account %q", accountCode)
	}
	l := acc.lead(leadID)
	if l == nil || !l.Incoming {
		return fmt.Errorf("lead %d is not an incoming lead", leadID)
	}
	if _, ok := acc.user(userID); !ok {
		return fmt.Errorf("user %d is not a user of the account", userID)
	}
	l.Incoming, l.StatusID = false, statuses[0].ID
	for _, cid := range l.ContactIDs {
		if c := acc.contact(cid); c != nil && c.ResponsibleUserID != userID {
			c.ResponsibleUserID, c.UpdatedAt = userID, s.now().Unix()
			s.sendHook(acc, "contacts", "responsible", c.ID, userID)
		}
	}
	l.ResponsibleUserID, l.UpdatedAt = userID, s.now().Unix()
	s.persist()
	s.sendHook(acc, "leads", "status", l.ID, userID)
	return nil
}

// DeclineLead declines an incoming lead: it is deleted; its contact and chat stay.
func (s *Server) DeclineLead(accountCode string, leadID int64) error {
	s.lock()
	defer s.unlock()
	acc, ok := s.st.Accounts[accountCode]
	if !ok {
		return fmt.Errorf("no account %q", accountCode)
	}
	i := slices.IndexFunc(acc.Leads, func(l *lead) bool { return l.ID == leadID && l.Incoming })
	if i < 0 {
		return fmt.Errorf("lead %d is not an incoming lead", leadID)
	}
	acc.Leads = slices.Delete(acc.Leads, i, i+1)
	s.persist()
	s.sendHook(acc, "leads", "delete", leadID, 0)
	return nil
}

// getChatLinks is GET /api/v4/contacts/chats?chat_id[]=…&contact_id[]=….
func (s *Server) getChatLinks(c apiCall) {
	q := c.r.URL.Query()
	chatIDs := append(q["chat_id[]"], q["chat_id"]...)
	var contactIDs []int64
	for _, v := range append(q["contact_id[]"], q["contact_id"]...) {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			contactIDs = append(contactIDs, id)
		}
	}
	if len(chatIDs) == 0 && len(contactIDs) == 0 {
		problem(c.w, http.StatusBadRequest, "chat_id or contact_id is required", "")
		return
	}
	out := []map[string]any{}
	for i, l := range c.acc.ChatLinks {
		if slices.Contains(chatIDs, l.ChatID) || slices.Contains(contactIDs, l.ContactID) {
			out = append(out, map[string]any{"id": i + 1, "chat_id": l.ChatID, "contact_id": l.ContactID})
		}
	}
	if len(out) == 0 {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	hal(c.w, http.StatusOK, map[string]any{"_total_items": len(out), "_embedded": map[string]any{"chats": out}})
}

// postChatLinks is POST /api/v4/contacts/chats [{"chat_id", "contact_id"}].
func (s *Server) postChatLinks(c apiCall) {
	var in []chatLink
	if err := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, 1<<16)).Decode(&in); err != nil || len(in) == 0 {
		problem(c.w, http.StatusBadRequest, "expected a JSON array of {chat_id, contact_id}", "")
		return
	}
	for _, l := range in {
		if strings.TrimSpace(l.ChatID) == "" || c.acc.contact(l.ContactID) == nil {
			problem(c.w, http.StatusBadRequest, fmt.Sprintf("validation failed: chat %q, contact %d", l.ChatID, l.ContactID), "")
			return
		}
		if linked := c.acc.chatContact(l.ChatID); linked != 0 && linked != l.ContactID {
			problem(c.w, http.StatusBadRequest, fmt.Sprintf("chat %s is linked to contact %d already", l.ChatID, linked), "")
			return
		}
	}
	out := []map[string]any{}
	for i, l := range in {
		if c.acc.chatContact(l.ChatID) == 0 {
			c.acc.ChatLinks = append(c.acc.ChatLinks, l)
		}
		out = append(out, map[string]any{"chat_id": l.ChatID, "contact_id": l.ContactID, "request_id": strconv.Itoa(i)})
	}
	s.persist()
	hal(c.w, http.StatusOK, map[string]any{"_total_items": len(out), "_embedded": map[string]any{"chats": out}})
}

// getSources is GET /api/v4/sources: the integration's sources.
func (s *Server) getSources(c apiCall) {
	out := []map[string]any{}
	for _, src := range c.acc.Sources {
		out = append(out, src.json())
	}
	if len(out) == 0 {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	hal(c.w, http.StatusOK, map[string]any{"_total_items": len(out), "_embedded": map[string]any{"sources": out}})
}

func (src *source) json() map[string]any {
	return map[string]any{"id": src.ID, "name": src.Name, "external_id": src.ExternalID, "pipeline_id": src.PipelineID,
		"waba": src.WABA, "default": false}
}

// sourceInput is a source as POST and PATCH take it.
type sourceInput struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	ExternalID string `json:"external_id"`
	PipelineID int64  `json:"pipeline_id"`
	WABA       bool   `json:"waba"`
}

// postSources is POST /api/v4/sources (create) and PATCH /api/v4/sources (update by id).
func (s *Server) postSources(c apiCall) {
	var in []sourceInput
	if err := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, 1<<16)).Decode(&in); err != nil || len(in) == 0 {
		problem(c.w, http.StatusBadRequest, "expected a JSON array of sources", "")
		return
	}
	out := []map[string]any{}
	for i, x := range in {
		if x.PipelineID != 0 && x.PipelineID != pipelineID {
			problem(c.w, http.StatusBadRequest, fmt.Sprintf("validation failed: pipeline %d does not exist", x.PipelineID), "")
			return
		}
		var src *source
		if c.r.Method == http.MethodPatch {
			if j := slices.IndexFunc(c.acc.Sources, func(s *source) bool { return s.ID == x.ID }); j >= 0 {
				src = c.acc.Sources[j]
			}
			if src == nil {
				problem(c.w, http.StatusNotFound, fmt.Sprintf("source %d not found", x.ID), "")
				return
			}
		} else {
			if strings.TrimSpace(x.Name) == "" || strings.TrimSpace(x.ExternalID) == "" {
				problem(c.w, http.StatusBadRequest, "validation failed: name and external_id are required", "")
				return
			}
			if c.acc.sourceByExternal(x.ExternalID) != nil {
				problem(c.w, http.StatusBadRequest, "validation failed: external_id "+x.ExternalID+" exists", "")
				return
			}
			c.acc.NextID++
			src = &source{ID: c.acc.NextID, ExternalID: x.ExternalID}
			c.acc.Sources = append(c.acc.Sources, src)
		}
		if x.Name != "" {
			src.Name = x.Name
		}
		src.WABA = x.WABA
		src.PipelineID = x.PipelineID
		if src.PipelineID == 0 {
			src.PipelineID = pipelineID
		}
		m := src.json()
		m["request_id"] = strconv.Itoa(i)
		out = append(out, m)
	}
	s.persist()
	hal(c.w, http.StatusOK, map[string]any{"_total_items": len(out), "_embedded": map[string]any{"sources": out}})
}

// getPipelines is GET /api/v4/leads/pipelines.
func (s *Server) getPipelines(c apiCall) {
	sts := []map[string]any{{"id": unsortedStatus, "name": "Неразобранное", "sort": 10, "type": 1, "pipeline_id": pipelineID}}
	for i, st := range statuses {
		sts = append(sts, map[string]any{"id": st.ID, "name": st.Name, "sort": 20 + 10*i, "type": 0, "pipeline_id": pipelineID})
	}
	p := map[string]any{"id": pipelineID, "name": "Воронка", "sort": 1, "is_main": true, "is_unsorted_on": true,
		"_embedded": map[string]any{"statuses": sts}}
	hal(c.w, http.StatusOK, map[string]any{"_total_items": 1, "_embedded": map[string]any{"pipelines": []any{p}}})
}
