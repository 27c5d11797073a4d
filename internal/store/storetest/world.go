package storetest

import (
	"slices"
	"testing"

	"intake"
)

func worldTests() []test {
	return []test{
		{"Insert", testWorldInsert},
		{"Reapply", testWorldReapply},
		{"UpdateByReference", testWorldUpdate},
		{"GivenIDs", testWorldGivenIDs},
		{"StageMatchedByName", testWorldStageByName},
		{"StageRemoved", testWorldStageRemoved},
		{"StageInUse", testWorldStageInUse},
		{"QuestionsReplaced", testWorldQuestions},
		{"RevokedKeyStaysRevoked", testWorldRevokedKey},
		{"Conflicts", testWorldConflicts},
	}
}

func testWorldInsert(t *testing.T, s intake.Store) {
	ctx := t.Context()
	w := testWorld()
	saveWorld(t, s, w)
	stageIDs := map[int64]bool{}
	for _, wo := range w {
		if wo.Org.ID == 0 {
			t.Fatalf("org %s: ID not filled", wo.Org.Reference)
		}
		for _, k := range wo.Keys {
			if k.ID == 0 || k.OrgID != wo.Org.ID {
				t.Errorf("key %s: ID %d OrgID %d, want ids filled with org %d", k.Name, k.ID, k.OrgID, wo.Org.ID)
			}
		}
		for _, j := range wo.Jobs {
			if j.ID == 0 || j.OrgID != wo.Org.ID {
				t.Errorf("job %s: ID %d OrgID %d, want ids filled with org %d", j.Reference, j.ID, j.OrgID, wo.Org.ID)
			}
			for _, st := range j.Stages {
				if st.ID == 0 || st.JobID != j.ID {
					t.Errorf("stage %s of job %d: ID %d JobID %d", st.Name, j.ID, st.ID, st.JobID)
				}
				if stageIDs[st.ID] {
					t.Errorf("stage id %d used twice: stage ids are global", st.ID)
				}
				stageIDs[st.ID] = true
			}
		}
	}

	got := snapshot(t, s)
	equal(t, "Orgs (by name)", []*intake.Org{&w[0].Org, &w[1].Org}, got.Orgs)
	for _, wo := range w {
		equal(t, "Jobs of "+wo.Org.Name, jobPtrs(wo.Jobs), got.Jobs[wo.Org.ID])
		equal(t, "APIKeys of "+wo.Org.Name, keyPtrs(wo.Keys), got.Keys[wo.Org.ID])
	}

	org, err := s.OrgBySlug(ctx, "globex")
	noErr(t, "OrgBySlug", err)
	equal(t, "OrgBySlug", &w[1].Org, org)
	_, err = s.OrgBySlug(ctx, "nope")
	wantCode(t, "OrgBySlug(unknown)", err, intake.ENotFound)

	key, korg, err := s.APIKeyByHash(ctx, w[0].Keys[1].Hash)
	noErr(t, "APIKeyByHash", err)
	equal(t, "APIKeyByHash key", &w[0].Keys[1], key)
	equal(t, "APIKeyByHash org", &w[0].Org, korg)
}

