package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// CreateEventTicket records a one-use ticket for the employee's events socket, valid until
// expires. Expired tickets are swept on the way.
func (s *Store) CreateEventTicket(ctx context.Context, ticket, workspaceID, employeeID string, expires time.Time) error {
	return s.tx(ctx, func(q querier) error {
		if _, err := q.ExecContext(ctx, `DELETE FROM event_tickets WHERE expires_at < $1`, time.Now().UnixMilli()); err != nil {
			return fmt.Errorf("store: sweep tickets: %w", err)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO event_tickets (ticket_hash, workspace_id, employee_id, expires_at)
			VALUES ($1, $2, $3, $4)`, ticketHash(ticket), workspaceID, employeeID, expires.UnixMilli()); err != nil {
			return fmt.Errorf("store: create ticket: %w", err)
		}
		return nil
	})
}

// UseEventTicket consumes a ticket: it returns whose it was, or ErrNotFound when it is unknown,
// already used or expired at now. Deleting and reading in one statement makes a race between
// two instances end with exactly one winner.
func (s *Store) UseEventTicket(ctx context.Context, ticket string, now time.Time) (workspaceID, employeeID string, err error) {
	var expires int64
	err = s.w.QueryRowContext(ctx, `DELETE FROM event_tickets WHERE ticket_hash = $1
		RETURNING workspace_id, employee_id, expires_at`, ticketHash(ticket)).Scan(&workspaceID, &employeeID, &expires)
	if err != nil {
		return "", "", notFound(err)
	}
	if now.UnixMilli() >= expires {
		return "", "", ErrNotFound
	}
	return workspaceID, employeeID, nil
}

func ticketHash(ticket string) string {
	sum := sha256.Sum256([]byte(ticket))
	return hex.EncodeToString(sum[:])
}
