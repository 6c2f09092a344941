// Package sanitize makes text from outside safe to store and show without losing it: customers'
// messages, names and file names arrive with whatever bytes their device or a hostile sender put
// there, and PostgreSQL refuses U+0000 and invalid UTF-8 outright.
package sanitize

import (
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text drops U+0000 and replaces each invalid UTF-8 sequence with U+FFFD; everything else,
// including other control characters a customer may really have typed, is kept.
func Text(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// Strings applies Text to every string reachable from ptr (struct fields, slices, arrays, map
// values, pointers), in place. It is how a parsed webhook is cleaned as a whole, so a field
// added to a payload later is covered without anyone remembering to.
func Strings(ptr any) {
	v := reflect.ValueOf(ptr)
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		walk(v.Elem(), func(s string) (string, bool) {
			c := Text(s)
			return c, c != s
		})
	}
}

// HasNUL reports whether any string reachable from v (as Strings walks it) holds U+0000.
func HasNUL(v any) bool {
	found := false
	walk(reflect.ValueOf(v), func(s string) (string, bool) {
		found = found || strings.ContainsRune(s, 0)
		return s, false
	})
	return found
}

// walk calls fix on every string it can reach and, where fix says so and the value can be set,
// stores its answer. It reports whether it changed anything.
func walk(v reflect.Value, fix func(string) (string, bool)) bool {
	changed := false
	switch v.Kind() {
	case reflect.String:
		if s, ok := fix(v.String()); ok && v.CanSet() {
			v.SetString(s)
			changed = true
		}
	case reflect.Pointer:
		if !v.IsNil() {
			changed = walk(v.Elem(), fix)
		}
	case reflect.Interface:
		// What an interface holds cannot be set in place: fix a copy and put it back.
		if !v.IsNil() {
			cp := settable(v.Elem())
			if changed = walk(cp, fix); changed && v.CanSet() {
				v.Set(cp)
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				changed = walk(v.Field(i), fix) || changed
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			changed = walk(v.Index(i), fix) || changed
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			// A map value cannot be changed in place either.
			cp := settable(iter.Value())
			if walk(cp, fix) {
				v.SetMapIndex(iter.Key(), cp)
				changed = true
			}
		}
	}
	return changed
}

// settable copies v into a value that can be set.
func settable(v reflect.Value) reflect.Value {
	cp := reflect.New(v.Type()).Elem()
	cp.Set(v)
	return cp
}

// FileName makes a stored file name harmless to show and to save: Text, then no format
// characters (Unicode Cf: bidi overrides such as U+202E turn "gnp.exe" into "exe.png" on
// screen, zero-width joiners hide characters), no other control characters, no quotes (the name
// goes into Content-Disposition), at most 200 bytes, and no path: only what follows the last /
// or \ is kept. "" stays ""; a name cleaning leaves empty becomes "file".
func FileName(name string) string {
	if name == "" {
		return ""
	}
	name = Text(name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) || unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, name)
	for len(name) > maxFileName {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		return "file"
	}
	return name
}

// maxFileName bounds a file name in bytes (file systems allow 255).
const maxFileName = 200
