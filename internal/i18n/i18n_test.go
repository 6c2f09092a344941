package i18n

import (
	"sort"
	"strings"
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

// A widget-only catalogue (pt) has exactly the widget's keys, none empty.
func TestWidgetOnlyCataloguesHaveTheWidgetKeys(t *testing.T) {
	var want []string
	for _, k := range Keys("en") {
		if strings.HasPrefix(k, "widget.") {
			want = append(want, k)
		}
	}
	sort.Strings(want)
	for lang, m := range widgetOnly {
		var got []string
		for k, v := range m {
			got = append(got, k)
			if v == "" {
				t.Errorf("%s: %s is empty", lang, k)
			}
		}
		sort.Strings(got)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s has %v, the widget's keys are %v", lang, got, want)
		}
	}
	if WidgetT("pt", "widget.open_card") != "Abrir chats" || WidgetT("pt", "app.close") != T("en", "app.close") {
		t.Error("WidgetT does not read pt, or does not fall back")
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
