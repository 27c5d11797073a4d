package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"intake"
	"strings"
)

// Applications lists the organization's matching applications, oldest
// (lowest id) first, and the number of matches ignoring Offset and Limit.
func (s *Store) Applications(ctx context.Context, f intake.ApplicationFilter) ([]*intake.Application, int, error) {
	where, args := applicationWhere(f)
	count := `SELECT count(*) FROM applications a`
	if f.Email != nil {
		count += ` JOIN persons p ON p.id = a.person_id`
	}
	var (
		out   []*intake.Application
		total int
	)
	if s.closed.Load() {
		return nil, 0, errClosed
	}
	// Prepared before the transaction takes its connection (stmtCache.get).
	countStmt := s.r.jobTotal
	if !f.WholeJob() {
		st, err := s.r.lists.get(ctx, count+where)
		if err != nil {
			return nil, 0, s.readError(err, "applications")
		}
		countStmt = st
	}
	pageStmt, err := s.r.lists.get(ctx, applicationSelect+where+` ORDER BY a.id LIMIT ? OFFSET ?`)
	if err != nil {
		return nil, 0, s.readError(err, "applications")
	}
	err = s.read(ctx, func(tx *sql.Tx) error {
		if f.WholeJob() {
			// The triggers' count of the job (0002_job_counts.sql); the
			// join keeps another organization's job at zero.
			err := tx.StmtContext(ctx, countStmt).QueryRowContext(ctx, *f.JobID, f.OrgID).Scan(&total)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		} else if err := tx.StmtContext(ctx, countStmt).QueryRowContext(ctx, args...).Scan(&total); err != nil {
			return err
		}
		offset := max(f.Offset, 0)
		if f.Limit <= 0 || offset >= total {
			return nil
		}
		rows, err := tx.StmtContext(ctx, pageStmt).QueryContext(ctx, append(args, f.Limit, offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanApplication(rows)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, s.readError(err, "applications")
	}
	return out, total, nil
}

func applicationWhere(f intake.ApplicationFilter) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, 12)
	b.WriteString(` WHERE a.org_id = ?`)
	args = append(args, f.OrgID)
	cond := func(sql string, arg any) {
		b.WriteString(` AND `)
		b.WriteString(sql)
		args = append(args, arg)
	}
	if f.JobID != nil {
		cond(`a.job_id = ?`, *f.JobID)
	}
	if f.Email != nil {
		cond(`p.org_id = ?`, f.OrgID)
		cond(`p.email_norm = ?`, normEmail(*f.Email))
		if *f.Email != "" {
			// Lets the planner use the partial index on email_norm.
			b.WriteString(` AND p.email_norm <> ''`)
		}
	}
	if f.Origin != nil {
		cond(`a.origin = ?`, *f.Origin)
	}
	if f.Referrer != nil {
		cond(`a.referrer = ?`, *f.Referrer)
	}
	if f.StageID != nil {
		cond(`a.stage_id = ?`, *f.StageID)
	}
	if f.Archived != nil {
		cond(`a.archived = ?`, *f.Archived)
	}
	if f.CreatedAfter != nil {
		cond(`a.created_at > ?`, ms(*f.CreatedAfter))
	}
	if f.UpdatedAfter != nil {
		cond(`a.updated_at > ?`, ms(*f.UpdatedAfter))
	}
	if f.CreatedByKey != nil {
		cond(`a.created_by_key = ?`, *f.CreatedByKey)
	}
	return b.String(), args
}
