package amocrm

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
)

// problem writes an application/problem+json error as amoCRM does.
func problem(w http.ResponseWriter, status int, detail, hint string) {
	body := map[string]any{"title": http.StatusText(status), "type": fmt.Sprintf("https://httpstatus.es/%d", status),
		"status": status, "detail": detail}
	if hint != "" {
		body["hint"] = hint
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// hal writes a successful application/hal+json answer.
func hal(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/hal+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}
