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

// Dist is the bundle folder: app/ and cabinet/ (each index.html and assets/) when built,
// placeholder.html always.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	return sub
}

// Front is the bundle of one front end ("app", "cabinet").
func Front(name string) fs.FS {
	sub, err := fs.Sub(Dist(), name)
	if err != nil {
		panic(err)
	}
	return sub
}

// Built reports whether the named front end ("app", "cabinet") is in the bundle.
func Built(name string) bool {
	_, err := fs.Stat(Dist(), name+"/index.html")
	return err == nil
}

//go:embed amocrm-widget
var widget embed.FS

// WidgetSource is the amoCRM widget's sources (manifest.json, script.js, images/) with the
// placeholder __SWITCHBOARD_PUBLIC_URL__ where the hub's address goes; internal/widget packs it.
func WidgetSource() fs.FS {
	sub, err := fs.Sub(widget, "amocrm-widget")
	if err != nil {
		panic(err)
	}
	return sub
}
