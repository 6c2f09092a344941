// Package samples holds the small media files the customer simulator sends: a photo, a voice
// note (Ogg/Opus), a video clip (MP4), a PDF, and a browser-style WebM/Opus recording. They
// were made for this project (ffmpeg test sources and a hand-written PDF), not taken from anywhere.
package samples

import (
	"embed"
	"fmt"
)

//go:embed files
var files embed.FS

// File is one sample.
type File struct {
	Name, MIME string
	Data       []byte
}

var byKind = map[string]File{
	"image": {Name: "photo.png", MIME: "image/png"},
	"voice": {Name: "voice.ogg", MIME: "audio/ogg; codecs=opus"},
	"video": {Name: "clip.mp4", MIME: "video/mp4"},
	"file":  {Name: "invoice.pdf", MIME: "application/pdf"},
	"webm":  {Name: "voice.webm", MIME: "audio/webm;codecs=opus"},
}

// For returns the sample for a message type (image, voice, video, file; webm for tests).
func For(kind string) (File, error) {
	f, ok := byKind[kind]
	if !ok {
		return File{}, fmt.Errorf("samples: no sample for %q", kind)
	}
	data, err := files.ReadFile("files/" + f.Name)
	if err != nil {
		return File{}, err
	}
	f.Data = data
	return f, nil
}
