package graph

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

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

// authorize checks the bearer token against the account; false means an error was written.
func authorize(w http.ResponseWriter, r *http.Request, a Account, known bool) bool {
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	switch {
	case !known:
		graphError(w, http.StatusBadRequest, 100, "Invalid parameter", "Unsupported post request. Object with ID does not exist")
	case a.Revoked || token == "" || token != a.Token:
		graphError(w, http.StatusUnauthorized, 190, "Error validating access token",
			"The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.")
	default:
		return true
	}
	return false
}
