package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"intake"
)

const commentColumns = `id, org_id, application_id, author, author_key_id, raw, html, private, reply_to, source,
	file_blob_key, file_name, file_type, file_size, file_sha256, created_at`

func scanComment(r pgx.Row) (*intake.Comment, error) {
	var (
		c intake.Comment
		f intake.Document
	)
	err := r.Scan(&c.ID, &c.OrgID, &c.ApplicationID, &c.Author, &c.AuthorKeyID, &c.Raw, &c.HTML, &c.Private,
		&c.ReplyTo, &c.Source, &f.BlobKey, &f.FileName, &f.ContentType, &f.Size, &f.SHA256, &c.CreatedAt)
	c.CreatedAt = fromDB(c.CreatedAt)
	if f.BlobKey != "" {
		f.Kind, f.CreatedAt = intake.DocAttachment, c.CreatedAt
		c.File = &f
	}
	return &c, err
}

// CreateComment stores a comment. Errors: ENotFound (application, or a
// ReplyTo that is not a comment of the same application).
func (s *Store) CreateComment(ctx context.Context, c *intake.Comment) error {
	err := s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		if err := ownedApplication(ctx, tx, c.OrgID, c.ApplicationID); err != nil {
			return err
		}
		if c.ReplyTo != 0 {
			var one int
			err := tx.QueryRow(ctx, `SELECT 1 FROM comments WHERE id = $1 AND application_id = $2 AND org_id = $3`,
				c.ReplyTo, c.ApplicationID, c.OrgID).Scan(&one)
			if errors.Is(err, pgx.ErrNoRows) {
				return intake.Errorf(intake.ENotFound, "comment not found")
			}
			if err != nil {
				return err
			}
		}
		var f intake.Document
		if c.File != nil {
			f = *c.File
		}
		err := tx.QueryRow(ctx, `INSERT INTO comments (org_id, application_id, author, author_key_id, raw, html,
				private, reply_to, source, file_blob_key, file_name, file_type, file_size, file_sha256, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			c.OrgID, c.ApplicationID, c.Author, c.AuthorKeyID, c.Raw, c.HTML, c.Private, c.ReplyTo, string(c.Source),
			f.BlobKey, f.FileName, f.ContentType, f.Size, f.SHA256, toDB(c.CreatedAt)).Scan(&c.ID)
		if err != nil {
			return err
		}
		return insertEvents(ctx, tx, c.ApplicationID, c.Events)
	})
	if err == nil {
		c.Events = nil
	}
	return err
}

// Comments lists an application's comments, oldest first.
func (s *Store) Comments(ctx context.Context, orgID, applicationID int64) ([]*intake.Comment, error) {
	out := []*intake.Comment{}
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, `SELECT `+commentColumns+` FROM comments
			WHERE application_id = $1 AND org_id = $2 ORDER BY id`, applicationID, orgID)
		if err != nil {
			return err
		}
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Comment, error) { return scanComment(r) })
		if list != nil {
			out = list
		}
		return err
	})
	return out, err
}

// DeleteComment removes a comment and returns it. Errors: ENotFound.
func (s *Store) DeleteComment(ctx context.Context, orgID, applicationID, commentID int64) (*intake.Comment, error) {
	var out *intake.Comment
	err := s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		c, err := scanComment(tx.QueryRow(ctx, `DELETE FROM comments WHERE id = $1 AND application_id = $2
			AND org_id = $3 RETURNING `+commentColumns, commentID, applicationID, orgID))
		if errors.Is(err, pgx.ErrNoRows) {
			return intake.Errorf(intake.ENotFound, "comment not found")
		}
		out = c
		return err
	})
	return out, err
}
