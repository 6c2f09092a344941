package hub

// CRM view rights (amoCRM): A all, G when the responsible user is in the viewer's group,
// M when the viewer is the responsible user, D none.
const (
	RightAll   = "A"
	RightGroup = "G"
	RightOwn   = "M"
	RightNone  = "D"
)

// Viewer is a CRM user as the rights check needs them.
type Viewer struct {
	UserID       int64
	GroupID      int64
	IsAdmin      bool
	IsActive     bool
	ContactsView string
	LeadsView    string
}

// Responsible is an entity's responsible user and that user's group.
type Responsible struct {
	UserID  int64
	GroupID int64
}

// CanViewContact reports whether v may view a CRM contact with that responsible user.
func (v Viewer) CanViewContact(r Responsible) bool { return v.can(v.ContactsView, r) }

// CanViewLead reports whether v may view a CRM deal with that responsible user.
func (v Viewer) CanViewLead(r Responsible) bool { return v.can(v.LeadsView, r) }

func (v Viewer) can(right string, r Responsible) bool {
	if !v.IsActive {
		return false
	}
	if v.IsAdmin {
		return true
	}
	switch right {
	case RightAll:
		return true
	case RightGroup:
		return r.UserID == v.UserID || (r.GroupID != 0 && r.GroupID == v.GroupID)
	case RightOwn:
		return r.UserID == v.UserID
	}
	return false // D, or a value we do not know: deny
}
