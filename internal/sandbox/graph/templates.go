package graph

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Template is an approved message template of the sandbox business account.
type Template struct {
	Name, Language, Category, Body string
	Status                         string // "" is APPROVED
}

// sampleTemplates are the sandbox account's approved templates, in the demo's three languages.
func sampleTemplates() []Template {
	return []Template{
		{"order_ready", "ru", "UTILITY", "Здравствуйте, {{1}}! Ваш заказ {{2}} готов к выдаче.", ""},
		{"order_ready", "en", "UTILITY", "Hello {{1}}! Your order {{2}} is ready for pickup.", ""},
		{"order_ready", "es", "UTILITY", "¡Hola, {{1}}! Su pedido {{2}} está listo para recoger.", ""},
		{"follow_up", "ru", "UTILITY", "{{1}}, вы писали нам вчера. Удобно продолжить разговор?", ""},
		{"follow_up", "en", "UTILITY", "{{1}}, you wrote to us yesterday. Is now a good time to continue?", ""},
		{"follow_up", "es", "UTILITY", "{{1}}, nos escribió ayer. ¿Le viene bien continuar la conversación?", ""},
		{"delivery_update", "ru", "UTILITY", "Ваша доставка приедет {{1}} с {{2}}.", ""},
		{"delivery_update", "en", "UTILITY", "Your delivery arrives on {{1}} from {{2}}.", ""},
		{"spring_sale", "ru", "MARKETING", "Весенняя распродажа: скидка {{1}} на всё до воскресенья!", ""},
		{"spring_sale", "en", "MARKETING", "Spring sale: {{1}} off everything until Sunday!", ""},
	}
}

// templateStatus is a template's review status, "" when there is no such template.
func (s *Server) templateStatus(name, lang string) string {
	st := s.st.Lock()
	defer s.st.Unlock()
	for _, t := range st.Templates {
		if t.Name == name && t.Language == lang {
			return cmp.Or(t.Status, "APPROVED")
		}
	}
	return ""
}

func (s *Server) renderTemplate(name, lang string, params []string) string {
	st := s.st.Lock()
	defer s.st.Unlock()
	for _, t := range st.Templates {
		if t.Name == name && t.Language == lang {
			body := t.Body
			for i, p := range params {
				body = strings.ReplaceAll(body, "{{"+strconv.Itoa(i+1)+"}}", p)
			}
			return body
		}
	}
	return ""
}

const maxPage = 4

// listTemplates is GET /{waba-id}/message_templates with cursor paging (limit, after).
func (s *Server) listTemplates(w http.ResponseWriter, r *http.Request) {
	waba := r.PathValue("waba")
	if _, ok := s.authorizeWABA(w, r, waba); !ok {
		return
	}
	q := r.URL.Query()
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit <= 0 || limit > maxPage {
		// Meta caps pages too; a small cap means the adapter's paging is always exercised.
		limit = maxPage
	}
	st := s.st.Lock()
	all := append([]Template(nil), st.Templates...)
	s.st.Unlock()
	start, _ := strconv.Atoi(q.Get("after"))
	start = min(max(start, 0), len(all))
	end := min(start+limit, len(all))
	data := []map[string]any{}
	for i, t := range all[start:end] {
		data = append(data, map[string]any{"id": strconv.Itoa(1000 + start + i), "name": t.Name, "language": t.Language,
			"status": cmp.Or(t.Status, "APPROVED"), "category": t.Category, "parameter_format": "POSITIONAL",
			"components": []map[string]string{{"type": "BODY", "text": t.Body}}})
	}
	paging := map[string]any{"cursors": map[string]string{"before": strconv.Itoa(start), "after": strconv.Itoa(end)}}
	if end < len(all) {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("after", strconv.Itoa(end))
		next.Set("limit", strconv.Itoa(limit))
		paging["next"] = s.Root() + Prefix + "/" + waba + "/message_templates?" + next.Encode()
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "paging": paging})
}

// authorizeWABA checks a business account's call: any of its numbers' tokens may make it (with
// that number's app's secret for a proof). It returns the account's numbers, sorted by id.
func (s *Server) authorizeWABA(w http.ResponseWriter, r *http.Request, waba string) ([]Account, bool) {
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	var acct Account
	var numbers []Account
	known := false
	st := s.st.Lock()
	for _, a := range st.Accounts {
		if a.WABAID != waba {
			continue
		}
		numbers = append(numbers, *a)
		if !known || a.Token == token {
			acct, known = *a, true
		}
	}
	s.st.Unlock()
	slices.SortFunc(numbers, func(a, b Account) int { return cmp.Compare(a.PhoneNumberID, b.PhoneNumberID) })
	return numbers, authorize(w, r, acct, known)
}

// listPhoneNumbers is GET /{waba-id}/phone_numbers: the business account's numbers, in Meta's
// shape (one page: a sandbox account has few).
func (s *Server) listPhoneNumbers(w http.ResponseWriter, r *http.Request) {
	numbers, ok := s.authorizeWABA(w, r, r.PathValue("waba"))
	if !ok {
		return
	}
	data := []map[string]any{}
	for _, a := range numbers {
		data = append(data, map[string]any{"id": a.PhoneNumberID, "display_phone_number": a.DisplayPhone,
			"verified_name": cmp.Or(a.VerifiedName, "Sandbox business"), "quality_rating": "GREEN",
			"code_verification_status": "VERIFIED"})
	}
	first, last := "", ""
	if len(data) > 0 {
		first, last = numbers[0].PhoneNumberID, numbers[len(numbers)-1].PhoneNumberID
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data,
		"paging": map[string]any{"cursors": map[string]string{"before": first, "after": last}}})
}

// SetTemplateStatus is Meta's review changing a template (APPROVED, PAUSED, DISABLED…): the
// listing shows it, and every number of the business account gets the status-update webhook.
func (s *Server) SetTemplateStatus(name, lang, status string) error {
	st := s.st.Lock()
	found := false
	for i := range st.Templates {
		if st.Templates[i].Name == name && st.Templates[i].Language == lang {
			st.Templates[i].Status, found = status, true
			s.st.Changed()
		}
	}
	var targets []Account
	for _, a := range st.Accounts {
		targets = append(targets, *a)
	}
	s.st.Unlock()
	if !found {
		return fmt.Errorf("graph: no template %s/%s", name, lang)
	}
	var errs []error
	for _, a := range targets {
		body, err := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{
			"id": a.WABAID, "time": time.Now().Unix(), "changes": []any{map[string]any{"field": "message_template_status_update",
				"value": map[string]any{"event": status, "message_template_id": 1000, "message_template_name": name,
					"message_template_language": lang, "reason": "NONE"}}}}}})
		if err != nil {
			return err
		}
		errs = append(errs, s.deliver(a, body))
	}
	return errors.Join(errs...)
}
