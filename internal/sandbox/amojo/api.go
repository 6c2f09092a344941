package amojo

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
)

// dateWindow is how far a request's Date may be from amojo's clock.
const dateWindow = 15 * time.Minute

// call is one checked request: its body, and the scope when the path names one.
type call struct {
	w       http.ResponseWriter
	r       *http.Request
	body    []byte
	scopeID string
	scope   *scope
}

// signed checks a request as amojo does before anything else: Content-Type JSON, Content-MD5 the
// MD5 of the exact body, a Date within 15 minutes, and X-Signature the channel's HMAC-SHA1 of
// method, MD5, content type, date and path. Anything else is 403 and changes nothing.
func (s *Server) signed(next func(call)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.down.Load() {
			refuse(w, http.StatusServiceUnavailable, "amojo is unavailable")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			refuse(w, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		if why := s.checkSignature(r, body); why != "" {
			refuse(w, http.StatusForbidden, why)
			return
		}
		next(call{w: w, r: r, body: body})
	}
}

func (s *Server) checkSignature(r *http.Request, body []byte) string {
	ct, md, date, sig := r.Header.Get("Content-Type"), r.Header.Get("Content-MD5"), r.Header.Get("Date"), r.Header.Get("X-Signature")
	if ct != "application/json" {
		return "Content-Type must be application/json"
	}
	sum := md5.Sum(body)
	if md != hex.EncodeToString(sum[:]) {
		return "Content-MD5 does not match the body"
	}
	at, err := time.Parse(time.RFC1123Z, date)
	if err != nil {
		return "Date must be RFC 2822"
	}
	if d := s.now().Sub(at); d > dateWindow || d < -dateWindow {
		return "Date is more than 15 minutes away"
	}
	path := r.URL.Path
	if r.URL.RawQuery != "" {
		path += "?" + r.URL.RawQuery
	}
	m := hmac.New(sha1.New, []byte(s.opt.Secret))
	m.Write([]byte(r.Method + "\n" + md + "\n" + ct + "\n" + date + "\n" + path))
	if !hmac.Equal([]byte(strings.ToLower(sig)), []byte(hex.EncodeToString(m.Sum(nil)))) {
		return "X-Signature does not match"
	}
	return ""
}

// scoped finds the connected scope the path names, holding the lock for the handler.
func (s *Server) scoped(next func(call)) func(call) {
	return func(c call) {
		s.lock()
		defer s.unlock()
		c.scopeID = c.r.PathValue("scope")
		c.scope = s.st.Scopes[c.scopeID]
		if c.scope == nil || !c.scope.Connected {
			refuse(c.w, http.StatusNotFound, "scope "+c.scopeID+" is not connected")
			return
		}
		next(c)
	}
}

func decode(c call, v any) bool {
	if err := json.Unmarshal(c.body, v); err != nil {
		refuse(c.w, http.StatusBadRequest, "malformed JSON: "+err.Error())
		return false
	}
	return true
}

func (s *Server) connect(c call) {
	if c.r.PathValue("channel") != s.opt.ChannelID {
		refuse(c.w, http.StatusNotFound, "no such channel")
		return
	}
	var in struct {
		AccountID      string `json:"account_id"`
		Title          string `json:"title"`
		HookAPIVersion string `json:"hook_api_version"`
	}
	if !decode(c, &in) {
		return
	}
	if !s.opt.CRM.AccountExists(in.AccountID) {
		refuse(c.w, http.StatusBadRequest, "account_id is not an account's amojo id")
		return
	}
	s.lock()
	defer s.unlock()
	id := s.opt.ChannelID + "_" + in.AccountID
	sc := s.st.Scopes[id]
	if sc == nil {
		sc = &scope{AccountID: in.AccountID, Chats: map[string]*chat{}}
		s.st.Scopes[id] = sc
	}
	sc.Title, sc.Connected = in.Title, true
	s.persist()
	writeJSON(c.w, http.StatusOK, map[string]any{"account_id": in.AccountID, "scope_id": id, "title": in.Title,
		"hook_api_version": "v2", "is_time_window_disabled": false})
}

func (s *Server) disconnect(c call) {
	var in struct {
		AccountID string `json:"account_id"`
	}
	if c.r.PathValue("channel") != s.opt.ChannelID || !decode(c, &in) {
		refuse(c.w, http.StatusNotFound, "no such channel")
		return
	}
	s.lock()
	defer s.unlock()
	if sc := s.st.Scopes[s.opt.ChannelID+"_"+in.AccountID]; sc != nil {
		sc.Connected = false
		s.persist()
	}
	c.w.WriteHeader(http.StatusOK)
}

// user is a chat participant as the API takes it.
type user struct {
	ID      string `json:"id"`
	RefID   string `json:"ref_id"`
	Name    string `json:"name"`
	Avatar  string `json:"avatar"`
	Profile struct {
		Phone string `json:"phone"`
		Email string `json:"email"`
	} `json:"profile"`
	ProfileLink string `json:"profile_link"`
}

// chatFor finds the scope's chat of a conversation, or starts one for the customer u.
func (c call) chatFor(conversationID string, u user, source string) *chat {
	ch := c.scope.Chats[conversationID]
	if ch == nil {
		ch = &chat{ID: uuid.NewString(), ConversationID: conversationID, UserID: uuid.NewString(), ClientID: u.ID}
		c.scope.Chats[conversationID] = ch
	}
	if u.Name != "" {
		ch.Name = u.Name
	}
	if u.Profile.Phone != "" {
		ch.Phone = u.Profile.Phone
	}
	if u.Avatar != "" {
		ch.Avatar = u.Avatar
	}
	if u.ProfileLink != "" {
		ch.ProfileLink = u.ProfileLink
	}
	if source != "" {
		ch.Source = source
	}
	return ch
}

func (s *Server) createChat(c call) {
	var in struct {
		ConversationID string `json:"conversation_id"`
		Source         struct {
			ExternalID string `json:"external_id"`
		} `json:"source"`
		User user `json:"user"`
	}
	if !decode(c, &in) {
		return
	}
	if in.ConversationID == "" || in.User.ID == "" {
		refuse(c.w, http.StatusBadRequest, "conversation_id and user.id are required")
		return
	}
	ch := c.chatFor(in.ConversationID, in.User, in.Source.ExternalID)
	s.persist()
	writeJSON(c.w, http.StatusOK, map[string]any{"id": ch.ID, "user": map[string]any{"id": ch.UserID,
		"client_id": ch.ClientID, "name": ch.Name, "avatar": ch.Avatar, "phone": ch.Phone}})
}

// event is POST /v2/origin/custom/{scope}: new_message (inbound from the customer, or an
// outgoing message imported with sender.ref_id) and edit_message.
func (s *Server) event(c call) {
	var in struct {
		EventType string `json:"event_type"`
		Payload   struct {
			Timestamp      int64  `json:"timestamp"`
			MsecTimestamp  int64  `json:"msec_timestamp"`
			MsgID          string `json:"msgid"`
			ConversationID string `json:"conversation_id"`
			Sender         user   `json:"sender"`
			Receiver       *user  `json:"receiver"`
			Message        struct {
				Type     string `json:"type"`
				Text     string `json:"text"`
				Media    string `json:"media"`
				FileName string `json:"file_name"`
			} `json:"message"`
			Silent bool `json:"silent"`
			Source struct {
				ExternalID string `json:"external_id"`
			} `json:"source"`
		} `json:"payload"`
	}
	if !decode(c, &in) {
		return
	}
	p := in.Payload
	types := []string{"text", "picture", "video", "file", "voice", "audio", "sticker", "location", "contact"}
	switch {
	case in.EventType != "new_message" && in.EventType != "edit_message":
		refuse(c.w, http.StatusBadRequest, "event_type must be new_message or edit_message")
		return
	case p.MsgID == "" || p.ConversationID == "" || p.Timestamp == 0:
		refuse(c.w, http.StatusBadRequest, "payload needs msgid, conversation_id and timestamp")
		return
	case !slices.Contains(types, p.Message.Type):
		refuse(c.w, http.StatusBadRequest, "message.type "+p.Message.Type+" is not one amojo takes")
		return
	case p.Message.Type == "text" && strings.TrimSpace(p.Message.Text) == "":
		refuse(c.w, http.StatusBadRequest, "a text message needs text")
		return
	case p.Message.Type != "text" && p.Message.Type != "location" && p.Message.Type != "contact" && p.Message.Media == "":
		refuse(c.w, http.StatusBadRequest, "a "+p.Message.Type+" message needs media")
		return
	}
	outgoing := p.Sender.RefID != ""
	customer := p.Sender
	author := p.Sender.Name
	if outgoing {
		if p.Receiver == nil || p.Receiver.ID == "" {
			refuse(c.w, http.StatusBadRequest, "an imported outgoing message needs the receiver")
			return
		}
		_, name, ok := s.opt.CRM.UserByAmojo(c.scope.AccountID, p.Sender.RefID)
		if !ok {
			refuse(c.w, http.StatusBadRequest, "sender.ref_id is not a user of the account")
			return
		}
		customer, author = *p.Receiver, name
	} else if p.Sender.ID == "" {
		refuse(c.w, http.StatusBadRequest, "sender.id is required")
		return
	}
	ch := c.chatFor(p.ConversationID, customer, p.Source.ExternalID)
	if author == "" {
		author = ch.Name
	}
	if i := slices.IndexFunc(ch.Messages, func(m *message) bool { return m.MsgID == p.MsgID }); i >= 0 {
		m := ch.Messages[i]
		if in.EventType == "edit_message" {
			m.Text = p.Message.Text
			s.persist()
		}
		s.answerSent(c, ch, m, outgoing)
		return
	}
	if in.EventType == "edit_message" {
		refuse(c.w, http.StatusNotFound, "no message "+p.MsgID+" to edit")
		return
	}
	at := p.MsecTimestamp
	if at == 0 {
		at = p.Timestamp * 1000
	}
	m := &message{ID: uuid.NewString(), MsgID: p.MsgID, Incoming: !outgoing, Author: author, Type: p.Message.Type,
		Text: p.Message.Text, Media: p.Message.Media, FileName: p.Message.FileName, At: at, Silent: p.Silent}
	if outgoing {
		m.Status = "sent"
	}
	// The first message of a chat no contact has makes a contact and an incoming lead, unless
	// it is silent (an import), as amoCRM does.
	if !outgoing && !p.Silent && !s.opt.CRM.ChatLinked(c.scope.AccountID, ch.ID) {
		if _, err := s.opt.CRM.IncomingChat(c.scope.AccountID, ch.ID, ch.Source, sandboxamo.Customer{Name: ch.Name,
			Phone: ch.Phone, Email: customer.Profile.Email, Avatar: ch.Avatar, ProfileLink: ch.ProfileLink}); err != nil {
			refuse(c.w, http.StatusInternalServerError, err.Error())
			return
		}
	}
	ch.Messages = append(ch.Messages, m)
	s.persist()
	s.answerSent(c, ch, m, outgoing)
}

func (s *Server) answerSent(c call, ch *chat, m *message, outgoing bool) {
	sender, receiver := ch.UserID, ""
	if outgoing {
		sender, receiver = "", ch.UserID
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"new_message": map[string]any{"conversation_id": ch.ID,
		"sender_id": sender, "receiver_id": receiver, "msgid": m.ID, "ref_id": m.MsgID}})
}

