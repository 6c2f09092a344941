package hub

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Refusal codes of sending and creating chats (SPEC.md F25, F29).
const (
	RefuseChatBlocked                 = "chat_blocked"
	RefuseSubscriptionInactive        = "subscription_inactive"
	RefuseSubscriptionUnpaid          = "subscription_unpaid"
	RefuseConnectionNotInSubscription = "connection_not_in_subscription"
	RefuseWABAWindowClosed            = "waba_window_closed"
	RefuseTemplatesUnpaid             = "templates_unpaid"
	RefuseChannelAuthFailed           = "channel_auth_failed"
	RefuseBotStopped                  = "bot_stopped"
	RefuseConnectionDisabled          = "connection_disabled"
	// RefuseNoReactions: the messenger lets a business set no reactions (MAX's Bot API).
	RefuseNoReactions = "reactions_not_supported"
)

// Send describes what an employee sends, as the restrictions see it.
type Send struct {
	WABATemplate bool // a WABA message template (anything else is free-form)
}

// SendRefusal returns why a send is refused, checking F29's order (the first that applies
// wins), or "" when it may go. Access is checked before this, by Access. blocked is whether
// the chat's contact is on the blacklist (groups cannot be).
func SendRefusal(ws Workspace, conn Connection, chat Chat, blocked bool, s Send, now time.Time) string {
	if r := SignalRefusal(ws, conn, chat, blocked, now); r != "" {
		return r
	}
	if conn.Kind == KindWABA && chat.Kind == ChatPrivate && !s.WABATemplate && !WABAWindow(chat, now).Open {
		return RefuseWABAWindowClosed
	}
	if s.WABATemplate && !ws.Subscription.TemplatesPaid {
		return RefuseTemplatesUnpaid
	}
	return ""
}

// SignalRefusal returns why anything at all to the chat's customer is refused — a message, a
// reaction, "typing…" — or "": the blacklist, the subscription, a bot the customer stopped.
func SignalRefusal(ws Workspace, conn Connection, chat Chat, blocked bool, now time.Time) string {
	if blocked && chat.Kind != ChatGroup {
		return RefuseChatBlocked
	}
	if conn.Disabled() {
		return RefuseConnectionDisabled
	}
	if r := subscriptionRefusal(ws, conn, now); r != "" {
		return r
	}
	if chat.Kind == ChatPrivate && !chat.StoppedAt.IsZero() {
		return RefuseBotStopped // the customer stopped the bot: the provider would refuse it too
	}
	return ""
}

// ReactRefusal returns why the business's reaction on a message of chat is refused, or "": the
// messengers take a reaction as a free-form message (blacklist, subscription, a stopped bot and
// WhatsApp's 24-hour window apply), and MAX bots cannot react at all.
func ReactRefusal(ws Workspace, conn Connection, chat Chat, blocked bool, now time.Time) string {
	if conn.Kind == KindMaxBot {
		return RefuseNoReactions
	}
	return SendRefusal(ws, conn, chat, blocked, Send{}, now)
}

// CreateRefusal returns why creating a chat on conn is refused (F25) at now, or "".
func CreateRefusal(ws Workspace, conn Connection, now time.Time) string {
	if conn.Disabled() {
		return RefuseConnectionDisabled
	}
	if r := subscriptionRefusal(ws, conn, now); r != "" {
		return r
	}
	if conn.Status == StatusAuthFailed {
		return RefuseChannelAuthFailed
	}
	return ""
}

func subscriptionRefusal(ws Workspace, conn Connection, now time.Time) string {
	if r := SubscriptionRefusal(ws.Subscription, now); r != "" {
		return r
	}
	if !conn.InSubscription {
		return RefuseConnectionNotInSubscription
	}
	return ""
}

// SubscriptionRefusal returns why the workspace's subscription refuses every send at now
// (inactive, unpaid), or "".
func SubscriptionRefusal(sub Subscription, now time.Time) string {
	switch {
	case !sub.ActiveAt(now):
		return RefuseSubscriptionInactive
	case !sub.Paid:
		return RefuseSubscriptionUnpaid
	}
	return ""
}

// numberedParam is a {{1}}-style placeholder of a template or quick reply.
var numberedParam = regexp.MustCompile(`\{\{\s*([0-9]+)\s*\}\}`)

// CountParams counts the distinct {{n}} placeholders of a body, so the composer asks for that
// many values.
func CountParams(body string) int {
	seen := map[string]bool{}
	for _, m := range numberedParam.FindAllStringSubmatch(body, -1) {
		seen[m[1]] = true
	}
	return len(seen)
}

// FillTemplate puts params into a template body's {{1}}, {{2}}, … placeholders (the WABA
// convention, which quick replies share).
func FillTemplate(body string, params []string) string {
	for i := len(params); i >= 1; i-- { // from the highest, so {{1}} never eats {{10}}
		body = strings.ReplaceAll(body, "{{"+strconv.Itoa(i)+"}}", params[i-1])
	}
	return body
}
