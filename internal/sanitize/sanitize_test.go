package sanitize

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"plain":            "plain",
		"a\x00b":           "ab",
		"bad \xff\xfe end": "bad \uFFFD end",
		"\x00\xc3":         "\uFFFD",
		"tab\tand\nline":   "tab\tand\nline",
		"emoji 🙂":          "emoji 🙂",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

type inner struct {
	Name  string
	Names []string
}

type outer struct {
	Text    string
	Ptr     *inner
	Items   []inner
	Map     map[string]string
	Any     map[string]any
	private string
}

func TestStringsCleansEveryReachableString(t *testing.T) {
	v := outer{
		Text:    "a\x00",
		Ptr:     &inner{Name: "\xff", Names: []string{"x\x00y"}},
		Items:   []inner{{Name: "n\x00"}},
		Map:     map[string]string{"k": "v\x00"},
		Any:     map[string]any{"s": "q\x00", "list": []any{"z\x00"}},
		private: "p\x00",
	}
	if !HasNUL(v) {
		t.Fatal("HasNUL missed the NULs")
	}
	Strings(&v)
	if HasNUL(v) {
		t.Fatalf("NUL left: %#v", v)
	}
	if v.Text != "a" || v.Ptr.Name != "\uFFFD" || v.Ptr.Names[0] != "xy" || v.Items[0].Name != "n" ||
		v.Map["k"] != "v" || v.Any["s"] != "q" || v.Any["list"].([]any)[0] != "z" {
		t.Fatalf("not cleaned: %#v", v)
	}
	if v.private != "p\x00" {
		t.Fatal("an unexported field was touched")
	}
}

func TestHasNULOnCleanValue(t *testing.T) {
	if HasNUL(&outer{Text: "fine", Map: map[string]string{"a": "b"}}) {
		t.Fatal("clean value reported as holding NUL")
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{
		"photo.png":                       "photo.png",
		"invoice\u202Egnp.exe":            "invoicegnp.exe",
		"zero\u200bwidth.txt":             "zerowidth.txt",
		"../../etc/passwd":                "passwd",
		`C:\Users\me\doc.pdf`:             "doc.pdf",
		"dir/":                            "file",
		"..":                              "file",
		"":                                "",
		"bell\x07\x00.txt":                "bell.txt",
		"  spaced name.txt ":              "spaced name.txt",
		"bad\xffbyte.txt":                 "bad\uFFFDbyte.txt",
		"Отчёт 2024.xlsx":                 "Отчёт 2024.xlsx",
		`say "hi".txt`:                    "say hi.txt",
		strings.Repeat("я", 150) + ".txt": strings.Repeat("я", 100),
	} {
		if got := FileName(in); got != want {
			t.Errorf("FileName(%q) = %q, want %q", in, got, want)
		}
	}
}
