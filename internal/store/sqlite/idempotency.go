package sqlite

import (
	"context"
	"time"

	"intake"
)

const (
	// DO NOTHING rather than an error: a taken key is an expected outcome
	// (a concurrent retry), told apart by the row count.
	insertIdempotencySQL = `INSERT INTO idempotency (org_id, key_id, key, request_hash, status, body, reference, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	idempotencySQL = `SELECT org_id, key_id, key, request_hash, status, body, reference, created_at
		FROM idempotency WHERE org_id = ? AND key_id = ? AND key = ?`
	purgeIdempotencySQL = `DELETE FROM idempotency WHERE created_at < ?`
)

func (tx *wtx) insertIdempotency(r *intake.IdempotencyRecord) error {
	body := r.Body
	if body == nil {
		body = []byte{}
	}
	res, err := tx.st.insertIdempotency.ExecContext(tx.ctx, r.OrgID, r.KeyID, r.Key, r.RequestHash, r.Status,
		body, r.Reference, ms(r.CreatedAt))
	if err != nil {
		return storeError(err, "cannot store the idempotency key")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return storeError(err, "cannot store the idempotency key")
	}
	if n == 0 {
		return &intake.IdempotencyKeyTaken{Key: r.Key}
	}
	return nil
}

// Idempotency returns the record of an organization's API key.
// Errors: ENotFound.
func (s *Store) Idempotency(ctx context.Context, orgID, keyID int64, key string) (*intake.IdempotencyRecord, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	var (
		r  intake.IdempotencyRecord
		at int64
	)
	err := s.r.idempotency.QueryRowContext(ctx, orgID, keyID, key).
		Scan(&r.OrgID, &r.KeyID, &r.Key, &r.RequestHash, &r.Status, &r.Body, &r.Reference, &at)
	if err != nil {
		return nil, s.readError(err, "idempotency record")
	}
	r.CreatedAt = fromMS(at)
	return &r, nil
}

// PurgeIdempotency deletes the records created before t and returns how many.
func (s *Store) PurgeIdempotency(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.w.do(ctx, func(tx *wtx) error {
		res, err := tx.st.purgeIdem.ExecContext(tx.ctx, ms(before))
		if err != nil {
			return storeError(err, "cannot purge idempotency records")
		}
		n, err = res.RowsAffected()
		return storeError(err, "cannot purge idempotency records")
	})
	return int(n), err
}