func testWorldReapply(t *testing.T, s intake.Store) {
	first := testWorld()
	saveWorld(t, s, first)
	second := testWorld()
	for i := range second {
		second[i].Org.CreatedAt, second[i].Org.UpdatedAt = at(10), at(10)
		for j := range second[i].Jobs {
			second[i].Jobs[j].CreatedAt, second[i].Jobs[j].UpdatedAt = at(10), at(10)
		}
		for k := range second[i].Keys {
			second[i].Keys[k].CreatedAt = at(10)
		}
	}
	saveWorld(t, s, second)
	for i := range first {
		a, b := first[i], second[i]
		if a.Org.ID != b.Org.ID || !a.Org.CreatedAt.Equal(b.Org.CreatedAt) {
			t.Errorf("org %s: reapply gave ID %d created %v, want %d %v", a.Org.Name, b.Org.ID, b.Org.CreatedAt, a.Org.ID, a.Org.CreatedAt)
		}
		for k := range a.Keys {
			if a.Keys[k].ID != b.Keys[k].ID || !a.Keys[k].CreatedAt.Equal(b.Keys[k].CreatedAt) {
				t.Errorf("key %s: reapply gave ID %d created %v, want %d %v", a.Keys[k].Name, b.Keys[k].ID, b.Keys[k].CreatedAt, a.Keys[k].ID, a.Keys[k].CreatedAt)
			}
		}
		for j := range a.Jobs {
			if a.Jobs[j].ID != b.Jobs[j].ID || !a.Jobs[j].CreatedAt.Equal(b.Jobs[j].CreatedAt) {
				t.Errorf("job %s: reapply gave ID %d created %v, want %d %v", a.Jobs[j].Reference, b.Jobs[j].ID, b.Jobs[j].CreatedAt, a.Jobs[j].ID, a.Jobs[j].CreatedAt)
			}
			equal(t, "stage ids after reapply", stageIDList(a.Jobs[j]), stageIDList(b.Jobs[j]))
		}
	}
	// What SaveWorld filled in must be what the store now holds.
	got := snapshot(t, s)
	equal(t, "Orgs", []*intake.Org{&second[0].Org, &second[1].Org}, got.Orgs)
	for _, wo := range second {
		equal(t, "Jobs of "+wo.Org.Name, jobPtrs(wo.Jobs), got.Jobs[wo.Org.ID])
		equal(t, "APIKeys of "+wo.Org.Name, keyPtrs(wo.Keys), got.Keys[wo.Org.ID])
	}
}

func testWorldUpdate(t *testing.T, s intake.Store) {
	first := testWorld()
	saveWorld(t, s, first)
	second := testWorld()
	o := &second[0]
	o.Org.Name, o.Org.Slug, o.Org.CompanyKey, o.Org.UpdatedAt = "Acme Corp", "acme-corp", "AcmeCompanyKey99", at(5)
	o.Keys[0].Name, o.Keys[0].Scopes = "ats renamed", []intake.Scope{intake.ScopeCandidatesR}
	j := &o.Jobs[0]
	j.Title, j.Published, j.Archived, j.VacancySlug, j.UpdatedAt = "Senior backend engineer", false, true, "vackeya1aaaaaaaa-senior", at(5)
	j.Stages[1].Visible, j.Stages[1].Reference = false, "custom"
	saveWorld(t, s, second)
	if o.Org.ID != first[0].Org.ID || j.ID != first[0].Jobs[0].ID || o.Keys[0].ID != first[0].Keys[0].ID {
		t.Fatalf("update by reference changed ids: org %d→%d job %d→%d key %d→%d",
			first[0].Org.ID, o.Org.ID, first[0].Jobs[0].ID, j.ID, first[0].Keys[0].ID, o.Keys[0].ID)
	}
	got := snapshot(t, s)
	equal(t, "Orgs", []*intake.Org{&second[0].Org, &second[1].Org}, got.Orgs)
	equal(t, "Jobs", jobPtrs(o.Jobs), got.Jobs[o.Org.ID])
	equal(t, "APIKeys", keyPtrs(o.Keys), got.Keys[o.Org.ID])
	job, err := s.JobByVacancy(t.Context(), o.Org.ID, "vackeya1aaaaaaaa-senior")
	noErr(t, "JobByVacancy(new slug)", err)
	equal(t, "JobByVacancy(new slug)", j, job)
	_, err = s.OrgBySlug(t.Context(), "acme")
	wantCode(t, "OrgBySlug(old slug)", err, intake.ENotFound)
}

