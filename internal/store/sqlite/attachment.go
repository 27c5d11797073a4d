package sqlite

import (
	"context"

	"intake"
)

// CreateAttachments stores the documents of one application in one
// transaction. Errors: ENotFound (application).
func (s *Store) CreateAttachments(ctx context.Context, orgID int64, docs []*intake.Attachment) error {
	return s.w.do(ctx, func(tx *wtx) error {
		for _, d := range docs {
			if err := tx.ownedApplication(orgID, d.ApplicationID); err != nil {
				return err
			}
			res, err := tx.conn.ExecContext(tx.ctx, `INSERT INTO attachments (org_id, application_id, blob_key,
					file_name, content_type, size, sha256, source_url, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, orgID, d.ApplicationID, d.BlobKey, d.FileName,
				d.ContentType, d.Size, d.SHA256, d.SourceURL, ms(d.CreatedAt))
			if err != nil {
				return storeError(err, "cannot save document")
			}
			if d.ID, err = res.LastInsertId(); err != nil {
				return storeError(err, "cannot save document")
			}
			d.OrgID = orgID
			d.Kind = intake.DocAttachment
		}
		return nil
	})
}

// Attachments lists an application's documents, oldest first, and their
// total.
func (s *Store) Attachments(ctx context.Context, orgID, applicationID int64, offset, limit int) ([]*intake.Attachment, int, error) {
	total, err := s.count(ctx, `SELECT count(*) FROM attachments WHERE application_id = ? AND org_id = ?`, applicationID, orgID)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.query(ctx, `SELECT id, application_id, blob_key, file_name, content_type, size, sha256,
			source_url, created_at
		FROM attachments WHERE application_id = ? AND org_id = ? ORDER BY id LIMIT ? OFFSET ?`,
		applicationID, orgID, limit, offset)
	out, err := collect(s, rows, err, "documents", func(r scanner) (*intake.Attachment, error) {
		d := &intake.Attachment{OrgID: orgID}
		var at int64
		err := r.Scan(&d.ID, &d.ApplicationID, &d.BlobKey, &d.FileName, &d.ContentType, &d.Size, &d.SHA256, &d.SourceURL, &at)
		d.Kind, d.CreatedAt = intake.DocAttachment, fromMS(at)
		return d, err
	})
	return out, total, err
}
