package storetest

import (
	"fmt"
	"testing"
	"time"

	"intake"
)

func findTests() []test {
	return []test{
		{"Ranking", testFindRanking},
		{"Tags", testFindTags},
		{"Jobs", testFindJobs},
		{"Paging", testFindPaging},
		{"Isolation", testFindIsolation},
		{"Funnel", testFunnelCounts},
		{"Days", testDayCounts},
	}
}

// findWorld is org A's people for the search tests, plus a Jane Doe of
// org B whom no search of A may find.
type findWorld struct {
	f *fix
	// janeA1 and janeA2 are one person (jane@example.com) in both jobs.
	janeA1, janeA2, janet, marc, zoe, janeB *intake.Application
}

func seedFind(t *testing.T, s intake.Store) *findWorld {
	f := seed(t, s)
	w := &findWorld{f: f}
	person := func(a *intake.Application, first, last string, tags ...string) *intake.Application {
		a.Person.Firstname, a.Person.Lastname, a.Tags = first, last, tags
		return a
	}
	w.janeA1 = person(newApp(f.A, f.KeyA, f.A1, "Jane@Example.com", 1), "Jane", "Doe", "go", "remote")
	w.janeA2 = person(bareApp(f.A, f.A2, "jane@example.com", 2), "Jane", "Doe")
	w.janet = person(bareApp(f.A, f.A2, "janet@x.org", 3), "Janet", "Smith", "Golang")
	w.marc = person(bareApp(f.A, f.A1, "m@x.org", 4), "Marc", "Janeway", "senior")
	w.marc.Archived = true
	w.zoe = person(bareApp(f.A, f.A1, "zoe@jane.io", 5), "Zoé", "Ball")
	w.janeB = person(bareApp(f.B, f.B1, "jane@example.com", 6), "Jane", "Doe", "go")
	for _, a := range []*intake.Application{w.janeA1, w.janeA2, w.janet, w.marc, w.zoe, w.janeB} {
		create(t, s, a, nil)
	}
	return w
}

// find runs q (org A unless set, a page of 100 unless set) and compares the
// references and kinds of match found.
func find(t *testing.T, s intake.Store, w *findWorld, name string, q intake.FindQuery, want ...any) []intake.FindHit {
	t.Helper()
	if q.OrgID == 0 {
		q.OrgID = w.f.A.ID
	}
	if q.Limit == 0 {
		q.Limit = 100
	}
	hits, err := s.FindApplications(t.Context(), q)
	noErr(t, name, err)
	var got, exp []string
	for _, h := range hits {
		got = append(got, fmt.Sprintf("%s %d", h.Application.Reference, h.Match))
	}
	for i := 0; i < len(want); i += 2 {
		exp = append(exp, fmt.Sprintf("%s %d", want[i].(*intake.Application).Reference, want[i+1].(intake.FindMatch)))
	}
	equal(t, name, exp, got)
	return hits
}

func testFindRanking(t *testing.T, s intake.Store) {
	w := seedFind(t, s)
	P := intake.FindPerson
	// Person matches sort by the text matched ("jane doe" < "janet smith"
	// < "janeway marc": a space sorts before letters), one person's
	// applications newest first.
	find(t, s, w, "first name prefix", intake.FindQuery{Text: "jane"},
		w.janeA2, P, w.janeA1, P, w.janet, P, w.marc, P)
	find(t, s, w, "case folded", intake.FindQuery{Text: "JANE DOE"}, w.janeA2, P, w.janeA1, P)
	find(t, s, w, "last name first", intake.FindQuery{Text: "doe j"}, w.janeA2, P, w.janeA1, P)
	find(t, s, w, "last name", intake.FindQuery{Text: "Janew"}, w.marc, P)
	find(t, s, w, "email prefix", intake.FindQuery{Text: "jane@"}, w.janeA2, P, w.janeA1, P)
	find(t, s, w, "email domain is not a prefix", intake.FindQuery{Text: "jane.io"})
	find(t, s, w, "whole email", intake.FindQuery{Text: "ZOE@jane.io"}, w.zoe, P)
	find(t, s, w, "non-ASCII name as written", intake.FindQuery{Text: "Zoé"}, w.zoe, P)
	find(t, s, w, "no match", intake.FindQuery{Text: "qqq"})
	hits := find(t, s, w, "archived found", intake.FindQuery{Text: "marc"}, w.marc, P)
	equal(t, "archived hit", true, hits[0].Application.Archived)
	equal(t, "whole application", getApp(t, s, w.f.A.ID, w.marc.Reference), hits[0].Application)
	find(t, s, w, "own candidates only", intake.FindQuery{Text: "jane", CreatedByKey: &w.f.KeyA.ID}, w.janeA1, P)
}

