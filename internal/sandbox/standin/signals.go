package standin

import (
	"maps"
	"time"
)

// Signals is what a customer's phone shows of the business besides its messages: its reaction
// on a message, and "typing…" in a chat. It lives in a stand-in's shared state, so the caller
// holds that state's lock; the zero value is ready to use.
type Signals struct {
	Reactions map[string]string    `json:"reactions,omitempty"` // message id → the business's emoji
	Typing    map[string]time.Time `json:"typing,omitempty"`    // chat → when the business last typed
}

// React records the business's emoji on a message ("" takes it off).
func (s *Signals) React(messageID, emoji string) {
	if s.Reactions == nil {
		s.Reactions = map[string]string{}
	}
	if emoji == "" {
		delete(s.Reactions, messageID)
		return
	}
	s.Reactions[messageID] = emoji
}

// Typed records the business typing in a chat at at.
func (s *Signals) Typed(chat string, at time.Time) {
	if s.Typing == nil {
		s.Typing = map[string]time.Time{}
	}
	s.Typing[chat] = at
}

// Copy is a snapshot to read outside the lock.
func (s Signals) Copy() Signals {
	return Signals{Reactions: maps.Clone(s.Reactions), Typing: maps.Clone(s.Typing)}
}
