package httpapi_test

import (
	"net/http"
	"testing"
)

// An employee's reaction on a message is shown at once (as theirs) and can be taken off; a
// chat the CRM hides from a manager is not found, a bad emoji or a message of another chat is
// refused and changes nothing.
func TestReactions(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		msg := func(name string) string {
			var page struct{ Items []messageBody }
			decode(t, e.do(http.MethodGet, "/api/v1/chats/"+w.chats[name].ID+"/messages?limit=1", w.adminToken, nil), &page)
			return page.Items[0].ID
		}
		url := func(chat, id string) string {
			return "/api/v1/chats/" + w.chats[chat].ID + "/messages/" + id + "/reaction"
		}
		mine := msg("mine")
		r := e.do(http.MethodPut, url("mine", mine), w.adminToken, map[string]string{"emoji": "👍"})
		expect(t, "react", r, http.StatusOK, "")
		var got struct {
			Reactions []struct {
				Emoji      string `json:"emoji"`
				EmployeeID string `json:"employee_id"`
			} `json:"reactions"`
		}
		decode(t, r, &got)
		if len(got.Reactions) != 1 || got.Reactions[0].Emoji != "👍" || got.Reactions[0].EmployeeID != w.admin.ID {
			t.Fatalf("reactions: %s", r.Body)
		}
		expect(t, "not an emoji", e.do(http.MethodPut, url("mine", mine), w.adminToken, map[string]string{"emoji": "like"}),
			http.StatusBadRequest, "bad_request")
		expect(t, "another chat's message", e.do(http.MethodPut, url("colleagues", mine), w.adminToken,
			map[string]string{"emoji": "👍"}), http.StatusNotFound, "not_found")
		_, mgr := e.manager(w, "M", "D")
		strangers := msg("strangers")
		expect(t, "a chat the CRM hides", e.do(http.MethodPut, url("strangers", strangers), mgr, map[string]string{"emoji": "👍"}),
			http.StatusNotFound, "not_found")
		expect(t, "typing in a chat the CRM hides", e.do(http.MethodPost, "/api/v1/chats/"+w.chats["strangers"].ID+"/typing", mgr, nil),
			http.StatusNotFound, "not_found")
		r = e.do(http.MethodPut, url("mine", mine), mgr, map[string]string{"emoji": ""})
		expect(t, "take it off", r, http.StatusOK, "")
		decode(t, r, &got)
		if len(got.Reactions) != 0 {
			t.Fatalf("after taking it off: %s", r.Body)
		}
		// The test hub has no channel adapters: typing says so plainly.
		expect(t, "typing without channels", e.do(http.MethodPost, "/api/v1/chats/"+w.chats["mine"].ID+"/typing", mgr, nil),
			http.StatusServiceUnavailable, "unavailable")
	})
}
