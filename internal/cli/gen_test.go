package cli

import (
	"context"
	"strings"
	"testing"
)

func TestGenFillsANewWorkspaceAndRefusesBadSizes(t *testing.T) {
	env := func(k string) string {
		if k == "SWITCHBOARD_SECRET_KEY" {
			return strings.Repeat("ab", 32)
		}
		return ""
	}
	dir := t.TempDir()
	var out, errOut strings.Builder
	code := run(context.Background(), []string{"gen", "--data", dir, "--contacts", "40", "--chats", "60",
		"--messages", "400"}, env, &out, &errOut)
	if code != 0 || !strings.Contains(out.String(), "40 contacts, 60 chats, 400 messages") ||
		!strings.Contains(out.String(), "done in") {
		t.Fatalf("gen: exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
	for _, args := range [][]string{
		{"gen", "--data", dir, "--contacts", "10", "--chats", "30"},
		{"gen", "--data", dir, "--workspace", "no-such-workspace", "--contacts", "1", "--chats", "1"},
		{"gen", "--data", dir, "--frob"},
	} {
		errOut.Reset()
		if code := run(context.Background(), args, env, &out, &errOut); code != 1 || errOut.Len() == 0 {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errOut.String())
		}
	}
}
