package amocrm

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// fieldIDs are the account's standard multitext fields.
var fieldIDs = map[string]struct {
	ID   int64
	Name string
}{"PHONE": {1698052, "Телефон"}, "EMAIL": {1698054, "Email"}, "IM": {1698056, "Мгн. сообщения"}}

func (c *contact) json(a *account) map[string]any {
	var fields []map[string]any
	for _, code := range []string{"PHONE", "EMAIL", "IM"} {
		vs := c.Fields[code]
		if len(vs) == 0 {
			continue
		}
		f := fieldIDs[code]
		fields = append(fields, map[string]any{"field_id": f.ID, "field_name": f.Name, "field_code": code,
			"field_type": "multitext", "values": vs})
	}
	leads := []map[string]any{}
	for _, id := range a.leadsOf(c.ID) {
		leads = append(leads, map[string]any{"id": id})
	}
	first, last, _ := strings.Cut(c.Name, " ")
	return map[string]any{"id": c.ID, "name": c.Name, "first_name": first, "last_name": last,
		"responsible_user_id": c.ResponsibleUserID, "group_id": a.groupOf(c.ResponsibleUserID), "account_id": a.ID,
		"updated_at": c.UpdatedAt, "custom_fields_values": fields,
		"_embedded": map[string]any{"tags": []any{}, "companies": []any{}, "leads": leads}}
}

func (l *lead) json(a *account, withContacts bool) map[string]any {
	emb := map[string]any{"tags": []any{}}
	if withContacts {
		cs := []map[string]any{}
		for i, id := range l.ContactIDs {
			cs = append(cs, map[string]any{"id": id, "is_main": i == 0})
		}
		emb["contacts"] = cs
	}
	return map[string]any{"id": l.ID, "name": l.Name, "price": l.Price, "responsible_user_id": l.ResponsibleUserID,
		"group_id": a.groupOf(l.ResponsibleUserID), "status_id": l.StatusID, "pipeline_id": pipelineID,
		"account_id": a.ID, "updated_at": l.UpdatedAt, "custom_fields_values": nil, "_embedded": emb}
}

func (a *account) groupOf(userID int64) int64 {
	u, _ := a.user(userID)
	return u.GroupID
}

func (s *Server) getLeads(c apiCall) {
	with := strings.Contains(c.r.URL.Query().Get("with"), "contacts")
	if id := c.id(); id != 0 {
		l := c.acc.lead(id)
		if l == nil {
			problem(c.w, http.StatusNotFound, "Lead not found", "")
			return
		}
		hal(c.w, http.StatusOK, l.json(c.acc, with))
		return
	}
	q := fold(c.r.URL.Query().Get("query"))
	var out []map[string]any
	for _, l := range c.acc.Leads {
		if q == "" || strings.Contains(fold(l.Name), q) {
			out = append(out, l.json(c.acc, with))
		}
	}
	pageOf(c, "leads", out)
}

// getContacts answers one contact or a list; ?query searches names and field values, and a
// query of digits matches phones whatever their formatting (as the CRM's search does);
// filter[id][] keeps the contacts with those ids.
func (s *Server) getContacts(c apiCall) {
	if id := c.id(); id != 0 {
		ct := c.acc.contact(id)
		if ct == nil {
			problem(c.w, http.StatusNotFound, "Contact not found", "")
			return
		}
		hal(c.w, http.StatusOK, ct.json(c.acc))
		return
	}
	q := c.r.URL.Query().Get("query")
	ids := c.r.URL.Query()["filter[id][]"]
	var out []map[string]any
	for _, ct := range c.acc.Contacts {
		if (q == "" || ct.matches(q)) && (len(ids) == 0 || slices.Contains(ids, strconv.FormatInt(ct.ID, 10))) {
			out = append(out, ct.json(c.acc))
		}
	}
	pageOf(c, "contacts", out)
}

func (c *contact) matches(q string) bool {
	fq, dq := fold(q), digits(q)
	if strings.Contains(fold(c.Name), fq) {
		return true
	}
	for _, vs := range c.Fields {
		for _, v := range vs {
			if strings.Contains(fold(v.Value), fq) || (len(dq) >= 5 && strings.Contains(digits(v.Value), trimTrunk(dq))) {
				return true
			}
		}
	}
	return false
}

// trimTrunk drops a leading country or trunk digit so "79161234567" and "8 916 123…" meet.
func trimTrunk(d string) string {
	if len(d) == 11 && (d[0] == '7' || d[0] == '8') {
		return d[1:]
	}
	return d
}

