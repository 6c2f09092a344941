// Package standin holds what the sandbox's stand-ins share: their state kept where every
// sandbox instance sees it (Shared), posting a webhook to the hub the way a provider does, and
// snapshotting their message logs.
package standin

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// Post sends a JSON webhook body with the given extra header (a signature or a secret token)
// and treats any non-2xx answer as a failed delivery, as providers do.
func Post(c *http.Client, url, header, value string, body []byte) error {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if value != "" {
		req.Header.Set(header, value)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("the hub answered %d: %s", resp.StatusCode, msg)
	}
	return nil
}

// Copies snapshots the kept items, so callers read them without the stand-in's lock.
func Copies[T any](items []*T, keep func(*T) bool) []T {
	var out []T
	for _, it := range items {
		if keep(it) {
			out = append(out, *it)
		}
	}
	return out
}

// Listed is Copies for a listing: body(item) is what an item keeps only for redelivery (the
// webhook as posted), which the copies leave out.
func Listed[T any](items []*T, keep func(*T) bool, body func(*T) *[]byte) []T {
	out := Copies(items, keep)
	for i := range out {
		*body(&out[i]) = nil
	}
	return out
}

// History is how many messages a stand-in keeps of each direction (for its pages and for
// redelivery), the newest: its state stays small enough to load on every call.
const History = 500

// Trim keeps the newest History items.
func Trim[T any](items []T) []T {
	if len(items) > History {
		return append(items[:0:0], items[len(items)-History:]...)
	}
	return items
}
