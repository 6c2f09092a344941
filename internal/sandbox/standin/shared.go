package standin

import (
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"sync"
	"time"
)

// Store keeps the stand-ins' state where every sandbox instance on the database sees it, so
// each answers the same and a restart forgets nothing (store.Store; Memory for one process).
type Store interface {
	// UpdateSandboxState runs fn on the named document and saves the body it returns (nil:
	// unchanged), raising the version; instances take turns.
	UpdateSandboxState(ctx context.Context, name string, fn func(body []byte, version int64) ([]byte, error)) error
	PutSandboxFile(ctx context.Context, id, mime string, data []byte) error
	SandboxFile(ctx context.Context, id string) (mime string, data []byte, err error)
}

// Shared is a stand-in's state T, kept as one JSON document in a Store. Lock takes it across
// instances (this process's mutex, then the document's lock), reloading it when another
// instance changed it; Changed marks it to be saved; Unlock saves it and lets the others in.
// A stand-in never keeps a pointer into T past Unlock: the next Lock may load a new copy.
type Shared[T any] struct {
	store Store
	name  string
	seed  func() *T

	mu       sync.Mutex
	v        *T
	version  int64
	loaded   bool
	changed  bool
	release  chan []byte // set while the document is locked
	finished chan error
}

// NewShared returns the state named name in st; seed makes it the first time.
func NewShared[T any](st Store, name string, seed func() *T) *Shared[T] {
	return &Shared[T]{store: st, name: name, seed: seed}
}

// turnTimeout bounds one turn at the state: reading it, the section, saving it.
const turnTimeout = 30 * time.Second

type lockedDoc struct {
	body    []byte
	version int64
}

// Lock takes the state. When the store cannot be reached the stand-in goes on with the copy it
// has (logged), and nothing is saved until it can be.
func (s *Shared[T]) Lock() *T {
	s.mu.Lock()
	got, release, finished := make(chan lockedDoc, 1), make(chan []byte), make(chan error, 1)
	go func() {
		// Sections are short (no call leaves the process under the lock); a database that
		// does not answer in time fails the turn rather than holding the stand-in.
		ctx, cancel := context.WithTimeout(context.Background(), turnTimeout)
		defer cancel()
		finished <- s.store.UpdateSandboxState(ctx, s.name, func(body []byte, version int64) ([]byte, error) {
			got <- lockedDoc{body, version}
			return <-release, nil
		})
	}()
	select {
	case d := <-got:
		s.release, s.finished = release, finished
		if !s.loaded || d.version != s.version {
			s.load(d)
		}
	case err := <-finished:
		slog.Error("sandbox: stand-in state unavailable", "state", s.name, "err", err)
		s.loaded = false
		if s.v == nil {
			s.v = s.seed()
		}
	}
	return s.v
}

func (s *Shared[T]) load(d lockedDoc) {
	s.version, s.loaded = d.version, true
	if len(d.body) > 0 {
		v := new(T)
		err := json.Unmarshal(d.body, v)
		if err == nil {
			s.v = v
			return
		}
		slog.Error("sandbox: stand-in state unreadable, starting afresh", "state", s.name, "err", err)
	}
	s.v, s.changed = s.seed(), true
}

// Changed marks the state to be saved at Unlock.
func (s *Shared[T]) Changed() { s.changed = true }

// Unlock saves a changed state and releases it.
func (s *Shared[T]) Unlock() {
	if s.release != nil {
		var out []byte
		if s.changed {
			var err error
			if out, err = json.Marshal(s.v); err != nil {
				slog.Error("sandbox: stand-in state not saved", "state", s.name, "err", err)
				out = nil
			}
		}
		s.release <- out
		if err := <-s.finished; err != nil {
			slog.Error("sandbox: stand-in state not saved", "state", s.name, "err", err)
			s.loaded = false
		} else if out != nil {
			s.version++
		}
		s.release, s.finished = nil, nil
	}
	s.changed = false
	s.mu.Unlock()
}

// Memory is a Store in this process's memory: for the stand-ins of one hub that need not
// outlive it (tests).
type Memory struct {
	turns sync.Map // a *sync.Mutex by document: callers take turns, as with the database
	mu    sync.Mutex
	docs  map[string]lockedDoc
	files map[string]memFile
}

type memFile struct {
	mime string
	data []byte
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory {
	return &Memory{docs: map[string]lockedDoc{}, files: map[string]memFile{}}
}

// UpdateSandboxState implements Store.
func (m *Memory) UpdateSandboxState(ctx context.Context, name string, fn func(body []byte, version int64) ([]byte, error)) error {
	turn, _ := m.turns.LoadOrStore(name, new(sync.Mutex))
	turn.(*sync.Mutex).Lock()
	defer turn.(*sync.Mutex).Unlock()
	m.mu.Lock()
	d := m.docs[name]
	m.mu.Unlock()
	out, err := fn(d.body, d.version)
	if err != nil || out == nil {
		return err
	}
	m.mu.Lock()
	m.docs[name] = lockedDoc{out, d.version + 1}
	m.mu.Unlock()
	return nil
}

// PutSandboxFile implements Store.
func (m *Memory) PutSandboxFile(ctx context.Context, id, mime string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[id] = memFile{mime, data}
	return nil
}

// SandboxFile implements Store.
func (m *Memory) SandboxFile(ctx context.Context, id string) (string, []byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.files[id]
	if !ok {
		return "", nil, fs.ErrNotExist
	}
	return f.mime, f.data, nil
}
