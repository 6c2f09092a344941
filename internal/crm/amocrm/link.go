package amocrm

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/switchboardhq/switchboard/internal/crm"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// AddContactDetails adds a phone and a Telegram identity to the CRM contact, keeping what it
// has; a value already there (a phone with the same digits) is not added twice.
func (a *Adapter) AddContactDetails(ctx context.Context, ws hub.Workspace, contactID int64, d crm.ContactDetails) error {
	if d.Phone != "" {
		if err := a.addValue(ctx, ws, contactID, FieldPhone, FieldValue{Value: d.Phone, EnumCode: "MOB"}, phoneKey); err != nil {
			return err
		}
	}
	if tg := telegramValue(d.TelegramUserID, d.TelegramUsername); tg != "" {
		return a.addValue(ctx, ws, contactID, FieldIM, FieldValue{Value: tg, EnumCode: EnumTelegram}, strings.ToLower)
	}
	return nil
}

// telegramValue is how a Telegram identity is written in the IM field: the numeric id when
// known (it never changes), else @username.
func telegramValue(id int64, username string) string {
	if id != 0 {
		return strconv.FormatInt(id, 10)
	}
	if username = strings.TrimPrefix(username, "@"); username != "" {
		return "@" + username
	}
	return ""
}

// phoneKey compares phones by their last 10 digits, so "+7 916 …" and "8 916 …" meet.
func phoneKey(p string) string {
	d := store.Digits(p)
	if len(d) > 10 {
		d = d[len(d)-10:]
	}
	return d
}

// LinkContact finds the CRM contacts of a new customer — by any of its phones, else by its
// Telegram identity — or creates one assigned to responsibleUserID (F31a), and returns their
// ids. Found and created contacts are cached, with their responsible users.
func (a *Adapter) LinkContact(ctx context.Context, ws hub.Workspace, c hub.Contact, responsibleUserID int64) ([]int64, error) {
	ids, err := a.FindContacts(ctx, ws, c)
	if err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		return ids, nil
	}
	created, err := a.CreateContact(ctx, ws, newCRMContact(c, responsibleUserID))
	if err != nil {
		return nil, err
	}
	return []int64{created.ID}, nil
}

func newCRMContact(c hub.Contact, responsibleUserID int64) Contact {
	out := Contact{Name: c.Name, ResponsibleUserID: responsibleUserID}
	if out.Name == "" && len(c.Phones) > 0 {
		out.Name = c.Phones[0]
	}
	if out.Name == "" {
		out.Name = telegramValue(c.TelegramUserID, c.TelegramUsername)
	}
	if len(c.Phones) > 0 {
		f := CustomField{FieldCode: FieldPhone}
		for _, p := range c.Phones {
			f.Values = append(f.Values, FieldValue{Value: p, EnumCode: "MOB"})
		}
		out.CustomFields = append(out.CustomFields, f)
	}
	if tg := telegramValue(c.TelegramUserID, c.TelegramUsername); tg != "" {
		out.CustomFields = append(out.CustomFields, CustomField{FieldCode: FieldIM,
			Values: []FieldValue{{Value: tg, EnumCode: EnumTelegram}}})
	}
	if c.Email != "" {
		out.CustomFields = append(out.CustomFields, CustomField{FieldCode: FieldEmail,
			Values: []FieldValue{{Value: c.Email, EnumCode: "WORK"}}})
	}
	return out
}

func appendNew(ids []int64, id int64) []int64 {
	if slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}

var _ crm.Contacts = (*Adapter)(nil)
