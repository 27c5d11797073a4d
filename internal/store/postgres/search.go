package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"intake"
)

// SearchApplications lists the organization's applications matching f,
// oldest first, at most f.Limit. An email search goes through
// people_org_email_key and applications_person_idx; a date search through
// applications_org_created_idx.
func (s *Store) SearchApplications(ctx context.Context, f intake.SearchFilter) ([]*intake.Application, error) {
	if f.Limit <= 0 || (f.StageIDs != nil && len(f.StageIDs) == 0) {
		return []*intake.Application{}, nil
	}
	conds := []string{"a.org_id = $1"}
	args := []any{f.OrgID}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.Email != nil {
		// The index's own expression and condition, so the planner uses it.
		add("p.org_id = ?", f.OrgID)
		add("lower(p.email) = lower(?)", *f.Email)
		conds = append(conds, "p.email <> ''")
	}
	if f.Firstname != nil {
		add("lower(p.firstname) = lower(?)", strings.TrimSpace(*f.Firstname))
	}
	if f.Lastname != nil {
		add("lower(p.lastname) = lower(?)", strings.TrimSpace(*f.Lastname))
	}
	if f.JobID != nil {
		add("a.job_id = ?", *f.JobID)
	}
	if f.StageIDs != nil {
		add("a.stage_id = ANY(?)", f.StageIDs)
	}
	if f.CreatedFrom != nil {
		add("a.created_at >= ?", toDB(*f.CreatedFrom))
	}
	if f.CreatedBefore != nil {
		add("a.created_at < ?", toDB(*f.CreatedBefore))
	}
	if f.CreatedByKey != nil {
		add("a.created_by_key = ?", *f.CreatedByKey)
	}
	args = append(args, f.Limit)
	query := fmt.Sprintf("%sWHERE %s ORDER BY a.created_at, a.id LIMIT $%d", appSelect, strings.Join(conds, " AND "), len(args))
	var out []*intake.Application
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Application, error) { return scanApplication(r) })
		return err
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []*intake.Application{}
	}
	return out, nil
}
