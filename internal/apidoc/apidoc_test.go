package apidoc_test

import (
	"testing"

	"github.com/switchboardhq/switchboard/internal/apidoc"
)

// The document's error schemas list exactly the catalogue's codes under their statuses, every
// operation names the codes it may answer, and the front end's declarations are current.
func TestDocumentAudit(t *testing.T) {
	d, _, err := apidoc.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range apidoc.Audit(d) {
		t.Error(err)
	}
}
