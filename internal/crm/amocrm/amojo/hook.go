package amojo

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Hook is what amoCRM posts when a manager writes, reacts or types in its own UI (hook API
// v2): exactly one of Message and Action is set.
type Hook struct {
	AccountID string       `json:"account_id"` // the account's amojo id
	Time      int64        `json:"time"`
	Message   *HookMessage `json:"message,omitempty"`
	Action    *struct {
		Reaction *HookReaction `json:"reaction,omitempty"`
		Typing   *HookTyping   `json:"typing,omitempty"`
	} `json:"action,omitempty"`
}

// HookMessage is a manager's message to the customer.
type HookMessage struct {
	Receiver struct {
		ID       string `json:"id"`
		Phone    string `json:"phone,omitempty"`
		ClientID string `json:"client_id"` // our id of the customer
	} `json:"receiver"`
	Sender struct {
		ID string `json:"id"` // the amoCRM user's amojo id
	} `json:"sender"`
	Conversation struct {
		ID       string `json:"id"`
		ClientID string `json:"client_id"` // our conversation id
	} `json:"conversation"`
	Timestamp     int64 `json:"timestamp"`
	MsecTimestamp int64 `json:"msec_timestamp"`
	Message       struct {
		ID       string `json:"id"` // amojo's message id: the msgid of its delivery statuses
		Type     string `json:"type"`
		Text     string `json:"text"`
		Media    string `json:"media,omitempty"`
		FileName string `json:"file_name,omitempty"`
		FileSize int64  `json:"file_size,omitempty"`
		ReplyTo  *struct {
			Message struct {
				ID    string `json:"id"`
				MsgID string `json:"msgid"`
			} `json:"message"`
		} `json:"reply_to,omitempty"`
	} `json:"message"`
}

// HookReaction is a manager's reaction on a message.
type HookReaction struct {
	User struct {
		ID string `json:"id"`
	} `json:"user"`
	Conversation struct {
		ID       string `json:"id"`
		ClientID string `json:"client_id"`
	} `json:"conversation"`
	Message struct {
		ID    string `json:"id"`
		MsgID string `json:"msgid"` // ours, for a message we posted
	} `json:"message"`
	Type  string `json:"type"` // react | unreact
	Emoji string `json:"emoji"`
}

// HookTyping is a manager typing.
type HookTyping struct {
	User struct {
		ID string `json:"id"`
	} `json:"user"`
	Conversation struct {
		ID       string `json:"id"`
		ClientID string `json:"client_id"`
	} `json:"conversation"`
	ExpiredAt int64 `json:"expired_at"`
}

// ErrBadHook is a hook body that is not one amoCRM sends.
var ErrBadHook = errors.New("amojo: malformed hook")

// ParseHook reads a hook body.
func ParseHook(body []byte) (Hook, error) {
	var h Hook
	if err := json.Unmarshal(body, &h); err != nil {
		return h, fmt.Errorf("%w: %v", ErrBadHook, err)
	}
	switch {
	case h.AccountID == "":
		return h, fmt.Errorf("%w: no account_id", ErrBadHook)
	case h.Message != nil:
		if h.Message.Conversation.ClientID == "" || h.Message.Message.ID == "" || h.Message.Sender.ID == "" {
			return h, fmt.Errorf("%w: a message needs conversation.client_id, message.id and sender.id", ErrBadHook)
		}
	case h.Action != nil && (h.Action.Reaction != nil || h.Action.Typing != nil):
	default:
		return h, fmt.Errorf("%w: neither a message nor an action", ErrBadHook)
	}
	return h, nil
}
