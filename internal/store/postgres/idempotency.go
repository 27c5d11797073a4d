package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"intake"
)

// insertIdempotency stores rec unless its key is taken.
// Errors: *intake.IdempotencyKeyTaken.
func insertIdempotency(ctx context.Context, tx pgx.Tx, rec *intake.IdempotencyRecord) error {
	tag, err := tx.Exec(ctx, `INSERT INTO idempotency (org_id, key_id, key, request_hash, status, body,
			reference, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (org_id, key_id, key) DO NOTHING`,
		rec.OrgID, rec.KeyID, rec.Key, rec.RequestHash, rec.Status, nonNil(rec.Body), rec.Reference, toDB(rec.CreatedAt))
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return &intake.IdempotencyKeyTaken{Key: rec.Key}
	}
	return nil
}

// Idempotency returns a stored record. Errors: ENotFound.
func (s *Store) Idempotency(ctx context.Context, orgID, keyID int64, key string) (*intake.IdempotencyRecord, error) {
	var rec intake.IdempotencyRecord
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		err := q.QueryRow(ctx, `SELECT org_id, key_id, key, request_hash, status, body, reference, created_at
			FROM idempotency WHERE org_id = $1 AND key_id = $2 AND key = $3`, orgID, keyID, key).
			Scan(&rec.OrgID, &rec.KeyID, &rec.Key, &rec.RequestHash, &rec.Status, &rec.Body, &rec.Reference, &rec.CreatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return intake.Errorf(intake.ENotFound, "idempotency key not found")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	rec.CreatedAt = fromDB(rec.CreatedAt)
	return &rec, nil
}

// PurgeIdempotency deletes records created before t and returns how many.
func (s *Store) PurgeIdempotency(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, readWrite, func(ctx context.Context, q pgx.Tx) error {
		tag, err := q.Exec(ctx, "DELETE FROM idempotency WHERE created_at < $1", before)
		n = tag.RowsAffected()
		return err
	})
	return int(n), err
}

// nonNil keeps an empty body from being bound as NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
