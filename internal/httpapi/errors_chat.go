package httpapi

import "net/http"

// The chat API's errors (SPEC.md F25, F29, F30, F9). Each has "error.<code>" texts in every
// locale; init adds them to the catalogue list the i18n test walks.
var (
	ErrQueryTooShort               = apiError(http.StatusBadRequest, "query_too_short")
	ErrCRMAccessDenied             = apiError(http.StatusForbidden, "crm_access_denied")
	ErrChatExists                  = apiError(http.StatusConflict, "chat_exists")
	ErrChatAccessDenied            = apiError(http.StatusForbidden, "chat_access_denied")
	ErrSubscriptionInactive        = apiError(http.StatusPaymentRequired, "subscription_inactive")
	ErrSubscriptionUnpaid          = apiError(http.StatusPaymentRequired, "subscription_unpaid")
	ErrConnectionNotInSubscription = apiError(http.StatusPaymentRequired, "connection_not_in_subscription")
	ErrChannelAuthFailed           = apiError(http.StatusBadGateway, "channel_auth_failed")
	ErrInvalidPhone                = apiError(http.StatusUnprocessableEntity, "invalid_phone")
	ErrNotOnWhatsApp               = apiError(http.StatusUnprocessableEntity, "not_on_whatsapp")
	ErrContactNotFound             = apiError(http.StatusNotFound, "contact_not_found")
	ErrChatBlocked                 = apiError(http.StatusConflict, "chat_blocked")
	ErrWABAWindowClosed            = apiError(http.StatusUnprocessableEntity, "waba_window_closed")
	ErrTemplatesUnpaid             = apiError(http.StatusPaymentRequired, "templates_unpaid")
	ErrCRMAdapterMissing           = apiError(http.StatusNotImplemented, "crm_adapter_missing")
	ErrCRMUnavailable              = apiError(http.StatusBadGateway, "crm_unavailable")
)

func init() {
	Errors = append(Errors, ErrQueryTooShort, ErrCRMAccessDenied, ErrChatExists, ErrChatAccessDenied,
		ErrSubscriptionInactive, ErrSubscriptionUnpaid, ErrConnectionNotInSubscription, ErrChannelAuthFailed,
		ErrInvalidPhone, ErrNotOnWhatsApp, ErrContactNotFound, ErrChatBlocked, ErrWABAWindowClosed,
		ErrTemplatesUnpaid, ErrCRMAdapterMissing, ErrCRMUnavailable)
}
