package graph

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// appSecretProof is what Graph expects as appsecret_proof: the hex HMAC-SHA256 of the access
// token keyed by the app secret (computed here on its own, not with the adapter's code, so a
// mistake in either shows).
func appSecretProof(appSecret, token string) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

// graphError writes Meta's error envelope.
func graphError(w http.ResponseWriter, status, code int, title, details string) {
	body := map[string]any{"error": map[string]any{
		"message": fmt.Sprintf("(#%d) %s", code, title), "type": "OAuthException", "code": code,
		"error_data": map[string]string{"messaging_product": "whatsapp", "details": details},
		"fbtrace_id": newID("A")}}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// authorize checks the bearer token against the account, and an appsecret_proof when the call
// carries one (Graph checks any proof it is given against the app's secret); false means an
// error was written.
func authorize(w http.ResponseWriter, r *http.Request, a Account, known bool) bool {
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	proof := r.URL.Query().Get("appsecret_proof")
	switch {
	case !known:
		graphError(w, http.StatusBadRequest, 100, "Invalid parameter", "Unsupported "+strings.ToLower(r.Method)+
			" request. Object with ID '"+cmp.Or(r.PathValue("pnid"), r.PathValue("waba"), r.PathValue("id"))+
			"' does not exist, cannot be loaded due to missing permissions, or does not support this operation")
	case a.Revoked || token == "" || token != a.Token:
		graphError(w, http.StatusUnauthorized, 190, "Error validating access token",
			"The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.")
	case proof != "" && !hmac.Equal([]byte(proof), []byte(appSecretProof(a.AppSecret, token))):
		// Meta's answer to a proof made with another app's secret: a GraphMethodException with
		// code 100 and no error_data.
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{
			"message": "Invalid appsecret_proof provided in the API argument", "type": "GraphMethodException",
			"code": 100, "fbtrace_id": newID("A")}})
	default:
		return true
	}
	return false
}
