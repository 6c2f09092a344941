package media

import "fmt"

// VoiceToOgg turns a browser recording into the Ogg/Opus file WhatsApp and Telegram play as a
// voice note. Remuxing WebM/Opus (what Chromium records) is not built yet, so such a voice
// message fails with this error naming the missing part rather than going out in a form the
// messenger would not play as a voice note.
func VoiceToOgg(data []byte, mime string) ([]byte, error) {
	return nil, fmt.Errorf("voice note conversion from %s to Ogg/Opus is not built yet (WebM remuxer missing)", mime)
}
