package intake_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"intake"
	"intake/internal/testenv"
)

const findWorld = `
organizations:
  - name: Acme
    reference: Pg4eV6k
    api_keys:
      - {name: rw, token: find-rw-key, scopes: [candidates_rw]}
      - {name: mine, token: find-mine-key, scopes: [my_candidates_rw]}
      - {name: jobs, token: find-jobs-key, scopes: [jobs_r]}
    jobs:
      - {reference: WTTJ_KmqkD1Y, title: Ingénieur données}
      - {reference: WTTJ_other01, title: Ops}
`

func findEnv(t *testing.T) (*testenv.Env, map[string]*intake.Principal) {
	t.Helper()
	env := testenv.New(t, findWorld)
	ps := map[string]*intake.Principal{}
	for _, tok := range []string{"find-rw-key", "find-mine-key", "find-jobs-key"} {
		p, err := env.Service.Authenticate(t.Context(), tok)
		if err != nil {
			t.Fatal(err)
		}
		ps[tok] = p
	}
	return env, ps
}

func findCreate(t *testing.T, env *testenv.Env, p *intake.Principal, jobRef, first, last string) *intake.Candidate {
	t.Helper()
	j, err := env.Service.JobByReference(t.Context(), p, p.Org.Reference, jobRef)
	if err != nil {
		t.Fatal(err)
	}
	res, err := env.Service.CreateApplication(t.Context(), p, &intake.NewApplication{Job: j, Application: intake.Application{
		Source: intake.SourceWelcomeKit,
		Person: intake.Person{Email: strings.ToLower(first+"."+last) + "@example.com", Firstname: first, Lastname: last},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Candidate
}

func TestFindCandidates(t *testing.T) {
	env, ps := findEnv(t)
	rw, mine := ps["find-rw-key"], ps["find-mine-key"]
	ann := findCreate(t, env, rw, "WTTJ_KmqkD1Y", "Ann", "Lee")
	env.Clock.Advance(time.Minute)
	bob := findCreate(t, env, mine, "WTTJ_KmqkD1Y", "Bob", "Lee")
	env.Clock.Advance(time.Minute)
	ops := findCreate(t, env, rw, "WTTJ_other01", "Cy", "Ops")

	find := func(p *intake.Principal, text string, offset, limit int) ([]string, bool, error) {
		t.Helper()
		res, err := env.Service.FindCandidates(t.Context(), p, text, offset, limit)
		if err != nil {
			return nil, false, err
		}
		var refs []string
		for _, h := range res.Hits {
			refs = append(refs, h.Reference)
		}
		return refs, res.More, nil
	}
	for _, tc := range []struct {
		name       string
		p          *intake.Principal
		text       string
		offset     int
		limit      int
		want       []*intake.Candidate
		more       bool
		code       intake.ErrorCode
		wantMatchs intake.FindMatch
	}{
		{name: "job title, Unicode case folded", p: rw, text: "  INGÉNIEUR   DONNÉES ", limit: 10, want: []*intake.Candidate{bob, ann}},
		{name: "name before job", p: rw, text: "ops", limit: 10, want: []*intake.Candidate{ops}},
		{name: "more", p: rw, text: "lee", limit: 1, want: []*intake.Candidate{ann}, more: true},
		{name: "last page", p: rw, text: "lee", offset: 1, limit: 1, want: []*intake.Candidate{bob}},
		{name: "own candidates only", p: mine, text: "lee", limit: 10, want: []*intake.Candidate{bob}},
		{name: "empty", p: rw, text: "   ", limit: 10, code: intake.EInvalid},
		{name: "too long", p: rw, text: strings.Repeat("é", intake.MaxFindText), limit: 10, code: intake.EInvalid},
		{name: "too deep", p: rw, text: "lee", offset: intake.MaxFindDepth, limit: 1, code: intake.EInvalid},
		{name: "no limit", p: rw, text: "lee", code: intake.EInvalid},
		{name: "no read scope", p: ps["find-jobs-key"], text: "lee", limit: 10, code: intake.EForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, more, err := find(tc.p, tc.text, tc.offset, tc.limit)
			if code := intake.ErrorCodeOf(err); code != tc.code && !(tc.code == "" && err == nil) {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			var want []string
			for _, c := range tc.want {
				want = append(want, c.Reference)
			}
			if !slices.Equal(got, want) || more != tc.more {
				t.Errorf("found %v (more %v), want %v (more %v)", got, more, want, tc.more)
			}
		})
	}
}

func TestCharts(t *testing.T) {
	env, ps := findEnv(t)
	rw := ps["find-rw-key"]
	findCreate(t, env, rw, "WTTJ_KmqkD1Y", "Ann", "Lee")
	env.Clock.Advance(48 * time.Hour)
	findCreate(t, env, rw, "WTTJ_KmqkD1Y", "Bob", "Lee")
	j, err := env.Service.JobByReference(t.Context(), rw, rw.Org.Reference, "WTTJ_KmqkD1Y")
	if err != nil {
		t.Fatal(err)
	}
	funnel, err := env.Service.JobFunnel(t.Context(), rw, j)
	if err != nil {
		t.Fatal(err)
	}
	if len(funnel) != len(j.Stages) || funnel[0] != (intake.StageCount{StageID: j.Stages[0].ID, Active: 2}) {
		t.Errorf("funnel %+v: every stage in order, the first holding both", funnel)
	}
	for i := 1; i < len(funnel); i++ {
		if funnel[i] != (intake.StageCount{StageID: j.Stages[i].ID}) {
			t.Errorf("stage %d: %+v", i, funnel[i])
		}
	}
	days, f, err := env.Service.ApplicationDays(t.Context(), rw, nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	today := intake.UTCDay(env.Clock.Now())
	if !f.From.Equal(today.AddDate(0, 0, -1)) || !f.To.Equal(today.AddDate(0, 0, 1)) {
		t.Errorf("span %v–%v, want yesterday and today", f.From, f.To)
	}
	if len(days) != 1 || !days[0].Day.Equal(today) || days[0].Count != 1 {
		t.Errorf("two days: %+v (the first create is three days old)", days)
	}
	for _, tc := range []struct {
		name string
		p    *intake.Principal
		days int
		code intake.ErrorCode
	}{
		{"no days", rw, 0, intake.EInvalid},
		{"too many days", rw, intake.StatsDays + 1, intake.EInvalid},
		{"own candidates only", ps["find-mine-key"], 30, intake.EForbidden},
		{"no read scope", ps["find-jobs-key"], 30, intake.EForbidden},
	} {
		if _, _, err := env.Service.ApplicationDays(t.Context(), tc.p, j, tc.days); intake.ErrorCodeOf(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	if _, err := env.Service.JobFunnel(t.Context(), ps["find-mine-key"], j); intake.ErrorCodeOf(err) != intake.EForbidden {
		t.Errorf("funnel for own candidates only: %v", err)
	}
}

// TestMergeFindKeys checks the merge against sorting everything: scans cut
// after offset+limit applications must give the same page as whole scans,
// also when a scan holds an application twice (two of its tags match).
func TestMergeFindKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for round := range 500 {
		var whole [][]intake.FindKey
		for range 1 + r.IntN(5) {
			var scan []intake.FindKey
			for range r.IntN(30) {
				scan = append(scan, intake.FindKey{
					Match:         intake.FindMatch(r.IntN(3)),
					Text:          fmt.Sprint(r.IntN(4)),
					Tie:           int64(r.IntN(3)),
					ApplicationID: int64(1 + r.IntN(40)),
				})
			}
			slices.SortFunc(scan, intake.FindKey.Compare)
			whole = append(whole, scan)
		}
		offset, limit := r.IntN(10), 1+r.IntN(10)
		var cut [][]intake.FindKey
		for _, s := range whole {
			cut = append(cut, intake.CutFindScan(s, offset+limit))
		}
		full := intake.MergeFindKeys(0, 1<<30, whole...)
		want := full[min(len(full), offset):min(len(full), offset+limit)]
		got := intake.MergeFindKeys(offset, limit, cut...)
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("round %d, offset %d, limit %d:\ngot  %v\nwant %v", round, offset, limit, got, want)
		}
		seen := map[int64]bool{}
		for _, k := range full {
			if seen[k.ApplicationID] {
				t.Fatalf("round %d: application %d listed twice", round, k.ApplicationID)
			}
			seen[k.ApplicationID] = true
		}
	}
}
