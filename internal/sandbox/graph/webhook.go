package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel/waba"
	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
)

// envelope wraps one change value in Meta's webhook body.
func envelope(a Account, value map[string]any) ([]byte, error) {
	value["messaging_product"] = "whatsapp"
	value["metadata"] = map[string]string{"display_phone_number": a.DisplayPhone, "phone_number_id": a.PhoneNumberID}
	return json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{
		map[string]any{"id": a.WABAID, "changes": []any{map[string]any{"field": "messages", "value": value}}}}})
}

// deliver posts body to the account's callback URL, signed over these exact bytes.
func (s *Server) deliver(a Account, body []byte) error {
	if a.HookURL == "" {
		return errors.New("graph: the number has no callback URL")
	}
	return standin.Post(s.HTTP, a.HookURL, waba.SignatureHeader, waba.Sign(a.AppSecret, body), body)
}

// postStatus reports a delivery status for an outgoing message.
func (s *Server) postStatus(a Account, out *OutMessage, status string, code int, title string) error {
	st := map[string]any{"id": out.ExternalID, "status": status, "recipient_id": out.To,
		"timestamp": strconv.FormatInt(time.Now().Unix(), 10)}
	if code != 0 {
		st["errors"] = []map[string]any{{"code": code, "title": title, "message": title,
			"error_data": map[string]string{"details": title}}}
	} else {
		st["pricing"] = map[string]any{"billable": out.Template != "", "pricing_model": "PMP", "category": "service"}
	}
	body, err := envelope(a, map[string]any{"statuses": []any{st}})
	if err != nil {
		return err
	}
	return s.deliver(a, body)
}

// Customer is who writes to the business.
type Customer struct {
	WAID string // international digits
	Name string
}

// Incoming is what a customer sends: type is text, image, voice, video, file or order.
type Incoming struct {
	Type    string
	Text    string
	ReplyTo string // wamid of the quoted message
	File    *SampleFile
	Order   []OrderLine
}

// SampleFile is a media file the simulator attaches.
type SampleFile struct {
	Name, MIME string
	Data       []byte
}

// OrderLine is one item of a cart; Price is a decimal string, sent as a JSON number.
type OrderLine struct {
	SKU      string
	Quantity int
	Price    string
	Currency string
}

// Receive is the customer writing to a number: the message is delivered to the hub as a
// signed webhook, the customer-service window opens, and the external id is returned.
func (s *Server) Receive(pnid string, c Customer, in Incoming) (string, error) {
	a, ok := s.account(pnid)
	if !ok {
		return "", fmt.Errorf("graph: unknown phone number id %q", pnid)
	}
	id := newID("wamid.IN")
	msg := map[string]any{"from": c.WAID, "id": id, "timestamp": strconv.FormatInt(time.Now().Unix(), 10)}
	if in.ReplyTo != "" {
		msg["context"] = map[string]string{"from": a.DisplayPhone, "id": in.ReplyTo}
	}
	if err := s.messageBody(pnid, msg, in); err != nil {
		return "", err
	}
	body, err := envelope(a, map[string]any{"contacts": []any{map[string]any{"profile": map[string]string{"name": c.Name},
		"wa_id": c.WAID}}, "messages": []any{msg}})
	if err != nil {
		return "", err
	}
	st := s.st.Lock()
	st.LastInbound[pnid+"|"+c.WAID] = time.Now()
	st.Inbox = standin.Trim(append(st.Inbox, &InMessage{ExternalID: id, PhoneNumberID: pnid, From: c.WAID, Type: in.Type,
		Text: in.Text, ReplyTo: in.ReplyTo, CreatedAt: time.Now().UTC(), Body: body}))
	s.st.Changed()
	s.st.Unlock()
	return id, s.deliver(a, body)
}

func (s *Server) messageBody(pnid string, msg map[string]any, in Incoming) error {
	media := func(kind string, extra map[string]any) error {
		if in.File == nil {
			return fmt.Errorf("graph: a %s message needs a file", in.Type)
		}
		id, err := s.storeMedia(context.Background(), pnid, in.File.MIME, in.File.Data)
		if err != nil {
			return err
		}
		m := map[string]any{"id": id, "mime_type": in.File.MIME, "sha256": sha(in.File.Data)}
		for k, v := range extra {
			m[k] = v
		}
		msg["type"], msg[kind] = kind, m
		return nil
	}
	switch in.Type {
	case "text":
		msg["type"], msg["text"] = "text", map[string]string{"body": in.Text}
	case "image", "video":
		return media(in.Type, map[string]any{"caption": in.Text})
	case "voice":
		return media("audio", map[string]any{"voice": true})
	case "file":
		return media("document", map[string]any{"filename": in.File.Name, "caption": in.Text})
	case "order":
		items := make([]map[string]any, len(in.Order))
		for i, l := range in.Order {
			items[i] = map[string]any{"product_retailer_id": l.SKU, "quantity": l.Quantity,
				"item_price": json.Number(l.Price), "currency": l.Currency}
		}
		msg["type"], msg["order"] = "order", map[string]any{"catalog_id": "sandbox-catalog", "text": in.Text, "product_items": items}
	default:
		return fmt.Errorf("graph: a customer cannot send %q", in.Type)
	}
	return nil
}

// Redeliver posts a customer message's webhook again, byte for byte, as Meta does when it is
// not sure the first delivery arrived. ok=false when the id is not one of this stand-in's.
func (s *Server) Redeliver(externalID string) (ok bool, err error) {
	st := s.st.Lock()
	var found *InMessage
	for _, m := range st.Inbox {
		if m.ExternalID == externalID {
			c := *m
			found = &c
		}
	}
	s.st.Unlock()
	if found == nil {
		return false, nil
	}
	a, _ := s.account(found.PhoneNumberID)
	return true, s.deliver(a, found.Body)
}

// Inbox lists what customers sent to a number, oldest first.
func (s *Server) Inbox(pnid string) []InMessage {
	st := s.st.Lock()
	defer s.st.Unlock()
	return standin.Listed(st.Inbox, func(m *InMessage) bool { return m.PhoneNumberID == pnid },
		func(m *InMessage) *[]byte { return &m.Body })
}

// CustomerWrote records that a customer wrote to the number at a past time, opening the
// customer-service window from then, as Meta remembers conversations the hub already had
// (the sandbox's demo history, seeded into the hub's database without the stand-in).
func (s *Server) CustomerWrote(pnid, waID string, at time.Time) {
	st := s.st.Lock()
	defer s.st.Unlock()
	key := pnid + "|" + waID
	if at.After(st.LastInbound[key]) {
		st.LastInbound[key] = at
		s.st.Changed()
	}
}
