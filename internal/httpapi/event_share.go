package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"hash/maphash"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/messaging"
	"github.com/switchboardhq/switchboard/internal/store"
)

// The realtime feed hands every event to every socket of its workspace. What a socket shows
// of an event is decided and rendered here once per event for all of them: the reads (the
// chat, its contact and CRM links, the connection names) happen once, the frame's data is
// rendered once per language (per employee only where the data carries signed file links),
// and a socket's own work is an in-memory access check and a write of shared bytes (issue 15).

// sharedSlots bounds the events whose reads and renderings are kept: a few times the feed's
// queue, so a socket that is behind still finds what the others read.
const sharedSlots = 1024

// sharedEvents keeps the recent events' shared parts, one slot per (workspace, seq) by hash; a
// newer event taking a slot just means the older one is read again if someone still needs it.
type sharedEvents struct {
	mu    sync.Mutex
	slots [sharedSlots]sharedSlot
}

type sharedSlot struct {
	ws  string
	seq int64
	e   *sharedEvent
}

var sharedSeed = maphash.MakeSeed()

func (c *sharedEvents) get(ws string, seq int64) *sharedEvent {
	i := (maphash.String(sharedSeed, ws) + uint64(seq)) % sharedSlots
	c.mu.Lock()
	defer c.mu.Unlock()
	sl := &c.slots[i]
	if sl.e == nil || sl.ws != ws || sl.seq != seq {
		*sl = sharedSlot{ws: ws, seq: seq, e: &sharedEvent{}}
	}
	return sl.e
}

// sharedEvent is one event as its workspace's sockets share it. Its lock is held while the
// first socket reads and renders, so the others wait for that instead of reading again.
type sharedEvent struct {
	mu       sync.Mutex
	loadedAt time.Time // zero until read
	subject  eventSubject
	frames   map[string]json.RawMessage // rendered data by renderKey
}

// audience is who may see an event.
type audience int

const (
	nobody       audience = iota // unreadable, deleted since, or a type this version does not show
	everyone                     // every employee of the workspace
	oneself                      // only the employee it is about
	chatSeers                    // who may see its chat (Access against the contact's links)
	contactSeers                 // who may see its contact
)

// eventSubject is what deciding and rendering one event needs, read once.
type eventSubject struct {
	audience audience
	employee string           // oneself: who
	chat     hub.Chat         // chatSeers: the chat as stored when read
	links    hub.ContactLinks // chatSeers, contactSeers: the contact's CRM links
	// perEmployee: the data carries links signed for the employee (attachments).
	perEmployee bool
	// needsConns: rendering shows connection names.
	needsConns bool
	render     func(v view) any
}

// sees is the access decision for one socket, in memory: the rule of messaging.VisibleChat and
// VisibleContact on what was read once.
func (sub *eventSubject) sees(a hub.Access, employeeID string) bool {
	switch sub.audience {
	case everyone:
		return true
	case oneself:
		return sub.employee == employeeID
	case chatSeers:
		return messaging.SeesChat(a, sub.chat, sub.links)
	case contactSeers:
		return a.Contact(sub.links)
	}
	return false
}

// sharedFrame returns the event's data for one socket's caller, or ok=false when they may not see it.
// What was read is trusted for callerTTL, as the caller's rights are: a reconnect replaying an
// older event reads it again.
func (s *Server) sharedFrame(ctx context.Context, a hub.Access, caller Caller, e hub.Event) (json.RawMessage, bool, error) {
	sh := s.shared.get(e.WorkspaceID, e.Seq)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if !sh.fresh() {
		// Usually done already (PrepareEvents). Reading takes a large stack frame, which a
		// socket's short-lived goroutine would grow its stack for on every event if
		// loadShared were entered only to find there is nothing to read.
		if err := s.loadShared(ctx, sh, e, &subjectReads{s: s}); err != nil {
			return nil, false, err
		}
	}
	if !sh.subject.sees(a, caller.Employee.ID) {
		return nil, false, nil
	}
	key := caller.Employee.Lang
	if sh.subject.perEmployee {
		key += "/" + caller.Employee.ID
	}
	if data, ok := sh.frames[key]; ok {
		return data, true, nil
	}
	ctx = withCaller(ctx, caller)
	v := s.bareView(ctx)
	if sh.subject.needsConns {
		var err error
		if v, err = s.viewFor(ctx); err != nil {
			return nil, false, err
		}
	}
	data, err := json.Marshal(sh.subject.render(v))
	if err != nil {
		return nil, false, err
	}
	sh.frames[key] = data
	return data, true, nil
}

// fresh says whether what sh holds was read within callerTTL; sh.mu is held.
func (sh *sharedEvent) fresh() bool {
	return !sh.loadedAt.IsZero() && time.Since(sh.loadedAt) <= callerTTL
}

// loadShared reads what sh needs of e; sh.mu is held. A failed read is not kept: the next
// socket tries again.
func (s *Server) loadShared(ctx context.Context, sh *sharedEvent, e hub.Event, reads *subjectReads) error {
	sub, err := s.readSubject(ctx, e, reads)
	if err != nil {
		return err
	}
	sh.subject, sh.loadedAt, sh.frames = sub, time.Now(), map[string]json.RawMessage{}
	return nil
}

