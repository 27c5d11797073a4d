package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"intake"
)

const apiKeyColumns = `k.id, k.org_id, k.name, k.hash, k.scopes, k.created_at, k.revoked_at, k.owner_user_id`

const (
	apiKeyByHashSQL = `SELECT ` + apiKeyColumns + `, ` + orgColumns + `, o.content
		FROM api_keys k JOIN orgs o ON o.id = k.org_id WHERE k.hash = ?`
	apiKeysSQL = `SELECT ` + apiKeyColumns + ` FROM api_keys k WHERE k.org_id = ? ORDER BY k.created_at, k.id`
	// The owner must be a user of the key's organization: the column's
	// foreign key checks only the user, so a foreign owner inserts nothing.
	insertAPIKeySQL = `INSERT INTO api_keys (org_id, name, hash, scopes, created_at, revoked_at, owner_user_id)
		SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
		WHERE ?7 IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = ?7 AND org_id = ?1) RETURNING id`
	revokeAPIKeySQL = `UPDATE api_keys SET revoked_at = ? WHERE org_id = ? AND id = ?`
	// As insertAPIKeySQL, the owner must be a user of the key's organization.
	setKeyOwnerSQL = `UPDATE api_keys SET owner_user_id = ?3 WHERE org_id = ?1 AND id = ?2
		AND EXISTS (SELECT 1 FROM users WHERE id = ?3 AND org_id = ?1)`
	keyExistsSQL = `SELECT 1 FROM api_keys WHERE org_id = ? AND id = ?`
)

type keyRow struct {
	k       intake.APIKey
	scopes  string
	created int64
	revoked sql.Null[int64]
	owner   sql.Null[int64]
}

func (r *keyRow) dest() []any {
	return []any{&r.k.ID, &r.k.OrgID, &r.k.Name, &r.k.Hash, &r.scopes, &r.created, &r.revoked, &r.owner}
}

func (r *keyRow) key() (*intake.APIKey, error) {
	r.k.CreatedAt, r.k.RevokedAt = fromMS(r.created), fromNullMS(r.revoked)
	r.k.OwnerUserID = r.owner.V
	scopes, err := fromJSONList[intake.Scope](r.scopes)
	r.k.Scopes = scopes
	return &r.k, err
}

// CreateAPIKey stores a new key and fills its ID. Errors: EConflict if the
// hash exists; EInvalid when the owner is not a user of the organization.
func (s *Store) CreateAPIKey(ctx context.Context, key *intake.APIKey) error {
	scopes, err := jsonList(key.Scopes)
	if err != nil {
		return storeError(err, "cannot store the key")
	}
	return s.w.do(ctx, func(tx *wtx) error {
		err := tx.st.insertKey.QueryRowContext(tx.ctx, key.OrgID, key.Name, key.Hash, scopes,
			ms(key.CreatedAt), nullMS(key.RevokedAt),
			sql.Null[int64]{V: key.OwnerUserID, Valid: key.OwnerUserID != 0}).Scan(&key.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return intake.Errorf(intake.EInvalid, "API key: the owner is not a user of the organization")
		}
		return storeError(err, "API key")
	})
}

// APIKeyByHash returns a key, revoked or not, and its organization.
// Errors: ENotFound.
func (s *Store) APIKeyByHash(ctx context.Context, hash string) (*intake.APIKey, *intake.Org, error) {
	if s.closed.Load() {
		return nil, nil, errClosed
	}
	var (
		r                intake.Org
		kr               keyRow
		created, updated int64
		content          string
	)
	dest := append(append(kr.dest(), orgDest(&r, &created, &updated)...), &content)
	if err := s.r.keyByHash.QueryRowContext(ctx, hash).Scan(dest...); err != nil {
		return nil, nil, s.readError(err, "API key")
	}
	if err := json.Unmarshal([]byte(content), &r.Content); err != nil {
		return nil, nil, storeError(err, "cannot read organization content")
	}
	r.CreatedAt, r.UpdatedAt = fromMS(created), fromMS(updated)
	k, err := kr.key()
	if err != nil {
		return nil, nil, storeError(err, "cannot read API key")
	}
	return k, &r, nil
}

// APIKeys lists an organization's keys, oldest first.
func (s *Store) APIKeys(ctx context.Context, orgID int64) ([]*intake.APIKey, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	rows, err := s.r.keys.QueryContext(ctx, orgID)
	if err != nil {
		return nil, s.readError(err, "API keys")
	}
	defer rows.Close()
	var out []*intake.APIKey
	for rows.Next() {
		var kr keyRow
		if err := rows.Scan(kr.dest()...); err != nil {
			return nil, s.readError(err, "API keys")
		}
		k, err := kr.key()
		if err != nil {
			return nil, storeError(err, "cannot read API keys")
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, s.readError(err, "API keys")
	}
	return out, nil
}

// RevokeAPIKey marks a key of the organization revoked at the given time.
// Errors: ENotFound.
func (s *Store) RevokeAPIKey(ctx context.Context, orgID, keyID int64, at time.Time) error {
	return s.w.do(ctx, func(tx *wtx) error {
		res, err := tx.st.revokeKey.ExecContext(tx.ctx, ms(at), orgID, keyID)
		if err != nil {
			return storeError(err, "cannot revoke the key")
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return notFound(orNoRows(err), "API key")
		}
		return nil
	})
}

// SetAPIKeyOwner makes a user of the key's organization its owner.
// Errors: ENotFound for an unknown key; EInvalid for a foreign user.
func (s *Store) SetAPIKeyOwner(ctx context.Context, orgID, keyID, ownerUserID int64) error {
	return s.w.do(ctx, func(tx *wtx) error {
		res, err := tx.conn.ExecContext(tx.ctx, setKeyOwnerSQL, orgID, keyID, ownerUserID)
		if err != nil {
			return storeError(err, "cannot set the key's owner")
		}
		if n, err := res.RowsAffected(); err != nil {
			return storeError(err, "cannot set the key's owner")
		} else if n == 1 {
			return nil
		}
		var one int
		if err := tx.conn.QueryRowContext(tx.ctx, keyExistsSQL, orgID, keyID).Scan(&one); err != nil {
			return notFound(err, "API key")
		}
		return intake.Errorf(intake.EInvalid, "API key: the owner is not a user of the organization")
	})
}

// orNoRows turns "no error, but nothing matched" into sql.ErrNoRows.
func orNoRows(err error) error {
	if err == nil {
		return sql.ErrNoRows
	}
	return err
}
