package storetest

import (
	"encoding/json"
	"errors"
	"testing"

	"intake"
)

// jobContentTests chain related checks on one store each: every store
// costs a fresh database on PostgreSQL.
func jobContentTests() []test {
	return []test{
		{"CreateJob", func(t *testing.T, s intake.Store) { testCreateJob(t, s); testCreateJobConflict(t, s) }},
		{"UpdateJob", func(t *testing.T, s intake.Store) { testUpdateJob(t, s); testUpdateJobOtherOrg(t, s) }},
		{"StageCounts", func(t *testing.T, s intake.Store) { testStageCounts(t, s); testUpdateJobStageInUse(t, s) }},
		{"ListJobs", testListJobs},
		{"OrgContent", func(t *testing.T, s intake.Store) { testWorldKeepsAPIJobs(t, s); testOrgContent(t, s) }},
	}
}

// contentJob is a job of org as the API creates it, with every content
// field set, and a new_vacancy event.
func contentJob(org intake.Org, ref, extRef string, n int) *intake.Job {
	min, max, dur := int64(32000), int64(38000), int64(6)
	j := &intake.Job{
		OrgID: org.ID, Reference: ref, Title: "Technicien " + ref,
		VacancyKey: "Key" + ref + "0000000000000"[len(ref):], ExternalReference: extRef,
		Content: intake.JobContent{
			Description: "<p>Mesurer.</p>", Profile: "Rigoureux", Mission: "Étalonner",
			CompanyDescription: "Acme", RecruitmentProcess: "Deux entretiens", ContractType: "FULL_TIME",
			ContractDurationMin: &dur, ContractDurationMax: &dur, ExperienceLevel: "1_TO_2_YEARS",
			EducationLevel: "BAC_5", Remote: "partial",
			Salary:   intake.Salary{Min: &min, Max: &max, Currency: "EUR", Period: "yearly"},
			Office:   intake.Office{Address: "58 bd Exelmans", ZipCode: "75016", City: "Paris", CountryCode: "FR"},
			Language: "fr", StartDate: "2027-01-04", ApplyURL: "https://acme.example/apply",
			ProfessionReference: "sales", CMSSitesReferences: []string{"wttj_fr", "smgo_fr"},
		},
		CreatedAt: at(n), UpdatedAt: at(n),
	}
	j.VacancySlug = intake.VacancySlug(j.VacancyKey, j.Title)
	for i, st := range intake.DefaultStages() {
		st.Position = i
		j.Stages = append(j.Stages, st)
	}
	j.SetStatus(intake.JobPublished, at(n))
	j.Record(&intake.Event{OrgID: org.ID, Name: intake.EventNewVacancy, Data: map[string]string{"ref": ref}, CreatedAt: at(n)})
	return j
}

func createJob(t testing.TB, s intake.Store, j *intake.Job) {
	t.Helper()
	if err := s.CreateJob(t.Context(), j); err != nil {
		t.Fatalf("CreateJob: %v", err)
	}
}

func testCreateJob(t *testing.T, s intake.Store) {
	f := seed(t, s)
	j := contentJob(f.A, "WTTJ_api0001", "EXT-1", 1)
	createJob(t, s, j)
	if j.ID == 0 || j.Stages[0].ID == 0 || j.Stages[0].JobID != j.ID || len(j.Events) != 0 {
		t.Fatalf("ids not filled or events kept: %+v", j)
	}
	got, err := s.JobByReference(t.Context(), f.A.ID, j.Reference)
	noErr(t, "JobByReference", err)
	equal(t, "created job", j, got)
	events, err := s.Events(t.Context(), intake.EventFilter{OrgID: f.A.ID, Names: []intake.EventName{intake.EventNewVacancy}, Limit: 10})
	noErr(t, "Events", err)
	if len(events) != 1 || events[0].JobID != j.ID {
		t.Fatalf("events = %+v", events)
	}
	var data map[string]string
	noErr(t, "decode payload", json.Unmarshal(events[0].Payload, &data))
	equal(t, "event data", map[string]string{"ref": "WTTJ_api0001"}, data)
}

