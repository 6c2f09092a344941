package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/hub"
)

func TestSessionMiddleware(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		ws := e.workspace(1)
		emp, tok := e.employee(ws, 10, 0, hub.RoleManager, "ru", "A", "A")
		other := e.workspace(2)
		_, otherTok := e.employee(other, 10, 0, hub.RoleManager, "en", "A", "A")
		expired, _ := e.signer.Issue(auth.Session{WorkspaceID: ws.ID, EmployeeID: emp.ID,
			ExpiresAt: time.Now().Add(-time.Minute)}, time.Now().Add(-time.Hour))
		forged, _ := auth.NewSigner("another key").Issue(auth.Session{WorkspaceID: ws.ID, EmployeeID: emp.ID}, time.Now())
		ghost, _ := e.signer.Issue(auth.Session{WorkspaceID: ws.ID, EmployeeID: "no-such-employee"}, time.Now())
		crossed, _ := e.signer.Issue(auth.Session{WorkspaceID: other.ID, EmployeeID: emp.ID}, time.Now())
		for name, header := range map[string]string{
			"none": "", "not bearer": "Basic " + tok, "empty bearer": "Bearer ", "garbage": "Bearer abc.def",
			"expired": "Bearer " + expired, "forged": "Bearer " + forged, "unknown employee": "Bearer " + ghost,
			"employee of another workspace": "Bearer " + crossed,
		} {
			req := newRequest(http.MethodGet, "/api/v1/connections", header)
			expect(t, name, e.serve(req), http.StatusUnauthorized, "unauthorized")
		}
		expect(t, "valid", e.do(http.MethodGet, "/api/v1/connections", tok, nil), http.StatusOK, "")
		expect(t, "valid in other workspace", e.do(http.MethodGet, "/api/v1/connections", otherTok, nil), http.StatusOK, "")
	})
}
