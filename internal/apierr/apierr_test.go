package apierr_test

import (
	"testing"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/i18n"
)

func TestEveryErrorHasTexts(t *testing.T) {
	for _, e := range apierr.All {
		for _, lang := range i18n.Languages {
			if i18n.T(lang, "error."+e.Code) == "error."+e.Code {
				t.Errorf("%s has no %s text", e.Code, lang)
			}
		}
	}
}
