package intake

import (
	"cmp"
	"context"
	"slices"
	"strings"
)

// Limits of a search across an organization.
const (
	// MaxFindText bounds the text searched for, in bytes.
	MaxFindText = 200
	// MaxFindDepth bounds Offset+Limit: each kind of match is read up to
	// that many rows, so a page costs at most this much however many
	// candidates match.
	MaxFindDepth = 1000
	// MaxFindJobs bounds how many jobs whose title matches are searched.
	MaxFindJobs = 50
)

// FindMatch is why an application was found; it is also the first sort
// key of the results.
type FindMatch int

// The kinds of match, best first.
const (
	// FindPerson: the person's email, "first last" or "last first" name
	// starts with the text (case folded).
	FindPerson FindMatch = iota
	// FindTag: one of the application's tags starts with the text.
	FindTag
	// FindJob: the title of the application's job contains the text.
	FindJob
)

// FindStore is the part of Store serving searches and charts.
type FindStore interface {
	// FindApplications returns the applications of q.OrgID matching
	// q.Text as FindCandidates describes (job titles through q.JobIDs),
	// in FindKey order, at most q.Limit after skipping q.Offset.
	FindApplications(ctx context.Context, q FindQuery) ([]FindHit, error)
	// FunnelCounts counts a job's applications per stage, archived apart;
	// stages holding none are left out. Errors: ENotFound (job of another
	// organization or unknown).
	FunnelCounts(ctx context.Context, orgID, jobID int64) ([]StageCount, error)
	// DayCounts counts applications created per UTC day and source in
	// [f.From, f.To) (days), of one job or, with JobID nil, the whole
	// organization; days without any are left out. Ordered by day, then
	// source.
	DayCounts(ctx context.Context, f DayCountFilter) ([]DayCount, error)
}

// FindQuery asks a store for an organization's applications matching one
// text. The stores fold the text's case themselves (the way their indexes
// fold the columns); the Service matches job titles and passes JobIDs.
type FindQuery struct {
	OrgID  int64
	Text   string
	JobIDs []int64
	// CreatedByKey keeps only the applications created through this key
	// (keys that read only their own candidates).
	CreatedByKey *int64
	Offset       int
	Limit        int
}

// FindHit is one application found and the best way it matched.
type FindHit struct {
	Application *Application
	Match       FindMatch
}

// FindKey is where an application sorts among the results: by Match, then
// Text (the matched email, name or tag as the store folded it, compared
// byte-wise), then Tie (the person's id, 0 for tags and jobs), then newest
// application first. An application matching several ways sorts at its
// smallest key.
type FindKey struct {
	Match         FindMatch
	Text          string
	Tie           int64
	ApplicationID int64
}

// Compare orders keys as results are shown.
func (k FindKey) Compare(o FindKey) int {
	if c := cmp.Compare(k.Match, o.Match); c != 0 {
		return c
	}
	if c := strings.Compare(k.Text, o.Text); c != 0 {
		return c
	}
	if c := cmp.Compare(k.Tie, o.Tie); c != 0 {
		return c
	}
	return cmp.Compare(o.ApplicationID, k.ApplicationID)
}

// MergeFindKeys merges the keys read by each of a store's scans, each scan
// in ascending key order and cut after offset+limit distinct applications
// (CutFindScan), into the page [offset, offset+limit) of the whole result.
// The cut loses nothing: an application past a scan's cut has
// offset+limit others ahead of it.
func MergeFindKeys(offset, limit int, scans ...[]FindKey) []FindKey {
	best := map[int64]FindKey{}
	for _, scan := range scans {
		for _, k := range scan {
			if b, ok := best[k.ApplicationID]; !ok || k.Compare(b) < 0 {
				best[k.ApplicationID] = k
			}
		}
	}
	all := make([]FindKey, 0, len(best))
	for _, k := range best {
		all = append(all, k)
	}
	slices.SortFunc(all, FindKey.Compare)
	if offset >= len(all) {
		return nil
	}
	return all[offset:min(len(all), offset+limit)]
}

// CutFindScan returns the head of a scan (in ascending key order) holding
// its first depth distinct applications. A scan may list an application twice:
// one of its tags each.
func CutFindScan(scan []FindKey, depth int) []FindKey {
	seen := make(map[int64]bool, depth)
	for i, k := range scan {
		if !seen[k.ApplicationID] {
			if len(seen) == depth {
				return scan[:i]
			}
			seen[k.ApplicationID] = true
		}
	}
	return scan
}

// FindPrefixEnd returns the smallest string greater than every string that
// starts with prefix, in byte (code point) order: prefix with U+10FFFF,
// the greatest code point, appended. Stores bound prefix ranges with it.
func FindPrefixEnd(prefix string) string { return prefix + "\U0010FFFF" }

// FindText trims the text searched for and collapses its inner spaces.
func FindText(text string) string { return strings.Join(strings.Fields(text), " ") }

// FindResult is a page of search results.
type FindResult struct {
	Hits []FindCandidate
	// More says a next page exists.
	More bool
}

// FindCandidate is one candidate found.
type FindCandidate struct {
	*Candidate
	Match FindMatch
}

// FindCandidates searches the principal's organization for candidates
// whose email or name starts with text, one of whose tags starts with it,
// or whose job's title contains it (all case-insensitive), archived ones
// included. Results are ordered by FindKey; offset and limit page them.
// Errors: EForbidden (scope); EInvalid for an empty or too long text, or
// a page past MaxFindDepth.
func (s *Service) FindCandidates(ctx context.Context, p *Principal, text string, offset, limit int) (*FindResult, error) {
	ok, own := p.canRead()
	if !ok {
		return nil, p.Allow(ActionRead)
	}
	text = FindText(text)
	switch {
	case text == "":
		return nil, Errorf(EInvalid, "Type something to search for.")
	case len(text) > MaxFindText:
		return nil, Errorf(EInvalid, "The text searched for is longer than %d characters.", MaxFindText)
	case offset < 0 || limit < 1 || offset+limit > MaxFindDepth:
		return nil, Errorf(EInvalid, "Only the first %d results can be shown: search for something more precise.", MaxFindDepth)
	}
	jobs, err := s.store.Jobs(ctx, p.Org.ID)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*Job, len(jobs))
	q := FindQuery{OrgID: p.Org.ID, Text: text, Offset: offset, Limit: limit + 1}
	folded := foldTitle(text)
	for _, j := range jobs {
		byID[j.ID] = j
		if len(q.JobIDs) < MaxFindJobs && strings.Contains(foldTitle(j.Title), folded) {
			q.JobIDs = append(q.JobIDs, j.ID)
		}
	}
	if own {
		q.CreatedByKey = &p.Key.ID
	}
	hits, err := s.store.FindApplications(ctx, q)
	if err != nil {
		return nil, err
	}
	res := &FindResult{More: len(hits) > limit}
	for _, h := range hits[:min(len(hits), limit)] {
		j, ok := byID[h.Application.JobID]
		if !ok {
			// A job created after the list was read: find it alone.
			if j, err = s.store.Job(ctx, p.Org.ID, h.Application.JobID); err != nil {
				return nil, err
			}
		}
		res.Hits = append(res.Hits, FindCandidate{Candidate: &Candidate{Application: h.Application, Job: j, Org: p.Org}, Match: h.Match})
	}
	return res, nil
}

// foldTitle folds case for matching job titles, Unicode-wide: titles are
// few and matched here, not in a store.
func foldTitle(s string) string { return strings.ToLower(s) }
