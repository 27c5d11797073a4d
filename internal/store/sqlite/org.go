package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"intake"
)

const orgColumns = `o.id, o.name, o.reference, o.company_key, o.slug, o.created_at, o.updated_at`

const (
	orgsSQL      = `SELECT ` + orgColumns + `, o.content FROM orgs o ORDER BY o.name, o.id`
	orgBySlugSQL = `SELECT ` + orgColumns + `, o.content FROM orgs o WHERE o.slug = ?`
	orgByRefSQL  = `SELECT ` + orgColumns + `, o.content FROM orgs o WHERE o.reference = ?`
)

// orgDest returns the scan destinations for orgColumns into o.
func orgDest(o *intake.Org, created, updated *int64) []any {
	return []any{&o.ID, &o.Name, &o.Reference, &o.CompanyKey, &o.Slug, created, updated}
}

// scanOrg reads orgColumns and the content column.
func scanOrg(sc scanner) (*intake.Org, error) {
	var (
		o                intake.Org
		created, updated int64
		content          string
	)
	if err := sc.Scan(append(orgDest(&o, &created, &updated), &content)...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(content), &o.Content); err != nil {
		return nil, fmt.Errorf("decode organization content: %w", err)
	}
	o.CreatedAt, o.UpdatedAt = fromMS(created), fromMS(updated)
	return &o, nil
}

// Orgs lists every organization, by name.
func (s *Store) Orgs(ctx context.Context) ([]*intake.Org, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	rows, err := s.r.orgs.QueryContext(ctx)
	if err != nil {
		return nil, s.readError(err, "organizations")
	}
	defer rows.Close()
	var out []*intake.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, s.readError(err, "organizations")
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, s.readError(err, "organizations")
	}
	return out, nil
}

// OrgBySlug finds an organization by its career-site slug. Errors: ENotFound.
func (s *Store) OrgBySlug(ctx context.Context, slug string) (*intake.Org, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	o, err := scanOrg(s.r.orgBySlug.QueryRowContext(ctx, slug))
	if err != nil {
		return nil, s.readError(err, "organization")
	}
	return o, nil
}
