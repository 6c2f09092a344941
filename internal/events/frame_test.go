package events_test

import (
	"encoding/json"
	"testing"

	"github.com/switchboardhq/switchboard/internal/events"
)

// TestFrameAppendJSONIsJSONMarshal: the frame written to sockets is byte for byte what
// json.Marshal writes, for plain ids and for strings encoding/json escapes.
func TestFrameAppendJSONIsJSONMarshal(t *testing.T) {
	plain, odd := "01HZX3Q9", "a\"b\\c<d>&é\n"
	for _, f := range []events.Frame{
		{Seq: 7, Type: "message.created", ChatID: &plain, Data: json.RawMessage(`{"id":"m1","text":"hi"}`)},
		{Seq: 1 << 40, Type: "subscription.updated", Data: json.RawMessage(`[1,2]`)},
		{Seq: 0, Type: odd, ChatID: &odd},
	} {
		want, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("AppendJSON = %s\njson.Marshal = %s", got, want)
		}
	}
}
