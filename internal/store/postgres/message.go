package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"intake"
)

// CreateMessage stores a message. Errors: ENotFound (application).
func (s *Store) CreateMessage(ctx context.Context, m *intake.Message) error {
	to, err := jsonb(m.To)
	if err != nil {
		return err
	}
	err = s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		if err := ownedApplication(ctx, tx, m.OrgID, m.ApplicationID); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO messages (org_id, application_id, author, author_key_id, from_email,
				recipients, subject, body, html, source, status, error, sent_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			m.OrgID, m.ApplicationID, m.Author, m.AuthorKeyID, m.FromEmail, to, m.Subject, m.Body, m.HTML,
			string(m.Source), string(m.Sending.Status), m.Sending.Error, toDBPtr(m.Sending.SentAt),
			toDB(m.CreatedAt)).Scan(&m.ID)
		if err != nil {
			return err
		}
		return insertEvents(ctx, tx, m.ApplicationID, m.Events)
	})
	if err == nil {
		m.Events = nil
	}
	return err
}

// SetMessageDelivery records the outcome of sending a message.
// Errors: ENotFound.
func (s *Store) SetMessageDelivery(ctx context.Context, orgID, messageID int64, d intake.Sending) error {
	return s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE messages SET status = $1, error = $2, sent_at = $3 WHERE id = $4 AND org_id = $5`,
			string(d.Status), d.Error, toDBPtr(d.SentAt), messageID, orgID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return intake.Errorf(intake.ENotFound, "message not found")
		}
		return nil
	})
}

// Messages lists an application's messages, oldest first, and their total.
func (s *Store) Messages(ctx context.Context, orgID, applicationID int64, offset, limit int) ([]*intake.Message, int, error) {
	out := []*intake.Message{}
	var total int
	err := s.tx(ctx, snapshot, func(ctx context.Context, tx pgx.Tx) error {
		var err error
		total, err = count(ctx, tx, `SELECT count(*) FROM messages WHERE application_id = $1 AND org_id = $2`,
			applicationID, orgID)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, org_id, application_id, author, author_key_id, from_email, recipients,
				subject, body, html, source, status, error, sent_at, created_at
			FROM messages WHERE application_id = $1 AND org_id = $2 ORDER BY id LIMIT $3 OFFSET $4`,
			applicationID, orgID, limit, offset)
		if err != nil {
			return err
		}
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Message, error) {
			var (
				m  intake.Message
				to []byte
			)
			err := r.Scan(&m.ID, &m.OrgID, &m.ApplicationID, &m.Author, &m.AuthorKeyID, &m.FromEmail, &to,
				&m.Subject, &m.Body, &m.HTML, &m.Source, &m.Sending.Status, &m.Sending.Error,
				&m.Sending.SentAt, &m.CreatedAt)
			if err != nil {
				return nil, err
			}
			m.CreatedAt, m.Sending.SentAt = fromDB(m.CreatedAt), fromDBPtr(m.Sending.SentAt)
			return &m, fromJSONB(to, &m.To)
		})
		if list != nil {
			out = list
		}
		return err
	})
	return out, total, err
}