// PrepareEvents reads what deciding and rendering each event needs before the feed offers it to
// the workspace's sockets (events.Fanout.PrepareWith), so none of them reads it while the others
// wait on its lock. A failed read is left to the sockets, which read again and report it.
func (s *Server) PrepareEvents(ctx context.Context, evs []hub.Event) {
	reads := &subjectReads{s: s, chats: map[string]chatRow{}, contacts: map[string]contactRow{}}
	for _, e := range evs {
		sh := s.shared.get(e.WorkspaceID, e.Seq)
		sh.mu.Lock()
		if !sh.fresh() {
			s.loadShared(ctx, sh, e, reads)
		}
		sh.mu.Unlock()
	}
}

// subjectReads reads the chats and contacts that events are about. Given maps (one batch of a
// feed, PrepareEvents), it reads each row once for the batch: a message's message.created and
// its chat's chat.updated are committed together and need the same chat, contact and links,
// read at the same moment either way. Without them every call reads (a socket's own read).
type subjectReads struct {
	s        *Server
	chats    map[string]chatRow
	contacts map[string]contactRow
}

type chatRow struct {
	chat hub.Chat
	err  error
}

type contactRow struct {
	contact hub.Contact
	links   hub.ContactLinks
	err     error
}

func (r *subjectReads) chat(ctx context.Context, ws, id string) (hub.Chat, error) {
	if row, ok := r.chats[id]; ok {
		return row.chat, row.err
	}
	chat, err := r.s.Store.Chat(ctx, ws, id)
	if r.chats != nil {
		r.chats[id] = chatRow{chat, err}
	}
	return chat, err
}

func (r *subjectReads) contact(ctx context.Context, ws, id string) (hub.Contact, hub.ContactLinks, error) {
	if row, ok := r.contacts[id]; ok {
		return row.contact, row.links, row.err
	}
	contact, err := r.s.Store.Contact(ctx, ws, id)
	var links hub.ContactLinks
	if err == nil {
		links, err = r.s.Store.ContactLinks(ctx, ws, id)
	}
	if r.contacts != nil {
		r.contacts[id] = contactRow{contact, links, err}
	}
	return contact, links, err
}

// readSubject decodes e and reads what deciding and rendering it needs, for any employee.
func (s *Server) readSubject(ctx context.Context, e hub.Event, reads *subjectReads) (eventSubject, error) {
	var sub eventSubject
	switch e.Type {
	case hub.EventEmployeeUpdated:
		var who struct{ ID, Lang, Role string }
		if !decodeEvent(e, &who) {
			return sub, nil
		}
		data := map[string]string{"lang": who.Lang, "role": who.Role}
		// another employee's language is theirs alone
		sub.audience, sub.employee, sub.render = oneself, who.ID, func(view) any { return data }
	case hub.EventMessageCreated, hub.EventMessageUpdated:
		var m hub.Message
		if !decodeEvent(e, &m) || m.Hidden {
			return sub, nil
		}
		sub.perEmployee = len(m.Attachments) > 0
		sub.render = func(v view) any { return v.message(m) }
		return sub, readChat(ctx, e, &sub, nil, reads)
	case hub.EventChatUpdated:
		var c hub.Chat
		if !decodeEvent(e, &c) {
			return sub, nil
		}
		var contact *hub.Contact
		sub.perEmployee = c.LastMessage != nil && len(c.LastMessage.Attachments) > 0
		sub.needsConns = true
		sub.render = func(v view) any { return v.chat(c, contact) }
		return sub, readChat(ctx, e, &sub, &contact, reads)
	case hub.EventContactUpdated:
		var c hub.Contact
		if !decodeEvent(e, &c) {
			return sub, nil
		}
		sub.render = func(v view) any { return v.contact(c) }
		return sub, readContact(ctx, e.WorkspaceID, e.ContactID, &sub, nil, reads)
	case hub.EventSubscriptionUpdated:
		var subscription hub.Subscription
		if !decodeEvent(e, &subscription) {
			return sub, nil
		}
		data := renderSubscription(subscription, s.now()) // every employee's sends depend on it
		sub.audience, sub.render = everyone, func(view) any { return data }
	case hub.EventConnectionUpdated:
		var ref struct{ ID string }
		if !decodeEvent(e, &ref) {
			return sub, nil
		}
		// Every employee may list the connections; the frame shows one as it is now.
		c, err := s.Store.Connection(ctx, e.WorkspaceID, ref.ID)
		if errors.Is(err, store.ErrNotFound) {
			return sub, nil // deleted since
		} else if err != nil {
			return sub, err
		}
		items, err := s.renderConnections(ctx, e.WorkspaceID, []hub.Connection{c})
		if err != nil {
			return sub, err
		}
		sub.audience, sub.render = everyone, func(view) any { return items[0] }
	}
	return sub, nil // nobody, unless set above: a type this version does not show
}

// readChat reads the event's chat as it is now, and its contact and links; a chat or contact
// deleted since is shown to nobody (a GET would answer not_found). into, when given, receives
// the contact for rendering.
func readChat(ctx context.Context, e hub.Event, sub *eventSubject, into **hub.Contact, reads *subjectReads) error {
	chat, err := reads.chat(ctx, e.WorkspaceID, e.ChatID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if chat.ContactID == "" {
		sub.audience, sub.chat = chatSeers, chat
		return nil
	}
	if err := readContact(ctx, e.WorkspaceID, chat.ContactID, sub, into, reads); err != nil || sub.audience == nobody {
		return err
	}
	sub.audience, sub.chat = chatSeers, chat
	return nil
}

// readContact reads whether a contact still exists and its CRM links.
func readContact(ctx context.Context, ws, id string, sub *eventSubject, into **hub.Contact, reads *subjectReads) error {
	contact, links, err := reads.contact(ctx, ws, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	sub.links = links
	if into != nil {
		*into = &contact
	}
	sub.audience = contactSeers
	return nil
}