// findMessage finds a message of the scope by amojo's id or the integration's msgid.
func (sc *scope) findMessage(id string) *message {
	for _, ch := range sc.Chats {
		for _, m := range ch.Messages {
			if m.ID == id || (m.MsgID != "" && m.MsgID == id) {
				return m
			}
		}
	}
	return nil
}

func (s *Server) deliveryStatus(c call) {
	var in struct {
		MsgID     string `json:"msgid"`
		Status    int    `json:"delivery_status"`
		ErrorCode int    `json:"error_code"`
		Error     string `json:"error"`
	}
	if !decode(c, &in) {
		return
	}
	m := c.scope.findMessage(c.r.PathValue("msgid"))
	switch {
	case m == nil || m.Incoming:
		refuse(c.w, http.StatusNotFound, "no outgoing message "+c.r.PathValue("msgid"))
		return
	case in.Status == -1 && (in.ErrorCode < 901 || in.ErrorCode > 905):
		refuse(c.w, http.StatusBadRequest, "error_code must be 901–905")
		return
	case in.Status == -1 && in.ErrorCode == 905 && strings.TrimSpace(in.Error) == "":
		refuse(c.w, http.StatusBadRequest, "error_code 905 needs the error text")
		return
	}
	switch in.Status {
	case 1:
		if m.Status != "read" {
			m.Status = "delivered"
		}
	case 2:
		m.Status = "read"
	case -1:
		m.Status, m.Error = "failed", fmt.Sprintf("%d: %s", in.ErrorCode, in.Error)
	default:
		refuse(c.w, http.StatusBadRequest, "delivery_status must be 1, 2 or -1")
		return
	}
	s.persist()
	writeJSON(c.w, http.StatusOK, map[string]any{})
}

