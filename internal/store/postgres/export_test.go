package postgres

import "context"

// Setting reports a setting of one of the store's sessions.
func Setting(ctx context.Context, s *Store, name string) string {
	var v string
	if err := s.pool.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&v); err != nil {
		return err.Error()
	}
	return v
}
