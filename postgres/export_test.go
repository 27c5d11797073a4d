package postgres

import "context"

// SynchronousCommit reports the setting of one of the store's sessions.
func SynchronousCommit(ctx context.Context, s *Store) string {
	var v string
	if err := s.pool.QueryRow(ctx, "SHOW synchronous_commit").Scan(&v); err != nil {
		return err.Error()
	}
	return v
}