func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// contactInput is a contact as the API accepts it (create or update).
type contactInput struct {
	Name              string `json:"name"`
	FirstName         string `json:"first_name"`
	LastName          string `json:"last_name"`
	ResponsibleUserID int64  `json:"responsible_user_id"`
	CustomFields      []struct {
		FieldID   int64   `json:"field_id"`
		FieldCode string  `json:"field_code"`
		Values    []value `json:"values"`
	} `json:"custom_fields_values"`
}

// apply writes the input's fields into ct; an unknown field or user is a validation error.
func (in contactInput) apply(a *account, ct *contact) error {
	if name := strings.TrimSpace(in.Name); name != "" {
		ct.Name = name
	} else if n := strings.TrimSpace(in.FirstName + " " + in.LastName); n != "" {
		ct.Name = n
	}
	if in.ResponsibleUserID != 0 {
		if _, ok := a.user(in.ResponsibleUserID); !ok {
			return fmt.Errorf("responsible_user_id %d is not a user of the account", in.ResponsibleUserID)
		}
		ct.ResponsibleUserID = in.ResponsibleUserID
	}
	for _, f := range in.CustomFields {
		code := f.FieldCode
		for k, v := range fieldIDs {
			if v.ID == f.FieldID {
				code = k
			}
		}
		if _, ok := fieldIDs[code]; !ok {
			return fmt.Errorf("custom field %d %q does not exist", f.FieldID, f.FieldCode)
		}
		if ct.Fields == nil {
			ct.Fields = map[string][]value{}
		}
		ct.Fields[code] = slices.Clone(f.Values) // a PATCH replaces the field's whole list
	}
	return nil
}

func (s *Server) postContacts(c apiCall) {
	var in []contactInput
	if err := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, 1<<20)).Decode(&in); err != nil || len(in) == 0 {
		problem(c.w, http.StatusBadRequest, "expected a JSON array of contacts", "")
		return
	}
	var made []*contact
	for _, x := range in {
		ct := &contact{ResponsibleUserID: c.user.ID, UpdatedAt: s.now().Unix()}
		if err := x.apply(c.acc, ct); err != nil || ct.Name == "" {
			problem(c.w, http.StatusBadRequest, fmt.Sprintf("validation failed: %v", err), "")
			return
		}
		made = append(made, ct)
	}
	var out []map[string]any
	for i, ct := range made {
		c.acc.NextID++
		ct.ID = c.acc.NextID
		c.acc.Contacts = append(c.acc.Contacts, ct)
		out = append(out, map[string]any{"id": ct.ID, "request_id": fmt.Sprint(i)})
	}
	s.persist()
	hal(c.w, http.StatusOK, map[string]any{"_embedded": map[string]any{"contacts": out}})
}

func (s *Server) patchContact(c apiCall) {
	ct := c.acc.contact(c.id())
	if ct == nil {
		problem(c.w, http.StatusNotFound, "Contact not found", "")
		return
	}
	var in contactInput
	if err := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, 1<<20)).Decode(&in); err != nil {
		problem(c.w, http.StatusBadRequest, "malformed JSON", "")
		return
	}
	next := *ct
	next.Fields = map[string][]value{}
	for k, v := range ct.Fields {
		next.Fields[k] = v
	}
	if err := in.apply(c.acc, &next); err != nil {
		problem(c.w, http.StatusBadRequest, "validation failed: "+err.Error(), "")
		return
	}
	before := ct.ResponsibleUserID
	next.UpdatedAt = s.now().Unix()
	*ct = next
	s.persist()
	if before != ct.ResponsibleUserID {
		s.sendHook(c.acc, "contacts", "responsible", ct.ID, ct.ResponsibleUserID)
	}
	hal(c.w, http.StatusOK, map[string]any{"id": ct.ID, "updated_at": ct.UpdatedAt})
}

func (s *Server) patchLead(c apiCall) {
	var in struct {
		ResponsibleUserID int64 `json:"responsible_user_id"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, 1<<16)).Decode(&in); err != nil {
		problem(c.w, http.StatusBadRequest, "malformed JSON", "")
		return
	}
	if err := s.setLeadResponsible(c.acc, c.id(), in.ResponsibleUserID); err != nil {
		problem(c.w, http.StatusBadRequest, err.Error(), "")
		return
	}
	hal(c.w, http.StatusOK, map[string]any{"id": c.id()})
}
