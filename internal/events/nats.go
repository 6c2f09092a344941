package events

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// subjectPrefix namespaces the news subjects: switchboard.events.<workspace id>, payload the
// seq in decimal.
const subjectPrefix = "switchboard.events."

// NATS shares "workspace W has events up to N" between instances on one database. It is
// at-most-once (core NATS); the hub's poll and the replay from the log cover what it drops.
type NATS struct {
	conn *nats.Conn
	sub  *nats.Subscription
}

var _ Broker = (*NATS)(nil)

// ConnectNATS connects to url and passes every instance's news (its own included, which is
// harmless) to notify. It reconnects by itself for as long as the process runs.
func ConnectNATS(url string, notify func(workspaceID string, seq int64)) (*NATS, error) {
	conn, err := nats.Connect(url, nats.Name("switchboard"), nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second), nats.Timeout(5*time.Second),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil { // nil when we closed it ourselves
				slog.Warn("events: NATS disconnected; relying on polling until it is back", "err", err)
			}
		}),
		nats.ReconnectHandler(func(*nats.Conn) { slog.Info("events: NATS reconnected") }))
	if err != nil {
		return nil, fmt.Errorf("events: connect to NATS at %s: %w", url, err)
	}
	sub, err := conn.Subscribe(subjectPrefix+"*", func(m *nats.Msg) {
		seq, err := strconv.ParseInt(string(m.Data), 10, 64)
		ws := strings.TrimPrefix(m.Subject, subjectPrefix)
		if err != nil || ws == "" {
			slog.Warn("events: ignoring malformed NATS message", "subject", m.Subject)
			return
		}
		notify(ws, seq)
	})
	if err == nil {
		err = conn.Flush() // the subscription is live on the server before we report ready
	}
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("events: subscribe on NATS: %w", err)
	}
	return &NATS{conn: conn, sub: sub}, nil
}

// Publish announces the workspace's new head. Errors are logged: other instances still find
// the events by polling.
func (n *NATS) Publish(workspaceID string, seq int64) {
	if err := n.conn.Publish(subjectPrefix+workspaceID, []byte(strconv.FormatInt(seq, 10))); err != nil {
		slog.Warn("events: NATS publish", "workspace", workspaceID, "err", err)
	}
}

// Close drains the subscription and closes the connection.
func (n *NATS) Close() error {
	return n.conn.Drain()
}
