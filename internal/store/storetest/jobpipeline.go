package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"intake"
)

// jobPipelineTests cover what the dashboard's stage and question editors
// rely on UpdateJob for.
func jobPipelineTests() []test {
	return []test{
		{"UpdateJobPipeline", func(t *testing.T, s intake.Store) { testUpdateJobPipeline(t, s); testUpdateJobArchivedInStage(t, s) }},
		{"UpdateJobConcurrent", testUpdateJobConcurrent},
	}
}

// testUpdateJobPipeline renames, moves and adds stages and replaces the
// questions in one update: existing stage ids stay, the new stage gets an
// id no stage had, and questions come back in their positions.
func testUpdateJobPipeline(t *testing.T, s intake.Store) {
	f := seed(t, s)
	j := contentJob(f.A, "WTTJ_pipe001", "", 1)
	j.Questions = []intake.Question{
		{ID: "q1", Text: "Permis ?", Type: "boolean", Position: 0},
		{ID: "q2", Text: "Niveau ?", Type: "select", Required: true, Options: []string{"Bac", "Bac +5"}, Position: 1},
	}
	createJob(t, s, j)
	var ids []int64
	for _, st := range append(slices.Clone(j.Stages), f.A1.Stages...) {
		ids = append(ids, st.ID)
	}
	got, err := s.UpdateJob(t.Context(), f.A.ID, j.Reference, func(u *intake.Job) error {
		first := u.Stages[0]
		first.Name = "Nouveau"
		u.Stages = append(slices.Clone(u.Stages[1:]), first, intake.Stage{Name: "Offre signée", Visible: true})
		u.Questions = []intake.Question{
			{ID: "q3", Text: "Disponibilité ?", Type: "date", Position: 0},
			{ID: "q2", Text: "Diplôme ?", Type: "radio", Options: []string{"Bac +3", "Bac +5"}, Position: 1},
		}
		return nil
	})
	noErr(t, "UpdateJob", err)
	added := got.Stages[len(got.Stages)-1].ID
	if added == 0 || slices.Contains(ids, added) {
		t.Fatalf("the new stage got id %d; ids in use %v", added, ids)
	}
	want := slices.Clone(j.Stages[1:])
	renamed := j.Stages[0]
	renamed.Name = "Nouveau"
	want = append(want, renamed, intake.Stage{ID: added, JobID: j.ID, Name: "Offre signée", Visible: true})
	for i := range want {
		want[i].Position = i
	}
	equal(t, "stages", want, got.Stages)
	stored, err := s.JobByReference(t.Context(), f.A.ID, j.Reference)
	noErr(t, "JobByReference", err)
	equal(t, "stored stages", want, stored.Stages)
	equal(t, "stored questions", []intake.Question{
		{ID: "q3", Text: "Disponibilité ?", Type: "date", Position: 0},
		{ID: "q2", Text: "Diplôme ?", Type: "radio", Options: []string{"Bac +3", "Bac +5"}, Position: 1},
	}, stored.Questions)
	listed, _, err := s.ListJobs(t.Context(), intake.JobFilter{OrgID: f.A.ID})
	noErr(t, "ListJobs", err)
	i := slices.IndexFunc(listed, func(l *intake.Job) bool { return l.ID == j.ID })
	if i < 0 {
		t.Fatal("ListJobs lost the job")
	}
	equal(t, "listed job", stored, listed[i])
}

// testUpdateJobArchivedInStage: an archived application still sits in its
// stage, which cannot be removed.
func testUpdateJobArchivedInStage(t *testing.T, s intake.Store) {
	f := seed(t, s)
	app := newApp(f.A, f.KeyA, f.A1, "archived-in-stage@example.com", 1)
	app.StageID = f.A1.Stages[1].ID
	app.Archived = true
	create(t, s, app, nil)
	before := snapshot(t, s)
	_, err := s.UpdateJob(t.Context(), f.A.ID, f.A1.Reference, func(u *intake.Job) error {
		u.Stages = slices.Delete(u.Stages, 1, 2)
		return nil
	})
	wantCode(t, "remove a stage an archived application sits in", err, intake.EInvalid)
	equal(t, "state after refused update", before, snapshot(t, s))
	counts, err := s.StageCounts(t.Context(), f.A.ID, f.A1.ID)
	noErr(t, "StageCounts", err)
	equal(t, "stage counts", map[int64]int{f.A1.Stages[1].ID: 1}, counts)
}

// testUpdateJobConcurrent: updates of one job at the same time each see
// the others' stages and questions, so none is lost (on PostgreSQL a
// locking read that waited must not read the stages of an older snapshot).
func testUpdateJobConcurrent(t *testing.T, s intake.Store) {
	f := seed(t, s)
	const n = 8
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := s.UpdateJob(t.Context(), f.A.ID, f.A1.Reference, func(u *intake.Job) error {
				u.Stages = append(u.Stages, intake.Stage{Name: fmt.Sprintf("Stage %d", i), Visible: true})
				u.Questions = append(u.Questions, intake.Question{ID: fmt.Sprintf("c%d", i), Text: "?", Type: "text", Position: len(u.Questions)})
				return nil
			})
			if err != nil {
				t.Errorf("UpdateJob %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	got, err := s.JobByReference(t.Context(), f.A.ID, f.A1.Reference)
	noErr(t, "JobByReference", err)
	if len(got.Stages) != len(f.A1.Stages)+n || len(got.Questions) != len(f.A1.Questions)+n {
		t.Errorf("%d stages and %d questions after %d concurrent additions to %d and %d",
			len(got.Stages), len(got.Questions), n, len(f.A1.Stages), len(f.A1.Questions))
	}
}
