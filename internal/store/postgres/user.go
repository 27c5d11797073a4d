package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"intake"
)

const userColumns = "u.id, u.org_id, u.email, u.firstname, u.lastname, u.role, u.password_hash, u.disabled, u.session_epoch, u.created_at, u.updated_at"

func scanUser(row pgx.Row, extra ...any) (*intake.User, error) {
	return scanUserBetween(row, nil, extra)
}

// scanUserAfter scans columns given by before, then a user.
func scanUserAfter(row pgx.Row, before ...any) (*intake.User, error) {
	return scanUserBetween(row, before, nil)
}

func scanUserBetween(row pgx.Row, before, after []any) (*intake.User, error) {
	var (
		u    intake.User
		role string
	)
	dst := append(append(before, &u.ID, &u.OrgID, &u.Email, &u.Firstname, &u.Lastname, &role, &u.PasswordHash,
		&u.Disabled, &u.SessionEpoch, &u.CreatedAt, &u.UpdatedAt), after...)
	if err := row.Scan(dst...); err != nil {
		return nil, err
	}
	u.Role = intake.Role(role)
	u.CreatedAt, u.UpdatedAt = fromDB(u.CreatedAt), fromDB(u.UpdatedAt)
	return &u, nil
}

// CreateUser stores a new user and fills its ID. Errors: EConflict when
// the email is taken.
func (s *Store) CreateUser(ctx context.Context, u *intake.User) error {
	return s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		return insertUser(ctx, tx, u)
	})
}

func insertUser(ctx context.Context, q querier, u *intake.User) error {
	return q.QueryRow(ctx, `INSERT INTO users (org_id, email, firstname, lastname, role, password_hash,
		disabled, session_epoch, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		u.OrgID, u.Email, u.Firstname, u.Lastname, string(u.Role), u.PasswordHash, u.Disabled, u.SessionEpoch,
		toDB(u.CreatedAt), toDB(u.UpdatedAt)).Scan(&u.ID)
}

// UserByEmail finds a user by case-insensitive email. Errors: ENotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (*intake.User, *intake.Org, error) {
	return s.userWithOrg(ctx, "WHERE lower(u.email) = lower($1)", email)
}

// UserByID finds a user by id. Errors: ENotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (*intake.User, *intake.Org, error) {
	return s.userWithOrg(ctx, "WHERE u.id = $1", id)
}

func (s *Store) userWithOrg(ctx context.Context, where string, arg any) (*intake.User, *intake.Org, error) {
	var (
		u   *intake.User
		org intake.Org
	)
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		row := q.QueryRow(ctx, "SELECT "+userColumns+", "+orgColumns+" FROM users u JOIN orgs o ON o.id = u.org_id "+where, arg)
		var err error
		u, err = scanUser(row, &org.ID, &org.Name, &org.Reference, &org.CompanyKey, &org.Slug, &org.CreatedAt, &org.UpdatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return intake.Errorf(intake.ENotFound, "user not found")
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	org.CreatedAt, org.UpdatedAt = fromDB(org.CreatedAt), fromDB(org.UpdatedAt)
	return u, &org, nil
}

// Users lists an organization's users by id.
func (s *Store) Users(ctx context.Context, orgID int64) ([]*intake.User, error) {
	var out []*intake.User
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, "SELECT "+userColumns+" FROM users u WHERE u.org_id = $1 ORDER BY u.id", orgID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.User, error) { return scanUser(r) })
		return err
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []*intake.User{}
	}
	return out, nil
}

// UpdateUser locks a user of the organization, lets fn change it and saves
// it. Errors: ENotFound, fn's error.
func (s *Store) UpdateUser(ctx context.Context, orgID, userID int64, fn func(*intake.User) error) (*intake.User, error) {
	var out *intake.User
	err := s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		u, err := scanUser(tx.QueryRow(ctx, "SELECT "+userColumns+" FROM users u WHERE u.org_id = $1 AND u.id = $2 FOR UPDATE", orgID, userID))
		if errors.Is(err, pgx.ErrNoRows) {
			return intake.Errorf(intake.ENotFound, "user not found")
		}
		if err != nil {
			return err
		}
		id, org, created := u.ID, u.OrgID, u.CreatedAt
		if err := fn(u); err != nil {
			return err
		}
		u.ID, u.OrgID, u.CreatedAt = id, org, created
		if err := updateUser(ctx, tx, u); err != nil {
			return err
		}
		out = u
		return nil
	})
	return out, err
}

func updateUser(ctx context.Context, q querier, u *intake.User) error {
	_, err := q.Exec(ctx, `UPDATE users SET email = $1, firstname = $2, lastname = $3, role = $4,
		password_hash = $5, disabled = $6, session_epoch = $7, updated_at = $8 WHERE id = $9`,
		u.Email, u.Firstname, u.Lastname, string(u.Role), u.PasswordHash, u.Disabled, u.SessionEpoch, toDB(u.UpdatedAt), u.ID)
	return err
}

// SaveUsers upserts users by email in one transaction. Errors: EConflict
// when an email belongs to another organization.
func (s *Store) SaveUsers(ctx context.Context, users []*intake.User) error {
	return s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		for _, u := range users {
			var (
				id, org, epoch int64
				created        = u.CreatedAt
			)
			err := tx.QueryRow(ctx, `SELECT id, org_id, created_at, session_epoch FROM users WHERE lower(email) = lower($1) FOR UPDATE`,
				u.Email).Scan(&id, &org, &created, &epoch)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				if err := insertUser(ctx, tx, u); err != nil {
					return err
				}
				continue
			case err != nil:
				return err
			case org != u.OrgID:
				return intake.Errorf(intake.EConflict, "user %s belongs to another organization", u.Email)
			}
			// A world file names no epoch: the stored one stays.
			u.ID, u.CreatedAt, u.SessionEpoch = id, fromDB(created), epoch
			if err := updateUser(ctx, tx, u); err != nil {
				return err
			}
		}
		return nil
	})
}
