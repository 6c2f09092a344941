package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// replayGrace is how long after the load a frame still counts as delivered (live, or replayed
// after a reconnect).
const replayGrace = 5 * time.Second

// benchFanout holds chat windows (admin and manager sessions) on real events sockets, sends
// inbound messages at a fixed rate through the webhook endpoint, and measures webhook → frame
// latency; then a bare coder/websocket server fans the same WebSocket messages out to as many
// sockets at the same rate, for the raw limit. Each half takes half of --duration.
func benchFanout(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	f := newBenchFlags("fanout", getenv)
	windows := f.fs.Int("windows", 200, "chat windows (events sockets), half admins, half managers")
	rate := f.fs.Float64("rate", 20, "inbound messages a second")
	if err := f.parse(args); err != nil {
		return err
	}
	if *windows < 1 || *windows > 5000 {
		return fmt.Errorf("bench fanout: --windows %d: want 1 to 5000", *windows)
	}
	if *rate <= 0 || *rate > 1000 {
		return fmt.Errorf("bench fanout: --rate %g: want more than 0 and at most 1000", *rate)
	}
	b, err := startBenchHub(ctx, f.databaseURL)
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.customers(ctx); err != nil {
		return err
	}
	sessions := make([]string, *windows)
	for i := range sessions {
		if _, sessions[i], err = b.employee(ctx, i, i%2 == 0); err != nil {
			return err
		}
	}
	half := f.duration / 2
	fmt.Fprintf(stdout, "bench fanout: %s, %d windows (%d admins, %d managers), %g messages/s for %s, then the bare server as long\n",
		f.engine, *windows, (*windows+1)/2, *windows/2, *rate, half)

	hubRun := newFanRun(*windows, *rate, half)
	sample, err := hubRun.viaHub(ctx, b, sessions)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "  hub: %s\n", hubRun)
	bareRun := newFanRun(*windows, *rate, half)
	if err := bareRun.viaBare(ctx, sample); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "  bare coder/websocket: %s\n", bareRun)
	fmt.Fprintf(stdout, "fanout: p50 %.1f ms, p99 %.1f ms, delivered %.2f%%, slow closes %d, bare p99 %.1f ms\n",
		ms(hubRun.pct(50)), ms(hubRun.pct(99)), hubRun.delivered(), hubRun.slowCloses(), ms(bareRun.pct(99)))
	return nil
}

// fanRun is one fan-out measurement: messages numbered 0…n-1 sent at a rate, and what each
// window received of them.
type fanRun struct {
	rate    float64
	load    time.Duration
	sentAt  []atomic.Int64 // unix nanos; 0 when not sent (or not acknowledged)
	sent    atomic.Int64
	windows []*fanWindow
}

func newFanRun(windows int, rate float64, load time.Duration) *fanRun {
	r := &fanRun{rate: rate, load: load, sentAt: make([]atomic.Int64, int(rate*load.Seconds())+2)}
	for range windows {
		r.windows = append(r.windows, &fanWindow{got: make([]bool, len(r.sentAt)), last: -1})
	}
	return r
}

// fanWindow is one window's socket: what it received and when.
type fanWindow struct {
	mu       sync.Mutex
	got      []bool
	lat      []time.Duration
	count    int
	last     int64 // the last seq received, -1 before the hello
	slow     int
	frames   int
	messages int // WebSocket messages: a message may hold several frames
}

// benchFrame is what the benchmark reads of a frame: its seq, type and the message's text.
type benchFrame struct {
	Seq  int64  `json:"seq"`
	Type string `json:"type"`
	Data struct {
		Text string `json:"text"`
	} `json:"data"`
}

const benchMarker = "bench "

// read takes messages from conn until it fails, noting each message of the run it sees first.
// A message is one frame or, as the hub sends events that are ready together, an array of them,
// decoded in one pass as a browser's JSON.parse does. sample (when not nil) is given the first
// WebSocket message holding the run's message.created frame, as it came, for the bare server.
func (w *fanWindow) read(ctx context.Context, conn *websocket.Conn, r *fanRun, sample *atomic.Pointer[[]byte]) error {
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			return err
		}
		now := time.Now()
		frames, err := benchFrames(data)
		if err != nil {
			return fmt.Errorf("message %q: %w", data, err)
		}
		w.mu.Lock()
		w.messages++
		for _, fr := range frames {
			switch {
			case fr.Type == "hello":
				if w.last < 0 {
					w.last = fr.Seq
				}
			case fr.Seq > 0:
				w.last, w.frames = fr.Seq, w.frames+1
			}
			i, ok := r.index(fr)
			if ok && !w.got[i] {
				w.got[i], w.count = true, w.count+1
				w.lat = append(w.lat, now.Sub(time.Unix(0, r.sentAt[i].Load())))
			}
		}
		w.mu.Unlock()
		if sample != nil && sample.Load() == nil {
			if err := keepSample(data, r, sample); err != nil {
				return err
			}
		}
	}
}

