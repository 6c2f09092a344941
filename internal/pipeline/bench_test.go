package pipeline_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
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

func benchInbound(b *testing.B, st *store.Store) {
	ctx := context.Background()
	ws, err := st.CreateWorkspace(ctx, hub.Workspace{Name: "Bench", CRMKind: "amocrm", CRMAccountID: 77, Country: "RU"})
	must(b, err)
	conn, err := st.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "WA", ExternalID: "PNB",
		Secrets: map[string]string{waba.SecretAppSecret: "bench-secret"}})
	must(b, err)
	files, err := media.NewLocal(b.TempDir())
	must(b, err)
	mux := http.NewServeMux()
	(&pipeline.Hooks{Store: st, Wake: make(chan struct{}, 1)}).Mount(mux)
	in := &pipeline.Inbound{Store: st, Media: files, Adapters: &pipeline.Adapters{}}
	bodies := make([]string, b.N)
	for i := range bodies {
		wa := fmt.Sprintf("7916%07d", i%200)
		bodies[i] = fmt.Sprintf(`{"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{`+
			`"messaging_product":"whatsapp","metadata":{"phone_number_id":"PNB"},"contacts":[{"profile":{"name":"Клиент %d"},"wa_id":"%s"}],`+
			`"messages":[{"from":"%s","id":"wamid.B%d","timestamp":"%d","type":"text","text":{"body":"Сообщение номер %d"}}]}}]}]}`,
			i%200, wa, wa, i, time.Now().Unix(), i)
	}
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
