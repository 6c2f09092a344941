package graph

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
)

type sendRequest struct {
	MessagingProduct string `json:"messaging_product"`
	To               string `json:"to"`
	Type             string `json:"type"`
	Context          *struct {
		MessageID string `json:"message_id"`
	} `json:"context"`
	Text *struct {
		Body string `json:"body"`
	} `json:"text"`
	Template *struct {
		Name     string `json:"name"`
		Language struct {
			Code string `json:"code"`
		} `json:"language"`
		Components []struct {
			Parameters []struct {
				Text string `json:"text"`
			} `json:"parameters"`
		} `json:"components"`
	} `json:"template"`
	Image    *mediaRef `json:"image"`
	Audio    *mediaRef `json:"audio"`
	Video    *mediaRef `json:"video"`
	Document *mediaRef `json:"document"`
	Sticker  *mediaRef `json:"sticker"`
	Reaction *struct {
		MessageID string `json:"message_id"`
		Emoji     string `json:"emoji"`
	} `json:"reaction"`
	// A read receipt (and typing indicator) has no "to": status, message_id, typing_indicator.
	Status          string `json:"status"`
	MessageID       string `json:"message_id"`
	TypingIndicator *struct {
		Type string `json:"type"`
	} `json:"typing_indicator"`
}

type mediaRef struct {
	ID      string `json:"id"`
	Link    string `json:"link"`
	Caption string `json:"caption"`
}

// window is the customer-service window: free-form messages only this long after the
// customer's last message.
const window = 24 * time.Hour

// sendMessage is POST /{phone-number-id}/messages: it validates like the Cloud API, answers
// with a wamid, then reports sent and delivered (or failed) by webhook, as Meta does.
func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request) {
	a, ok := s.account(r.PathValue("pnid"))
	if !authorize(w, r, a, ok) {
		return
	}
	st := s.st.Lock()
	throttled := st.Throttled[a.PhoneNumberID] > 0
	if throttled {
		st.Throttled[a.PhoneNumberID]--
		s.st.Changed()
	}
	s.st.Unlock()
	if throttled {
		graphError(w, http.StatusTooManyRequests, 130429, "Rate limit hit", "Cloud API message throughput has been reached.")
		return
	}
	var req sendRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		graphError(w, http.StatusBadRequest, 100, "Invalid parameter", "The request body is not valid JSON")
		return
	}
	if req.Status != "" {
		s.markReadByBusiness(w, a, req)
		return
	}
	to := strings.TrimPrefix(req.To, "+")
	switch {
	case req.MessagingProduct != "whatsapp":
		graphError(w, http.StatusBadRequest, 100, "Invalid parameter", "messaging_product must be whatsapp")
		return
	case to == "" || strings.Trim(to, "0123456789") != "":
		graphError(w, http.StatusBadRequest, 100, "Invalid parameter", "to must be a phone number")
		return
	}
	out := &OutMessage{ExternalID: newID("wamid.SB"), PhoneNumberID: a.PhoneNumberID, To: to, Type: req.Type,
		Status: "accepted", CreatedAt: time.Now().UTC()}
	if req.Context != nil {
		out.ReplyTo = req.Context.MessageID
	}
	if code, title, details := s.fill(a, out, &req); code != 0 {
		graphError(w, http.StatusBadRequest, code, title, details)
		return
	}
	if req.Type == "reaction" {
		st := s.st.Lock()
		st.Signals.React(req.Reaction.MessageID, req.Reaction.Emoji)
		s.st.Changed()
		s.st.Unlock()
	} else {
		kept := *out // the state's copy; out stays the goroutine's
		st := s.st.Lock()
		st.Outbox = standin.Trim(append(st.Outbox, &kept))
		s.st.Changed()
		s.st.Unlock()
		go s.progress(a, out)
	}
	writeJSON(w, http.StatusOK, map[string]any{"messaging_product": "whatsapp",
		"contacts": []map[string]string{{"input": req.To, "wa_id": to}},
		"messages": []map[string]string{{"id": out.ExternalID}}})
}

