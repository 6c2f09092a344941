package events

import (
	"encoding/json"
	"strconv"
)

// AppendJSON appends f as json.Marshal writes it, without reading Data again: the same data
// goes to every socket of the workspace, and json.Marshal would validate and compact it for
// each. Data must be JSON (a View's output); nil is written as null.
func (f Frame) AppendJSON(b []byte) []byte {
	b = strconv.AppendInt(append(b, `{"seq":`...), f.Seq, 10)
	b = appendString(append(b, `,"type":`...), f.Type)
	b = append(b, `,"chat_id":`...)
	if f.ChatID == nil {
		b = append(b, "null"...)
	} else {
		b = appendString(b, *f.ChatID)
	}
	b = append(b, `,"data":`...)
	if len(f.Data) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, f.Data...)
	}
	return append(b, '}')
}

// AppendJSON appends fs as a JSON array of frames, as json.Marshal writes it.
func (fs Frames) AppendJSON(b []byte) []byte {
	b = append(b, '[')
	for i, f := range fs {
		if i > 0 {
			b = append(b, ',')
		}
		b = f.AppendJSON(b)
	}
	return append(b, ']')
}

// appendString writes s as a JSON string. Types and ids are plain ASCII, written as they are;
// anything else is left to encoding/json, so the output never differs from json.Marshal's.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	return append(append(append(b, '"'), s...), '"')
}
