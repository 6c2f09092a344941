package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// socketsClientCmd is the hidden `bench` subcommand that holds the sockets of `bench sockets`
// in a process of its own, so the server's memory is measured without its clients'.
const socketsClientCmd = "sockets-client"

// benchClientEnv marks the client process; a test binary's TestMain runs the command for it.
const benchClientEnv = "SWITCHBOARD_BENCH_CLIENT"

// benchSockets opens n idle events sockets to the hub from a separate client process and
// reports (server RSS with them open − RSS before) / n; then the same for a bare
// coder/websocket server in this process that greets each socket and waits for it to close.
func benchSockets(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	f := newBenchFlags("sockets", getenv)
	n := f.fs.Int("n", 5000, "idle sockets")
	if err := f.parse(args); err != nil {
		return err
	}
	if *n < 1 || *n > 20000 {
		return fmt.Errorf("bench sockets: --n %d: want 1 to 20000", *n)
	}
	if _, err := residentKB(); err != nil {
		return fmt.Errorf("bench sockets: %w", err)
	}
	b, err := startBenchHub(ctx, f.databaseURL)
	if err != nil {
		return err
	}
	defer b.Close()
	emp, _, err := b.employee(ctx, 0, true)
	if err != nil {
		return err
	}
	urls := make([]string, *n)
	for i := range urls {
		// Straight into the store: n calls to the ticket endpoint would measure that instead.
		t := randomHex(32)
		if err := b.Store.CreateEventTicket(ctx, t, b.ws.ID, emp.ID, time.Now().Add(10*time.Minute)); err != nil {
			return err
		}
		urls[i] = b.socketURL(t, -1)
	}
	fmt.Fprintf(stdout, "bench sockets: %s, %d idle sockets from a client process\n", f.engine, *n)
	hubKB, err := holdSockets(ctx, urls)
	if err != nil {
		return fmt.Errorf("bench sockets: hub: %w", err)
	}
	fmt.Fprintf(stdout, "  hub: %s\n", hubKB)

	bare, err := bareIdleServer()
	if err != nil {
		return err
	}
	defer bare.Close()
	for i := range urls {
		urls[i] = "ws://" + bare.Addr + "/"
	}
	bareKB, err := holdSockets(ctx, urls)
	if err != nil {
		return fmt.Errorf("bench sockets: bare server: %w", err)
	}
	fmt.Fprintf(stdout, "  bare coder/websocket: %s\n", bareKB)
	fmt.Fprintf(stdout, "sockets: %d open, %.1f KB each, bare %.1f KB each\n", *n, hubKB.rss, bareKB.rss)
	return nil
}

// bareIdleServer is a coder/websocket server that sends each socket one hello frame and keeps
// it open until the client leaves: the least an events socket can cost.
func bareIdleServer() (*http.Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Addr: ln.Addr().String(), Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer conn.CloseNow()
		if conn.Write(r.Context(), websocket.MessageText, []byte(`{"type":"hello","seq":0}`)) != nil {
			return
		}
		<-conn.CloseRead(r.Context()).Done()
	})}
	go srv.Serve(ln)
	return srv, nil
}

// socketCost is the growth of this process's memory per open socket: resident memory, and of
// it the goroutine stacks and the heap in use.
type socketCost struct{ rss, stacks, heap float64 }

func (c socketCost) String() string {
	return fmt.Sprintf("%.1f KB per socket resident (goroutine stacks %.1f KB, heap %.1f KB)", c.rss, c.stacks, c.heap)
}

// holdSockets has a client process open every url and returns what each open socket costs this
// process once all are open.
func holdSockets(ctx context.Context, urls []string) (socketCost, error) {
	var c socketCost
	exe, err := os.Executable()
	if err != nil {
		return c, err
	}
	before, err := residentKB()
	if err != nil {
		return c, err
	}
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	cmd := exec.CommandContext(ctx, exe, "bench", socketsClientCmd)
	cmd.Env = append(os.Environ(), benchClientEnv+"=1")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return c, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return c, err
	}
	if err := cmd.Start(); err != nil {
		return c, err
	}
	defer cmd.Wait()
	defer in.Close() // the client closes its sockets and ends when its input does
	if _, err := io.WriteString(in, strings.Join(urls, "\n")+"\n\n"); err != nil {
		return c, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return c, fmt.Errorf("client process: %w", err)
	}
	var open int
	if _, err := fmt.Sscanf(line, "open %d", &open); err != nil || open != len(urls) {
		return c, fmt.Errorf("client process: %s", strings.TrimSpace(line))
	}
	after, err := residentKB()
	if err != nil {
		return c, err
	}
	runtime.ReadMemStats(&m1)
	n := float64(open)
	c.rss = float64(after-before) / n
	c.stacks = (float64(m1.StackInuse) - float64(m0.StackInuse)) / 1024 / n
	c.heap = (float64(m1.HeapInuse) - float64(m0.HeapInuse)) / 1024 / n
	return c, nil
}

// residentKB is this process's resident memory after a collection returned what it could.
func residentKB() (int64, error) {
	runtime.GC()
	debug.FreeOSMemory()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, errors.New("needs /proc/self/status (Linux) to read resident memory")
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, errors.New("no VmRSS in /proc/self/status")
}

// socketsClient is the client process: it reads socket URLs up to an empty line, opens them all
// (reading each one's first frame, so the server has finished greeting it), prints "open N",
// and holds them until its input ends.
func socketsClient(ctx context.Context, stdin io.Reader, stdout io.Writer) error {
	sc := bufio.NewScanner(stdin)
	var urls []string
	for sc.Scan() && sc.Text() != "" {
		urls = append(urls, sc.Text())
	}
	conns := make([]*websocket.Conn, len(urls))
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	next := make(chan int)
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				conn, err := openIdle(ctx, urls[i])
				mu.Lock()
				conns[i] = conn
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	for i := range urls {
		next <- i
	}
	close(next)
	wg.Wait()
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.CloseNow()
			}
		}
	}()
	if firstErr != nil {
		fmt.Fprintf(stdout, "failed: %v\n", firstErr)
		return firstErr
	}
	fmt.Fprintf(stdout, "open %d\n", len(conns))
	io.Copy(io.Discard, stdin) // until the parent closes it
	return nil
}

func openIdle(ctx context.Context, url string) (*websocket.Conn, error) {
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	conn, _, err := websocket.Dial(dctx, url, nil)
	if err != nil {
		return nil, err
	}
	if _, _, err := conn.Read(dctx); err != nil {
		conn.CloseNow()
		return nil, err
	}
	conn.CloseRead(ctx) // answers the server's pings from now on
	return conn, nil
}
