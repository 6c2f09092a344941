package cabinet_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/apidoc"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/httpapi/apitest"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// TestMain also drops the PostgreSQL template database the tests copied theirs from.
func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	// Every answer is checked against docs/openapi.yaml (apidoc.Validating); every operation of
	// this package's part of it must have been reached.
	os.Exit(apidoc.RequireChecked(storetest.Main(m), "/api/cabinet/"))
}

var ctx = context.Background()

// env is the hub's API on a real store, driven through ServeHTTP; the cabinet is mounted in it
// (eachCabinet).
type env struct {
	t      *testing.T
	st     *store.Store
	signer *auth.Signer
	srv    *httpapi.Server
	h      http.Handler
}

// eachEngine runs fn on a fresh API over SQLite, and over PostgreSQL when configured.
func eachEngine(t *testing.T, fn func(t *testing.T, e *env)) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		signer := auth.NewSigner("test secret key")
		fn(t, &env{t: t, st: st, signer: signer, srv: &httpapi.Server{DB: st, Store: st, Signer: signer}})
	})
}

// response is a recorded answer (apitest.Response: JSON, Code).
type response = apitest.Response

// expect checks the status, and the error code when code is not "".
var expect = apitest.Expect

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// do sends a chat window request: a bearer token (none if "") and a JSON body (a string as is).
func (e *env) do(method, path, token string, body any) response {
	e.t.Helper()
	return e.serve(apitest.Request(e.t, method, path, token, body))
}

func (e *env) serve(req *http.Request) response { return apitest.Serve(e.h, req) }

// workspace makes a workspace with an active, paid subscription.
func (e *env) workspace(accountID int64) hub.Workspace {
	return storetest.PaidWorkspace(e.t, e.st, accountID)
}

// employee provisions an employee with their CRM user cached (storetest.Employee); it returns
// the employee and a chat window token.
func (e *env) employee(ws hub.Workspace, crmUserID, groupID int64, role, lang, contactsView, leadsView string) (hub.Employee, string) {
	emp := storetest.Employee(e.t, e.st, ws, crmUserID, groupID, role, lang, contactsView, leadsView)
	tok, _ := e.signer.Issue(auth.Session{WorkspaceID: emp.WorkspaceID, EmployeeID: emp.ID}, time.Now())
	return emp, tok
}