func testWorldGivenIDs(t *testing.T, s intake.Store) {
	ctx := t.Context()
	w := testWorld()
	j := &w[0].Jobs[1]
	j.ID = 4242
	j.Stages = []intake.Stage{
		{ID: 9001, Name: "Applied", Reference: "initial", Visible: true, Position: 0},
		{ID: 9002, Name: "Refused", Reference: "refused", Visible: true, Position: 1},
	}
	saveWorld(t, s, w)
	if j.ID != 4242 || stageIDList(*j)[0] != 9001 || stageIDList(*j)[1] != 9002 {
		t.Fatalf("given ids not kept: job %d stages %v", j.ID, stageIDList(*j))
	}
	got, err := s.Job(ctx, w[0].Org.ID, 4242)
	noErr(t, "Job(4242)", err)
	equal(t, "Job(4242)", j, got)

	w2 := testWorld()
	j2 := &w2[0].Jobs[1]
	j2.ID = 4242
	j2.Stages = []intake.Stage{
		{ID: 9002, Name: "Rejected", Reference: "refused", Visible: false, Position: 0},
		{ID: 9001, Name: "Applied", Reference: "initial", Visible: true, Position: 1},
	}
	saveWorld(t, s, w2)
	got, err = s.Job(ctx, w[0].Org.ID, 4242)
	noErr(t, "Job(4242)", err)
	equal(t, "Job(4242) after renaming stage 9002", j2, got)
	if got.Stages[0].ID != 9002 || got.Stages[0].Name != "Rejected" {
		t.Errorf("stages not in position order: %+v", got.Stages)
	}
}

func testWorldStageByName(t *testing.T, s intake.Store) {
	ctx := t.Context()
	w := testWorld()
	saveWorld(t, s, w)
	before := map[string]int64{}
	for _, st := range w[0].Jobs[0].Stages {
		before[st.Name] = st.ID
	}
	w2 := testWorld()
	j := &w2[0].Jobs[0]
	slices.Reverse(j.Stages)
	j.Stages = slices.Insert(j.Stages, 1, intake.Stage{Name: "Phone screen", Visible: true})
	for i := range j.Stages {
		j.Stages[i].Position = i
	}
	saveWorld(t, s, w2)
	for _, st := range j.Stages {
		old, ok := before[st.Name]
		switch {
		case ok && st.ID != old:
			t.Errorf("stage %q matched by name got id %d, want %d", st.Name, st.ID, old)
		case !ok && (st.ID == 0 || slices.Contains(stageIDList(w[0].Jobs[0]), st.ID)):
			t.Errorf("new stage %q got id %d, want a fresh id", st.Name, st.ID)
		}
	}
	got, err := s.Job(ctx, j.OrgID, j.ID)
	noErr(t, "Job", err)
	equal(t, "Job after reordering stages", j, got)
}

func testWorldStageRemoved(t *testing.T, s intake.Store) {
	ctx := t.Context()
	w := testWorld()
	saveWorld(t, s, w)
	w2 := testWorld()
	j := &w2[0].Jobs[0]
	j.Stages = slices.Delete(j.Stages, 3, 4) // "Offer": nobody sits there
	for i := range j.Stages {
		j.Stages[i].Position = i
	}
	saveWorld(t, s, w2)
	got, err := s.Job(ctx, j.OrgID, j.ID)
	noErr(t, "Job", err)
	equal(t, "Job after removing a stage", j, got)
	if len(got.Stages) != 5 {
		t.Errorf("got %d stages, want 5", len(got.Stages))
	}
}

func testWorldStageInUse(t *testing.T, s intake.Store) {
	f := seed(t, s)
	app := bareApp(f.A, f.A1, "inuse@example.com", 1)
	app.StageID = f.A1.Stages[1].ID
	create(t, s, app, nil)
	before := snapshot(t, s)

	w := testWorld()
	w[0].Org.Name = "Acme renamed" // must not be saved either: one transaction
	j := &w[0].Jobs[0]
	j.Stages = slices.Delete(j.Stages, 1, 2)
	for i := range j.Stages {
		j.Stages[i].Position = i
	}
	err := s.SaveWorld(t.Context(), w)
	wantCode(t, "SaveWorld removing a stage in use", err, intake.EInvalid)
	equal(t, "state after failed SaveWorld", before, snapshot(t, s))
}

