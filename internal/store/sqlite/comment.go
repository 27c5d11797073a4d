package sqlite

import (
	"context"

	"intake"
)

const commentColumns = `id, org_id, application_id, author, author_key_id, raw, html, private, reply_to, source,
	file_blob_key, file_name, file_type, file_size, file_sha256, created_at`

func scanComment(r scanner) (*intake.Comment, error) {
	var (
		c    intake.Comment
		f    intake.Document
		at   int64
		priv bool
	)
	err := r.Scan(&c.ID, &c.OrgID, &c.ApplicationID, &c.Author, &c.AuthorKeyID, &c.Raw, &c.HTML, &priv,
		&c.ReplyTo, &c.Source, &f.BlobKey, &f.FileName, &f.ContentType, &f.Size, &f.SHA256, &at)
	c.Private, c.CreatedAt = priv, fromMS(at)
	if f.BlobKey != "" {
		f.Kind, f.CreatedAt = intake.DocAttachment, c.CreatedAt
		c.File = &f
	}
	return &c, err
}

// CreateComment stores a comment. Errors: ENotFound (application, or a
// ReplyTo that is not a comment of the same application).
func (s *Store) CreateComment(ctx context.Context, c *intake.Comment) error {
	err := s.w.do(ctx, func(tx *wtx) error {
		if err := tx.ownedApplication(c.OrgID, c.ApplicationID); err != nil {
			return err
		}
		if c.ReplyTo != 0 {
			var one int
			err := tx.conn.QueryRowContext(tx.ctx, `SELECT 1 FROM comments WHERE id = ? AND application_id = ? AND org_id = ?`,
				c.ReplyTo, c.ApplicationID, c.OrgID).Scan(&one)
			if err != nil {
				return notFound(err, "comment")
			}
		}
		var f intake.Document
		if c.File != nil {
			f = *c.File
		}
		res, err := tx.conn.ExecContext(tx.ctx, `INSERT INTO comments (org_id, application_id, author, author_key_id,
				raw, html, private, reply_to, source, file_blob_key, file_name, file_type, file_size, file_sha256, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.OrgID, c.ApplicationID, c.Author, c.AuthorKeyID,
			c.Raw, c.HTML, c.Private, c.ReplyTo, string(c.Source), f.BlobKey, f.FileName, f.ContentType, f.Size, f.SHA256,
			ms(c.CreatedAt))
		if err != nil {
			return storeError(err, "cannot save comment")
		}
		if c.ID, err = res.LastInsertId(); err != nil {
			return storeError(err, "cannot save comment")
		}
		return tx.insertEvents(c.ApplicationID, c.Events)
	})
	if err == nil {
		c.Events = nil
	}
	return err
}

// Comments lists an application's comments, oldest first.
func (s *Store) Comments(ctx context.Context, orgID, applicationID int64) ([]*intake.Comment, error) {
	rows, err := s.query(ctx, `SELECT `+commentColumns+` FROM comments
		WHERE application_id = ? AND org_id = ? ORDER BY id`, applicationID, orgID)
	return collect(s, rows, err, "comments", scanComment)
}

// DeleteComment removes a comment and returns it. Errors: ENotFound.
func (s *Store) DeleteComment(ctx context.Context, orgID, applicationID, commentID int64) (*intake.Comment, error) {
	var out *intake.Comment
	err := s.w.do(ctx, func(tx *wtx) error {
		c, err := scanComment(tx.conn.QueryRowContext(tx.ctx, `DELETE FROM comments
			WHERE id = ? AND application_id = ? AND org_id = ? RETURNING `+commentColumns, commentID, applicationID, orgID))
		if err != nil {
			return notFound(err, "comment")
		}
		out = c
		return nil
	})
	return out, err
}
