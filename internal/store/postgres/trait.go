package postgres

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"intake"
)

// SaveTags upserts tag definitions by (org, key), filling their ids.
func (s *Store) SaveTags(ctx context.Context, orgID int64, tags []*intake.Tag) error {
	return s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		for _, t := range tags {
			vals := t.Values
			if vals == nil {
				vals = []string{}
			}
			b, err := jsonb(vals)
			if err != nil {
				return err
			}
			err = tx.QueryRow(ctx, `INSERT INTO tags (org_id, key, title, vals, multiple, visible, creatable,
					folder, type, position)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
				ON CONFLICT (org_id, key) DO UPDATE SET title = excluded.title, vals = excluded.vals,
					multiple = excluded.multiple, visible = excluded.visible, creatable = excluded.creatable,
					folder = excluded.folder, type = excluded.type, position = excluded.position
				RETURNING id`, orgID, t.Key, t.Title, b, t.Multiple, t.Visible, t.Creatable, t.Folder, t.Type,
				t.Position).Scan(&t.ID)
			if err != nil {
				return err
			}
			t.OrgID = orgID
		}
		return nil
	})
}

// Tags lists an organization's tags by position, then id.
func (s *Store) Tags(ctx context.Context, orgID int64) ([]*intake.Tag, error) {
	out := []*intake.Tag{}
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, `SELECT id, key, title, vals, multiple, visible, creatable, folder, type, position
			FROM tags WHERE org_id = $1 ORDER BY position NULLS LAST, id`, orgID)
		if err != nil {
			return err
		}
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Tag, error) {
			t := &intake.Tag{OrgID: orgID}
			var vals []byte
			if err := r.Scan(&t.ID, &t.Key, &t.Title, &vals, &t.Multiple, &t.Visible, &t.Creatable, &t.Folder,
				&t.Type, &t.Position); err != nil {
				return nil, err
			}
			return t, fromJSONB(vals, &t.Values)
		})
		if list != nil {
			out = list
		}
		return err
	})
	return out, err
}

// SetTrait stores a trait, replacing the application's value of the tag
// unless multiple; the same value again returns the stored trait. With
// addValue the value joins the tag's values.
// Errors: ENotFound (application or tag).
func (s *Store) SetTrait(ctx context.Context, t *intake.Trait, multiple, addValue bool) error {
	in := *t
	return s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		*t = in
		if err := ownedApplication(ctx, tx, t.OrgID, t.ApplicationID); err != nil {
			return err
		}
		var vals []byte
		err := tx.QueryRow(ctx, `SELECT key, vals FROM tags WHERE id = $1 AND org_id = $2 FOR UPDATE`,
			t.TagID, t.OrgID).Scan(&t.TagKey, &vals)
		if errors.Is(err, pgx.ErrNoRows) {
			return intake.Errorf(intake.ENotFound, "tag not found")
		}
		if err != nil {
			return err
		}
		var at time.Time
		err = tx.QueryRow(ctx, `SELECT id, key, created_at FROM traits WHERE application_id = $1 AND tag_id = $2
			AND value = $3`, t.ApplicationID, t.TagID, t.Value).Scan(&t.ID, &t.Key, &at)
		if err == nil {
			t.CreatedAt = fromDB(at)
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if addValue {
			var list []string
			if err := fromJSONB(vals, &list); err != nil {
				return err
			}
			if !slices.Contains(list, t.Value) {
				b, err := jsonb(append(list, t.Value))
				if err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `UPDATE tags SET vals = $1 WHERE id = $2`, b, t.TagID); err != nil {
					return err
				}
			}
		}
		if !multiple {
			if _, err := tx.Exec(ctx, `DELETE FROM traits WHERE application_id = $1 AND tag_id = $2`,
				t.ApplicationID, t.TagID); err != nil {
				return err
			}
		}
		return tx.QueryRow(ctx, `INSERT INTO traits (key, org_id, application_id, tag_id, value, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, t.Key, t.OrgID, t.ApplicationID, t.TagID, t.Value,
			toDB(t.CreatedAt)).Scan(&t.ID)
	})
}

// Traits lists an application's traits, oldest first.
func (s *Store) Traits(ctx context.Context, orgID, applicationID int64) ([]*intake.Trait, error) {
	out := []*intake.Trait{}
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, `SELECT t.id, t.key, t.application_id, t.tag_id, g.key, t.value, t.created_at
			FROM traits t JOIN tags g ON g.id = t.tag_id
			WHERE t.application_id = $1 AND t.org_id = $2 ORDER BY t.id`, applicationID, orgID)
		if err != nil {
			return err
		}
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Trait, error) {
			t := &intake.Trait{OrgID: orgID}
			err := r.Scan(&t.ID, &t.Key, &t.ApplicationID, &t.TagID, &t.TagKey, &t.Value, &t.CreatedAt)
			t.CreatedAt = fromDB(t.CreatedAt)
			return t, err
		})
		if list != nil {
			out = list
		}
		return err
	})
	return out, err
}
