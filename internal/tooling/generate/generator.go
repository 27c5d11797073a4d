package generate

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"intake"
	"intake/internal/tooling/bench"
)

// target is what generated applications point at: the world's
// first organization, its jobs and a key as their creator.
type target struct {
	org   *intake.Org
	key   *intake.APIKey
	jobs  []*intake.Job
	stage [][]int64 // stage ids of each job, in order
}

func loadTarget(ctx context.Context, store intake.Store, w *intake.World) (*target, error) {
	orgs, err := store.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	want := w.Organizations[0]
	t := &target{}
	for _, o := range orgs {
		if o.Reference == want.Reference || (want.Reference == "" && o.Name == want.Name) {
			t.org = o
		}
	}
	if t.org == nil {
		return nil, fmt.Errorf("organization %q not found after applying the world", want.Name)
	}
	jobs, err := store.Jobs(ctx, t.org.ID)
	if err != nil {
		return nil, err
	}
	for _, j := range jobs {
		if j.Archived || len(j.Stages) == 0 {
			continue
		}
		ids := make([]int64, len(j.Stages))
		for i, s := range j.Stages {
			ids[i] = s.ID
		}
		t.jobs = append(t.jobs, j)
		t.stage = append(t.stage, ids)
	}
	if len(t.jobs) == 0 {
		return nil, fmt.Errorf("organization %s has no open job with stages", t.org.Reference)
	}
	keys, err := store.APIKeys(ctx, t.org.ID)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if k.RevokedAt == nil {
			t.key = k
			break
		}
	}
	return t, nil
}

// generator makes and stores made-up applications.
type generator struct {
	store  intake.Store
	target *target
	run    string
	start  time.Time // the first application's date
	end    time.Time // the last one's, and the latest update
	total  int64
	next   atomic.Int64
	done   atomic.Int64
}

// fill stores g.total applications with workers concurrent writers.
func (g *generator) fill(ctx context.Context, workers int) error {
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	span := g.end.Sub(g.start)
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				n := g.next.Add(1) - 1
				if n >= g.total {
					return
				}
				at := g.start.Add(time.Duration(float64(span) * float64(n) / float64(g.total))).Truncate(time.Millisecond)
				app := g.application(uint64(n), at)
				if err := g.store.CreateApplication(ctx, app, nil); err != nil {
					once.Do(func() {
						firstErr = fmt.Errorf("candidate %d: %w", n, err)
						cancel()
					})
					return
				}
				g.done.Add(1)
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

func (g *generator) progress(w io.Writer, done <-chan struct{}) {
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	begin := time.Now()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			n := g.done.Load()
			fmt.Fprintf(w, "generate: %d/%d (%.0f/s)\n", n, g.total, float64(n)/time.Since(begin).Seconds())
		}
	}
}

var (
	generateOrigins   = []string{"careers", "careers", "linkedin", "indeed", "welcome-to-the-jungle", "cooptation", "job-fair", ""}
	generateReferrers = []string{"", "", "https://www.linkedin.com/", "https://fr.indeed.com/", "https://www.welcometothejungle.com/"}
	generateLetters   = []string{
		"", "", "",
		"Bonjour, votre offre correspond exactement à ce que je recherche. Je serais ravie d'en discuter avec vous.",
		"Madame, Monsieur, fort de cinq ans d'expérience dans ce domaine, je souhaite rejoindre votre équipe. Disponible immédiatement.",
	}
)

// application returns the made-up application numbered n, dated at.
func (g *generator) application(n uint64, at time.Time) *intake.Application {
	t := g.target
	p := bench.NewPerson(g.run, n)
	h := n*0xD6E8FEB86659FD93 + 0x9E3779B97F4A7C15
	job := int(n % uint64(len(t.jobs)))
	stages := t.stage[job]
	// Most candidates sit in the first stage, some move on, many are
	// refused: the shape of a real pipeline.
	var stage int64
	switch r := h % 100; {
	case r < 55:
		stage = stages[0]
	case r < 85 && len(stages) > 2:
		stage = stages[1+int(h>>8)%(len(stages)-2)]
	default:
		stage = stages[len(stages)-1]
	}
	app := &intake.Application{
		Reference:    intake.NewCandidateReference(),
		ApplicantKey: intake.NewApplicantKey(),
		OrgID:        t.org.ID,
		JobID:        t.jobs[job].ID,
		StageID:      stage,
		Person: intake.Person{
			OrgID:     t.org.ID,
			Email:     p.Email,
			Firstname: p.Firstname,
			Lastname:  p.Lastname,
			Phone:     p.Phone,
			Subtitle:  p.Subtitle,
		},
		Origin:      generateOrigins[(h>>16)%uint64(len(generateOrigins))],
		Referrer:    generateReferrers[(h>>24)%uint64(len(generateReferrers))],
		CoverLetter: generateLetters[(h>>32)%uint64(len(generateLetters))],
		Archived:    (h>>40)%100 < 5,
		Source:      intake.SourceWelcomeKit,
		CreatedAt:   at,
		UpdatedAt:   at,
	}
	if p.Tags != "" {
		app.Tags = intake.NormalizeTags(strings.Split(p.Tags, ","))
	}
	if (h>>44)%5 == 0 {
		app.Person.Media = map[string]string{"linkedin": "https://www.linkedin.com/in/" + strings.ToLower(p.FileStem)}
	}
	if (h>>48)%10 < 4 {
		app.Source = intake.SourceFlatchr
		app.OffererID = 75
		app.Newsletter = &intake.Consent{Given: (h>>52)%4 == 0, At: at}
	}
	if t.key != nil {
		app.CreatedByKey = t.key.ID
	}
	if stage != stages[0] {
		app.UpdatedAt = at.Add(time.Duration(h>>56+1) * time.Hour)
		if app.UpdatedAt.After(g.end) {
			app.UpdatedAt = at
		}
	}
	return app
}
