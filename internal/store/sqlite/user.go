package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"intake"
)

const userColumns = `u.id, u.org_id, u.email, u.firstname, u.lastname, u.role, u.password_hash,
	u.disabled, u.session_epoch, u.created_at, u.updated_at`

const (
	userWithOrgSQL = `SELECT ` + userColumns + `, ` + orgColumns + ` FROM users u JOIN orgs o ON o.id = u.org_id`
	userByEmailSQL = userWithOrgSQL + ` WHERE u.email_norm = ?`
	userByIDSQL    = userWithOrgSQL + ` WHERE u.id = ?`
	usersSQL       = `SELECT ` + userColumns + ` FROM users u WHERE u.org_id = ? ORDER BY u.id`
	userForUpdate  = `SELECT ` + userColumns + ` FROM users u WHERE u.org_id = ? AND u.id = ?`
	insertUserSQL  = `INSERT INTO users (org_id, email, email_norm, firstname, lastname, role, password_hash,
		disabled, session_epoch, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	updateUserSQL = `UPDATE users SET email = ?, firstname = ?, lastname = ?, role = ?, password_hash = ?,
		disabled = ?, session_epoch = ?, updated_at = ? WHERE id = ?`
)

type userRow struct {
	u                intake.User
	role             string
	created, updated int64
}

func (r *userRow) dest() []any {
	return []any{&r.u.ID, &r.u.OrgID, &r.u.Email, &r.u.Firstname, &r.u.Lastname, &r.role,
		&r.u.PasswordHash, &r.u.Disabled, &r.u.SessionEpoch, &r.created, &r.updated}
}

func (r *userRow) user() *intake.User {
	r.u.Role = intake.Role(r.role)
	r.u.CreatedAt, r.u.UpdatedAt = fromMS(r.created), fromMS(r.updated)
	return &r.u
}

// CreateUser stores a new user and fills its ID. Errors: EConflict when
// the email is taken.
func (s *Store) CreateUser(ctx context.Context, u *intake.User) error {
	return s.w.do(ctx, func(tx *wtx) error {
		return tx.insertUser(u)
	})
}

func (tx *wtx) insertUser(u *intake.User) error {
	err := tx.conn.QueryRowContext(tx.ctx, insertUserSQL, u.OrgID, u.Email, normEmail(u.Email), u.Firstname,
		u.Lastname, string(u.Role), u.PasswordHash, u.Disabled, u.SessionEpoch, ms(u.CreatedAt), ms(u.UpdatedAt)).Scan(&u.ID)
	return storeError(err, "user")
}

// UserByEmail finds a user by case-insensitive email. Errors: ENotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (*intake.User, *intake.Org, error) {
	return s.userWithOrg(ctx, userByEmailSQL, normEmail(email))
}

// UserByID finds a user by id. Errors: ENotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (*intake.User, *intake.Org, error) {
	return s.userWithOrg(ctx, userByIDSQL, id)
}

func (s *Store) userWithOrg(ctx context.Context, query string, arg any) (*intake.User, *intake.Org, error) {
	if s.closed.Load() {
		return nil, nil, errClosed
	}
	st, err := s.r.lists.get(ctx, query)
	if err != nil {
		return nil, nil, s.readError(err, "user")
	}
	var (
		ur               userRow
		o                intake.Org
		created, updated int64
	)
	if err := st.QueryRowContext(ctx, arg).Scan(append(ur.dest(), orgDest(&o, &created, &updated)...)...); err != nil {
		return nil, nil, s.readError(err, "user")
	}
	o.CreatedAt, o.UpdatedAt = fromMS(created), fromMS(updated)
	return ur.user(), &o, nil
}

// Users lists an organization's users by id.
func (s *Store) Users(ctx context.Context, orgID int64) ([]*intake.User, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	st, err := s.r.lists.get(ctx, usersSQL)
	if err != nil {
		return nil, s.readError(err, "users")
	}
	rows, err := st.QueryContext(ctx, orgID)
	if err != nil {
		return nil, s.readError(err, "users")
	}
	defer rows.Close()
	out := []*intake.User{}
	for rows.Next() {
		var ur userRow
		if err := rows.Scan(ur.dest()...); err != nil {
			return nil, s.readError(err, "users")
		}
		out = append(out, ur.user())
	}
	if err := rows.Err(); err != nil {
		return nil, s.readError(err, "users")
	}
	return out, nil
}

// UpdateUser loads a user of the organization, lets fn change it and saves
// it in one write. Errors: ENotFound, fn's error.
func (s *Store) UpdateUser(ctx context.Context, orgID, userID int64, fn func(*intake.User) error) (*intake.User, error) {
	var out *intake.User
	err := s.w.do(ctx, func(tx *wtx) error {
		var ur userRow
		if err := tx.conn.QueryRowContext(tx.ctx, userForUpdate, orgID, userID).Scan(ur.dest()...); err != nil {
			return notFound(err, "user")
		}
		u := ur.user()
		id, org, created := u.ID, u.OrgID, u.CreatedAt
		if err := fn(u); err != nil {
			return err
		}
		u.ID, u.OrgID, u.CreatedAt = id, org, created
		if err := tx.updateUser(u); err != nil {
			return err
		}
		out = u
		return nil
	})
	return out, err
}

func (tx *wtx) updateUser(u *intake.User) error {
	_, err := tx.conn.ExecContext(tx.ctx, updateUserSQL, u.Email, u.Firstname, u.Lastname, string(u.Role),
		u.PasswordHash, u.Disabled, u.SessionEpoch, ms(u.UpdatedAt), u.ID)
	return storeError(err, "user")
}

// SaveUsers upserts users by email in one write. Errors: EConflict when an
// email belongs to another organization.
func (s *Store) SaveUsers(ctx context.Context, users []*intake.User) error {
	return s.w.do(ctx, func(tx *wtx) error {
		for _, u := range users {
			var (
				id, org, epoch int64
				created        int64
			)
			err := tx.conn.QueryRowContext(tx.ctx, `SELECT id, org_id, created_at, session_epoch FROM users WHERE email_norm = ?`,
				normEmail(u.Email)).Scan(&id, &org, &created, &epoch)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if err := tx.insertUser(u); err != nil {
					return err
				}
				continue
			case err != nil:
				return storeError(err, "user")
			case org != u.OrgID:
				return intake.Errorf(intake.EConflict, "user %s belongs to another organization", u.Email)
			}
			// A world file names no epoch: the stored one stays.
			u.ID, u.CreatedAt, u.SessionEpoch = id, fromMS(created), epoch
			if err := tx.updateUser(u); err != nil {
				return err
			}
		}
		return nil
	})
}
