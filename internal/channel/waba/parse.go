package waba

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/phone"
)

// Parse reads every entry, change, message and status of a webhook body. Changes other than
// messages (template status updates, account updates) carry nothing for a chat and are skipped.
func (a *Adapter) Parse(body []byte) (channel.Batch, error) {
	var env envelope
	var b channel.Batch
	if err := json.Unmarshal(body, &env); err != nil {
		return b, fmt.Errorf("waba: webhook body: %w", err)
	}
	for _, e := range env.Entry {
		for _, c := range e.Changes {
			if c.Field == "message_template_status_update" {
				if t, ok := templateStatus(c.Value); ok {
					b.Templates = append(b.Templates, t)
				}
				continue
			}
			if c.Field != "messages" {
				continue
			}
			v := c.Value
			b.Routes = append(b.Routes, v.Metadata.PhoneNumberID)
			names := map[string]string{}
			for _, ct := range v.Contacts {
				names[ct.WAID] = ct.Profile.Name
			}
			for _, m := range v.Messages {
				if m.Type == "reaction" && m.Reaction != nil {
					b.Reactions = append(b.Reactions, channel.Reaction{ProviderKey: m.Reaction.MessageID, From: m.From, Emoji: m.Reaction.Emoji})
					continue
				}
				if m.ID == "" || m.From == "" {
					continue
				}
				b.Messages = append(b.Messages, a.inbound(m, names[m.From]))
			}
			for _, s := range v.Statuses {
				if st, ok := statusOf(s); ok {
					b.Statuses = append(b.Statuses, st)
				}
			}
		}
	}
	return b, nil
}

func (a *Adapter) inbound(m message, name string) channel.Inbound {
	from := hub.Contact{Name: name, WAID: m.From}
	if p := phone.FromWAID(m.From); p != "" {
		from.Phones = []string{p}
	}
	in := channel.Inbound{ChatKind: hub.ChatPrivate, ExternalChatID: m.From, From: from}
	if m.Context != nil {
		in.ReplyToKey = m.Context.ID
	}
	msg := hub.Message{ProviderKey: m.ID, Type: hub.TypeText, CreatedAt: unixTime(m.Timestamp)}
	switch {
	case m.Text != nil:
		msg.Text = m.Text.Body
	case m.Image != nil:
		msg.Type = hub.TypeImage
		attach(&msg, m.Image)
	case m.Audio != nil:
		msg.Type = hub.TypeAudio
		if m.Audio.Voice {
			msg.Type = hub.TypeVoice
		}
		attach(&msg, m.Audio)
	case m.Video != nil:
		msg.Type = hub.TypeVideo
		attach(&msg, m.Video)
	case m.Document != nil:
		msg.Type = hub.TypeFile
		attach(&msg, m.Document)
	case m.Sticker != nil:
		msg.Type = hub.TypeSticker
		attach(&msg, m.Sticker)
	case m.Location != nil:
		l := m.Location
		msg.Type = hub.TypeLocation
		msg.Payload.Location = &hub.Location{Latitude: l.Latitude, Longitude: l.Longitude, Name: l.Name, Address: l.Address}
	case len(m.Contacts) > 0:
		msg.Type = hub.TypeContacts
		for _, c := range m.Contacts {
			sc := hub.SharedContact{Name: c.Name.FormattedName}
			for _, p := range c.Phones {
				sc.Phones = append(sc.Phones, p.Phone)
			}
			msg.Payload.Contacts = append(msg.Payload.Contacts, sc)
		}
	case m.Interactive != nil && m.Interactive.ButtonReply != nil:
		msg.Text = m.Interactive.ButtonReply.Title
	case m.Interactive != nil && m.Interactive.ListReply != nil:
		msg.Text = m.Interactive.ListReply.Title
	case m.Button != nil:
		msg.Text = m.Button.Text
	case m.Order != nil:
		msg.Type = hub.TypeOrder
		msg.Text = m.Order.Text
		msg.Payload.Order = a.order(m)
	default:
		// A type the Cloud API itself could not render (unsupported, system): keep a visible
		// trace with the provider's own words rather than drop it.
		msg.Type = hub.TypeSystem
		msg.Text = m.Type
		if len(m.Errors) > 0 {
			msg.Text = m.Errors[0].Title
		}
	}
	in.Message = msg
	return in
}

func attach(m *hub.Message, md *media) {
	m.Text = md.Caption
	m.Attachments = []hub.Attachment{{Name: md.Filename, MIME: md.MIME, ProviderMediaID: md.ID}}
}

// order turns a cart into items with decimal-string prices and an exact total: prices are
// money, so they are never carried through a float.
func (a *Adapter) order(m message) *hub.Order {
	o := &hub.Order{}
	total := new(big.Rat)
	scale := 0
	for _, it := range m.Order.Items {
		qty, err := strconv.Atoi(it.Quantity.String())
		if err != nil || qty < 0 {
			qty = 0
		}
		price := decimal(it.Price.String())
		item := hub.OrderItem{SKU: it.SKU, Quantity: qty, Price: price, Currency: it.Currency}
		if a.Catalog != nil {
			item.Name = a.Catalog(it.SKU)
		}
		o.Items = append(o.Items, item)
		if o.Currency == "" {
			o.Currency = it.Currency
		}
		if r, ok := new(big.Rat).SetString(price); ok {
			total.Add(total, r.Mul(r, new(big.Rat).SetInt64(int64(qty))))
		}
		if i := strings.IndexByte(price, '.'); i >= 0 && len(price)-i-1 > scale {
			scale = len(price) - i - 1
		}
	}
	o.Total = total.FloatString(scale)
	return o
}

// decimal normalises a JSON number to plain decimal notation ("7.99", "1e1" → "10"). A price
// with an absurd exponent is refused as "0" rather than expanded (1e999999999 would eat memory).
func decimal(s string) string {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		if exp, err := strconv.Atoi(s[i+1:]); err != nil || exp > 30 || exp < -30 {
			return "0"
		}
	}
	if !strings.ContainsAny(s, "eE") {
		if _, ok := new(big.Rat).SetString(s); ok {
			return s
		}
		return "0"
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return "0"
	}
	if r.IsInt() {
		return r.FloatString(0)
	}
	return strings.TrimRight(r.FloatString(6), "0")
}

func statusOf(s status) (channel.Status, bool) {
	st := channel.Status{ProviderKey: s.ID}
	switch s.Status {
	case "sent":
		st.Status = hub.StatusSent
	case "delivered":
		st.Status = hub.StatusDelivered
	case "read":
		st.Status = hub.StatusRead
	case "failed":
		st.Status = hub.StatusFailed
		st.Err = channel.Permanent(channel.CodeRejected, "", "failed without a reason")
		if len(s.Errors) > 0 {
			e := s.Errors[0]
			st.Err = codeError(e.Code, e.Title)
		}
	default:
		return st, false
	}
	return st, s.ID != ""
}

func templateStatus(v value) (channel.TemplateStatus, bool) {
	t := channel.TemplateStatus{Name: v.TemplateName, Language: v.TemplateLanguage, Status: strings.ToUpper(v.Event)}
	return t, t.Name != "" && t.Status != ""
}

func unixTime(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}