// keepSample gives sample the WebSocket message data as it came (one frame, or the array of
// frames the hub sends together: a message's message.created with its chat.updated) if it holds
// the run's message.created frame. The bare server sends the same message, so both halves put
// the same bytes on the wire and their clients decode the same frames.
func keepSample(data []byte, r *fanRun, sample *atomic.Pointer[[]byte]) error {
	frames, err := benchFrames(data)
	if err != nil {
		return err
	}
	for _, fr := range frames {
		if _, ok := r.index(fr); ok {
			kept := bytes.Clone(data)
			sample.CompareAndSwap(nil, &kept)
			return nil
		}
	}
	return nil
}

// benchFrames decodes a WebSocket message of the hub's: one frame or an array of them, in one
// pass as a browser's JSON.parse does.
func benchFrames(data []byte) ([]benchFrame, error) {
	if len(data) > 0 && data[0] == '[' {
		var frames []benchFrame
		return frames, json.Unmarshal(data, &frames)
	}
	frames := make([]benchFrame, 1)
	return frames, json.Unmarshal(data, &frames[0])
}

// index is the number of the run's message a frame carries.
func (r *fanRun) index(fr benchFrame) (int, bool) {
	if fr.Type != "message.created" || !strings.HasPrefix(fr.Data.Text, benchMarker) {
		return 0, false
	}
	i, err := strconv.Atoi(strings.TrimPrefix(fr.Data.Text, benchMarker))
	if err != nil || i < 0 || i >= len(r.sentAt) || r.sentAt[i].Load() == 0 {
		return 0, false
	}
	return i, true
}

// send calls fn for each message at the run's rate for its load time, without waiting for one
// to finish before the next is due; fn returns false when the message was not accepted.
func (r *fanRun) send(ctx context.Context, fn func(i int) bool) {
	every := time.Duration(float64(time.Second) / r.rate)
	t := time.NewTicker(every)
	defer t.Stop()
	var wg sync.WaitGroup
	for i := 0; i < len(r.sentAt)-2 && ctx.Err() == nil; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.sentAt[i].Store(time.Now().UnixNano())
			if fn(i) {
				r.sent.Add(1)
			} else {
				r.sentAt[i].Store(0)
			}
		}()
		select {
		case <-ctx.Done():
		case <-t.C:
		}
	}
	wg.Wait()
}

// settle waits until every window has every accepted message, or the grace period is over.
func (r *fanRun) settle(ctx context.Context) {
	deadline := time.Now().Add(replayGrace)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		all := true
		for _, w := range r.windows {
			w.mu.Lock()
			all = all && w.count >= int(r.sent.Load())
			w.mu.Unlock()
		}
		if all {
			return
		}
		time.Sleep(20 * time.Millisecond) // a benchmark's poll, not a test's wait
	}
}

func (r *fanRun) latencies() []time.Duration {
	var all []time.Duration
	for _, w := range r.windows {
		w.mu.Lock()
		all = append(all, w.lat...)
		w.mu.Unlock()
	}
	slices.Sort(all)
	return all
}

// pct is the p-th percentile of the latencies of delivered frames (0 when none).
func (r *fanRun) pct(p int) time.Duration {
	all := r.latencies()
	if len(all) == 0 {
		return 0
	}
	return all[min(len(all)-1, len(all)*p/100)]
}

// delivered is the percentage of (window, accepted message) pairs that arrived.
func (r *fanRun) delivered() float64 {
	want := float64(len(r.windows)) * float64(r.sent.Load())
	if want == 0 {
		return 0
	}
	return 100 * float64(len(r.latencies())) / want
}

// sum adds up a count over the windows.
func (r *fanRun) sum(count func(w *fanWindow) int) int {
	n := 0
	for _, w := range r.windows {
		w.mu.Lock()
		n += count(w)
		w.mu.Unlock()
	}
	return n
}

func (r *fanRun) slowCloses() int { return r.sum(func(w *fanWindow) int { return w.slow }) }

func (r *fanRun) String() string {
	frames := r.sum(func(w *fanWindow) int { return w.frames })
	messages := r.sum(func(w *fanWindow) int { return w.messages })
	return fmt.Sprintf("%d messages accepted, %d frames (%.0f/s) in %d WebSocket messages, p50 %.1f ms, p99 %.1f ms, delivered %.2f%%, slow closes %d",
		r.sent.Load(), frames, float64(frames)/r.load.Seconds(), messages, ms(r.pct(50)), ms(r.pct(99)), r.delivered(), r.slowCloses())
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// viaHub runs the measurement against the hub: every window on its own socket (reconnecting
// with since after a "too slow" close), messages as signed webhooks. It returns a WebSocket
// message holding the run's message.created as the hub sent it, for the bare server to send.
func (r *fanRun) viaHub(ctx context.Context, b *benchHub, sessions []string) ([]byte, error) {
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	var sample atomic.Pointer[[]byte]
	errs := make(chan error, len(sessions))
	opened := make(chan struct{}, len(sessions))
	for i, w := range r.windows {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- w.hubSocket(wctx, b, sessions[i], r, opened, &sample)
		}()
	}
	for range sessions { // every window is open before the first message
		select {
		case <-opened:
		case err := <-errs:
			return nil, err
		}
	}
	r.send(ctx, func(i int) bool {
		return b.postWebhook(ctx, b.webhookBody(i, fmt.Sprintf("%s%d", benchMarker, i))) == nil
	})
	r.settle(ctx)
	stop()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if p := sample.Load(); p != nil {
		return *p, nil
	}
	return nil, errors.New("bench fanout: no message reached any window")
}

