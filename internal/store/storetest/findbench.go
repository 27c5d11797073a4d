package storetest

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"intake"
	"intake/internal/tooling/bench"
)

// FindShapes are the searches FindBench measures, each drawing its text
// from the people `intake generate --run RUN` made (numbered 0..people-1)
// and the organization's jobs. Each must find someone, but "no match".
var FindShapes = []struct {
	Name string
	Text func(r *rand.Rand, run string, people uint64, jobs []*intake.Job) string
}{
	{"email prefix", func(r *rand.Rand, run string, people uint64, _ []*intake.Job) string {
		e := bench.NewPerson(run, r.Uint64N(people)).Email
		return e[:strings.IndexByte(e, '@')]
	}},
	{"last name", func(r *rand.Rand, run string, people uint64, _ []*intake.Job) string {
		return strings.ToLower(bench.NewPerson(run, r.Uint64N(people)).Lastname)
	}},
	{"first and last name", func(r *rand.Rand, run string, people uint64, _ []*intake.Job) string {
		p := bench.NewPerson(run, r.Uint64N(people))
		return p.Firstname + " " + p.Lastname
	}},
	{"tag", func(r *rand.Rand, run string, people uint64, _ []*intake.Job) string {
		for {
			if t := bench.NewPerson(run, r.Uint64N(people)).Tags; t != "" {
				return strings.Split(t, ",")[0]
			}
		}
	}},
	{"job title", func(r *rand.Rand, _ string, _ uint64, jobs []*intake.Job) string {
		return strings.Fields(jobs[r.IntN(len(jobs))].Title)[0]
	}},
	{"no match", func(*rand.Rand, string, uint64, []*intake.Job) string { return "zzqx" }},
}

// FindBench measures a search of each shape as the dashboard runs it
// (Service.FindCandidates, a page of 50) over a store filled by `intake
// generate --run RUN --candidates PEOPLE`, then the counts behind each
// chart, and reports the median and 99th percentile of one call.
func FindBench(b *testing.B, s intake.Store, run string, people uint64) {
	orgs, err := s.Orgs(b.Context())
	if err != nil || len(orgs) == 0 {
		b.Fatalf("Orgs: %v (%d)", err, len(orgs))
	}
	org := orgs[0]
	jobs, err := s.Jobs(b.Context(), org.ID)
	if err != nil || len(jobs) == 0 {
		b.Fatalf("Jobs: %v (%d)", err, len(jobs))
	}
	svc := intake.NewService(intake.ServiceConfig{Store: s})
	p := &intake.Principal{Org: org, Key: &intake.APIKey{OrgID: org.ID, Scopes: []intake.Scope{intake.ScopeCandidatesR}}}
	measure := func(b *testing.B, call func(r *rand.Rand) error) {
		r := rand.New(rand.NewPCG(1, 2))
		var times []time.Duration
		for b.Loop() {
			start := time.Now()
			err := call(r)
			times = append(times, time.Since(start))
			if err != nil {
				b.Fatal(err)
			}
		}
		slices.Sort(times)
		b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50_ms")
		b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99_ms")
	}
	defer b.Run("chart: job funnel", func(b *testing.B) {
		measure(b, func(r *rand.Rand) error {
			_, err := svc.JobFunnel(b.Context(), p, jobs[r.IntN(len(jobs))])
			return err
		})
	})
	defer b.Run("chart: job, 12 weeks", func(b *testing.B) {
		measure(b, func(r *rand.Rand) error {
			_, _, err := svc.ApplicationDays(b.Context(), p, jobs[r.IntN(len(jobs))], 84)
			return err
		})
	})
	defer b.Run("chart: organization, 90 days", func(b *testing.B) {
		measure(b, func(*rand.Rand) error {
			_, _, err := svc.ApplicationDays(b.Context(), p, nil, 90)
			return err
		})
	})
	for _, shape := range FindShapes {
		b.Run(shape.Name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			var times []time.Duration
			for b.Loop() {
				text := shape.Text(r, run, people, jobs)
				start := time.Now()
				res, err := svc.FindCandidates(b.Context(), p, text, 0, 50)
				times = append(times, time.Since(start))
				if err != nil || (len(res.Hits) == 0) != (shape.Name == "no match") {
					b.Fatalf("find %q: %v, %d found", text, err, len(res.Hits))
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50_ms")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99_ms")
		})
	}
}
