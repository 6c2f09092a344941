package pipeline

// Queued is how many webhook rows wait for their group's commit: a test waits for it to know
// that requests have joined a queue, instead of waiting for time to pass.
func (h *Hooks) Queued() int {
	h.queue.mu.Lock()
	defer h.queue.mu.Unlock()
	return len(h.queue.waiting)
}

// HealthEvery is how often accepted webhooks refresh their connection's health.
const HealthEvery = healthEvery
