package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// TestHistoryPaging: history comes newest first and pages back in time without gaps or
// repeats (B7); a cursor from another chat is refused.
func TestHistoryPaging(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		contact := w.contacts["mine"]
		base := time.Now().Add(time.Minute)
		for i := range 7 {
			_, err := e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: w.ws.ID, ConnectionID: w.waba.ID, ChatKind: hub.ChatPrivate,
				ExternalChatID: contact.WAID, From: hub.Contact{WAID: contact.WAID},
				Message: hub.Message{Type: hub.TypeText, Text: fmt.Sprint("m", i), ProviderKey: fmt.Sprint("h", i),
					CreatedAt: base.Add(time.Duration(i) * time.Second)}})
			must(t, err)
		}
		var texts []string
		cursor := ""
		for range 10 {
			r := e.do(http.MethodGet, "/api/v1/chats/"+w.chats["mine"].ID+"/messages?limit=3"+cursor, w.adminToken, nil)
			expect(t, "page", r, http.StatusOK, "")
			var p struct {
				Items      []messageBody
				NextCursor *string `json:"next_cursor"`
			}
			decode(t, r, &p)
			for _, m := range p.Items {
				texts = append(texts, m.Text)
			}
			if p.NextCursor == nil {
				break
			}
			cursor = "&cursor=" + *p.NextCursor
		}
		if got := fmt.Sprint(texts); got != "[m6 m5 m4 m3 m2 m1 m0 photo from mine]" {
			t.Fatalf("history: %s", got)
		}
		expect(t, "foreign cursor", e.do(http.MethodGet, "/api/v1/chats/"+w.chats["mine"].ID+"/messages?cursor="+
			w.attachments["colleagues"].MessageID, w.adminToken, nil), http.StatusBadRequest, "bad_request")
	})
}

// TestCardRefresh covers F33: opening a card refreshes the deal from the CRM before access is
// decided, so a deal just handed to the employee opens at once.
func TestCardRefresh(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		_, tok := e.manager(w, "D", "M")
		must(t, e.st.SaveCRMLead(ctx, w.ws.ID, store.CRMEntity{ID: 600, ResponsibleUserID: crmStranger}, []int64{101}))
		expect(t, "before", e.do(http.MethodGet, "/api/v1/chats?crm_lead_id=600", tok, nil), http.StatusForbidden, "crm_access_denied")
		clock := time.Now()
		e.srv.Now = func() time.Time { return clock }
		var asked []string
		e.srv.CRM = &recordingCRM{refresh: func(kind string, id int64) {
			asked = append(asked, fmt.Sprint(kind, id))
			must(t, e.st.SaveCRMLead(ctx, w.ws.ID, store.CRMEntity{ID: id, ResponsibleUserID: crmMe}, []int64{101}))
		}}
		r := e.do(http.MethodGet, "/api/v1/chats?crm_lead_id=600", tok, nil)
		expect(t, "after the CRM handed it over", r, http.StatusOK, "")
		if fmt.Sprint(asked) != "[lead600]" {
			t.Fatalf("refreshes: %v", asked)
		}
		var b listBody
		decode(t, r, &b)
		if len(b.Items) != 1 || b.Items[0].Contact.ID != w.contacts["colleagues"].ID {
			t.Fatalf("deal contacts: %s", r.Body)
		}

		// The window reads the card's first page again a moment later (after its socket's
		// hello): that uses the refresh just made; a later opening asks the CRM again.
		expect(t, "the same card a moment later", e.do(http.MethodGet, "/api/v1/chats?crm_lead_id=600", tok, nil), http.StatusOK, "")
		if fmt.Sprint(asked) != "[lead600]" {
			t.Fatalf("refreshes after a second read within seconds: %v", asked)
		}
		clock = clock.Add(6 * time.Second)
		expect(t, "the card opened later", e.do(http.MethodGet, "/api/v1/chats?crm_lead_id=600", tok, nil), http.StatusOK, "")
		if fmt.Sprint(asked) != "[lead600 lead600]" {
			t.Fatalf("refreshes after an opening seconds later: %v", asked)
		}
	})
}
