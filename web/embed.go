// Package web embeds the bundled front ends (the chat window and the cabinet) and the amoCRM
// widget's sources. `make build` fills dist/; a plain `go build` embeds only the placeholder
// page, which says how to build the rest.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist is the bundle folder: index.html and assets when built, placeholder.html always.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	return sub
}

// Built reports whether the front end bundle is present.
func Built() bool {
	_, err := fs.Stat(Dist(), "index.html")
	return err == nil
}
