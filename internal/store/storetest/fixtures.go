package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// PaidWorkspace makes an amoCRM workspace for the account with an active, paid subscription:
// the surfaces' tests start from it.
func PaidWorkspace(t testing.TB, st *store.Store, accountID int64) hub.Workspace {
	t.Helper()
	ws, err := st.CreateWorkspace(context.Background(), hub.Workspace{Name: "Acme", CRMKind: "amocrm",
		CRMAccountID: accountID, Country: "RU", Subscription: hub.Subscription{Active: true, Paid: true, TemplatesPaid: true}})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// Employee provisions an employee and caches their CRM user with the given view rights of
// contacts and leads (amoCRM's letters: A all, G the group's, M own, D none).
func Employee(t testing.TB, st *store.Store, ws hub.Workspace, crmUserID, groupID int64, role, lang, contactsView, leadsView string) hub.Employee {
	t.Helper()
	ctx := context.Background()
	emp, _, err := st.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: ws.ID, CRMUserID: crmUserID,
		Name: "User " + contactsView + leadsView, Role: role, Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	rights, _ := json.Marshal(map[string]any{"contacts": map[string]string{"view": contactsView},
		"leads": map[string]string{"view": leadsView}, "is_admin": role == hub.RoleAdmin})
	if err := st.SaveCRMUser(ctx, ws.ID, store.CRMUser{ID: crmUserID, Name: emp.Name, Lang: lang, GroupID: groupID,
		IsAdmin: role == hub.RoleAdmin, IsActive: true, ContactsView: contactsView, LeadsView: leadsView, Rights: string(rights),
		FetchedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return emp
}