func testFindTags(t *testing.T, s intake.Store) {
	w := seedFind(t, s)
	T := intake.FindTag
	find(t, s, w, "tag prefix, by tag then newest", intake.FindQuery{Text: "go"}, w.janeA1, T, w.janet, T)
	find(t, s, w, "tag case folded", intake.FindQuery{Text: "GOLANG"}, w.janet, T)
	_, err := s.UpdateApplication(t.Context(), w.f.A.ID, w.janet.Reference, func(a *intake.Application) error {
		a.Tags = []string{"python"}
		return nil
	})
	noErr(t, "UpdateApplication", err)
	find(t, s, w, "old tag gone", intake.FindQuery{Text: "go"}, w.janeA1, T)
	find(t, s, w, "new tag", intake.FindQuery{Text: "py"}, w.janet, T)
	// A tag equal to a name prefix: the person match wins.
	_, err = s.UpdateApplication(t.Context(), w.f.A.ID, w.zoe.Reference, func(a *intake.Application) error {
		a.Tags = []string{"zoology"}
		return nil
	})
	noErr(t, "UpdateApplication", err)
	find(t, s, w, "person match before tag", intake.FindQuery{Text: "zo"}, w.zoe, intake.FindPerson)

	// Two tags of one application in the range: the scan's rows hold it
	// twice, and must still reach the third application of a page of 3.
	var apps []*intake.Application
	for i, tags := range [][]string{{"xa", "xb"}, {"xb"}, {"xc"}} {
		a := bareApp(w.f.A, w.f.A1, fmt.Sprintf("t%d@tags.test", i), 20+i)
		a.Tags = tags
		create(t, s, a, nil)
		apps = append(apps, a)
	}
	find(t, s, w, "an application with two matching tags", intake.FindQuery{Text: "x", Limit: 3},
		apps[0], T, apps[1], T, apps[2], T)
}

func testFindJobs(t *testing.T, s intake.Store) {
	w := seedFind(t, s)
	J := intake.FindJob
	find(t, s, w, "job, newest first", intake.FindQuery{Text: "qqq", JobIDs: []int64{w.f.A2.ID}}, w.janet, J, w.janeA2, J)
	find(t, s, w, "two jobs merged", intake.FindQuery{Text: "qqq", JobIDs: []int64{w.f.A1.ID, w.f.A2.ID}},
		w.zoe, J, w.marc, J, w.janet, J, w.janeA2, J, w.janeA1, J)
	// janeA1 matches by tag and by job: shown once, as a tag match.
	find(t, s, w, "tag before job, once", intake.FindQuery{Text: "go", JobIDs: []int64{w.f.A1.ID}},
		w.janeA1, intake.FindTag, w.janet, intake.FindTag, w.zoe, J, w.marc, J)
	find(t, s, w, "another organization's job finds nothing", intake.FindQuery{Text: "qqq", JobIDs: []int64{w.f.B1.ID}})
}

func testFindPaging(t *testing.T, s intake.Store) {
	w := seedFind(t, s)
	P := intake.FindPerson
	find(t, s, w, "page 2", intake.FindQuery{Text: "jane", Offset: 1, Limit: 2}, w.janeA1, P, w.janet, P)
	find(t, s, w, "last page", intake.FindQuery{Text: "jane", Offset: 3, Limit: 2}, w.marc, P)
	find(t, s, w, "past the end", intake.FindQuery{Text: "jane", Offset: 4, Limit: 2})
	// Many people sharing a name prefix, paged through: every page is the
	// next slice of the whole list.
	for i := range 30 {
		a := bareApp(w.f.A, w.f.A1, fmt.Sprintf("p%02d@many.test", i), 10+i)
		a.Person.Firstname, a.Person.Lastname = "Many", fmt.Sprintf("P%02d", 29-i)
		create(t, s, a, nil)
	}
	var all []string
	for off := 0; off < 40; off += 7 {
		hits, err := s.FindApplications(t.Context(), intake.FindQuery{OrgID: w.f.A.ID, Text: "many", Offset: off, Limit: 7})
		noErr(t, "FindApplications", err)
		for _, h := range hits {
			all = append(all, h.Application.Person.Lastname)
		}
	}
	var want []string
	for i := range 30 {
		want = append(want, fmt.Sprintf("P%02d", i))
	}
	equal(t, "pages in name order", want, all)
}

func testFindIsolation(t *testing.T, s intake.Store) {
	w := seedFind(t, s)
	find(t, s, w, "org B", intake.FindQuery{OrgID: w.f.B.ID, Text: "jane"}, w.janeB, intake.FindPerson)
	find(t, s, w, "org B tag", intake.FindQuery{OrgID: w.f.B.ID, Text: "go"}, w.janeB, intake.FindTag)
	find(t, s, w, "org B, org A's job", intake.FindQuery{OrgID: w.f.B.ID, Text: "qqq", JobIDs: []int64{w.f.A1.ID}})
}

