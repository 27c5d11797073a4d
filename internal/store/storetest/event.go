package storetest

import (
	"encoding/json"
	"testing"

	"intake"
)

func eventTests() []test {
	return []test{
		{"CreateAppendsEvents", testEventOnCreate},
		{"FailedCreateAppendsNone", testEventFailedCreate},
		{"UpdateAppendsEvents", testEventOnUpdate},
		{"FnErrorAppendsNone", testEventFnError},
		{"Filter", testEventFilter},
	}
}

// recordNew records a new_applicant event on app, as the service does.
func recordNew(app *intake.Application, n int) {
	app.Record(&intake.Event{
		OrgID: app.OrgID, Name: intake.EventNewApplicant, JobID: app.JobID, StageID: app.StageID,
		Data: &intake.ApplicantData{Candidate: &intake.Candidate{Application: app}}, CreatedAt: at(n),
	})
}

func events(t testing.TB, s intake.Store, f intake.EventFilter) []*intake.Event {
	t.Helper()
	if f.Limit == 0 {
		f.Limit = 100
	}
	got, err := s.Events(t.Context(), f)
	noErr(t, "Events", err)
	return got
}

// applicantOf decodes an applicant event's payload.
func applicantOf(t testing.TB, e *intake.Event) *intake.ApplicantData {
	t.Helper()
	var d intake.ApplicantData
	if err := json.Unmarshal(e.Payload, &d); err != nil {
		t.Fatalf("event %d payload %s: %v", e.ID, e.Payload, err)
	}
	return &d
}

func testEventOnCreate(t *testing.T, s intake.Store) {
	f := seed(t, s)
	app := newApp(f.A, f.KeyA, f.A1, "jane@example.com", 1)
	recordNew(app, 1)
	recorded := app.Events[0]
	create(t, s, app, nil)
	if len(app.Events) != 0 {
		t.Errorf("app.Events after the write = %d events, want none left", len(app.Events))
	}
	got := events(t, s, intake.EventFilter{OrgID: f.A.ID})
	if len(got) != 1 {
		t.Fatalf("Events = %d, want 1", len(got))
	}
	e := got[0]
	if e.ID == 0 || e.ID != recorded.ID {
		t.Errorf("event id = %d, recorded event's = %d, want the same non-zero id", e.ID, recorded.ID)
	}
	equal(t, "event header", intake.Event{ID: e.ID, OrgID: f.A.ID, Name: intake.EventNewApplicant, JobID: f.A1.ID, StageID: f.A1.Stages[0].ID, CreatedAt: at(1)},
		intake.Event{ID: e.ID, OrgID: e.OrgID, Name: e.Name, JobID: e.JobID, StageID: e.StageID, CreatedAt: e.CreatedAt})
	d := applicantOf(t, e)
	// The payload encodes the application as stored: with its new ids.
	want := clone(app)
	want.Events = nil
	equal(t, "payload application", want, d.Candidate.Application)
	if d.Candidate.ID == 0 || d.Candidate.Person.ID == 0 {
		t.Errorf("payload ids = %d/%d, want the ids the store assigned", d.Candidate.ID, d.Candidate.Person.ID)
	}
	if other := events(t, s, intake.EventFilter{OrgID: f.B.ID}); len(other) != 0 {
		t.Errorf("another organization sees %d events, want none", len(other))
	}
}

func testEventFailedCreate(t *testing.T, s intake.Store) {
	f := seed(t, s)
	first := newApp(f.A, f.KeyA, f.A1, "jane@example.com", 1)
	create(t, s, first, nil)
	dup := newApp(f.A, f.KeyA, f.A1, "jane@example.com", 2)
	recordNew(dup, 2)
	err := s.CreateApplication(t.Context(), dup, nil)
	wantCode(t, "duplicate create", err, intake.EConflict)
	if got := events(t, s, intake.EventFilter{OrgID: f.A.ID}); len(got) != 0 {
		t.Errorf("Events after a failed create = %d, want none", len(got))
	}
}

