package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"intake"
)

// SearchApplications lists the organization's applications matching f,
// oldest first, at most f.Limit. An email search goes through the
// persons_email and applications_person indexes; a date search through
// applications_created.
func (s *Store) SearchApplications(ctx context.Context, f intake.SearchFilter) ([]*intake.Application, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	if f.Limit <= 0 || (f.StageIDs != nil && len(f.StageIDs) == 0) {
		return []*intake.Application{}, nil
	}
	var b strings.Builder
	args := make([]any, 0, 12)
	b.WriteString(applicationSelect)
	b.WriteString(` WHERE a.org_id = ?`)
	args = append(args, f.OrgID)
	cond := func(sql string, arg any) {
		b.WriteString(` AND `)
		b.WriteString(sql)
		args = append(args, arg)
	}
	if f.Email != nil {
		// The person's org and the partial index's condition let the
		// planner start from persons_email.
		cond(`p.org_id = ?`, f.OrgID)
		cond(`p.email_norm = ?`, normEmail(*f.Email))
		b.WriteString(` AND p.email_norm <> ''`)
	}
	if f.Firstname != nil {
		cond(`lower(p.firstname) = ?`, strings.ToLower(strings.TrimSpace(*f.Firstname)))
	}
	if f.Lastname != nil {
		cond(`lower(p.lastname) = ?`, strings.ToLower(strings.TrimSpace(*f.Lastname)))
	}
	if f.JobID != nil {
		cond(`a.job_id = ?`, *f.JobID)
	}
	if f.StageIDs != nil {
		b.WriteString(` AND a.stage_id IN (?` + strings.Repeat(`, ?`, len(f.StageIDs)-1) + `)`)
		for _, id := range f.StageIDs {
			args = append(args, id)
		}
	}
	if f.CreatedFrom != nil {
		cond(`a.created_at >= ?`, ms(*f.CreatedFrom))
	}
	if f.CreatedBefore != nil {
		cond(`a.created_at < ?`, ms(*f.CreatedBefore))
	}
	if f.CreatedByKey != nil {
		cond(`a.created_by_key = ?`, *f.CreatedByKey)
	}
	if f.Email != nil || f.Firstname != nil || f.Lastname != nil {
		// A person's few applications are sorted after the lookup: an
		// ORDER BY the planner could serve from applications_created
		// makes it walk the whole organization in date order instead of
		// starting from the person (35 ms at 20,000 applicants, against
		// tens of microseconds). The unary + hides the column from it.
		b.WriteString(` ORDER BY +a.created_at, a.id LIMIT ?`)
	} else {
		b.WriteString(` ORDER BY a.created_at, a.id LIMIT ?`)
	}
	args = append(args, f.Limit)
	query := b.String()
	// Stage lists vary in length; only the fixed-shape queries are kept
	// prepared, so the cache stays bounded.
	run := s.rdb.QueryContext
	if f.StageIDs == nil {
		st, err := s.r.lists.get(ctx, query)
		if err != nil {
			return nil, s.readError(err, "applications")
		}
		run = func(ctx context.Context, _ string, args ...any) (*sql.Rows, error) {
			return st.QueryContext(ctx, args...)
		}
	}
	rows, err := run(ctx, query, args...)
	if err != nil {
		return nil, s.readError(err, "applications")
	}
	defer rows.Close()
	out := []*intake.Application{}
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, s.readError(err, "applications")
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, s.readError(err, "applications")
	}
	return out, nil
}
