package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/sandbox/samples"
	"github.com/switchboardhq/switchboard/internal/store"
)

// messages turns a script into messages with stable provider keys (keyPrefix.N) and ids preset
// so replies can point at earlier lines.
func (s *seeder) messages(ctx context.Context, conn hub.Connection, keyPrefix string, lines []line) ([]hub.Message, error) {
	msgs := make([]hub.Message, len(lines))
	for i, l := range lines {
		m := hub.Message{ID: store.NewID(), Type: hub.TypeText, Text: l.text, CreatedAt: s.now.Add(-l.ago).UTC(),
			ProviderKey: fmt.Sprintf("%s.%d", keyPrefix, i+1), Direction: hub.DirIn, Status: hub.StatusReceived,
			AuthorName: l.from}
		if !l.in {
			e, err := s.employee(ctx, l.author)
			if err != nil {
				return nil, err
			}
			m.Direction, m.Status, m.AuthorID, m.AuthorName = hub.DirOut, l.status, e.ID, e.Name
		}
		if l.failCode != "" {
			m.ErrorCode, m.ErrorMessage = l.failCode, i18n.T(s.ws.Country, "error."+l.failCode)
			m.ProviderKey = "" // the provider never accepted it
		}
		if l.replyTo > 0 {
			m.ReplyToID = msgs[l.replyTo-1].ID
		}
		if l.reaction != "" {
			m.Payload.Reactions = []hub.Reaction{{Emoji: l.reaction, From: "customer"}}
		}
		if err := s.fill(ctx, conn, &m, l); err != nil {
			return nil, err
		}
		msgs[i] = m
	}
	return msgs, nil
}

// fill adds a line's media, cart or template.
func (s *seeder) fill(ctx context.Context, conn hub.Connection, m *hub.Message, l line) error {
	switch {
	case l.media != "":
		f, err := samples.For(l.media)
		if err != nil {
			return err
		}
		key, mime, err := s.files.Put(ctx, f.Data, f.MIME)
		if err != nil {
			return err
		}
		name := l.fileName
		if name == "" {
			name = f.Name
		}
		m.Type = l.media
		m.Attachments = []hub.Attachment{{Name: name, MIME: mime, Size: int64(len(f.Data)), StorageKey: key}}
	case l.order != nil:
		o, err := cart(l.order)
		if err != nil {
			return err
		}
		m.Type, m.Payload.Order = hub.TypeOrder, o
	case l.template != nil:
		ts, err := s.st.Templates(ctx, s.ws.ID, conn.ID)
		if err != nil {
			return err
		}
		for _, t := range ts {
			if t.Kind == "waba" && t.Name == l.template.name && t.Language == l.template.lang {
				m.Type, m.Text = hub.TypeTemplate, hub.FillTemplate(t.Body, l.template.params)
				m.Payload.Template = &hub.TemplateRef{ID: t.ID, Name: t.Name, Params: l.template.params}
				return nil
			}
		}
		return fmt.Errorf("template %s/%s was not synced from the WABA stand-in", l.template.name, l.template.lang)
	}
	return nil
}

// cart prices a cart from the sandbox catalogue, in integer cents so the total is exact.
func cart(lines []orderLine) (*hub.Order, error) {
	o := &hub.Order{}
	var total int64
	for _, l := range lines {
		var p *samples.Product
		for i := range samples.Catalog {
			if samples.Catalog[i].SKU == l.sku {
				p = &samples.Catalog[i]
			}
		}
		if p == nil {
			return nil, fmt.Errorf("no product %s in the catalogue", l.sku)
		}
		cents, err := parseCents(p.Price)
		if err != nil {
			return nil, err
		}
		total += cents * int64(l.qty)
		o.Currency = p.Currency
		o.Items = append(o.Items, hub.OrderItem{SKU: p.SKU, Name: p.Name, Quantity: l.qty, Price: p.Price, Currency: p.Currency})
	}
	o.Total = fmt.Sprintf("%d.%02d", total/100, total%100)
	return o, nil
}

func parseCents(price string) (int64, error) {
	whole, frac, _ := strings.Cut(price, ".")
	var w, f int64
	if _, err := fmt.Sscan(whole, &w); err != nil {
		return 0, fmt.Errorf("price %q: %w", price, err)
	}
	if frac != "" {
		frac = (frac + "00")[:2]
		if _, err := fmt.Sscan(frac, &f); err != nil {
			return 0, fmt.Errorf("price %q: %w", price, err)
		}
	}
	return w*100 + f, nil
}