func testFunnelCounts(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	st := f.A1.Stages
	var apps []*intake.Application
	for i, stage := range []int{0, 0, 0, 1, 1, 2} {
		a := bareApp(f.A, f.A1, fmt.Sprintf("f%d@x.test", i), i)
		a.StageID = st[stage].ID
		create(t, s, a, nil)
		apps = append(apps, a)
	}
	create(t, s, bareApp(f.A, f.A2, "other@x.test", 9), nil)
	create(t, s, bareApp(f.B, f.B1, "b@x.test", 9), nil)
	funnel := func(name string, want ...intake.StageCount) {
		t.Helper()
		got, err := s.FunnelCounts(ctx, f.A.ID, f.A1.ID)
		noErr(t, name, err)
		by := map[int64]intake.StageCount{}
		for _, c := range got {
			by[c.StageID] = c
		}
		wantBy := map[int64]intake.StageCount{}
		for _, c := range want {
			wantBy[c.StageID] = c
		}
		equal(t, name, wantBy, by)
	}
	funnel("created", intake.StageCount{StageID: st[0].ID, Active: 3}, intake.StageCount{StageID: st[1].ID, Active: 2},
		intake.StageCount{StageID: st[2].ID, Active: 1})
	update := func(a *intake.Application, fn func(*intake.Application)) {
		t.Helper()
		_, err := s.UpdateApplication(ctx, f.A.ID, a.Reference, func(a *intake.Application) error { fn(a); return nil })
		noErr(t, "UpdateApplication", err)
	}
	update(apps[0], func(a *intake.Application) { a.StageID = st[2].ID })
	update(apps[1], func(a *intake.Application) { a.Archived = true })
	update(apps[3], func(a *intake.Application) { a.Comment = "no change of stage" })
	funnel("moved and archived", intake.StageCount{StageID: st[0].ID, Active: 1, Archived: 1},
		intake.StageCount{StageID: st[1].ID, Active: 2}, intake.StageCount{StageID: st[2].ID, Active: 2})
	update(apps[5], func(a *intake.Application) { a.StageID = st[0].ID })
	funnel("stage emptied", intake.StageCount{StageID: st[0].ID, Active: 2, Archived: 1},
		intake.StageCount{StageID: st[1].ID, Active: 2}, intake.StageCount{StageID: st[2].ID, Active: 1})
	_, err := s.FunnelCounts(ctx, f.A.ID, f.B1.ID)
	wantCode(t, "another organization's job", err, intake.ENotFound)
	_, err = s.FunnelCounts(ctx, f.A.ID, 1<<40)
	wantCode(t, "unknown job", err, intake.ENotFound)
}

func testDayCounts(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	day := func(n int) time.Time { return time.Date(2024, 3, 10+n, 0, 0, 0, 0, time.UTC) }
	n := 0
	add := func(org intake.Org, job intake.Job, source intake.Source, at time.Time) {
		t.Helper()
		n++
		a := bareApp(org, job, fmt.Sprintf("d%d@x.test", n), 0)
		a.Source, a.CreatedAt, a.UpdatedAt = source, at, at
		create(t, s, a, nil)
	}
	wk, fl := intake.SourceWelcomeKit, intake.SourceFlatchr
	add(f.A, f.A1, wk, day(0).Add(-time.Millisecond)) // the day before
	add(f.A, f.A1, wk, day(0))
	add(f.A, f.A1, wk, day(0).Add(23*time.Hour+59*time.Minute))
	add(f.A, f.A1, fl, day(0).Add(time.Hour))
	add(f.A, f.A2, fl, day(0).Add(2*time.Hour))
	add(f.A, f.A2, wk, day(2).Add(time.Hour))
	add(f.A, f.A1, wk, day(3)) // past the range
	add(f.B, f.B1, wk, day(0).Add(time.Hour))
	counts := func(name string, job *int64, want ...intake.DayCount) {
		t.Helper()
		got, err := s.DayCounts(ctx, intake.DayCountFilter{OrgID: f.A.ID, JobID: job, From: day(0), To: day(3)})
		noErr(t, name, err)
		equal(t, name, want, got)
	}
	counts("organization", nil,
		intake.DayCount{Day: day(0), Source: fl, Count: 2},
		intake.DayCount{Day: day(0), Source: wk, Count: 2},
		intake.DayCount{Day: day(2), Source: wk, Count: 1})
	counts("job", &f.A1.ID,
		intake.DayCount{Day: day(0), Source: fl, Count: 1},
		intake.DayCount{Day: day(0), Source: wk, Count: 2})
	counts("another organization's job", &f.B1.ID)
}
