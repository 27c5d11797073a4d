package sqlite

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"
)

// TestEventCursorMigration checks migration 0120 on databases of the
// dispatched flag: the cursor lands below the first undispatched event, or
// on the last event when all were dispatched, or at 0 with none.
func TestEventCursorMigration(t *testing.T) {
	list, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	var cursorSQL string
	for _, m := range list {
		if m.version == 120 {
			cursorSQL = m.sql
		}
	}
	if cursorSQL == "" {
		t.Fatal("no migration 0120")
	}
	tests := []struct {
		name       string
		dispatched []int // the flag of events 1, 2, …
		want       int64
	}{
		{"no events", nil, 0},
		{"all dispatched", []int{1, 1, 1}, 3},
		{"pending after dispatched ones", []int{1, 1, 0, 0}, 2},
		{"none dispatched", []int{0, 0}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "intake.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			db.SetMaxOpenConns(1)
			ctx := t.Context()
			for _, m := range list {
				if m.version >= 120 {
					break
				}
				if _, err := db.ExecContext(ctx, m.sql); err != nil {
					t.Fatalf("migration %s: %v", m.name, err)
				}
			}
			for i, d := range tt.dispatched {
				_, err := db.ExecContext(ctx, `INSERT INTO events (id, org_id, name, job_id, stage_id, payload, created_at, dispatched)
					VALUES (?, 1, 'new_applicant', 0, 0, '{}', 0, ?)`, i+1, d)
				if err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.ExecContext(ctx, cursorSQL); err != nil {
				t.Fatalf("migration 0120: %v", err)
			}
			var got int64
			if err := db.QueryRowContext(ctx, `SELECT last_dispatched FROM event_cursor`).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("cursor = %d, want %d (%s)", got, tt.want, fmt.Sprint(tt.dispatched))
			}
		})
	}
}
