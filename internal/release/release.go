// Package release is the hub's release version: a semantic x.y.z kept in the VERSION file
// beside this one, raised with every release (the widget archive's manifest carries it, and
// amoCRM takes an uploaded widget only with a version above the last one). `git describe`
// names a build, not a release, and is not semver.
package release

import (
	_ "embed"
	"strings"
)

//go:embed VERSION
var version string

// Version is the release's x.y.z.
func Version() string { return strings.TrimSpace(version) }
