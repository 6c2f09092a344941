package respond

import "regexp"

// secretInPath matches the URL segments that carry secrets: the CRM webhook's secret and a
// Telegram bot token (the sandbox's Bot API stand-in is addressed as Telegram is, by token).
var secretInPath = regexp.MustCompile(`(/amocrm/hooks/|/telegram/bot)[^/]+`)

// LogPath is a request path fit for the logs: secrets in it are masked.
func LogPath(p string) string {
	return secretInPath.ReplaceAllString(p, "${1}***")
}