func (s *Server) typing(c call) {
	var in struct {
		ConversationID string `json:"conversation_id"`
	}
	if !decode(c, &in) {
		return
	}
	if c.scope.Chats[in.ConversationID] == nil {
		refuse(c.w, http.StatusNotFound, "no conversation "+in.ConversationID)
		return
	}
	writeJSON(c.w, http.StatusOK, map[string]any{})
}

func (s *Server) react(c call) {
	var in struct {
		ConversationID string `json:"conversation_id"`
		MsgID          string `json:"msgid"`
		ID             string `json:"id"`
		Type           string `json:"type"`
		Emoji          string `json:"emoji"`
	}
	if !decode(c, &in) {
		return
	}
	m := c.scope.findMessage(in.MsgID + in.ID)
	if m == nil || (in.Type != "react" && in.Type != "unreact") || (in.Type == "react" && in.Emoji == "") {
		refuse(c.w, http.StatusBadRequest, "react needs a known message, type react (with an emoji) or unreact")
		return
	}
	m.Reaction = ""
	if in.Type == "react" {
		m.Reaction = in.Emoji
	}
	s.persist()
	writeJSON(c.w, http.StatusOK, map[string]any{})
}

// Feed lists the messages of the account's chats, oldest first, for a card's feed.
func (s *Server) Feed(accountAmojoID string, chatIDs []string) []sandboxamo.FeedMessage {
	s.lock()
	defer s.unlock()
	_, sc := s.scopeOf(accountAmojoID)
	if sc == nil {
		return nil
	}
	var out []sandboxamo.FeedMessage
	for _, ch := range sc.Chats {
		if !slices.Contains(chatIDs, ch.ID) {
			continue
		}
		for _, m := range ch.Messages {
			out = append(out, sandboxamo.FeedMessage{ID: m.ID, ManagerReaction: m.ManagerReaction, ChatID: ch.ID, Incoming: m.Incoming, Author: m.Author, Text: m.Text,
				Media: m.Media, FileName: m.FileName, Status: m.Status, Error: m.Error, At: m.At, Reaction: m.Reaction,
				Picture: m.Type == "picture" || m.Type == "sticker"})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At < out[j].At })
	return out
}

