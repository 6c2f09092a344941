package hub

// Template kinds: a provider-approved WABA template, or a workspace's quick reply (free text
// an admin keeps in the cabinet).
const (
	TemplateWABA       = "waba"
	TemplateQuickReply = "quick_reply"
)
