package i18n

import (
	"sort"
	"testing"
)

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	want := Keys("en")
	sort.Strings(want)
	for _, lang := range Languages {
		got := Keys(lang)
		sort.Strings(got)
		if len(got) != len(want) {
			t.Fatalf("%s has %d keys, en has %d", lang, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: key %q where en has %q", lang, got[i], want[i])
			}
		}
		for _, k := range got {
			if catalogue[lang][k] == "" {
				t.Errorf("%s: %s is empty", lang, k)
			}
		}
	}
}

func TestLang(t *testing.T) {
	for in, want := range map[string]string{"ru": "ru", "es": "es", "es-MX": "es", "RU_ru": "ru", "pt": "en", "": "en", "en": "en"} {
		if got := Lang(in); got != want {
			t.Errorf("Lang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSeedTexts(t *testing.T) {
	// The Russian texts of SPEC F25 and F29 are fixed by the seed.
	for key, want := range map[string]string{
		"error.chat_exists":     "Такой чат уже существует. Перейдите к нему по кнопке ниже.",
		"error.not_on_whatsapp": "Пользователь не зарегистрирован в WhatsApp.",
		"error.chat_blocked":    "Чат заблокирован.",
	} {
		if got := T("ru", key); got != want {
			t.Errorf("ru %s = %q, want %q", key, got, want)
		}
	}
}
