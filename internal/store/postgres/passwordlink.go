package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"intake"
)

const (
	linkColumns     = "l.id, l.hash, l.org_id, l.user_id, l.purpose, l.created_at, l.expires_at, l.used_at"
	linkWithUserSQL = "SELECT " + linkColumns + ", " + userColumns + " FROM password_links l JOIN users u ON u.id = l.user_id AND u.org_id = l.org_id"
	unusedLinkSQL   = linkWithUserSQL + " WHERE l.hash = $1 AND l.used_at IS NULL"
)

// scanLink reads a link followed by its user.
func scanLink(row pgx.Row) (*intake.PasswordLink, *intake.User, error) {
	var (
		l       intake.PasswordLink
		purpose string
	)
	u, err := scanUserAfter(row, &l.ID, &l.Hash, &l.OrgID, &l.UserID, &purpose, &l.CreatedAt, &l.ExpiresAt, &l.UsedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, intake.Errorf(intake.ENotFound, "password link not found")
	}
	if err != nil {
		return nil, nil, err
	}
	l.Purpose = intake.LinkPurpose(purpose)
	l.CreatedAt, l.ExpiresAt, l.UsedAt = fromDB(l.CreatedAt), fromDB(l.ExpiresAt), fromDBPtr(l.UsedAt)
	return &l, u, nil
}

// CreatePasswordLink stores a link and fills its ID. Errors: EConflict
// when the hash exists, ENotFound when the user is not one of the link's
// organization.
func (s *Store) CreatePasswordLink(ctx context.Context, l *intake.PasswordLink) error {
	return s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO password_links (hash, org_id, user_id, purpose, created_at, expires_at)
			SELECT $1, org_id, id, $2, $3, $4 FROM users WHERE id = $5 AND org_id = $6 RETURNING id`,
			l.Hash, string(l.Purpose), toDB(l.CreatedAt), toDB(l.ExpiresAt), l.UserID, l.OrgID).Scan(&l.ID)
		if errors.Is(err, pgx.ErrNoRows) {
			return intake.Errorf(intake.ENotFound, "user not found")
		}
		return err
	})
}

// PasswordLinkByHash finds an unused link with its user. Errors: ENotFound.
func (s *Store) PasswordLinkByHash(ctx context.Context, hash string) (*intake.PasswordLink, *intake.User, error) {
	var (
		l *intake.PasswordLink
		u *intake.User
	)
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		var err error
		l, u, err = scanLink(q.QueryRow(ctx, unusedLinkSQL, hash))
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return l, u, nil
}

// UsePasswordLink locks an unused link and its user, lets fn check the link
// and change the user, then saves the user and marks every unused link of
// the user used. Errors: ENotFound, fn's error.
func (s *Store) UsePasswordLink(ctx context.Context, hash string, usedAt time.Time, fn func(*intake.PasswordLink, *intake.User) error) (*intake.User, error) {
	var out *intake.User
	err := s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		// Locking both rows makes a concurrent use of the link wait, then
		// find it used (READ COMMITTED re-checks used_at on the new row).
		l, u, err := scanLink(tx.QueryRow(ctx, unusedLinkSQL+" FOR UPDATE", hash))
		if err != nil {
			return err
		}
		id, org, created := u.ID, u.OrgID, u.CreatedAt
		if err := fn(l, u); err != nil {
			return err
		}
		u.ID, u.OrgID, u.CreatedAt = id, org, created
		if err := updateUser(ctx, tx, u); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE password_links SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL", toDB(usedAt), u.ID); err != nil {
			return err
		}
		out = u
		return nil
	})
	return out, err
}