// hubSocket keeps one window's socket open until ctx ends: a socket closed as too slow is
// counted and reopened with since, as the chat window does.
func (w *fanWindow) hubSocket(ctx context.Context, b *benchHub, session string, r *fanRun, opened chan<- struct{}, sample *atomic.Pointer[[]byte]) error {
	first := true
	for ctx.Err() == nil {
		ticket, err := b.ticket(ctx, session)
		if err != nil {
			return ignoreDone(ctx, err)
		}
		w.mu.Lock()
		since := w.last
		w.mu.Unlock()
		conn, _, err := websocket.Dial(ctx, b.socketURL(ticket, since), nil)
		if err != nil {
			return ignoreDone(ctx, err)
		}
		conn.SetReadLimit(1 << 20)
		if first {
			opened <- struct{}{}
			first = false
		}
		err = w.read(ctx, conn, r, sample)
		conn.CloseNow()
		if websocket.CloseStatus(err) != websocket.StatusTryAgainLater {
			return ignoreDone(ctx, err)
		}
		w.mu.Lock()
		w.slow++
		w.mu.Unlock()
	}
	return nil
}

// ignoreDone drops the error of a socket that ended because the run did.
func ignoreDone(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// bareMessages returns, for the bare server, the run's i-th message made from sample (the hub's
// WebSocket message as it came: one frame or an array): the same frames with the i-th message's
// seqs and marker text.
func bareMessages(sample []byte) (func(i int) ([]byte, error), error) {
	array := len(sample) > 0 && sample[0] == '['
	var frames []map[string]any
	if array {
		if err := json.Unmarshal(sample, &frames); err != nil {
			return nil, fmt.Errorf("bench fanout: sample message: %w", err)
		}
	} else {
		frames = make([]map[string]any, 1)
		if err := json.Unmarshal(sample, &frames[0]); err != nil {
			return nil, fmt.Errorf("bench fanout: sample message: %w", err)
		}
	}
	var data map[string]any
	for _, f := range frames {
		if f["type"] == "message.created" {
			data, _ = f["data"].(map[string]any)
		}
	}
	if data == nil {
		return nil, errors.New("bench fanout: sample message has no message.created frame with data")
	}
	return func(i int) ([]byte, error) {
		for j, f := range frames {
			f["seq"] = i*len(frames) + j + 1
		}
		data["text"] = fmt.Sprintf("%s%d", benchMarker, i)
		if array {
			return json.Marshal(frames)
		}
		return json.Marshal(frames[0])
	}, nil
}

// viaBare runs the measurement against a bare coder/websocket server on a loopback port: each
// socket has a queue and a writer, each message is the hub's sample message (its frames with this
// message's seqs and text) written to every socket; nothing is read from a database and nothing is decided per socket.
func (r *fanRun) viaBare(ctx context.Context, sample []byte) error {
	var mu sync.Mutex
	queues := map[chan []byte]struct{}{}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		conn, err := websocket.Accept(w, req, nil)
		if err != nil {
			return
		}
		defer conn.CloseNow()
		q := make(chan []byte, 256)
		mu.Lock()
		queues[q] = struct{}{}
		mu.Unlock()
		defer func() {
			mu.Lock()
			delete(queues, q)
			mu.Unlock()
		}()
		ctx := conn.CloseRead(req.Context())
		for {
			select {
			case <-ctx.Done():
				return
			case frame := <-q:
				if conn.Write(ctx, websocket.MessageText, frame) != nil {
					return
				}
			}
		}
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go srv.Serve(ln)
	defer srv.Close()
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	for _, w := range r.windows {
		conn, _, err := websocket.Dial(ctx, "ws://"+ln.Addr().String()+"/", nil)
		if err != nil {
			return err
		}
		conn.SetReadLimit(1 << 20)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.CloseNow()
			w.read(wctx, conn, r, nil)
		}()
	}
	for { // the server has registered every socket before the first frame
		mu.Lock()
		n := len(queues)
		mu.Unlock()
		if n == len(r.windows) {
			break
		}
		time.Sleep(5 * time.Millisecond) // a benchmark's poll, not a test's wait
	}
	next, err := bareMessages(sample)
	if err != nil {
		return err
	}
	r.send(ctx, func(i int) bool {
		mu.Lock() // messages are sent from their own goroutines; the sample's frames are shared
		defer mu.Unlock()
		b, err := next(i)
		if err != nil {
			return false
		}
		for q := range queues {
			select {
			case q <- b:
			default: // a full queue loses the frame, which shows as not delivered
			}
		}
		return true
	})
	r.settle(ctx)
	stop()
	wg.Wait()
	return nil
}
