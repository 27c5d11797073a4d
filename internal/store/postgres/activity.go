package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"intake"
)

// ownedApplication checks, inside a transaction, that an application
// belongs to the organization, and locks it so that its rows are written
// in order. Errors: ENotFound.
func ownedApplication(ctx context.Context, tx pgx.Tx, orgID, appID int64) error {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM applications WHERE id = $1 AND org_id = $2 FOR SHARE`, appID, orgID).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return intake.Errorf(intake.ENotFound, "application not found")
	}
	return err
}

// count runs a count query.
func count(ctx context.Context, q querier, sql string, args ...any) (int, error) {
	var n int64
	err := q.QueryRow(ctx, sql, args...).Scan(&n)
	return int(n), err
}

// JobMoves lists the moves into or out of a job of the organization,
// oldest first, and their total (kept in job_move_counts).
func (s *Store) JobMoves(ctx context.Context, orgID, jobID int64, offset, limit int) ([]intake.Move, int, error) {
	var (
		out   []intake.Move
		total int
	)
	err := s.tx(ctx, snapshot, func(ctx context.Context, tx pgx.Tx) error {
		var err error
		total, err = count(ctx, tx, `SELECT coalesce(sum(c.total), 0) FROM job_move_counts c
			JOIN jobs j ON j.id = c.job_id WHERE c.job_id = $1 AND j.org_id = $2`, jobID, orgID)
		if err != nil || total == 0 || limit <= 0 {
			out = []intake.Move{}
			return err
		}
		rows, err := tx.Query(ctx, `SELECT m.id, m.application_id, m.from_stage_id, m.to_stage_id, m.from_job_id,
				m.to_job_id, m.kind, m.created_at, a.reference
			FROM (SELECT id FROM (
					(SELECT id FROM moves WHERE to_job_id = $1 ORDER BY id LIMIT $2::bigint + $3::bigint)
					UNION ALL
					(SELECT id FROM moves WHERE from_job_id = $1 AND from_job_id <> to_job_id ORDER BY id LIMIT $2::bigint + $3::bigint)
				) u ORDER BY id LIMIT $2 OFFSET $3) p
			JOIN moves m ON m.id = p.id
			JOIN applications a ON a.id = m.application_id
			WHERE a.org_id = $4
			ORDER BY m.id`, jobID, limit, offset, orgID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (intake.Move, error) {
			var m intake.Move
			err := r.Scan(&m.ID, &m.ApplicationID, &m.FromStageID, &m.ToStageID, &m.FromJobID, &m.ToJobID,
				&m.Kind, &m.CreatedAt, &m.Reference)
			m.CreatedAt = fromDB(m.CreatedAt)
			return m, err
		})
		return err
	})
	return out, total, err
}

// CreateAttachments stores the documents of one application in one
// transaction. Errors: ENotFound (application).
func (s *Store) CreateAttachments(ctx context.Context, orgID int64, docs []*intake.Attachment) error {
	return s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		for _, d := range docs {
			if err := ownedApplication(ctx, tx, orgID, d.ApplicationID); err != nil {
				return err
			}
			err := tx.QueryRow(ctx, `INSERT INTO attachments (org_id, application_id, blob_key, file_name,
					content_type, size, sha256, source_url, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, orgID, d.ApplicationID, d.BlobKey,
				d.FileName, d.ContentType, d.Size, d.SHA256, d.SourceURL, toDB(d.CreatedAt)).Scan(&d.ID)
			if err != nil {
				return err
			}
			d.OrgID, d.Kind = orgID, intake.DocAttachment
		}
		return nil
	})
}

// Attachments lists an application's documents, oldest first, and their
// total.
func (s *Store) Attachments(ctx context.Context, orgID, applicationID int64, offset, limit int) ([]*intake.Attachment, int, error) {
	var (
		out   []*intake.Attachment
		total int
	)
	err := s.tx(ctx, snapshot, func(ctx context.Context, tx pgx.Tx) error {
		var err error
		total, err = count(ctx, tx, `SELECT count(*) FROM attachments WHERE application_id = $1 AND org_id = $2`,
			applicationID, orgID)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, application_id, blob_key, file_name, content_type, size, sha256,
				source_url, created_at
			FROM attachments WHERE application_id = $1 AND org_id = $2 ORDER BY id LIMIT $3 OFFSET $4`,
			applicationID, orgID, limit, offset)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Attachment, error) {
			d := &intake.Attachment{OrgID: orgID}
			err := r.Scan(&d.ID, &d.ApplicationID, &d.BlobKey, &d.FileName, &d.ContentType, &d.Size, &d.SHA256,
				&d.SourceURL, &d.CreatedAt)
			d.Kind, d.CreatedAt = intake.DocAttachment, fromDB(d.CreatedAt)
			return d, err
		})
		return err
	})
	if out == nil {
		out = []*intake.Attachment{}
	}
	return out, total, err
}
