package hub

import "slices"

// Access is the one policy deciding what an employee may see (F31, F32): every list, search,
// chat, message, send, download and realtime event asks it (the store's list queries apply its
// Filter, the same rule in SQL). Build it with NewAccess; the zero value sees nothing.
//
// The rule: admins see everything, groups included. Anyone else sees a hub contact (and its
// chats) when they may view a CRM contact it is linked to, or a deal such a CRM contact belongs
// to. A contact linked to no CRM contact yet is admins only (F31a); group chats are admins only
// (F10).
type Access struct {
	Admin bool
	// ContactsAll / LeadsAll: the employee may view every CRM contact / deal (right A).
	ContactsAll, LeadsAll bool
	// ContactOwners / LeadOwners: otherwise, the responsible users whose CRM contacts / deals the
	// employee may view (rights G and M), sorted.
	ContactOwners, LeadOwners []int64
}

// CRMRef is a CRM contact or deal as the hub caches it; ResponsibleUserID is 0 when the hub has
// not fetched the entity yet.
type CRMRef struct {
	ID                int64
	ResponsibleUserID int64
}

// ContactLinks is the CRM side of a hub contact: the CRM contacts it is linked to, and the
// deals those belong to.
type ContactLinks struct {
	CRMContacts []CRMRef
	Leads       []CRMRef
}

// NewAccess evaluates an employee's CRM rights once per request. v is the employee's cached CRM
// user (zero when unknown: then only the admin role grants anything); users are the
// workspace's cached CRM users, which group rights need.
func NewAccess(e Employee, v Viewer, users []Responsible) Access {
	if e.IsAdmin() || (v.IsActive && v.IsAdmin) {
		return Access{Admin: true}
	}
	if !v.IsActive {
		return Access{}
	}
	a := Access{ContactsAll: v.ContactsView == RightAll, LeadsAll: v.LeadsView == RightAll}
	candidates := append([]Responsible{{UserID: v.UserID, GroupID: v.GroupID}}, users...)
	for _, u := range candidates {
		if u.UserID == 0 {
			continue
		}
		if !a.ContactsAll && v.CanViewContact(u) {
			a.ContactOwners = append(a.ContactOwners, u.UserID)
		}
		if !a.LeadsAll && v.CanViewLead(u) {
			a.LeadOwners = append(a.LeadOwners, u.UserID)
		}
	}
	slices.Sort(a.ContactOwners)
	a.ContactOwners = slices.Compact(a.ContactOwners)
	slices.Sort(a.LeadOwners)
	a.LeadOwners = slices.Compact(a.LeadOwners)
	return a
}

// CRMContact reports whether the employee may view a CRM contact by its own rights.
func (a Access) CRMContact(c CRMRef) bool {
	return a.Admin || a.ContactsAll || (c.ResponsibleUserID != 0 && slices.Contains(a.ContactOwners, c.ResponsibleUserID))
}

// CRMLead reports whether the employee may view a CRM deal.
func (a Access) CRMLead(l CRMRef) bool {
	return a.Admin || a.LeadsAll || (l.ResponsibleUserID != 0 && slices.Contains(a.LeadOwners, l.ResponsibleUserID))
}

// Contact reports whether the employee may see a hub contact and its private chats.
func (a Access) Contact(l ContactLinks) bool {
	if a.Admin {
		return true
	}
	if len(l.CRMContacts) == 0 {
		return false // not linked yet (F31a)
	}
	return slices.ContainsFunc(l.CRMContacts, a.CRMContact) || slices.ContainsFunc(l.Leads, a.CRMLead)
}

// Chat reports whether the employee may see a chat; l are the links of its contact (ignored
// for groups, which are admins only).
func (a Access) Chat(c Chat, l ContactLinks) bool {
	if c.Kind == ChatGroup || c.ContactID == "" {
		return a.Admin
	}
	return a.Contact(l)
}
