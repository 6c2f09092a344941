// Package i18n is the one catalogue of user-visible text, shared by the server's error messages
// and the web front end (which bundles the same JSON files).
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:embed locales/*.json
var files embed.FS

// Languages the product speaks; the first is the fallback.
var Languages = []string{"en", "ru", "es"}

var catalogue = load(Languages)

// WidgetLanguages are the languages of the CRM widget's own texts (widget.*): the product's,
// and Portuguese for Kommo's Portuguese-speaking users, whose catalogue (locales/pt.json) holds
// only the widget's texts.
var WidgetLanguages = append(append([]string{}, Languages...), "pt")

var widgetOnly = load(WidgetLanguages[len(Languages):])

// WidgetT is a widget text (widget.*) in any of WidgetLanguages, else as T gives it.
func WidgetT(lang, key string) string {
	if s, ok := widgetOnly[lang][key]; ok {
		return s
	}
	return T(lang, key)
}

// load reads the catalogues of langs from locales/<lang>.json.
func load(langs []string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range langs {
		b, err := files.ReadFile("locales/" + lang + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("i18n: locales/%s.json: %v", lang, err))
		}
		out[lang] = m
	}
	return out
}

// T returns the text of key in lang, falling back to English, then to the key itself.
func T(lang, key string) string {
	if s, ok := catalogue[Lang(lang)][key]; ok {
		return s
	}
	if s, ok := catalogue["en"][key]; ok {
		return s
	}
	return key
}

// Has reports whether key exists in the catalogue.
func Has(key string) bool {
	_, ok := catalogue["en"][key]
	return ok
}

// Lang maps a CRM or browser language to one the product speaks (F34): ru and es as they are,
// anything else English. Region suffixes ("es-MX", "ru_RU") are ignored.
func Lang(crmLang string) string {
	l := strings.ToLower(crmLang)
	if i := strings.IndexAny(l, "-_"); i > 0 {
		l = l[:i]
	}
	switch l {
	case "ru", "es":
		return l
	}
	return "en"
}

// Keys lists every key of a language, for tests that keep the catalogues in step.
func Keys(lang string) []string {
	var out []string
	for k := range catalogue[lang] {
		out = append(out, k)
	}
	return out
}
