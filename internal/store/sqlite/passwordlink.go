package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"intake"
)

const (
	linkColumns        = `l.id, l.hash, l.org_id, l.user_id, l.purpose, l.created_at, l.expires_at, l.used_at`
	linkWithUserSQL    = `SELECT ` + linkColumns + `, ` + userColumns + ` FROM password_links l JOIN users u ON u.id = l.user_id AND u.org_id = l.org_id`
	unusedLinkByHash   = linkWithUserSQL + ` WHERE l.hash = ? AND l.used_at IS NULL`
	insertLinkSQL      = `INSERT INTO password_links (hash, org_id, user_id, purpose, created_at, expires_at) SELECT ?, org_id, id, ?, ?, ? FROM users WHERE id = ? AND org_id = ? RETURNING id`
	useUserLinksSQL    = `UPDATE password_links SET used_at = ? WHERE user_id = ? AND used_at IS NULL`
	passwordLinkLabel  = "password link"
	passwordLinksLabel = "password links"
)

type linkRow struct {
	l                intake.PasswordLink
	purpose          string
	created, expires int64
	used             sql.Null[int64]
}

func (r *linkRow) dest() []any {
	return []any{&r.l.ID, &r.l.Hash, &r.l.OrgID, &r.l.UserID, &r.purpose, &r.created, &r.expires, &r.used}
}

func (r *linkRow) link() *intake.PasswordLink {
	r.l.Purpose = intake.LinkPurpose(r.purpose)
	r.l.CreatedAt, r.l.ExpiresAt, r.l.UsedAt = fromMS(r.created), fromMS(r.expires), fromNullMS(r.used)
	return &r.l
}

// CreatePasswordLink stores a link and fills its ID. Errors: EConflict
// when the hash exists, ENotFound when the user is not one of the link's
// organization.
func (s *Store) CreatePasswordLink(ctx context.Context, l *intake.PasswordLink) error {
	return s.w.do(ctx, func(tx *wtx) error {
		err := tx.conn.QueryRowContext(tx.ctx, insertLinkSQL, l.Hash, string(l.Purpose), ms(l.CreatedAt),
			ms(l.ExpiresAt), l.UserID, l.OrgID).Scan(&l.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return intake.Errorf(intake.ENotFound, "user not found")
		}
		return storeError(err, passwordLinkLabel)
	})
}

// PasswordLinkByHash finds an unused link with its user. Errors: ENotFound.
func (s *Store) PasswordLinkByHash(ctx context.Context, hash string) (*intake.PasswordLink, *intake.User, error) {
	if s.closed.Load() {
		return nil, nil, errClosed
	}
	st, err := s.r.lists.get(ctx, unusedLinkByHash)
	if err != nil {
		return nil, nil, s.readError(err, passwordLinkLabel)
	}
	var (
		lr linkRow
		ur userRow
	)
	if err := st.QueryRowContext(ctx, hash).Scan(append(lr.dest(), ur.dest()...)...); err != nil {
		return nil, nil, s.readError(err, passwordLinkLabel)
	}
	return lr.link(), ur.user(), nil
}

// UsePasswordLink takes an unused link in one write: fn checks it and
// changes the user, then the user is saved and every unused link of the
// user is marked used. Errors: ENotFound, fn's error.
func (s *Store) UsePasswordLink(ctx context.Context, hash string, usedAt time.Time, fn func(*intake.PasswordLink, *intake.User) error) (*intake.User, error) {
	var out *intake.User
	err := s.w.do(ctx, func(tx *wtx) error {
		var (
			lr linkRow
			ur userRow
		)
		if err := tx.conn.QueryRowContext(tx.ctx, unusedLinkByHash, hash).Scan(append(lr.dest(), ur.dest()...)...); err != nil {
			return notFound(err, passwordLinkLabel)
		}
		l, u := lr.link(), ur.user()
		id, org, created := u.ID, u.OrgID, u.CreatedAt
		if err := fn(l, u); err != nil {
			return err
		}
		u.ID, u.OrgID, u.CreatedAt = id, org, created
		if err := tx.updateUser(u); err != nil {
			return err
		}
		if _, err := tx.conn.ExecContext(tx.ctx, useUserLinksSQL, ms(usedAt), u.ID); err != nil {
			return storeError(err, passwordLinksLabel)
		}
		out = u
		return nil
	})
	return out, err
}
