package pipeline_test

import (
	"context"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/pipeline"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// A customer's file is streamed from the provider into the media store: a 48 MB photo is
// stored whole while the fetch allocates far less than its size, and a file over the
// provider's download limit (Telegram's 20 MB) is refused with media_too_large, nothing kept.
func TestInboundMediaStreamed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		ctx := context.Background()
		big := &bigFiles{}
		in := &pipeline.Inbound{Store: st, Media: r.files, Adapters: &pipeline.Adapters{HTTP: &http.Client{Transport: big}}}

		big.size = 48 << 20
		r.whatsapp(r.sales, "+7 903 555 12 34", "image", "большое фото")
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for in.Drain(ctx) > 0 {
		}
		runtime.ReadMemStats(&after)
		_, ms := r.chatMessages(r.sales, "79035551234")
		if len(ms) != 1 || ms[0].Attachments[0].StorageKey == "" || ms[0].Attachments[0].Size != big.size {
			t.Fatalf("large photo not stored whole: %+v", ms)
		}
		if alloc := int64(after.TotalAlloc - before.TotalAlloc); alloc > big.size/4 {
			t.Errorf("fetching a %d MB file allocated %d MB: it was read into memory", big.size>>20, alloc>>20)
		}
		kept := storedFiles(t, r.files.Dir)

		big.size = 20<<20 + 1
		r.post("/sandbox/customers/send", map[string]any{"connection_id": r.bot.ID, "type": "image", "text": "огромное",
			"from": map[string]any{"telegram_user_id": 512340001, "name": "Анна Смирнова"}}, http.StatusAccepted)
		for in.Drain(ctx) > 0 {
		}
		_, ms = r.chatMessages(r.bot, "512340001")
		if len(ms) != 1 || ms[0].Attachments[0].StorageKey != "" || ms[0].Attachments[0].ErrorCode != pipeline.CodeMediaTooLarge {
			t.Fatalf("file over the limit: %+v, want refused %s", ms, pipeline.CodeMediaTooLarge)
		}
		if now := storedFiles(t, r.files.Dir); now != kept {
			t.Errorf("media folder holds %d files after the refusal, want %d: a part was kept", now, kept)
		}
		if left, err := st.PendingWebhooks(ctx, 10); err != nil || len(left) != 0 {
			t.Fatalf("webhooks not finished: %d %v", len(left), err)
		}
	})
}

// bigFiles answers the stand-ins' file downloads with a JPEG of size bytes made as it is read,
// so the test itself never holds the file.
type bigFiles struct{ size int64 }

func (b *bigFiles) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet || !strings.Contains(req.URL.Path, "/lookaside/") && !strings.Contains(req.URL.Path, "/file/bot") {
		return http.DefaultTransport.RoundTrip(req)
	}
	body := io.MultiReader(strings.NewReader("\xff\xd8\xff\xe0"), io.LimitReader(zeros{}, b.size-4))
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"image/jpeg"}},
		Body: io.NopCloser(body), ContentLength: -1, Request: req}, nil
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// storedFiles counts the files in the media folder, parts included.
func storedFiles(t *testing.T, dir string) int {
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	must(t, err)
	return n
}
