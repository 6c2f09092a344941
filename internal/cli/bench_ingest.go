package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/switchboardhq/switchboard/internal/store"
)

// benchIngest drives signed WhatsApp webhooks through the real endpoint from many concurrent
// senders for --duration, counts a webhook once the inbound worker has processed it (message
// and event committed), and compares the rate with the engine's raw single-row commit rate
// measured on the same hub's database just before.
func benchIngest(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	f := newBenchFlags("ingest", getenv)
	senders := f.fs.Int("senders", 16, "concurrent webhook senders")
	cpuProfile := f.fs.String("cpuprofile", "", "write a CPU profile of the load and the drain to this file (go tool pprof)")
	if err := f.parse(args); err != nil {
		return err
	}
	if *senders < 1 || *senders > 256 {
		return fmt.Errorf("bench ingest: --senders %d: want 1 to 256", *senders)
	}
	b, err := startBenchHub(ctx, f.databaseURL)
	if err != nil {
		return err
	}
	defer b.Close()
	fmt.Fprintf(stdout, "bench ingest: %s, %d senders, %s of load\n", f.engine, *senders, f.duration)

	// The raw limit: a row the size of a webhook body, one per transaction, one connection.
	sample := b.webhookBody(0, "Сообщение номер 0")
	cpu0 := processCPU()
	raw, took, err := b.Store.CommitProbe(ctx, sample, max(f.duration/4, time.Second))
	if err != nil {
		return err
	}
	rawCPU := processCPU() - cpu0
	rawRate := float64(raw) / took.Seconds()
	fmt.Fprintf(stdout, "  raw: %d single-row commits of %d bytes in %s\n", raw, len(sample), took.Round(time.Millisecond))

	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	cpu0 = processCPU()
	var sent, refused atomic.Int64
	var firstErr error
	var errOnce sync.Once
	start := time.Now()
	stopAt := start.Add(f.duration)
	var wg sync.WaitGroup
	for range *senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stopAt) && ctx.Err() == nil {
				i := int(sent.Add(1))
				if err := b.postWebhook(ctx, b.webhookBody(i, fmt.Sprintf("Сообщение номер %d", i))); err != nil {
					sent.Add(-1)
					refused.Add(1)
					errOnce.Do(func() { firstErr = err })
				}
			}
		}()
	}
	wg.Wait()
	acked := int(sent.Load())
	// The worker drains what was acknowledged; it is given as long again as the load lasted.
	var tally store.WebhookTally
	end := time.Now()
	for deadline := end.Add(f.duration); ; {
		t, err := b.Store.TallyWebhooks(ctx, b.conn.ID)
		if err != nil {
			return err
		}
		tally, end = t, time.Now()
		if t.Waiting == 0 || end.After(deadline) || ctx.Err() != nil {
			break
		}
		time.Sleep(20 * time.Millisecond) // a benchmark's poll, not a test's wait
	}
	elapsed := end.Sub(start)
	loadCPU := processCPU() - cpu0
	rate := float64(tally.Processed) / elapsed.Seconds()
	fmt.Fprintf(stdout, "  hub: %d webhooks acknowledged, %d stored end to end in %s, %d given up, %d left waiting, %d refused\n",
		acked, tally.Processed, elapsed.Round(time.Millisecond), tally.GivenUp, tally.Waiting, refused.Load())
	// CPU time per operation is steadier than a rate on a shared machine (a busy one stretches
	// the wall clock of both, not the work). PostgreSQL's own processes are not in it.
	if raw > 0 && tally.Processed > 0 {
		fmt.Fprintf(stdout, "  cpu of this process: %.0f µs per raw commit, %.0f µs per webhook stored end to end (hub and senders)\n",
			float64(rawCPU.Microseconds())/float64(raw), float64(loadCPU.Microseconds())/float64(tally.Processed))
	}
	if firstErr != nil {
		fmt.Fprintf(stdout, "  first refusal: %v\n", firstErr)
	}
	fmt.Fprintf(stdout, "ingest %s: %.0f/s stored end to end, raw single-row commits %.0f/s, ratio %.2f\n",
		f.engine, rate, rawRate, rate/rawRate)
	return nil
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// startCPUProfile profiles this process (the hub and the load generator both) into path until
// stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// decodeJSON reads a JSON answer of the wanted status into out.
func decodeJSON(resp *http.Response, want int, out any) error {
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	if err := json.Unmarshal(body, out); err != nil {
		return errors.New("answer is not JSON: " + err.Error())
	}
	return nil
}
