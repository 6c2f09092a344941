package hub

import "testing"

func TestRights(t *testing.T) {
	const me, colleague, stranger = 1, 2, 3
	const myGroup, otherGroup = 10, 20
	resp := map[int64]Responsible{
		me:        {UserID: me, GroupID: myGroup},
		colleague: {UserID: colleague, GroupID: myGroup},
		stranger:  {UserID: stranger, GroupID: otherGroup},
	}
	want := map[string]map[int64]bool{
		RightAll:   {me: true, colleague: true, stranger: true},
		RightGroup: {me: true, colleague: true, stranger: false},
		RightOwn:   {me: true, colleague: false, stranger: false},
		RightNone:  {me: false, colleague: false, stranger: false},
		"?":        {me: false, colleague: false, stranger: false},
	}
	for right, byOwner := range want {
		for owner, ok := range byOwner {
			v := Viewer{UserID: me, GroupID: myGroup, IsActive: true, ContactsView: right, LeadsView: right}
			if got := v.CanViewContact(resp[owner]); got != ok {
				t.Errorf("contacts %s, responsible %d: got %v, want %v", right, owner, got, ok)
			}
			if got := v.CanViewLead(resp[owner]); got != ok {
				t.Errorf("leads %s, responsible %d: got %v, want %v", right, owner, got, ok)
			}
			admin := v
			admin.IsAdmin = true
			if !admin.CanViewContact(resp[owner]) || !admin.CanViewLead(resp[owner]) {
				t.Errorf("admin refused with %s", right)
			}
			inactive := admin
			inactive.IsActive = false
			if inactive.CanViewContact(resp[owner]) || inactive.CanViewLead(resp[owner]) {
				t.Errorf("inactive user allowed with %s", right)
			}
		}
	}
}
