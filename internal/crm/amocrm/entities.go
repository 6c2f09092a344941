package amocrm

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Account is GET /api/v4/account.
type Account struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	Subdomain     string `json:"subdomain"`
	Country       string `json:"country"`
	CurrentUserID int64  `json:"current_user_id"`
}

// User is a CRM user with the rights object the access rules read.
type User struct {
	ID     int64           `json:"id"`
	Name   string          `json:"name"`
	Email  string          `json:"email"`
	Lang   string          `json:"lang"`
	Rights json.RawMessage `json:"rights"`
}

// userFlags are the fields of `rights` the hub keeps in columns of its own: the group, the
// admin and active flags, and what the user may view of contacts and deals (amoCRM's letters
// are the hub's hub.Right* values).
type userFlags struct {
	GroupID  int64 `json:"group_id"`
	IsAdmin  bool  `json:"is_admin"`
	IsActive *bool `json:"is_active"`
	Contacts struct {
		View string `json:"view"`
	} `json:"contacts"`
	Leads struct {
		View string `json:"view"`
	} `json:"leads"`
}

func (u User) flags() userFlags {
	var f userFlags
	if err := json.Unmarshal(u.Rights, &f); err != nil {
		return userFlags{}
	}
	return f
}

// Lead is a deal; _embedded.contacts is filled with ?with=contacts.
type Lead struct {
	ID                int64  `json:"id"`
	Name              string `json:"name"`
	ResponsibleUserID int64  `json:"responsible_user_id"`
	StatusID          int64  `json:"status_id"`
	PipelineID        int64  `json:"pipeline_id"`
	Embedded          struct {
		Contacts []struct {
			ID     int64 `json:"id"`
			IsMain bool  `json:"is_main"`
		} `json:"contacts"`
	} `json:"_embedded"`
}

// ContactIDs lists the deal's contacts, main contact first.
func (l Lead) ContactIDs() []int64 {
	var ids []int64
	for _, c := range l.Embedded.Contacts {
		if c.IsMain {
			ids = append([]int64{c.ID}, ids...)
		} else {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// Contact is a CRM contact with its custom fields (PHONE, EMAIL, IM are multitext fields).
type Contact struct {
	ID                int64         `json:"id"`
	Name              string        `json:"name"`
	FirstName         string        `json:"first_name,omitempty"`
	LastName          string        `json:"last_name,omitempty"`
	ResponsibleUserID int64         `json:"responsible_user_id"`
	CustomFields      []CustomField `json:"custom_fields_values"`
}

// Standard contact field codes.
const (
	FieldPhone = "PHONE"
	FieldEmail = "EMAIL"
	// FieldIM is the standard messengers field; the Telegram user id goes there under the
	// TELEGRAM enum code.
	FieldIM      = "IM"
	EnumTelegram = "TELEGRAM"
)

// CustomField is one field of an entity; values are as typed by people.
type CustomField struct {
	FieldID   int64        `json:"field_id,omitempty"`
	FieldCode string       `json:"field_code,omitempty"`
	Values    []FieldValue `json:"values"`
}

// FieldValue is one value; non-text fields carry numbers or booleans, read with String.
type FieldValue struct {
	Value    any    `json:"value"`
	EnumID   int64  `json:"enum_id,omitempty"`
	EnumCode string `json:"enum_code,omitempty"`
}

// String is the value as text.
func (v FieldValue) String() string {
	switch x := v.Value.(type) {
	case string:
		return x
	case nil:
		return ""
	case float64:
		return strings.TrimSuffix(fmt.Sprintf("%f", x), ".000000")
	}
	return fmt.Sprint(v.Value)
}

// Field returns the field with that code (nil when absent).
func (c Contact) Field(code string) *CustomField {
	for i := range c.CustomFields {
		if c.CustomFields[i].FieldCode == code {
			return &c.CustomFields[i]
		}
	}
	return nil
}

// Values lists the text values of a field, in the CRM's order.
func (c Contact) Values(code string) []string {
	f := c.Field(code)
	if f == nil {
		return nil
	}
	out := make([]string, 0, len(f.Values))
	for _, v := range f.Values {
		if s := v.String(); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// page is the HAL envelope of a list.
type page[T any] struct {
	Links struct {
		Next *struct {
			Href string `json:"href"`
		} `json:"next"`
	} `json:"_links"`
	Embedded map[string][]T `json:"_embedded"`
}