// managerChat finds a chat of the account for an action of one of its users (their name);
// the caller holds the lock.
func (s *Server) managerChat(accountAmojoID, chatID, userAmojoID string) (scopeID, name string, ch *chat, err error) {
	_, name, ok := s.opt.CRM.UserByAmojo(accountAmojoID, userAmojoID)
	if !ok {
		return "", "", nil, fmt.Errorf("sandbox amojo: %s is not a user of the account", userAmojoID)
	}
	scopeID, sc := s.scopeOf(accountAmojoID)
	if sc == nil {
		return "", "", nil, fmt.Errorf("sandbox amojo: the channel is not connected to the account")
	}
	for _, c := range sc.Chats {
		if c.ID == chatID {
			return scopeID, name, c, nil
		}
	}
	return "", "", nil, fmt.Errorf("sandbox amojo: no chat %s", chatID)
}

// React is a manager's reaction in amoCRM on a message of a chat (by amojo's id; "" emoji takes
// it off): amojo sends the integration its hook, once, as amoCRM does.
func (s *Server) React(accountAmojoID, chatID, userAmojoID, messageID, emoji string) error {
	s.lock()
	defer s.unlock()
	scopeID, _, ch, err := s.managerChat(accountAmojoID, chatID, userAmojoID)
	if err != nil {
		return err
	}
	var m *message
	for _, x := range ch.Messages {
		if x.ID == messageID {
			m = x
		}
	}
	if m == nil {
		return fmt.Errorf("sandbox amojo: no message %s in chat %s", messageID, chatID)
	}
	typ := "react"
	if emoji == "" {
		typ = "unreact"
	}
	m.ManagerReaction = emoji
	s.persist()
	return s.hook(scopeID, map[string]any{"account_id": accountAmojoID, "time": s.now().Unix(), "action": map[string]any{
		"reaction": map[string]any{"type": typ, "emoji": emoji, "user": map[string]any{"id": userAmojoID},
			"conversation": map[string]any{"id": ch.ID, "client_id": ch.ConversationID},
			"message":      map[string]any{"id": m.ID, "msgid": m.MsgID}}}}, nil)
}