func testEventOnUpdate(t *testing.T, s intake.Store) {
	f := seed(t, s)
	app := newApp(f.A, f.KeyA, f.A1, "jane@example.com", 1)
	create(t, s, app, nil)
	to := f.A1.Stages[2].ID
	out, err := s.UpdateApplication(t.Context(), f.A.ID, app.Reference, func(a *intake.Application) error {
		a.StageID, a.UpdatedAt = to, at(5)
		a.Record(&intake.Event{
			OrgID: a.OrgID, Name: intake.EventDragApplicant, JobID: a.JobID, StageID: a.StageID,
			Data:      &intake.ApplicantData{Candidate: &intake.Candidate{Application: a}, FromStageID: f.A1.Stages[0].ID},
			CreatedAt: at(5),
		})
		return nil
	})
	noErr(t, "UpdateApplication", err)
	if len(out.Events) != 0 {
		t.Errorf("result's Events = %d, want none left", len(out.Events))
	}
	got := events(t, s, intake.EventFilter{OrgID: f.A.ID})
	if len(got) != 1 || got[0].Name != intake.EventDragApplicant || got[0].StageID != to {
		t.Fatalf("Events = %+v, want one drag_applicant to stage %d", got, to)
	}
	d := applicantOf(t, got[0])
	if d.Candidate.StageID != to || d.FromStageID != f.A1.Stages[0].ID || d.Candidate.ID != app.ID {
		t.Errorf("payload = stage %d from %d id %d, want stage %d from %d id %d",
			d.Candidate.StageID, d.FromStageID, d.Candidate.ID, to, f.A1.Stages[0].ID, app.ID)
	}
}

func testEventFnError(t *testing.T, s intake.Store) {
	f := seed(t, s)
	app := newApp(f.A, f.KeyA, f.A1, "jane@example.com", 1)
	create(t, s, app, nil)
	_, err := s.UpdateApplication(t.Context(), f.A.ID, app.Reference, func(a *intake.Application) error {
		a.Archived = true
		a.Record(&intake.Event{OrgID: a.OrgID, Name: intake.EventArchiveApplicant, Data: a, CreatedAt: at(3)})
		return intake.Errorf(intake.EInvalid, "no")
	})
	wantCode(t, "UpdateApplication", err, intake.EInvalid)
	if got := events(t, s, intake.EventFilter{OrgID: f.A.ID}); len(got) != 0 {
		t.Errorf("Events after a failed update = %d, want none", len(got))
	}
}

func testEventFilter(t *testing.T, s intake.Store) {
	f := seed(t, s)
	var ids []int64
	for i := range 4 {
		app := bareApp(f.A, f.A1, "p"+string(rune('a'+i))+"@example.com", i+1)
		recordNew(app, i+1)
		if i == 3 {
			app.Events[0].Name = intake.EventArchiveApplicant
		}
		e := app.Events[0]
		create(t, s, app, nil)
		ids = append(ids, e.ID)
	}
	list := func(f intake.EventFilter) []int64 {
		var out []int64
		for _, e := range events(t, s, f) {
			out = append(out, e.ID)
		}
		return out
	}
	equal(t, "all", ids, list(intake.EventFilter{OrgID: f.A.ID}))
	equal(t, "after the first", ids[1:], list(intake.EventFilter{OrgID: f.A.ID, AfterID: ids[0]}))
	equal(t, "limit 2", ids[:2], list(intake.EventFilter{OrgID: f.A.ID, Limit: 2}))
	equal(t, "since at(3)", ids[2:], list(intake.EventFilter{OrgID: f.A.ID, Since: at(3)}))
	equal(t, "names", ids[3:], list(intake.EventFilter{OrgID: f.A.ID, Names: []intake.EventName{intake.EventArchiveApplicant}}))
}
