package sqlite

import (
	"strings"

	"intake"
)

const (
	// insertPersonSQL is the common case, a new person, as an Exec: no
	// result rows to allocate. A conflict changes nothing and falls back
	// to upsertPersonSQL.
	insertPersonSQL = `INSERT INTO persons (org_id, email, email_norm, firstname, lastname, civility, phone, subtitle, media)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, email_norm) WHERE email_norm <> '' DO NOTHING`

	// A person without email never conflicts (the unique index skips
	// them), so each such application gets its own person.
	upsertPersonSQL = `INSERT INTO persons (org_id, email, email_norm, firstname, lastname, civility, phone, subtitle, media)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, email_norm) WHERE email_norm <> '' DO UPDATE SET
			email     = excluded.email,
			firstname = iif(excluded.firstname <> '', excluded.firstname, firstname),
			lastname  = iif(excluded.lastname <> '', excluded.lastname, lastname),
			civility  = iif(excluded.civility <> '', excluded.civility, civility),
			phone     = iif(excluded.phone <> '', excluded.phone, phone),
			subtitle  = iif(excluded.subtitle <> '', excluded.subtitle, subtitle),
			media     = json_patch(media, excluded.media)
		RETURNING id`

	updatePersonSQL = `UPDATE persons SET email = ?, email_norm = ?, firstname = ?, lastname = ?,
		civility = ?, phone = ?, subtitle = ?, media = ? WHERE id = ?`
)

// normEmail is the form persons are matched by. Computed here rather than
// with SQL lower(), which folds ASCII only.
func normEmail(email string) string { return strings.ToLower(email) }

// savePerson creates the person of an application or merges it into the
// organization's person with the same email, and returns its id.
func (tx *wtx) savePerson(orgID int64, p *intake.Person) (int64, error) {
	media, err := jsonMedia(p.Media)
	if err != nil {
		return 0, storeError(err, "cannot encode media")
	}
	norm := normEmail(p.Email)
	res, err := tx.st.insertPerson.ExecContext(tx.ctx, orgID, p.Email, norm, p.Firstname,
		p.Lastname, p.Civility, p.Phone, p.Subtitle, media)
	if err != nil {
		return 0, storeError(err, "cannot save the candidate")
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, storeError(err, "cannot save the candidate")
	} else if n == 1 {
		id, err := res.LastInsertId()
		return id, storeError(err, "cannot save the candidate")
	}
	var id int64
	err = tx.st.upsertPerson.QueryRowContext(tx.ctx, orgID, p.Email, norm, p.Firstname,
		p.Lastname, p.Civility, p.Phone, p.Subtitle, media).Scan(&id)
	if err != nil {
		return 0, storeError(err, "cannot save the candidate")
	}
	return id, nil
}

// updatePerson writes every field of p. Errors: EConflict when the email
// is another person's.
func (tx *wtx) updatePerson(p *intake.Person) error {
	media, err := jsonMedia(p.Media)
	if err != nil {
		return storeError(err, "cannot encode media")
	}
	_, err = tx.st.updatePerson.ExecContext(tx.ctx, p.Email, normEmail(p.Email), p.Firstname, p.Lastname,
		p.Civility, p.Phone, p.Subtitle, media, p.ID)
	return storeError(err, "email belongs to another candidate")
}
