package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"intake"
)

// CreateMessage stores a message. Errors: ENotFound (application).
func (s *Store) CreateMessage(ctx context.Context, m *intake.Message) error {
	to, err := json.Marshal(m.To)
	if err != nil {
		return storeError(err, "cannot encode recipients")
	}
	err = s.w.do(ctx, func(tx *wtx) error {
		if err := tx.ownedApplication(m.OrgID, m.ApplicationID); err != nil {
			return err
		}
		res, err := tx.conn.ExecContext(tx.ctx, `INSERT INTO messages (org_id, application_id, author, author_key_id,
				from_email, recipients, subject, body, html, source, status, error, sent_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.OrgID, m.ApplicationID, m.Author, m.AuthorKeyID,
			m.FromEmail, string(to), m.Subject, m.Body, m.HTML, string(m.Source), string(m.Sending.Status),
			m.Sending.Error, nullMS(m.Sending.SentAt), ms(m.CreatedAt))
		if err != nil {
			return storeError(err, "cannot save message")
		}
		if m.ID, err = res.LastInsertId(); err != nil {
			return storeError(err, "cannot save message")
		}
		return tx.insertEvents(m.ApplicationID, m.Events)
	})
	if err == nil {
		m.Events = nil
	}
	return err
}

// SetMessageDelivery records the outcome of sending a message.
// Errors: ENotFound.
func (s *Store) SetMessageDelivery(ctx context.Context, orgID, messageID int64, d intake.Sending) error {
	return s.w.do(ctx, func(tx *wtx) error {
		res, err := tx.conn.ExecContext(tx.ctx, `UPDATE messages SET status = ?, error = ?, sent_at = ?
			WHERE id = ? AND org_id = ?`, string(d.Status), d.Error, nullMS(d.SentAt), messageID, orgID)
		if err != nil {
			return storeError(err, "cannot update message")
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return notFound(sql.ErrNoRows, "message")
		}
		return nil
	})
}

// Messages lists an application's messages, oldest first, and their total.
func (s *Store) Messages(ctx context.Context, orgID, applicationID int64, offset, limit int) ([]*intake.Message, int, error) {
	total, err := s.count(ctx, `SELECT count(*) FROM messages WHERE application_id = ? AND org_id = ?`, applicationID, orgID)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.query(ctx, `SELECT id, org_id, application_id, author, author_key_id, from_email, recipients,
			subject, body, html, source, status, error, sent_at, created_at
		FROM messages WHERE application_id = ? AND org_id = ? ORDER BY id LIMIT ? OFFSET ?`,
		applicationID, orgID, limit, offset)
	out, err := collect(s, rows, err, "messages", func(r scanner) (*intake.Message, error) {
		var (
			m      intake.Message
			to     string
			sentAt sql.Null[int64]
			at     int64
		)
		err := r.Scan(&m.ID, &m.OrgID, &m.ApplicationID, &m.Author, &m.AuthorKeyID, &m.FromEmail, &to, &m.Subject,
			&m.Body, &m.HTML, &m.Source, &m.Sending.Status, &m.Sending.Error, &sentAt, &at)
		if err != nil {
			return nil, err
		}
		m.CreatedAt = fromMS(at)
		m.Sending.SentAt = fromNullMS(sentAt)
		return &m, json.Unmarshal([]byte(to), &m.To)
	})
	return out, total, err
}
