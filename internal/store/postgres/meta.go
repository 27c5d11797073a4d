package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"intake"
)

// SetCandidateMeta stores a value on a person of the organization,
// replacing the one under the same names. Errors: ENotFound.
func (s *Store) SetCandidateMeta(ctx context.Context, m *intake.CandidateMeta) (bool, error) {
	var created bool
	err := s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM people WHERE id = $1 AND org_id = $2 FOR UPDATE`, m.PersonID, m.OrgID).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return intake.Errorf(intake.ENotFound, "candidate not found")
		}
		if err != nil {
			return err
		}
		// xmax = 0 tells an inserted row from an updated one.
		return tx.QueryRow(ctx, `INSERT INTO candidate_meta (person_id, app_name, type, name, value, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (person_id, app_name, type, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
			RETURNING created_at, xmax = 0`, m.PersonID, m.AppName, m.Type, m.Name, m.Value,
			toDB(m.CreatedAt), toDB(m.UpdatedAt)).Scan(&m.CreatedAt, &created)
	})
	m.CreatedAt = fromDB(m.CreatedAt)
	return created, err
}

// CandidateMeta lists a person's values, oldest first; none for another
// organization's person.
func (s *Store) CandidateMeta(ctx context.Context, orgID, personID int64) ([]intake.CandidateMeta, error) {
	var out []intake.CandidateMeta
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, `SELECT m.app_name, m.type, m.name, m.value, m.created_at, m.updated_at
			FROM candidate_meta m JOIN people p ON p.id = m.person_id
			WHERE p.org_id = $1 AND m.person_id = $2 ORDER BY m.created_at, m.app_name, m.type, m.name`, orgID, personID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (intake.CandidateMeta, error) {
			m := intake.CandidateMeta{OrgID: orgID, PersonID: personID}
			err := r.Scan(&m.AppName, &m.Type, &m.Name, &m.Value, &m.CreatedAt, &m.UpdatedAt)
			m.CreatedAt, m.UpdatedAt = fromDB(m.CreatedAt), fromDB(m.UpdatedAt)
			return m, err
		})
		return err
	})
	if out == nil {
		out = []intake.CandidateMeta{}
	}
	return out, err
}
