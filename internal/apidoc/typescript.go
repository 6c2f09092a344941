package apidoc

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// TSPath is where the TypeScript declarations generated from the document live; the front end's
// hand-written API types are checked against them by `npm run check` (web/app/contract.ts).
const TSPath = "web/api/openapi.d.ts"

// TypeScript renders the document as TypeScript declarations: one type per schema of
// components.schemas, and Operations, which maps each operation ("GET /api/v1/chats") to its
// JSON request body and the body of its success answer (null for one without a body).
func TypeScript(d *openapi3.T) string {
	var b strings.Builder
	b.WriteString("// Generated from docs/openapi.yaml by internal/apidoc: do not edit. After changing the\n" +
		"// document, run `go test ./internal/apidoc -run TestTypeScript -update`.\n\n")
	names := make([]string, 0, len(d.Components.Schemas))
	for n := range d.Components.Schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := d.Components.Schemas[n]
		writeDoc(&b, "", s.Value.Description)
		fmt.Fprintf(&b, "export type %s = %s;\n\n", n, tsType(s.Value, ""))
	}
	b.WriteString("/** Each operation's JSON request body (never: none) and success answer (null: no body). */\n")
	b.WriteString("export interface Operations {\n")
	for _, op := range Operations(d) {
		method, path, _ := strings.Cut(op, " ")
		o := d.Paths.Value(path).GetOperation(method)
		fmt.Fprintf(&b, "  %q: { request: %s; response: %s };\n", op, requestType(o), responseType(o))
	}
	b.WriteString("}\n")
	return b.String()
}

func requestType(o *openapi3.Operation) string {
	if o.RequestBody == nil || o.RequestBody.Value == nil {
		return "never"
	}
	if mt := o.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
		return ref(mt.Schema, "    ")
	}
	return "FormData"
}

// responseType is the body of the operation's first 2xx answer.
func responseType(o *openapi3.Operation) string {
	codes := []int{}
	for k := range o.Responses.Map() {
		if c, err := strconv.Atoi(k); err == nil && c >= 200 && c < 300 {
			codes = append(codes, c)
		}
	}
	sort.Ints(codes)
	if len(codes) == 0 {
		return "never"
	}
	r := o.Responses.Status(codes[0]).Value
	if mt := r.Content.Get("application/json"); mt != nil && mt.Schema != nil {
		return ref(mt.Schema, "    ")
	}
	if len(r.Content) > 0 {
		return "Blob"
	}
	return "null"
}

// ref names a referenced schema, or spells an inline one.
func ref(s *openapi3.SchemaRef, indent string) string {
	if s.Ref != "" {
		return s.Ref[strings.LastIndex(s.Ref, "/")+1:]
	}
	return tsType(s.Value, indent)
}

func tsType(s *openapi3.Schema, indent string) string {
	t := baseType(s, indent)
	if s.Nullable {
		t += " | null"
	}
	return t
}

func baseType(s *openapi3.Schema, indent string) string {
	switch {
	case len(s.OneOf) > 0:
		parts := make([]string, len(s.OneOf))
		for i, o := range s.OneOf {
			parts[i] = ref(o, indent)
		}
		return strings.Join(parts, " | ")
	case len(s.AllOf) == 1:
		return ref(s.AllOf[0], indent)
	case len(s.Enum) > 0:
		parts := make([]string, len(s.Enum))
		for i, e := range s.Enum {
			parts[i] = strconv.Quote(fmt.Sprint(e))
		}
		return strings.Join(parts, " | ")
	}
	switch {
	case s.Type.Is("string"):
		if s.Format == "binary" {
			return "Blob"
		}
		return "string"
	case s.Type.Is("integer"), s.Type.Is("number"):
		return "number"
	case s.Type.Is("boolean"):
		return "boolean"
	case s.Type.Is("array"):
		item := ref(s.Items, indent)
		if strings.Contains(item, " | ") {
			item = "(" + item + ")"
		}
		return item + "[]"
	}
	return objectType(s, indent)
}

func objectType(s *openapi3.Schema, indent string) string {
	if len(s.Properties) == 0 {
		return "Record<string, unknown>"
	}
	keys := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	inner := indent + "  "
	var b strings.Builder
	b.WriteString("{\n")
	for _, k := range keys {
		p := s.Properties[k]
		if p.Ref == "" {
			writeDoc(&b, inner, p.Value.Description)
		}
		opt := "?"
		for _, r := range s.Required {
			if r == k {
				opt = ""
			}
		}
		fmt.Fprintf(&b, "%s%s%s: %s;\n", inner, k, opt, ref(p, inner))
	}
	if s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has {
		fmt.Fprintf(&b, "%s[key: string]: unknown;\n", inner)
	}
	b.WriteString(indent + "}")
	return b.String()
}

func writeDoc(b *strings.Builder, indent, text string) {
	if text = strings.TrimSpace(text); text != "" {
		fmt.Fprintf(b, "%s/** %s */\n", indent, strings.ReplaceAll(text, "*/", "* /"))
	}
}
