package intake_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"intake"
	"intake/internal/testenv"
)

const pipelineWorld = `
organizations:
  - name: Acme
    reference: Pg4eV6k
    api_keys:
      - {name: jobs, token: jobs-rw-key, scopes: [jobs_rw, candidates_rw]}
    jobs:
      - reference: WTTJ_KmqkD1Y
        title: Dev
        stages: [{id: 42, name: New, reference: initial}]
        questions: [{id: q1, text: "Why?", type: textarea}]
`

// TestPipelineEditsConcurrent: stage and question edits made at the same
// time all land, each read and written in one transaction, none lost.
func TestPipelineEditsConcurrent(t *testing.T) {
	env := testenv.New(t, pipelineWorld)
	p, err := env.Service.Authenticate(t.Context(), "jobs-rw-key")
	if err != nil {
		t.Fatal(err)
	}
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Go(func() {
			if _, err := env.Service.AddStage(t.Context(), p, "WTTJ_KmqkD1Y", fmt.Sprintf("Stage %02d", i)); err != nil {
				errs <- err
			}
		})
		wg.Go(func() {
			in := &intake.QuestionInput{Text: fmt.Sprintf("Question %02d?", i), Type: "text"}
			if _, err := env.Service.AddQuestion(t.Context(), p, "WTTJ_KmqkD1Y", in); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	j, err := env.Service.Job(t.Context(), p, "WTTJ_KmqkD1Y")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	ids := map[int64]bool{}
	for i, st := range j.Stages {
		names = append(names, st.Name)
		ids[st.ID] = true
		if st.Position != i {
			t.Errorf("stage %q at position %d, index %d", st.Name, st.Position, i)
		}
	}
	slices.Sort(names)
	want := []string{"New"}
	for i := range n {
		want = append(want, fmt.Sprintf("Stage %02d", i))
	}
	slices.Sort(want)
	if !slices.Equal(names, want) || len(ids) != n+1 || !ids[42] || j.Stages[0].ID != 42 {
		t.Errorf("stages %v with %d ids, want %v, 42 first", names, len(ids), want)
	}
	qids := map[string]bool{}
	for _, q := range j.Questions {
		qids[q.ID] = true
	}
	if len(j.Questions) != n+1 || len(qids) != n+1 || j.Questions[0].ID != "q1" {
		t.Errorf("%d questions with %d ids, want %d, q1 first", len(j.Questions), len(qids), n+1)
	}
}
