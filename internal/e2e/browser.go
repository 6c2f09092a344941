package e2e

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// ChromiumPath is Debian's chromium, which scripts/test.sh installs.
const ChromiumPath = "/usr/bin/chromium"

// Browser is one headless Chromium with a fresh profile, and the JavaScript errors and console
// output its pages produced (logged when a test fails, to say why).
type Browser struct {
	Ctx context.Context
	t   testing.TB
	mu  sync.Mutex
	log []string
	csp []string // the console's Content-Security-Policy violations
}

// NewBrowser starts headless Chromium with the flags below and a window of width×height; it skips
// the test, saying why, when Chromium is not installed. The browser closes when the test ends.
func NewBrowser(t testing.TB, width, height int) *Browser {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		t.Skipf("browser tests need %s (scripts/test.sh installs Debian's chromium): %v", ChromiumPath, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		// The fake microphone plays a fixed file rather than generating its beep, so a
		// recording always has the same sound to capture.
		chromedp.Flag("use-file-for-fake-audio-capture", fakeMicrophone(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	b := &Browser{Ctx: ctx, t: t}
	// The viewport is set exactly: a headless window has a minimum width wider than a phone's.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("start chromium: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			line := fmt.Sprintf("%s:%d %s", m.URL, m.Line+1, m)
			b.record(line)
			if strings.Contains(m.Text, "Content Security Policy") {
				b.mu.Lock()
				b.csp = append(b.csp, line)
				b.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		b.mu.Lock()
		// The pages must work within the hub's Content-Security-Policy: anything it refused
		// (a script, a style, a connection) is a feature broken in real browsers.
		for _, l := range b.csp {
			t.Errorf("browser: Content-Security-Policy violation: %s", l)
		}
		for _, l := range b.log {
			// Every uncaught exception is worth a line; the rest only explains a failure.
			if t.Failed() || strings.Contains(l, "xception") {
				t.Log("browser " + l)
			}
		}
		b.mu.Unlock()
		cancel()
		cancelAlloc()
	})
	return b
}

// Run runs a subtest in which b fails (and names its screenshots after) that subtest.
func (b *Browser) Run(t *testing.T, name string, fn func(t *testing.T)) {
	t.Run(name, func(st *testing.T) {
		parent := b.t
		b.t = st
		defer func() { b.t = parent }()
		fn(st)
	})
}

func (b *Browser) record(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.log = append(b.log, s)
}

// Do runs actions with a deadline, failing the test (with a screenshot named after it) when
// one fails.
func (b *Browser) Do(timeout time.Duration, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fail("browser: %v", err)
	}
}

func (b *Browser) fail(format string, args ...any) {
	b.t.Helper()
	b.Screenshot("FAILED-" + b.t.Name())
	b.t.Fatalf(format, args...)
}

// Screenshot saves the page as test-artifacts/screenshots/<name>.png and returns the path.
func (b *Browser) Screenshot(name string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	dir := filepath.Join(repoRoot(), "test-artifacts", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	path := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(name)+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	return path
}

// repoRoot is the folder holding go.mod, found upwards from the test's working directory.
func repoRoot() string {
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// BlockRequests makes the page's requests to URLs matching patterns (URLPattern syntax, e.g.
// "*://*:*/api/v1/events*") fail as if the network were down; with no patterns it lifts the block.
func (b *Browser) BlockRequests(patterns ...string) {
	b.t.Helper()
	var ps []*network.BlockPattern
	for _, p := range patterns {
		ps = append(ps, &network.BlockPattern{URLPattern: p, Block: true})
	}
	if _, err := chromedp.Call(b.Ctx, network.Enable, network.EnableParams{}); err != nil {
		b.fail("network.enable: %v", err)
	}
	if _, err := chromedp.Call(b.Ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: ps}); err != nil {
		b.fail("network.setBlockedURLs: %v", err)
	}
}

// HoldRequests keeps the page's requests to URLs matching patterns (wildcards: * and ?) waiting
// for an answer that never comes, until the browser closes: a server that does not answer yet.
// Call it before Open.
func (b *Browser) HoldRequests(patterns ...string) {
	b.t.Helper()
	var ps []*fetch.RequestPattern
	for _, p := range patterns {
		ps = append(ps, &fetch.RequestPattern{URLPattern: p})
	}
	if _, err := chromedp.Call(b.Ctx, fetch.Enable, fetch.EnableParams{Patterns: ps}); err != nil {
		b.fail("fetch.enable: %v", err)
	}
}

// Latency delays the page's requests to URLs matching pattern (URLPattern syntax, e.g.
// "*://*:*/api/v1/chats*"; "" for every request) by ms, from sent to the answer's headers, as a
// network or a server slower than this machine's loopback would. Call it before Open.
func (b *Browser) Latency(ms float64, pattern string) {
	b.t.Helper()
	if _, err := chromedp.Call(b.Ctx, network.Enable, network.EnableParams{}); err != nil {
		b.fail("network.enable: %v", err)
	}
	rule := &network.Conditions{URLPattern: pattern, Latency: ms, DownloadThroughput: -1, UploadThroughput: -1}
	if _, err := chromedp.Call(b.Ctx, network.EmulateNetworkConditionsByRule,
		network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: []*network.Conditions{rule}}); err != nil {
		b.fail("network conditions: %v", err)
	}
}

// fakeMicrophone writes two seconds of a 440 Hz tone as a 16 kHz mono PCM WAV file for
// Chromium's fake audio capture and returns its path.
func fakeMicrophone(t testing.TB) string {
	t.Helper()
	const rate, seconds = 16000, 2
	samples := make([]byte, 2*rate*seconds)
	for i := range rate * seconds {
		v := int16(8000 * math.Sin(2*math.Pi*440*float64(i)/rate))
		binary.LittleEndian.PutUint16(samples[2*i:], uint16(v))
	}
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+len(samples)))
	b.WriteString("WAVEfmt ")
	// PCM format chunk: size, format 1, one channel, rate, bytes per second, block, bits.
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(2 * rate), uint16(2), uint16(16)} {
		binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(len(samples)))
	b.Write(samples)
	path := filepath.Join(t.TempDir(), "microphone.wav")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
