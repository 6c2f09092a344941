package storetest

import (
	"context"
	"strconv"
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	register("SandboxState", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		read := func() (string, int64) {
			var body string
			var ver int64
			must(t, s.UpdateSandboxState(ctx, "graph", func(b []byte, v int64) ([]byte, error) {
				body, ver = string(b), v
				return nil, nil
			}))
			return body, ver
		}
		body, ver := read()
		eq(t, "a new document is empty", body, "")
		eq(t, "at version 0", ver, int64(0))
		must(t, s.UpdateSandboxState(ctx, "graph", func([]byte, int64) ([]byte, error) { return []byte(`{"n":1}`), nil }))
		body, ver = read()
		eq(t, "saved", body, `{"n":1}`)
		eq(t, "version raised", ver, int64(1))
		other := "?"
		must(t, s.UpdateSandboxState(ctx, "botapi", func(b []byte, _ int64) ([]byte, error) { other = string(b); return nil, nil }))
		eq(t, "documents are apart", other, "")

		{
			// Callers take turns: concurrent increments are all kept.
			must(t, s.UpdateSandboxState(ctx, "count", func([]byte, int64) ([]byte, error) { return []byte("0"), nil }))
			var wg sync.WaitGroup
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 10 {
						must(t, s.UpdateSandboxState(ctx, "count", func(b []byte, _ int64) ([]byte, error) {
							n, err := strconv.Atoi(string(b))
							return []byte(strconv.Itoa(n + 1)), err
						}))
					}
				}()
			}
			wg.Wait()
			var n string
			must(t, s.UpdateSandboxState(ctx, "count", func(b []byte, _ int64) ([]byte, error) { n = string(b); return nil, nil }))
			eq(t, "every increment kept", n, "40")
		}

		_, _, err := s.SandboxFile(ctx, "f1")
		eq(t, "no file yet", err, store.ErrNotFound)
		data := []byte{0xff, 0xd8, 0, 1, 2, 'x'}
		must(t, s.PutSandboxFile(ctx, "f1", "image/jpeg", data))
		mime, got, err := s.SandboxFile(ctx, "f1")
		must(t, err)
		eq(t, "mime", mime, "image/jpeg")
		eq(t, "bytes", string(got), string(data))
	})
}
