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

// MatchesPlan is SQLite's EXPLAIN QUERY PLAN of the query a search of the workspace starts from
// when its matches are few, one line per step.
func MatchesPlan(ctx context.Context, s *Store, workspaceID, query string) ([]string, error) {
	args := []any{workspaceID}
	rows, err := s.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+s.matchesSQL(searchAlternatives(query, "RU"), &args), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}

// ReaderPragma reads a pragma's value on a connection of the store's reader pool.
func ReaderPragma(ctx context.Context, s *Store, name string) (int64, error) {
	var v int64
	err := s.r.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}

// QueryString reads one text value with the store's reader pool.
func QueryString(ctx context.Context, s *Store, query string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, query).Scan(&v)
	return v, err
}
