package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"intake"
)

const keyColumns = "k.id, k.org_id, k.name, k.hash, k.scopes, k.created_at, k.revoked_at, k.owner_user_id"

func scanKey(row pgx.Row, extra ...any) (*intake.APIKey, error) {
	var (
		k      intake.APIKey
		scopes []byte
		owner  *int64
	)
	dst := append([]any{&k.ID, &k.OrgID, &k.Name, &k.Hash, &scopes, &k.CreatedAt, &k.RevokedAt, &owner}, extra...)
	if err := row.Scan(dst...); err != nil {
		return nil, err
	}
	if err := fromJSONB(scopes, &k.Scopes); err != nil {
		return nil, err
	}
	k.CreatedAt, k.RevokedAt = fromDB(k.CreatedAt), fromDBPtr(k.RevokedAt)
	if owner != nil {
		k.OwnerUserID = *owner
	}
	return &k, nil
}

// CreateAPIKey stores a new key and fills its ID. Errors: EConflict if the
// hash exists; EInvalid when the owner is not a user of the organization
// (the owner's foreign key covers the organization).
func (s *Store) CreateAPIKey(ctx context.Context, key *intake.APIKey) error {
	scopes, err := jsonb(key.Scopes)
	if err != nil {
		return storeError(err)
	}
	var id int64
	// A transaction rather than a lone INSERT: an insert retried on a fresh
	// connection after its commit was lost would fail on its own hash.
	err = s.tx(ctx, readWrite, func(ctx context.Context, q pgx.Tx) error {
		var owner *int64
		if key.OwnerUserID != 0 {
			owner = &key.OwnerUserID
		}
		return q.QueryRow(ctx, `INSERT INTO api_keys (org_id, name, hash, scopes, created_at, revoked_at, owner_user_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			key.OrgID, key.Name, key.Hash, scopes, toDB(key.CreatedAt), toDBPtr(key.RevokedAt), owner).Scan(&id)
	})
	if err != nil {
		return err
	}
	key.ID = id
	return nil
}

// APIKeyByHash returns a key, revoked or not, and its organization.
// Errors: ENotFound.
func (s *Store) APIKeyByHash(ctx context.Context, hash string) (*intake.APIKey, *intake.Org, error) {
	var (
		key *intake.APIKey
		org intake.Org
	)
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		row := q.QueryRow(ctx, "SELECT "+keyColumns+", "+orgColumns+", o.content"+
			" FROM api_keys k JOIN orgs o ON o.id = k.org_id WHERE k.hash = $1", hash)
		var (
			err     error
			content []byte
		)
		key, err = scanKey(row, &org.ID, &org.Name, &org.Reference, &org.CompanyKey, &org.Slug, &org.CreatedAt, &org.UpdatedAt, &content)
		if errors.Is(err, pgx.ErrNoRows) {
			return intake.Errorf(intake.ENotFound, "API key not found")
		}
		if err != nil {
			return err
		}
		return fromJSONB(content, &org.Content)
	})
	if err != nil {
		return nil, nil, err
	}
	org.CreatedAt, org.UpdatedAt = fromDB(org.CreatedAt), fromDB(org.UpdatedAt)
	return key, &org, nil
}

// APIKeys lists an organization's keys, oldest first.
func (s *Store) APIKeys(ctx context.Context, orgID int64) ([]*intake.APIKey, error) {
	var out []*intake.APIKey
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, "SELECT "+keyColumns+" FROM api_keys k WHERE k.org_id = $1 ORDER BY k.created_at, k.id", orgID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.APIKey, error) { return scanKey(r) })
		return err
	})
	return out, err
}

// SetAPIKeyOwner makes a user of the key's organization its owner.
// Errors: ENotFound for an unknown key; EInvalid for a foreign user.
func (s *Store) SetAPIKeyOwner(ctx context.Context, orgID, keyID, ownerUserID int64) error {
	return s.run(ctx, func(ctx context.Context, q querier) error {
		tag, err := q.Exec(ctx, `UPDATE api_keys SET owner_user_id = $3 WHERE org_id = $1 AND id = $2
			AND EXISTS (SELECT 1 FROM users WHERE id = $3 AND org_id = $1)`, orgID, keyID, ownerUserID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			return nil
		}
		var one int
		if err := q.QueryRow(ctx, `SELECT 1 FROM api_keys WHERE org_id = $1 AND id = $2`, orgID, keyID).Scan(&one); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return intake.Errorf(intake.ENotFound, "API key not found")
			}
			return err
		}
		return intake.Errorf(intake.EInvalid, "API key: the owner is not a user of the organization")
	})
}

// RevokeAPIKey marks a key revoked at the given time; a key already revoked
// keeps its first revocation time. Errors: ENotFound.
func (s *Store) RevokeAPIKey(ctx context.Context, orgID, keyID int64, at time.Time) error {
	return s.run(ctx, func(ctx context.Context, q querier) error {
		tag, err := q.Exec(ctx, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $3)
			WHERE org_id = $1 AND id = $2`, orgID, keyID, toDB(at))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return intake.Errorf(intake.ENotFound, "API key not found")
		}
		return nil
	})
}
