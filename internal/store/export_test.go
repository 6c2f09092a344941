package store

import "context"

// Unapply takes a migration back for a test of it: undo runs and the version is forgotten, so
// the next Migrate applies it again to the data the test left.
func Unapply(ctx context.Context, s *Store, version int, undo string) error {
	return s.tx(ctx, func(q querier) error {
		if _, err := q.ExecContext(ctx, undo); err != nil {
			return err
		}
		_, err := q.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = $1`, version)
		return err
	})
}
