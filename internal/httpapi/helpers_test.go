package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/apidoc"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/httpapi/apitest"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// env is a real server on a real store, driven through ServeHTTP.
type env struct {
	t      *testing.T
	st     *store.Store
	signer *auth.Signer
	srv    *httpapi.Server
	files  *media.Local
	h      http.Handler
}

// eachEngine runs fn on a fresh server over SQLite, and over PostgreSQL when configured.
func eachEngine(t *testing.T, fn func(t *testing.T, e *env)) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		fn(t, newEnv(t, st))
	})
}

func newEnv(t *testing.T, st *store.Store) *env {
	signer := auth.NewSigner("test secret key")
	files, err := media.NewLocal(t.TempDir())
	must(t, err)
	srv := &httpapi.Server{DB: st, Store: st, Signer: signer, Media: files}
	return &env{t: t, st: st, signer: signer, srv: srv, files: files, h: apidoc.Validating(t, srv.Handler())}
}

// response is a recorded answer (apitest.Response: JSON, Code).
type response = apitest.Response

// do sends a request with an optional bearer token and JSON body (a string body is sent as is).
func (e *env) do(method, path, token string, body any) response {
	e.t.Helper()
	return e.serve(apitest.Request(e.t, method, path, token, body))
}

func (e *env) serve(req *http.Request) response { return apitest.Serve(e.h, req) }

// expect checks the status (and the error code when want is an error).
var expect = apitest.Expect

var ctx = context.Background()

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// workspace makes a workspace with an active, paid subscription.
func (e *env) workspace(accountID int64) hub.Workspace {
	return storetest.PaidWorkspace(e.t, e.st, accountID)
}

// employee provisions an employee with their CRM user cached (storetest.Employee); it returns
// the employee and a session token.
func (e *env) employee(ws hub.Workspace, crmUserID, groupID int64, role, lang, contactsView, leadsView string) (hub.Employee, string) {
	emp := storetest.Employee(e.t, e.st, ws, crmUserID, groupID, role, lang, contactsView, leadsView)
	return emp, e.token(emp)
}

func (e *env) token(emp hub.Employee) string {
	tok, _ := e.signer.Issue(auth.Session{WorkspaceID: emp.WorkspaceID, EmployeeID: emp.ID}, time.Now())
	return tok
}

func newRequest(method, path, authorization string) *http.Request {
	req := httptest.NewRequest(method, path, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return req
}

func decode(t *testing.T, r response, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

func timeNow() time.Time { return time.Now() }
