package respond

import "testing"

func TestLogPathMasksSecrets(t *testing.T) {
	for in, want := range map[string]string{
		"/amocrm/hooks/s3cr3t":                               "/amocrm/hooks/***",
		"/sandbox/telegram/bot7000000001:AAHxyz/sendMessage": "/sandbox/telegram/bot***/sendMessage",
		"/api/v1/chats/123":                                  "/api/v1/chats/123",
	} {
		if got := LogPath(in); got != want {
			t.Errorf("LogPath(%q) = %q, want %q", in, got, want)
		}
	}
}