func testWorldQuestions(t *testing.T, s intake.Store) {
	w := testWorld()
	saveWorld(t, s, w)
	w2 := testWorld()
	j := &w2[0].Jobs[0]
	j.Questions = []intake.Question{
		{ID: "q-new", Text: "Why us?", Type: "text", Position: 0},
		{ID: "q-remote", Text: "Remote or hybrid?", Type: "choice", Required: true, Options: []string{"remote", "hybrid"}, Position: 1},
	}
	w2[0].Jobs[1].Questions = nil
	saveWorld(t, s, w2)
	got := snapshot(t, s)
	equal(t, "Jobs after replacing questions", jobPtrs(w2[0].Jobs), got.Jobs[w2[0].Org.ID])
}

func testWorldRevokedKey(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	noErr(t, "RevokeAPIKey", s.RevokeAPIKey(ctx, f.A.ID, f.KeyA.ID, at(3)))
	w := testWorld()
	saveWorld(t, s, w)
	if w[0].Keys[0].RevokedAt == nil || !w[0].Keys[0].RevokedAt.Equal(at(3)) {
		t.Errorf("SaveWorld filled RevokedAt %v, want %v", w[0].Keys[0].RevokedAt, at(3))
	}
	key, _, err := s.APIKeyByHash(ctx, f.KeyA.Hash)
	noErr(t, "APIKeyByHash", err)
	if key.RevokedAt == nil || !key.RevokedAt.Equal(at(3)) {
		t.Errorf("reapplying the world un-revoked a key: RevokedAt %v, want %v", key.RevokedAt, at(3))
	}
}

// testWorldConflicts checks that each kind of clash fails the whole save.
func testWorldConflicts(t *testing.T, s intake.Store) {
	first := testWorld()
	saveWorld(t, s, first)
	before := snapshot(t, s)
	tests := []struct {
		name   string
		change func(w []intake.WorldOrg)
	}{
		{"JobIDOfAnotherOrg", func(w []intake.WorldOrg) { w[1].Jobs[0].ID = first[0].Jobs[0].ID }},
		{"JobIDOfAnotherJob", func(w []intake.WorldOrg) { w[0].Jobs[1].ID = first[0].Jobs[0].ID }},
		{"StageIDOfAnotherJob", func(w []intake.WorldOrg) { w[0].Jobs[1].Stages[0].ID = first[0].Jobs[0].Stages[0].ID }},
		{"StageIDOfAnotherOrg", func(w []intake.WorldOrg) { w[1].Jobs[0].Stages[2].ID = first[0].Jobs[0].Stages[2].ID }},
		{"KeyHashOfAnotherOrg", func(w []intake.WorldOrg) { w[1].Keys[0].Hash = first[0].Keys[0].Hash }},
		{"SlugOfAnotherOrg", func(w []intake.WorldOrg) { w[1].Org.Slug = "acme" }},
		{"CompanyKeyOfAnotherOrg", func(w []intake.WorldOrg) { w[1].Org.CompanyKey = first[0].Org.CompanyKey }},
		{"VacancySlugOfAnotherJob", func(w []intake.WorldOrg) { w[0].Jobs[1].VacancySlug = first[0].Jobs[0].VacancySlug }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := testWorld()
			w[0].Org.Name = "Acme renamed"
			w[1].Jobs[0].Title = "Retitled"
			tt.change(w)
			err := s.SaveWorld(t.Context(), w)
			wantCode(t, "SaveWorld", err, intake.EConflict)
			equal(t, "state after failed SaveWorld", before, snapshot(t, s))
		})
	}
}

func jobPtrs(jobs []intake.Job) []*intake.Job {
	out := make([]*intake.Job, len(jobs))
	for i := range jobs {
		out[i] = &jobs[i]
	}
	slices.SortFunc(out, func(a, b *intake.Job) int { return int(a.ID - b.ID) })
	return out
}

func keyPtrs(keys []intake.APIKey) []*intake.APIKey {
	out := make([]*intake.APIKey, len(keys))
	for i := range keys {
		out[i] = &keys[i]
	}
	return out
}

func stageIDList(j intake.Job) []int64 {
	ids := make([]int64, len(j.Stages))
	for i, st := range j.Stages {
		ids[i] = st.ID
	}
	return ids
}
