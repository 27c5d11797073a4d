package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"intake"
)

const orgColumns = "o.id, o.name, o.reference, o.company_key, o.slug, o.created_at, o.updated_at"

// scanOrg reads orgColumns and the content column.
func scanOrg(row pgx.Row) (*intake.Org, error) {
	var (
		o       intake.Org
		content []byte
	)
	err := row.Scan(&o.ID, &o.Name, &o.Reference, &o.CompanyKey, &o.Slug, &o.CreatedAt, &o.UpdatedAt, &content)
	if err != nil {
		return nil, err
	}
	if err := fromJSONB(content, &o.Content); err != nil {
		return nil, err
	}
	o.CreatedAt, o.UpdatedAt = fromDB(o.CreatedAt), fromDB(o.UpdatedAt)
	return &o, nil
}

// Orgs lists every organization, by name.
func (s *Store) Orgs(ctx context.Context) ([]*intake.Org, error) {
	var out []*intake.Org
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, "SELECT "+orgColumns+", o.content FROM orgs o ORDER BY o.name, o.id")
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Org, error) { return scanOrg(r) })
		return err
	})
	return out, err
}

// OrgBySlug finds an organization by its career-site slug. Errors: ENotFound.
func (s *Store) OrgBySlug(ctx context.Context, slug string) (*intake.Org, error) {
	var out *intake.Org
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		o, err := scanOrg(q.QueryRow(ctx, "SELECT "+orgColumns+", o.content FROM orgs o WHERE o.slug = $1", slug))
		if errors.Is(err, pgx.ErrNoRows) {
			return intake.Errorf(intake.ENotFound, "organization not found")
		}
		out = o
		return err
	})
	return out, err
}