// fill checks the message by type and copies what the outbox shows; a non-zero code is the
// synchronous Graph error to answer with.
func (s *Server) fill(a Account, out *OutMessage, req *sendRequest) (code int, title, details string) {
	st := s.st.Lock()
	last, wrote := st.LastInbound[a.PhoneNumberID+"|"+out.To]
	s.st.Unlock()
	windowOpen := wrote && time.Since(last) < window
	switch req.Type {
	case "template":
		if req.Template == nil {
			return 100, "Invalid parameter", "template is required"
		}
		if a.Unpaid {
			return 131042, "Business eligibility payment issue", "Message failed to send because there were one or more errors related to your payment method."
		}
		switch s.templateStatus(req.Template.Name, req.Template.Language.Code) {
		case "":
			return 132001, "Template name does not exist in the translation", "template name (" + req.Template.Name + ") does not exist in " + req.Template.Language.Code
		case "APPROVED":
		default:
			return 132015, "Template is paused", "Template is paused due to low quality, so it cannot be sent in a template message."
		}
		out.Template = req.Template.Name
		var params []string
		for _, c := range req.Template.Components {
			for _, p := range c.Parameters {
				params = append(params, p.Text)
			}
		}
		out.Text = s.renderTemplate(req.Template.Name, req.Template.Language.Code, params)
		return 0, "", ""
	case "reaction":
		if req.Reaction == nil {
			return 100, "Invalid parameter", "reaction is required"
		}
		return 0, "", ""
	}
	if !windowOpen {
		return 131047, "Re-engagement message", "Message failed to send because more than 24 hours have passed since the customer last replied to this number."
	}
	switch req.Type {
	case "text":
		if req.Text == nil || req.Text.Body == "" {
			return 100, "Invalid parameter", "text.body is required"
		}
		out.Text = req.Text.Body
		return 0, "", ""
	case "image", "audio", "video", "document", "sticker":
		ref := map[string]*mediaRef{"image": req.Image, "audio": req.Audio, "video": req.Video,
			"document": req.Document, "sticker": req.Sticker}[req.Type]
		if ref == nil || ref.ID == "" && ref.Link == "" {
			return 100, "Invalid parameter", req.Type + ".id or " + req.Type + ".link is required"
		}
		if ref.ID != "" && !s.hasMedia(ref.ID) {
			return 131053, "Media upload error", "Unable to find media " + ref.ID
		}
		out.MediaID, out.Text = ref.ID, ref.Caption
		return 0, "", ""
	}
	return 100, "Invalid parameter", "unsupported message type " + req.Type
}

// progress reports the message's fate by webhook: numbers ending in 0000 are not on WhatsApp
// (accepted, then failed with 131026, as the real API does); others are sent, then delivered.
func (s *Server) progress(a Account, out *OutMessage) {
	d := s.statusDelay()
	time.Sleep(d)
	if strings.HasSuffix(out.To, "0000") {
		s.setStatus(out, "failed", "131026 Message undeliverable")
		_ = s.postStatus(a, out, "failed", 131026, "Message undeliverable")
		return
	}
	s.setStatus(out, "sent", "")
	_ = s.postStatus(a, out, "sent", 0, "")
	time.Sleep(d)
	s.setStatus(out, "delivered", "")
	_ = s.postStatus(a, out, "delivered", 0, "")
}

var statusRank = map[string]int{"accepted": 0, "sent": 1, "delivered": 2, "read": 3}

// setStatus moves a message of the outbox to status (never back, except to failed).
func (s *Server) setStatus(out *OutMessage, status, errText string) {
	st := s.st.Lock()
	defer s.st.Unlock()
	for _, o := range st.Outbox {
		if o.ExternalID == out.ExternalID && (status == "failed" || statusRank[status] > statusRank[o.Status]) {
			o.Status, o.Error = status, errText
			s.st.Changed()
		}
	}
}

// MarkRead is the customer opening the chat: read statuses for the given messages (or all
// of the number's delivered ones to that customer when ids is empty).
func (s *Server) MarkRead(pnid string, ids []string) int {
	a, ok := s.account(pnid)
	if !ok {
		return 0
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	st := s.st.Lock()
	todo := standin.Copies(st.Outbox, func(o *OutMessage) bool {
		return o.PhoneNumberID == pnid && (want[o.ExternalID] || len(ids) == 0) && o.Status != "failed" && o.Status != "read"
	})
	s.st.Unlock()
	for _, o := range todo {
		s.setStatus(&o, "read", "")
		_ = s.postStatus(a, &o, "read", 0, "")
	}
	return len(todo)
}

// markReadByBusiness is the read receipt form of POST /{phone-number-id}/messages: the customer's
// message (and those before it) shows read, and with typing_indicator the customer sees the
// business typing. Only a message the customer sent to this number can be marked.
func (s *Server) markReadByBusiness(w http.ResponseWriter, a Account, req sendRequest) {
	switch {
	case req.Status != "read":
		graphError(w, http.StatusBadRequest, 100, "Invalid parameter", "status must be read")
		return
	case req.TypingIndicator != nil && req.TypingIndicator.Type != "text":
		graphError(w, http.StatusBadRequest, 100, "Invalid parameter", "typing_indicator.type must be text")
		return
	}
	st := s.st.Lock()
	defer s.st.Unlock()
	var from string
	for _, m := range st.Inbox {
		if m.PhoneNumberID == a.PhoneNumberID && m.ExternalID == req.MessageID {
			from = m.From
		}
	}
	if from == "" {
		graphError(w, http.StatusBadRequest, 100, "Invalid parameter", "message_id is not a message received by this number")
		return
	}
	if req.TypingIndicator != nil {
		st.Signals.Typed(a.PhoneNumberID+"|"+from, time.Now())
		s.st.Changed()
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true})
}

// Signals is what customers see of the numbers besides messages: reactions (by wamid) and
// typing (by phone number id + "|" + wa_id).
func (s *Server) Signals() standin.Signals {
	st := s.st.Lock()
	defer s.st.Unlock()
	return st.Signals.Copy()
}

// Outbox lists what the hub sent through a number, oldest first.
func (s *Server) Outbox(pnid string) []OutMessage {
	st := s.st.Lock()
	defer s.st.Unlock()
	return standin.Copies(st.Outbox, func(o *OutMessage) bool { return o.PhoneNumberID == pnid })
}
