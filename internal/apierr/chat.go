package apierr

import "net/http"

// The chat API's errors (SPEC.md F25, F29, F30, F9). Each has "error.<code>" texts in every
// locale; init adds them to the catalogue list the i18n test walks.
var (
	QueryTooShort               = newError(http.StatusBadRequest, "query_too_short")
	CRMAccessDenied             = newError(http.StatusForbidden, "crm_access_denied")
	ChatExists                  = newError(http.StatusConflict, "chat_exists")
	ChatAccessDenied            = newError(http.StatusForbidden, "chat_access_denied")
	SubscriptionInactive        = newError(http.StatusPaymentRequired, "subscription_inactive")
	SubscriptionUnpaid          = newError(http.StatusPaymentRequired, "subscription_unpaid")
	ConnectionNotInSubscription = newError(http.StatusPaymentRequired, "connection_not_in_subscription")
	ChannelAuthFailed           = newError(http.StatusBadGateway, "channel_auth_failed")
	// ConnectionDisabled: an admin switched the chat's connection off in the cabinet.
	ConnectionDisabled = newError(http.StatusConflict, "connection_disabled")
	InvalidPhone       = newError(http.StatusUnprocessableEntity, "invalid_phone")
	NotOnWhatsApp      = newError(http.StatusUnprocessableEntity, "not_on_whatsapp")
	ContactNotFound    = newError(http.StatusNotFound, "contact_not_found")
	ChatBlocked        = newError(http.StatusConflict, "chat_blocked")
	BotStopped         = newError(http.StatusConflict, "bot_stopped")
	WABAWindowClosed   = newError(http.StatusUnprocessableEntity, "waba_window_closed")
	TemplatesUnpaid    = newError(http.StatusPaymentRequired, "templates_unpaid")
	CRMAdapterMissing  = newError(http.StatusNotImplemented, "crm_adapter_missing")
	CRMUnavailable     = newError(http.StatusBadGateway, "crm_unavailable")
	// InvalidText: U+0000 in a text, an id or a query, which no database column holds.
	InvalidText = newError(http.StatusBadRequest, "invalid_text")
	// ReactionsNotSupported: the chat's messenger takes no reactions from a business.
	ReactionsNotSupported = newError(http.StatusUnprocessableEntity, "reactions_not_supported")
	// NotReactable: the message has not reached the messenger (or is the hub's own note), so
	// there is nothing there to react on.
	NotReactable = newError(http.StatusConflict, "message_not_reactable")
	// TypingNotSupported: the chat's messenger shows no typing from a business here.
	TypingNotSupported = newError(http.StatusUnprocessableEntity, "typing_not_supported")
	// SignalFailed: the messenger did not take a typing signal (down, or refused it).
	SignalFailed = newError(http.StatusBadGateway, "signal_failed")
)

func init() {
	All = append(All, QueryTooShort, CRMAccessDenied, ChatExists, ChatAccessDenied,
		SubscriptionInactive, SubscriptionUnpaid, ConnectionNotInSubscription, ChannelAuthFailed,
		ConnectionDisabled, InvalidPhone, NotOnWhatsApp, ContactNotFound, ChatBlocked, BotStopped, WABAWindowClosed,
		TemplatesUnpaid, CRMAdapterMissing, CRMUnavailable, InvalidText, ReactionsNotSupported, NotReactable,
		TypingNotSupported, SignalFailed)
}
