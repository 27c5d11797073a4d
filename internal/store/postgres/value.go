package postgres

import (
	"encoding/json"
	"fmt"
	"time"
)

// toDB truncates a time to the millisecond, the precision every store
// keeps, so what is read back equals what SQLite would return.
func toDB(t time.Time) time.Time { return t.Truncate(time.Millisecond) }

// fromDB gives times read back in UTC whatever the session time zone.
func fromDB(t time.Time) time.Time { return t.UTC() }

func toDBPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := toDB(*t)
	return &v
}

func fromDBPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := fromDB(*t)
	return &v
}

// jsonb encodes v for a jsonb column. It is marshalled here rather than by
// pgx so that a nil slice or map is stored as JSON null and read back nil,
// and an empty one read back empty: values round-trip exactly.
func jsonb(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode jsonb: %w", err)
	}
	return b, nil
}

// fromJSONB decodes a jsonb column into dst.
func fromJSONB(b []byte, dst any) error {
	if err := json.Unmarshal(b, dst); err != nil {
		return fmt.Errorf("decode jsonb: %w", err)
	}
	return nil
}
