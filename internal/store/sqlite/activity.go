package sqlite

import (
	"context"
	"database/sql"
)

// query runs a fixed-text read on the read pool, prepared once.
func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	st, err := s.r.lists.get(ctx, q)
	if err != nil {
		return nil, s.readError(err, "data")
	}
	return st.QueryContext(ctx, args...)
}

// collect scans every row of a query with scan.
func collect[T any](s *Store, rows *sql.Rows, err error, what string, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, s.readError(err, what)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, s.readError(err, what)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, s.readError(err, what)
	}
	return out, nil
}

// count runs a count query.
func (s *Store) count(ctx context.Context, q string, args ...any) (int, error) {
	rows, err := s.query(ctx, q, args...)
	n, err := collect(s, rows, err, "count", func(r scanner) (int, error) {
		var n int
		return n, r.Scan(&n)
	})
	if err != nil || len(n) == 0 {
		return 0, err
	}
	return n[0], nil
}

// ownedApplication checks, inside a write, that an application belongs to
// the organization. Errors: ENotFound.
func (tx *wtx) ownedApplication(orgID, appID int64) error {
	var one int
	err := tx.conn.QueryRowContext(tx.ctx, `SELECT 1 FROM applications WHERE id = ? AND org_id = ?`, appID, orgID).Scan(&one)
	return notFound(err, "application")
}
