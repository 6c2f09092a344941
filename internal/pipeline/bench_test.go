package pipeline_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel/waba"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/pipeline"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// BenchmarkInboundWebhooks measures inbound WhatsApp webhooks per second, end to end: signature
// check, route check, raw body stored, acknowledged, then parsed, deduplicated and saved with
// its contact, chat and event by the worker. 200 customers write in turn.
//
//	go test ./internal/pipeline -run '^$' -bench InboundWebhooks -benchtime 3s
func BenchmarkInboundWebhooks(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchInbound(b, storetest.OpenSQLite(b)) })
	if base := os.Getenv(storetest.PostgresEnv); base != "" {
		b.Run("postgres", func(b *testing.B) { benchInbound(b, storetest.OpenPostgres(b, base)) })
	}
}

// BenchmarkInboundWorker measures the inbound worker alone: b.N webhooks like those above are
// stored first, untimed, and then drained. Besides the rate it reports the process's CPU time
// per webhook, which a busy machine distorts less than the wall clock (on PostgreSQL the
// server's own CPU is not in it).
//
//	go test ./internal/pipeline -run '^$' -bench InboundWorker -benchtime 2000x
func BenchmarkInboundWorker(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchWorker(b, storetest.OpenSQLite(b)) })
	if base := os.Getenv(storetest.PostgresEnv); base != "" {
		b.Run("postgres", func(b *testing.B) { benchWorker(b, storetest.OpenPostgres(b, base)) })
	}
}

func benchWorker(b *testing.B, st *store.Store) {
	ctx := context.Background()
	conn, in, bodies := benchSetup(b, st)
	for _, body := range bodies {
		_, err := st.SaveWebhook(ctx, store.RawWebhook{WorkspaceID: conn.WorkspaceID, ConnectionID: conn.ID,
			Source: "waba", Body: []byte(body)})
		must(b, err)
	}
	cpu0 := cpuTime()
	b.ResetTimer()
	start := time.Now()
	for in.Drain(ctx) > 0 {
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "webhooks/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/webhook")
	b.StopTimer()
	if left, err := st.PendingWebhooks(ctx, 1); err != nil || len(left) != 0 {
		b.Fatalf("%d webhooks left unprocessed (%v)", len(left), err)
	}
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchSetup makes a workspace with a WhatsApp connection, the worker, and b.N webhook bodies
// from 200 customers writing in turn.
func benchSetup(b *testing.B, st *store.Store) (hub.Connection, *pipeline.Inbound, []string) {
	ctx := context.Background()
	ws, err := st.CreateWorkspace(ctx, hub.Workspace{Name: "Bench", CRMKind: "amocrm", CRMAccountID: 77, Country: "RU"})
	must(b, err)
	conn, err := st.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "WA", ExternalID: "PNB",
		Secrets: map[string]string{waba.SecretAppSecret: "bench-secret"}})
	must(b, err)
	files, err := media.NewLocal(b.TempDir())
	must(b, err)
	in := &pipeline.Inbound{Store: st, Media: files, Adapters: &pipeline.Adapters{}}
	bodies := make([]string, b.N)
	for i := range bodies {
		wa := fmt.Sprintf("7916%07d", i%200)
		bodies[i] = fmt.Sprintf(`{"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{`+
			`"messaging_product":"whatsapp","metadata":{"phone_number_id":"PNB"},"contacts":[{"profile":{"name":"Клиент %d"},"wa_id":"%s"}],`+
			`"messages":[{"from":"%s","id":"wamid.B%d","timestamp":"%d","type":"text","text":{"body":"Сообщение номер %d"}}]}}]}]}`,
			i%200, wa, wa, i, time.Now().Unix(), i)
	}
	return conn, in, bodies
}

func benchInbound(b *testing.B, st *store.Store) {
	ctx := context.Background()
	conn, in, bodies := benchSetup(b, st)
	mux := http.NewServeMux()
	(&pipeline.Hooks{Store: st, Wake: make(chan struct{}, 1)}).Mount(mux)
	b.ResetTimer()
	start := time.Now()
	for i, body := range bodies {
		req := httptest.NewRequest("POST", "/hooks/waba/"+conn.ID, strings.NewReader(body))
		req.Header.Set(waba.SignatureHeader, waba.Sign("bench-secret", []byte(body)))
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("webhook %d: %d %s", i, rec.Code, rec.Body)
		}
		if i%50 == 49 {
			for in.Drain(ctx) > 0 {
			}
		}
	}
	for in.Drain(ctx) > 0 {
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "webhooks/s")
	b.StopTimer()
	if left, err := st.PendingWebhooks(ctx, 1); err != nil || len(left) != 0 {
		b.Fatalf("%d webhooks left unprocessed (%v)", len(left), err)
	}
}