// Typing is a manager typing in amoCRM's chat: amojo sends the integration its hook, saying
// until when (amoCRM shows typing for a few seconds).
func (s *Server) Typing(accountAmojoID, chatID, userAmojoID string) error {
	s.lock()
	defer s.unlock()
	scopeID, _, ch, err := s.managerChat(accountAmojoID, chatID, userAmojoID)
	if err != nil {
		return err
	}
	now := s.now()
	return s.hook(scopeID, map[string]any{"account_id": accountAmojoID, "time": now.Unix(), "action": map[string]any{
		"typing": map[string]any{"user": map[string]any{"id": userAmojoID}, "expired_at": now.Add(5 * time.Second).Unix(),
			"conversation": map[string]any{"id": ch.ID, "client_id": ch.ConversationID}}}}, nil)
}

// hook sends the integration a hook in the background — once, within 5 seconds, never again,
// as amoCRM does; failed, when set, runs (under the lock) if the integration did not take it. The
// caller holds the lock.
func (s *Server) hook(scopeID string, hook map[string]any, failed func(error)) error {
	body, err := json.Marshal(hook)
	if err != nil {
		return err
	}
	dest := strings.ReplaceAll(s.opt.HookURL, ":scope_id", scopeID)
	s.hooks.Add(1)
	go func() {
		defer s.hooks.Done()
		if err := s.sendHook(dest, body); err != nil {
			slog.Warn("sandbox amojo: hook not taken", "destination", dest, "err", err)
			if failed != nil {
				s.lock()
				failed(err)
				s.persist()
				s.unlock()
			}
		}
	}()
	return nil
}

// Reply is a manager's message typed in amoCRM: amojo keeps it and sends the integration its
// hook. A hook the integration did not take shows on the message as failed.
func (s *Server) Reply(accountAmojoID, chatID, userAmojoID, text string) error {
	s.lock()
	defer s.unlock()
	scopeID, name, ch, err := s.managerChat(accountAmojoID, chatID, userAmojoID)
	if err != nil {
		return err
	}
	now := s.now()
	m := &message{ID: uuid.NewString(), Author: name, Type: "text", Text: text, At: now.UnixMilli(), Status: "sent"}
	ch.Messages = append(ch.Messages, m)
	s.persist()
	hook := map[string]any{"account_id": accountAmojoID, "time": now.Unix(), "message": map[string]any{
		"receiver":     map[string]any{"id": ch.UserID, "phone": ch.Phone, "client_id": ch.ClientID},
		"sender":       map[string]any{"id": userAmojoID},
		"conversation": map[string]any{"id": ch.ID, "client_id": ch.ConversationID},
		"source":       map[string]any{"external_id": ch.Source},
		"timestamp":    now.Unix(), "msec_timestamp": now.UnixMilli(),
		"message": map[string]any{"id": m.ID, "type": "text", "text": text},
	}}
	return s.hook(scopeID, hook, func(err error) {
		m.Status, m.Error = "failed", "the integration did not take the message: "+err.Error()
	})
}

func (s *Server) sendHook(dest string, body []byte) error {
	m := hmac.New(sha1.New, []byte(s.opt.Secret))
	m.Write(body)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, dest, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature", hex.EncodeToString(m.Sum(nil)))
	res, err := s.opt.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("answered %s", res.Status)
	}
	return nil
}
