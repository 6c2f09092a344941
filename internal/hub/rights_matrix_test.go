package hub

import (
	"fmt"
	"testing"
)

// TestAccessEveryRightsCombination walks all 16 pairs of (contacts view, leads view) rights of a
// manager against CRM contacts and deals owned by themself, a group mate and someone in another
// group, directly and through a deal, and checks hub.Access against the CRM's rule written out
// here independently.
func TestAccessEveryRightsCombination(t *testing.T) {
	const me, mate, stranger = 1, 2, 3
	users := []Responsible{{me, 7}, {mate, 7}, {stranger, 8}}
	rights := []string{RightAll, RightGroup, RightOwn, RightNone}
	allows := func(right string, owner int64) bool {
		switch right {
		case RightAll:
			return true
		case RightGroup:
			return owner == me || owner == mate
		case RightOwn:
			return owner == me
		}
		return false
	}
	for _, cv := range rights {
		for _, lv := range rights {
			t.Run(fmt.Sprintf("contacts=%s,leads=%s", cv, lv), func(t *testing.T) {
				a := NewAccess(Employee{Role: RoleManager}, Viewer{UserID: me, GroupID: 7, IsActive: true,
					ContactsView: cv, LeadsView: lv}, users)
				for _, co := range []int64{me, mate, stranger} {
					contact := CRMRef{ID: 100 + co, ResponsibleUserID: co}
					if got := a.CRMContact(contact); got != allows(cv, co) {
						t.Errorf("CRM contact of %d: %v", co, got)
					}
					if got := a.CRMLead(CRMRef{ID: 200 + co, ResponsibleUserID: co}); got != allows(lv, co) {
						t.Errorf("deal of %d: %v", co, got)
					}
					for _, lo := range []int64{me, mate, stranger} {
						l := ContactLinks{CRMContacts: []CRMRef{contact}, Leads: []CRMRef{{ID: 200 + lo, ResponsibleUserID: lo}}}
						if got, want := a.Contact(l), allows(cv, co) || allows(lv, lo); got != want {
							t.Errorf("hub contact of CRM contact %d on deal %d: %v, want %v", co, lo, got, want)
						}
					}
				}
			})
		}
	}
}