// testCreateJobConflict follows testCreateJob, whose job holds EXT-1.
func testCreateJobConflict(t *testing.T, s intake.Store) {
	f := seed(t, s)
	before := snapshot(t, s)
	err := s.CreateJob(t.Context(), contentJob(f.A, "WTTJ_api0002", "EXT-1", 2))
	wantCode(t, "same external reference", err, intake.EConflict)
	if fields := intake.ErrorFields(err); fields["external_reference"] == "" {
		t.Errorf("fields = %v, want external_reference", fields)
	}
	err = s.CreateJob(t.Context(), contentJob(f.A, "WTTJ_api0001", "", 2))
	wantCode(t, "same reference", err, intake.EConflict)
	equal(t, "state after failed creates", before, snapshot(t, s))
	events, err := s.Events(t.Context(), intake.EventFilter{OrgID: f.A.ID, Limit: 10})
	noErr(t, "Events", err)
	if len(events) != 1 {
		t.Errorf("%d events, want only the first create's", len(events))
	}
	// Another organization may use the same external reference.
	createJob(t, s, contentJob(f.B, "WTTJ_api0003", "EXT-1", 3))
}

func testUpdateJob(t *testing.T, s intake.Store) {
	f := seed(t, s)
	j := contentJob(f.A, "WTTJ_api0001", "EXT-1", 1)
	createJob(t, s, j)
	got, err := s.UpdateJob(t.Context(), f.A.ID, j.Reference, func(u *intake.Job) error {
		u.ID, u.Reference, u.CreatedAt = 999, "hijack", at(50)
		u.Title, u.ExternalReference = "Renamed", "EXT-2"
		u.Content.Salary.Max = nil
		u.Content.Remote = "no"
		u.SetStatus(intake.JobArchived, at(5))
		u.UpdatedAt = at(5)
		u.Stages = []intake.Stage{u.Stages[1], {Name: "Screening", Visible: false}, u.Stages[0]}
		u.Stages[0].Name = "À rencontrer"
		u.Record(&intake.Event{OrgID: f.A.ID, Name: intake.EventArchiveVacancy, JobID: u.ID, Data: "archived", CreatedAt: at(5)})
		return nil
	})
	noErr(t, "UpdateJob", err)
	want := *j
	want.Title, want.ExternalReference, want.UpdatedAt = "Renamed", "EXT-2", at(5)
	want.Content.Salary.Max = nil
	want.Content.Remote = "no"
	want.Archived, want.ArchivedAt = true, ptr(at(5))
	want.Stages = []intake.Stage{j.Stages[1], {ID: got.Stages[1].ID, JobID: j.ID, Position: 1, Name: "Screening"}, j.Stages[0]}
	want.Stages[0].Name, want.Stages[0].Position, want.Stages[2].Position = "À rencontrer", 0, 2
	equal(t, "updated job", &want, got)
	stored, err := s.JobByReference(t.Context(), f.A.ID, j.Reference)
	noErr(t, "JobByReference", err)
	equal(t, "stored job", &want, stored)

	boom := errors.New("boom")
	_, err = s.UpdateJob(t.Context(), f.A.ID, j.Reference, func(u *intake.Job) error {
		u.Title = "lost"
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("fn error = %v, want boom", err)
	}
	_, err = s.UpdateJob(t.Context(), f.A.ID, "WTTJ_nope", func(*intake.Job) error { return nil })
	wantCode(t, "unknown job", err, intake.ENotFound)
	events, err := s.Events(t.Context(), intake.EventFilter{OrgID: f.A.ID, Names: []intake.EventName{intake.EventArchiveVacancy}, Limit: 10})
	noErr(t, "Events", err)
	if len(events) != 1 {
		t.Errorf("%d archive events, want 1", len(events))
	}
}

func testUpdateJobStageInUse(t *testing.T, s intake.Store) {
	f := seed(t, s)
	create(t, s, newApp(f.A, f.KeyA, f.A1, "in-first-stage@example.com", 1), nil)
	before := snapshot(t, s)
	_, err := s.UpdateJob(t.Context(), f.A.ID, f.A1.Reference, func(u *intake.Job) error {
		u.Title = "Changed"
		u.Stages = u.Stages[1:]
		return nil
	})
	wantCode(t, "remove a stage in use", err, intake.EInvalid)
	equal(t, "state after refused update", before, snapshot(t, s))
	got, err := s.JobByReference(t.Context(), f.A.ID, f.A1.Reference)
	noErr(t, "JobByReference", err)
	equal(t, "job after refused update", &f.A1, got)
}

func testUpdateJobOtherOrg(t *testing.T, s intake.Store) {
	f := seed(t, s)
	_, err := s.UpdateJob(t.Context(), f.B.ID, f.A2.Reference, func(u *intake.Job) error {
		u.Title = "stolen"
		return nil
	})
	wantCode(t, "job of another org", err, intake.ENotFound)
}

func testListJobs(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	draft := contentJob(f.A, "WTTJ_api0001", "", 10)
	draft.SetStatus(intake.JobDraft, at(10))
	draft.PublishedAt = nil
	createJob(t, s, draft)
	published := contentJob(f.A, "WTTJ_api0002", "", 20)
	published.Content.ContractType = "INTERNSHIP"
	createJob(t, s, published)
	st := func(s intake.JobStatus) *intake.JobStatus { return &s }
	refs := func(jobs []*intake.Job) []string {
		var out []string
		for _, j := range jobs {
			out = append(out, j.Reference)
		}
		return out
	}
	tests := []struct {
		name  string
		f     intake.JobFilter
		refs  []string
		total int
	}{
		{"org A", intake.JobFilter{OrgID: f.A.ID}, []string{f.A1.Reference, f.A2.Reference, "WTTJ_api0001", "WTTJ_api0002"}, 4},
		{"page", intake.JobFilter{OrgID: f.A.ID, Offset: 1, Limit: 2}, []string{f.A2.Reference, "WTTJ_api0001"}, 4},
		{"drafts", intake.JobFilter{OrgID: f.A.ID, Status: st(intake.JobDraft)}, []string{"WTTJ_api0001"}, 1},
		{"published", intake.JobFilter{OrgID: f.A.ID, Status: st(intake.JobPublished)}, []string{f.A1.Reference, f.A2.Reference, "WTTJ_api0002"}, 3},
		{"archived", intake.JobFilter{OrgID: f.A.ID, Status: st(intake.JobArchived)}, nil, 0},
		{"created after", intake.JobFilter{OrgID: f.A.ID, CreatedAfter: ptr(at(10))}, []string{"WTTJ_api0002"}, 1},
		{"updated after", intake.JobFilter{OrgID: f.A.ID, UpdatedAfter: ptr(at(9))}, []string{"WTTJ_api0001", "WTTJ_api0002"}, 2},
		{"published after", intake.JobFilter{OrgID: f.A.ID, PublishedAfter: ptr(at(0))}, []string{"WTTJ_api0002"}, 1},
		{"contract type", intake.JobFilter{ContractType: ptr("INTERNSHIP")}, []string{"WTTJ_api0002"}, 1},
		{"every org", intake.JobFilter{}, []string{f.A1.Reference, f.A2.Reference, f.B1.Reference, "WTTJ_api0001", "WTTJ_api0002"}, 5},
		{"org B", intake.JobFilter{OrgID: f.B.ID}, []string{f.B1.Reference}, 1},
	}
	for _, tt := range tests {
		jobs, total, err := s.ListJobs(ctx, tt.f)
		noErr(t, tt.name, err)
		equal(t, tt.name, tt.refs, refs(jobs))
		equal(t, tt.name+" total", tt.total, total)
	}
	jobs, _, err := s.ListJobs(ctx, intake.JobFilter{OrgID: f.A.ID, Offset: 3})
	noErr(t, "ListJobs", err)
	equal(t, "listed job", published, jobs[0])
}

func testStageCounts(t *testing.T, s intake.Store) {
	f := seed(t, s)
	create(t, s, newApp(f.A, f.KeyA, f.A1, "one@example.com", 1), nil)
	create(t, s, newApp(f.A, f.KeyA, f.A1, "two@example.com", 2), nil)
	moved := newApp(f.A, f.KeyA, f.A1, "three@example.com", 3)
	moved.StageID = f.A1.Stages[2].ID
	create(t, s, moved, nil)
	counts, err := s.StageCounts(t.Context(), f.A.ID, f.A1.ID)
	noErr(t, "StageCounts", err)
	equal(t, "counts", map[int64]int{f.A1.Stages[0].ID: 2, f.A1.Stages[2].ID: 1}, counts)
	counts, err = s.StageCounts(t.Context(), f.B.ID, f.A1.ID)
	noErr(t, "StageCounts(other org)", err)
	equal(t, "counts of another org's job", map[int64]int{}, counts)
}

func testOrgContent(t *testing.T, s intake.Store) {
	w := testWorld()
	w[0].Org.Content = intake.OrgContent{
		Description: "<p>Acme</p>", Website: "https://acme.example", LogoURL: "https://acme.example/l.png",
		Color: "#112233", PrivacyURL: "https://acme.example/privacy", DefaultLanguage: "fr",
		Offices: []intake.Office{{ID: 196, Name: "HQ", Address: "1 rue", ZipCode: "75002", City: "Paris", CountryCode: "FR", IsHeadquarter: true}},
	}
	saveWorld(t, s, w)
	for name, get := range map[string]func() (*intake.Org, error){
		"OrgByReference": func() (*intake.Org, error) { return s.OrgByReference(t.Context(), "Pg4eV6k") },
		"OrgBySlug":      func() (*intake.Org, error) { return s.OrgBySlug(t.Context(), "acme") },
	} {
		got, err := get()
		noErr(t, name, err)
		equal(t, name, &w[0].Org, got)
	}
	_, keyOrg, err := s.APIKeyByHash(t.Context(), w[0].Keys[0].Hash)
	noErr(t, "APIKeyByHash", err)
	equal(t, "APIKeyByHash org", &w[0].Org, keyOrg)
	orgs, err := s.Orgs(t.Context())
	noErr(t, "Orgs", err)
	equal(t, "Orgs content", w[0].Org.Content, orgs[0].Content)
	_, err = s.OrgByReference(t.Context(), "nope")
	wantCode(t, "unknown org", err, intake.ENotFound)
}

func testWorldKeepsAPIJobs(t *testing.T, s intake.Store) {
	f := seed(t, s)
	j := contentJob(f.A, "WTTJ_api0001", "EXT-1", 1)
	createJob(t, s, j)
	w := testWorld()
	w[0].Jobs[0].Content.Description = "from the world"
	w[0].Jobs[0].PublishedAt = ptr(at(30))
	saveWorld(t, s, w)
	got, err := s.JobByReference(t.Context(), f.A.ID, j.Reference)
	noErr(t, "API job after SaveWorld", err)
	equal(t, "API job after SaveWorld", j, got)
	a1, err := s.JobByReference(t.Context(), f.A.ID, f.A1.Reference)
	noErr(t, "world job", err)
	equal(t, "world job content", "from the world", a1.Content.Description)
	equal(t, "world job published_at", ptr(at(30)), a1.PublishedAt)
	// Published again later, it keeps the time it was first published.
	w = testWorld()
	w[0].Jobs[0].PublishedAt = ptr(at(40))
	saveWorld(t, s, w)
	a1, err = s.JobByReference(t.Context(), f.A.ID, f.A1.Reference)
	noErr(t, "world job", err)
	equal(t, "world job published_at kept", ptr(at(30)), a1.PublishedAt)
}
