package hub

import "testing"

func TestAccess(t *testing.T) {
	const me, colleague, stranger = 1, 2, 3
	const myGroup, otherGroup = 10, 20
	users := []Responsible{{me, myGroup}, {colleague, myGroup}, {stranger, otherGroup}}
	mine, colleagues, strangers := CRMRef{ID: 100, ResponsibleUserID: me}, CRMRef{ID: 101, ResponsibleUserID: colleague},
		CRMRef{ID: 102, ResponsibleUserID: stranger}
	uncached := CRMRef{ID: 103}
	links := map[string]ContactLinks{
		"unlinked":              {},
		"my contact":            {CRMContacts: []CRMRef{mine}},
		"colleague's contact":   {CRMContacts: []CRMRef{colleagues}},
		"stranger's contact":    {CRMContacts: []CRMRef{strangers}},
		"uncached contact":      {CRMContacts: []CRMRef{uncached}},
		"stranger's, my deal":   {CRMContacts: []CRMRef{strangers}, Leads: []CRMRef{mine}},
		"stranger's, col. deal": {CRMContacts: []CRMRef{strangers}, Leads: []CRMRef{colleagues}},
		"two, one mine":         {CRMContacts: []CRMRef{strangers, mine}},
	}
	type rights struct{ role, contacts, leads string }
	want := map[rights]map[string]bool{
		{RoleAdmin, RightNone, RightNone}: {"unlinked": true, "my contact": true, "colleague's contact": true,
			"stranger's contact": true, "uncached contact": true, "stranger's, my deal": true,
			"stranger's, col. deal": true, "two, one mine": true},
		{RoleManager, RightAll, RightNone}: {"my contact": true, "colleague's contact": true, "stranger's contact": true,
			"uncached contact": true, "stranger's, my deal": true, "stranger's, col. deal": true, "two, one mine": true},
		{RoleManager, RightGroup, RightNone}: {"my contact": true, "colleague's contact": true, "two, one mine": true},
		{RoleManager, RightOwn, RightNone}:   {"my contact": true, "two, one mine": true},
		{RoleManager, RightNone, RightNone}:  {},
		{RoleManager, RightNone, RightOwn}:   {"stranger's, my deal": true},
		{RoleManager, RightNone, RightGroup}: {"stranger's, my deal": true, "stranger's, col. deal": true},
		{RoleManager, RightNone, RightAll}:   {"stranger's, my deal": true, "stranger's, col. deal": true},
	}
	for r, visible := range want {
		a := NewAccess(Employee{Role: r.role}, Viewer{UserID: me, GroupID: myGroup, IsActive: true,
			ContactsView: r.contacts, LeadsView: r.leads}, users)
		for name, l := range links {
			if got := a.Contact(l); got != visible[name] {
				t.Errorf("%v sees %s: got %v, want %v", r, name, got, visible[name])
			}
			private := Chat{Kind: ChatPrivate, ContactID: "c"}
			if got := a.Chat(private, l); got != visible[name] {
				t.Errorf("%v sees chat of %s: got %v", r, name, got)
			}
		}
		if got := a.Chat(Chat{Kind: ChatGroup}, ContactLinks{CRMContacts: []CRMRef{mine}}); got != (r.role == RoleAdmin) {
			t.Errorf("%v sees a group: %v", r, got)
		}
	}
}

func TestAccessInactiveAndUnknown(t *testing.T) {
	mine := ContactLinks{CRMContacts: []CRMRef{{ID: 1, ResponsibleUserID: 5}}}
	inactive := NewAccess(Employee{Role: RoleManager}, Viewer{UserID: 5, IsActive: false, ContactsView: RightAll}, nil)
	if inactive.Contact(mine) {
		t.Error("inactive CRM user sees a contact")
	}
	unknown := NewAccess(Employee{Role: RoleManager}, Viewer{}, nil)
	if unknown.Contact(mine) || unknown.CRMLead(CRMRef{ID: 1, ResponsibleUserID: 5}) {
		t.Error("employee without a cached CRM user sees something")
	}
	crmAdmin := NewAccess(Employee{Role: RoleManager}, Viewer{UserID: 5, IsActive: true, IsAdmin: true}, nil)
	if !crmAdmin.Admin || !crmAdmin.Chat(Chat{Kind: ChatGroup}, ContactLinks{}) {
		t.Error("CRM admin is not an admin")
	}
	var zero Access
	if zero.Contact(mine) || zero.Chat(Chat{Kind: ChatGroup}, mine) {
		t.Error("zero Access sees something")
	}
	group := NewAccess(Employee{Role: RoleManager}, Viewer{UserID: 5, IsActive: true, ContactsView: RightGroup}, nil)
	if group.Contact(ContactLinks{CRMContacts: []CRMRef{{ID: 1, ResponsibleUserID: 6}}}) {
		t.Error("groupless G viewer sees another user's contact")
	}
}
