package cli

import (
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// TestMain lets `bench sockets` start this test binary as its client process.
func TestMain(m *testing.M) {
	if os.Getenv(benchClientEnv) != "" {
		os.Exit(Run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// runBench runs a benchmark briefly and returns its output; it fails the test on a non-zero exit.
func runBench(t *testing.T, env func(string) string, args ...string) string {
	t.Helper()
	var out, errOut strings.Builder
	if code := run(context.Background(), append([]string{"bench"}, args...), env, &out, &errOut); code != 0 {
		t.Fatalf("bench %v: exit %d\nstdout: %s\nstderr: %s", args, code, out.String(), errOut.String())
	}
	return out.String()
}

// lastLine checks the output's last line against the summary the issue asks for and returns
// its numbers.
func lastLine(t *testing.T, out, pattern string) []string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	m := regexp.MustCompile(`^` + pattern + `$`).FindStringSubmatch(lines[len(lines)-1])
	if m == nil {
		t.Fatalf("last line is not %q:\n%s", pattern, out)
	}
	return m[1:]
}

const num = `(\d+(?:\.\d+)?)`

// checkIngest checks the summary and that nothing acknowledged was lost: every webhook the
// endpoint answered 200 is stored, given up or still waiting for the worker.
func checkIngest(t *testing.T, out, engine string) {
	t.Helper()
	lastLine(t, out, `ingest `+engine+`: \d+/s stored end to end, raw single-row commits [1-9]\d*/s, ratio \d+\.\d\d`)
	m := regexp.MustCompile(`hub: (\d+) webhooks acknowledged, (\d+) stored end to end in \S+, (\d+) given up, (\d+) left waiting`).
		FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no hub line:\n%s", out)
	}
	n := make([]int, 4)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	if n[0] == 0 || n[1]+n[2]+n[3] != n[0] || n[2] != 0 {
		t.Fatalf("acknowledged %d, stored %d, given up %d, waiting %d:\n%s", n[0], n[1], n[2], n[3], out)
	}
}

func TestBenchIngestPrintsRateBesideRawCommits(t *testing.T) {
	checkIngest(t, runBench(t, noEnv, "ingest", "--duration", "300ms", "--senders", "2"), "sqlite")
}

func TestBenchIngestOnPostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	checkIngest(t, runBench(t, noEnv, "ingest", "--engine", "postgres", "--database-url", dsn,
		"--duration", "300ms", "--senders", "2"), "postgres")
}

func TestBenchFanoutPrintsLatencyBesideBareServer(t *testing.T) {
	out := runBench(t, noEnv, "fanout", "--windows", "4", "--rate", "10", "--duration", "600ms")
	m := lastLine(t, out, `fanout: p50 `+num+` ms, p99 `+num+` ms, delivered `+num+`%, slow closes (\d+), bare p99 `+num+` ms`)
	if d, _ := strconv.ParseFloat(m[2], 64); d == 0 {
		t.Fatalf("no frame delivered:\n%s", out)
	}
	for _, who := range []string{"hub: ", "bare coder/websocket: "} {
		if !strings.Contains(out, "\n  "+who) {
			t.Fatalf("no %q line:\n%s", who, out)
		}
	}
}

// The bare server sends what the hub sent: a message.created with the chat.updated that came
// with it in one WebSocket message, so both halves' clients get and decode the same bytes.
func TestBareServerSendsTheHubsMessages(t *testing.T) {
	for _, c := range []struct{ sample, want string }{
		{`[{"type":"message.created","seq":41,"data":{"id":"m","text":"bench 0"}},{"type":"chat.updated","seq":42,"data":{"id":"c"}}]`,
			`[{"data":{"id":"m","text":"bench 3"},"seq":7,"type":"message.created"},{"data":{"id":"c"},"seq":8,"type":"chat.updated"}]`},
		{`{"type":"message.created","seq":5,"data":{"id":"m","text":"bench 0"}}`,
			`{"data":{"id":"m","text":"bench 3"},"seq":4,"type":"message.created"}`},
	} {
		next, err := bareMessages([]byte(c.sample))
		if err != nil {
			t.Fatal(err)
		}
		got, err := next(3)
		if err != nil || string(got) != c.want {
			t.Errorf("from %s the 4th message is %s (%v), want %s", c.sample, got, err, c.want)
		}
	}
	if _, err := bareMessages([]byte(`[{"type":"chat.updated","seq":1,"data":{}}]`)); err == nil {
		t.Error("a sample without a message.created was taken")
	}
}

func TestBenchSocketsMeasuresFromAClientProcess(t *testing.T) {
	out := runBench(t, noEnv, "sockets", "--n", "20")
	lastLine(t, out, `sockets: 20 open, -?`+num+` KB each, bare -?`+num+` KB each`)
}

func TestBenchRefusesBadOptions(t *testing.T) {
	for _, args := range [][]string{
		{"bench"},
		{"bench", "frob"},
		{"bench", "ingest", "--duration", "0s"},
		{"bench", "ingest", "--engine", "mysql"},
		{"bench", "ingest", "--engine", "postgres"},
		{"bench", "fanout", "--windows", "0"},
		{"bench", "sockets", "--n", "-1"},
		{"bench", "sockets", "extra"},
	} {
		var out, errOut strings.Builder
		if code := run(context.Background(), args, noEnv, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "bench") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut.String())
		}
	}
}
