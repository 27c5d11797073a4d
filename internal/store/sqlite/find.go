package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"intake"
)

// Each scan of FindApplications reads one index range in the order of
// intake.FindKey and stops after a page (see the 0090 migration). ?1 is
// the organization, ?2 and ?3 the range, ?4 the rows read, ?5 the creating key
// when the reader sees only its own candidates. The unary + keeps the
// planner on the range's index rather than on the key filter's.
const (
	findEmailSQL = `SELECT p.email_norm, p.id, a.id FROM persons p
	JOIN applications a ON a.person_id = p.id
	WHERE p.org_id = ?1 AND p.email_norm >= ?2 AND p.email_norm < ?3 AND p.email_norm <> ''%s
	ORDER BY p.email_norm, p.id, a.id DESC LIMIT ?4`
	findFirstLastSQL = `SELECT lower(p.firstname || ' ' || p.lastname), p.id, a.id FROM persons p
	JOIN applications a ON a.person_id = p.id
	WHERE p.org_id = ?1 AND lower(p.firstname || ' ' || p.lastname) >= lower(?2)
		AND lower(p.firstname || ' ' || p.lastname) < lower(?3)%s
	ORDER BY lower(p.firstname || ' ' || p.lastname), p.id, a.id DESC LIMIT ?4`
	findLastFirstSQL = `SELECT lower(p.lastname || ' ' || p.firstname), p.id, a.id FROM persons p
	JOIN applications a ON a.person_id = p.id
	WHERE p.org_id = ?1 AND lower(p.lastname || ' ' || p.firstname) >= lower(?2)
		AND lower(p.lastname || ' ' || p.firstname) < lower(?3)%s
	ORDER BY lower(p.lastname || ' ' || p.firstname), p.id, a.id DESC LIMIT ?4`
	findTagSQL = `SELECT t.tag, 0, t.application_id FROM application_tags t
	JOIN applications a ON a.id = t.application_id
	WHERE t.org_id = ?1 AND t.tag >= lower(?2) AND t.tag < lower(?3)%s
	ORDER BY t.tag, t.application_id DESC LIMIT ?4`
	// ?2 is the job; ?3 is unused.
	findJobSQL = `SELECT '', 0, a.id FROM applications a
	WHERE a.org_id = ?1 AND a.job_id = ?2 AND ?3 = ?3%s
	ORDER BY a.id DESC LIMIT ?4`

	findOwnFilter = ` AND +a.created_by_key = ?5`
)

func findSQL(query string, own bool) string {
	if own {
		return strings.Replace(query, "%s", findOwnFilter, 1)
	}
	return strings.Replace(query, "%s", "", 1)
}

// FindApplications searches an organization's applications by email, name,
// tag and job (intake.FindStore).
func (s *Store) FindApplications(ctx context.Context, q intake.FindQuery) ([]intake.FindHit, error) {
	if q.Limit <= 0 {
		return []intake.FindHit{}, nil
	}
	depth := q.Offset + q.Limit
	own := q.CreatedByKey != nil
	var key int64
	if own {
		key = *q.CreatedByKey
	}
	var hits []intake.FindHit
	err := s.read(ctx, func(tx *sql.Tx) error {
		scan := func(query string, match intake.FindMatch, from, to any, limit int) ([]intake.FindKey, error) {
			rows, err := tx.QueryContext(ctx, findSQL(query, own), q.OrgID, from, to, limit, key)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			var out []intake.FindKey
			for rows.Next() {
				k := intake.FindKey{Match: match}
				if err := rows.Scan(&k.Text, &k.Tie, &k.ApplicationID); err != nil {
					return nil, err
				}
				out = append(out, k)
			}
			return out, rows.Err()
		}
		end := intake.FindPrefixEnd(q.Text)
		var scans [][]intake.FindKey
		for _, sc := range []struct {
			query    string
			match    intake.FindMatch
			from, to any
		}{
			{findEmailSQL, intake.FindPerson, normEmail(q.Text), normEmail(end)},
			{findFirstLastSQL, intake.FindPerson, q.Text, end},
			{findLastFirstSQL, intake.FindPerson, q.Text, end},
		} {
			keys, err := scan(sc.query, sc.match, sc.from, sc.to, depth)
			if err != nil {
				return err
			}
			scans = append(scans, keys)
		}
		// An application may hold several matching tags, so depth rows
		// may hold fewer applications: read more until they do.
		for limit := 2 * depth; ; limit *= 2 {
			keys, err := scan(findTagSQL, intake.FindTag, q.Text, end, limit)
			if err != nil {
				return err
			}
			if cut := intake.CutFindScan(keys, depth); len(keys) < limit || len(cut) < len(keys) {
				scans = append(scans, cut)
				break
			}
		}
		for _, job := range q.JobIDs {
			keys, err := scan(findJobSQL, intake.FindJob, job, 0, depth)
			if err != nil {
				return err
			}
			scans = append(scans, keys)
		}
		page := intake.MergeFindKeys(q.Offset, q.Limit, scans...)
		if len(page) == 0 {
			return nil
		}
		apps, err := applicationsByID(ctx, tx, q.OrgID, page)
		if err != nil {
			return err
		}
		for _, k := range page {
			if a := apps[k.ApplicationID]; a != nil {
				hits = append(hits, intake.FindHit{Application: a, Match: k.Match})
			}
		}
		return nil
	})
	if err != nil {
		return nil, s.readError(err, "applications")
	}
	if hits == nil {
		hits = []intake.FindHit{}
	}
	return hits, nil
}

// applicationsByID reads the applications of a page of keys. The unary +
// keeps the planner on the ids: offered the organization's indexes it
// walked the organization instead (hundreds of milliseconds at a million).
func applicationsByID(ctx context.Context, tx *sql.Tx, orgID int64, page []intake.FindKey) (map[int64]*intake.Application, error) {
	args := make([]any, 0, len(page)+1)
	args = append(args, orgID)
	for _, k := range page {
		args = append(args, k.ApplicationID)
	}
	rows, err := tx.QueryContext(ctx, applicationSelect+` WHERE +a.org_id = ? AND a.id IN (?`+strings.Repeat(`, ?`, len(page)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]*intake.Application, len(page))
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, err
		}
		out[a.ID] = a
	}
	return out, rows.Err()
}
