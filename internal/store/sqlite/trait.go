package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"

	"intake"
)

// SaveTags upserts tag definitions by (org, key), filling their ids.
func (s *Store) SaveTags(ctx context.Context, orgID int64, tags []*intake.Tag) error {
	return s.w.do(ctx, func(tx *wtx) error {
		for _, t := range tags {
			vals, err := json.Marshal(nonNil(t.Values))
			if err != nil {
				return storeError(err, "cannot encode tag values")
			}
			var pos sql.NullInt64
			if t.Position != nil {
				pos = sql.NullInt64{Int64: int64(*t.Position), Valid: true}
			}
			err = tx.conn.QueryRowContext(tx.ctx, `INSERT INTO tags (org_id, key, title, vals, multiple, visible,
					creatable, folder, type, position)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (org_id, key) DO UPDATE SET title = excluded.title, vals = excluded.vals,
					multiple = excluded.multiple, visible = excluded.visible, creatable = excluded.creatable,
					folder = excluded.folder, type = excluded.type, position = excluded.position
				RETURNING id`, orgID, t.Key, t.Title, string(vals), t.Multiple, t.Visible, t.Creatable,
				t.Folder, t.Type, pos).Scan(&t.ID)
			if err != nil {
				return storeError(err, "cannot save tag")
			}
			t.OrgID = orgID
		}
		return nil
	})
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// Tags lists an organization's tags by position, then id.
func (s *Store) Tags(ctx context.Context, orgID int64) ([]*intake.Tag, error) {
	rows, err := s.query(ctx, `SELECT id, key, title, vals, multiple, visible, creatable, folder, type, position
		FROM tags WHERE org_id = ? ORDER BY position IS NULL, position, id`, orgID)
	return collect(s, rows, err, "tags", func(r scanner) (*intake.Tag, error) {
		t := &intake.Tag{OrgID: orgID}
		var (
			vals string
			pos  sql.NullInt64
		)
		if err := r.Scan(&t.ID, &t.Key, &t.Title, &vals, &t.Multiple, &t.Visible, &t.Creatable, &t.Folder, &t.Type, &pos); err != nil {
			return nil, err
		}
		if pos.Valid {
			p := int(pos.Int64)
			t.Position = &p
		}
		return t, json.Unmarshal([]byte(vals), &t.Values)
	})
}

// SetTrait stores a trait, replacing the application's value of the tag
// unless multiple; the same value again returns the stored trait. With
// addValue the value joins the tag's values.
// Errors: ENotFound (application or tag).
func (s *Store) SetTrait(ctx context.Context, t *intake.Trait, multiple, addValue bool) error {
	return s.w.do(ctx, func(tx *wtx) error {
		if err := tx.ownedApplication(t.OrgID, t.ApplicationID); err != nil {
			return err
		}
		var vals string
		err := tx.conn.QueryRowContext(tx.ctx, `SELECT key, vals FROM tags WHERE id = ? AND org_id = ?`,
			t.TagID, t.OrgID).Scan(&t.TagKey, &vals)
		if err != nil {
			return notFound(err, "tag")
		}
		var at int64
		err = tx.conn.QueryRowContext(tx.ctx, `SELECT id, key, created_at FROM traits
			WHERE application_id = ? AND tag_id = ? AND value = ?`, t.ApplicationID, t.TagID, t.Value).Scan(&t.ID, &t.Key, &at)
		if err == nil {
			t.CreatedAt = fromMS(at)
			return nil
		}
		if err != sql.ErrNoRows {
			return storeError(err, "cannot read trait")
		}
		if addValue {
			var list []string
			if err := json.Unmarshal([]byte(vals), &list); err != nil {
				return storeError(err, "cannot decode tag values")
			}
			if !slices.Contains(list, t.Value) {
				b, _ := json.Marshal(append(list, t.Value))
				if _, err := tx.conn.ExecContext(tx.ctx, `UPDATE tags SET vals = ? WHERE id = ?`, string(b), t.TagID); err != nil {
					return storeError(err, "cannot save tag")
				}
			}
		}
		if !multiple {
			if _, err := tx.conn.ExecContext(tx.ctx, `DELETE FROM traits WHERE application_id = ? AND tag_id = ?`,
				t.ApplicationID, t.TagID); err != nil {
				return storeError(err, "cannot replace trait")
			}
		}
		res, err := tx.conn.ExecContext(tx.ctx, `INSERT INTO traits (key, org_id, application_id, tag_id, value, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, t.Key, t.OrgID, t.ApplicationID, t.TagID, t.Value, ms(t.CreatedAt))
		if err != nil {
			return storeError(err, "cannot save trait")
		}
		t.ID, err = res.LastInsertId()
		return storeError(err, "cannot save trait")
	})
}

// Traits lists an application's traits, oldest first.
func (s *Store) Traits(ctx context.Context, orgID, applicationID int64) ([]*intake.Trait, error) {
	rows, err := s.query(ctx, `SELECT t.id, t.key, t.application_id, t.tag_id, g.key, t.value, t.created_at
		FROM traits t JOIN tags g ON g.id = t.tag_id
		WHERE t.application_id = ? AND t.org_id = ? ORDER BY t.id`, applicationID, orgID)
	return collect(s, rows, err, "traits", func(r scanner) (*intake.Trait, error) {
		t := &intake.Trait{OrgID: orgID}
		var at int64
		err := r.Scan(&t.ID, &t.Key, &t.ApplicationID, &t.TagID, &t.TagKey, &t.Value, &at)
		t.CreatedAt = fromMS(at)
		return t, err
	})
}
