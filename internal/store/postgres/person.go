package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"intake"
)

const personColumns = "p.id, p.org_id, p.email, p.firstname, p.lastname, p.civility, p.phone, p.subtitle, p.media"

// personDest returns the scan destinations of personColumns; media must be
// decoded afterwards with fromJSONB.
func personDest(p *intake.Person, media *[]byte) []any {
	return []any{&p.ID, &p.OrgID, &p.Email, &p.Firstname, &p.Lastname, &p.Civility, &p.Phone, &p.Subtitle, media}
}

// upsertPerson stores the person of a new application and returns the row
// as stored. A person with an email is matched case-insensitively within
// the organization; the match takes the email spelling, the non-empty fields
// and the media links of p, the latest application being the freshest
// profile. A person without an email is never matched.
func upsertPerson(ctx context.Context, tx pgx.Tx, p *intake.Person) (intake.Person, error) {
	media, err := jsonb(p.Media)
	if err != nil {
		return intake.Person{}, err
	}
	insert := `INSERT INTO people AS p (org_id, email, firstname, lastname, civility, phone, subtitle, media)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	if p.Email != "" {
		// The conflict target repeats the partial unique index's
		// expression and predicate so PostgreSQL can infer it.
		insert += ` ON CONFLICT (org_id, lower(email)) WHERE email <> '' DO UPDATE SET
			email = excluded.email,
			firstname = coalesce(nullif(excluded.firstname, ''), p.firstname),
			lastname = coalesce(nullif(excluded.lastname, ''), p.lastname),
			civility = coalesce(nullif(excluded.civility, ''), p.civility),
			phone = coalesce(nullif(excluded.phone, ''), p.phone),
			subtitle = coalesce(nullif(excluded.subtitle, ''), p.subtitle),
			media = CASE
				WHEN jsonb_typeof(excluded.media) <> 'object' OR excluded.media = '{}' THEN p.media
				WHEN jsonb_typeof(p.media) <> 'object' THEN excluded.media
				ELSE p.media || excluded.media END`
	}
	var (
		out      intake.Person
		outMedia []byte
	)
	err = tx.QueryRow(ctx, insert+" RETURNING "+personColumns,
		p.OrgID, p.Email, p.Firstname, p.Lastname, p.Civility, p.Phone, p.Subtitle, media,
	).Scan(personDest(&out, &outMedia)...)
	if err != nil {
		return out, err
	}
	return out, fromJSONB(outMedia, &out.Media)
}

// updatePerson saves the person of an updated application. Errors: EConflict
// (Fields["email"]) when the email belongs to another person.
func updatePerson(ctx context.Context, tx pgx.Tx, p *intake.Person) error {
	media, err := jsonb(p.Media)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE people SET email = $3, firstname = $4, lastname = $5, civility = $6,
		phone = $7, subtitle = $8, media = $9 WHERE org_id = $1 AND id = $2`,
		p.OrgID, p.ID, p.Email, p.Firstname, p.Lastname, p.Civility, p.Phone, p.Subtitle, media)
	return err
}
