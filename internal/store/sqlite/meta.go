package sqlite

import (
	"context"

	"intake"
)

const candidateMetaSQL = `SELECT m.app_name, m.type, m.name, m.value, m.created_at, m.updated_at
	FROM candidate_meta m JOIN persons p ON p.id = m.person_id
	WHERE p.org_id = ? AND m.person_id = ? ORDER BY m.created_at, m.app_name, m.type, m.name`

// SetCandidateMeta stores a value on a person of the organization,
// replacing the one under the same names. Errors: ENotFound.
func (s *Store) SetCandidateMeta(ctx context.Context, m *intake.CandidateMeta) (bool, error) {
	var created bool
	err := s.w.do(ctx, func(tx *wtx) error {
		var one int
		err := tx.conn.QueryRowContext(tx.ctx, `SELECT 1 FROM persons WHERE id = ? AND org_id = ?`, m.PersonID, m.OrgID).Scan(&one)
		if err != nil {
			return notFound(err, "candidate")
		}
		var n int
		err = tx.conn.QueryRowContext(tx.ctx, `SELECT count(*) FROM candidate_meta WHERE person_id = ? AND app_name = ? AND type = ? AND name = ?`,
			m.PersonID, m.AppName, m.Type, m.Name).Scan(&n)
		if err != nil {
			return storeError(err, "cannot read the meta information")
		}
		created = n == 0
		var createdAt int64
		err = tx.conn.QueryRowContext(tx.ctx, `INSERT INTO candidate_meta (person_id, app_name, type, name, value, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (person_id, app_name, type, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
			RETURNING created_at`, m.PersonID, m.AppName, m.Type, m.Name, m.Value, ms(m.CreatedAt), ms(m.UpdatedAt)).Scan(&createdAt)
		if err != nil {
			return storeError(err, "cannot store the meta information")
		}
		m.CreatedAt = fromMS(createdAt)
		return nil
	})
	return created, err
}

// CandidateMeta lists a person's values, oldest first; none for another
// organization's person.
func (s *Store) CandidateMeta(ctx context.Context, orgID, personID int64) ([]intake.CandidateMeta, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	rows, err := s.rdb.QueryContext(ctx, candidateMetaSQL, orgID, personID)
	if err != nil {
		return nil, s.readError(err, "meta information")
	}
	defer rows.Close()
	out := []intake.CandidateMeta{}
	for rows.Next() {
		m := intake.CandidateMeta{OrgID: orgID, PersonID: personID}
		var c, u int64
		if err := rows.Scan(&m.AppName, &m.Type, &m.Name, &m.Value, &c, &u); err != nil {
			return nil, s.readError(err, "meta information")
		}
		m.CreatedAt, m.UpdatedAt = fromMS(c), fromMS(u)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, s.readError(err, "meta information")
	}
	return out, nil
}
