package store

import (
	"context"
	"fmt"
	"time"
)

// ClaimLease gives owner the named lease until `until` when nobody holds it, owner holds it
// already (a renewal), or its holder's lease ran out by now. It reports whether owner holds it.
// One statement, so two instances claiming together cannot both win.
func (s *Store) ClaimLease(ctx context.Context, name, owner string, now, until time.Time) (bool, error) {
	res, err := s.w.ExecContext(ctx, `INSERT INTO leases (name, owner, lease_until) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
		WHERE leases.owner = excluded.owner OR leases.lease_until <= $4`, name, owner, until.UnixMilli(), now.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("store: claim lease %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseLease gives up owner's lease, so another instance may take it at once; a lease owner
// no longer holds is left alone.
func (s *Store) ReleaseLease(ctx context.Context, name, owner string) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM leases WHERE name = $1 AND owner = $2`, name, owner); err != nil {
		return fmt.Errorf("store: release lease %s: %w", name, err)
	}
	return nil
}
