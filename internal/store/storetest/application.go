package storetest

import (
	"errors"
	"testing"
	"time"

	"intake"
)

func createTests() []test {
	return []test{
		{"RoundTrip", testCreateRoundTrip},
		{"Bare", testCreateBare},
		{"ConsentRefused", testCreateConsentRefused},
		{"PersonMatchedByEmail", testCreatePersonMatched},
		{"PersonWithoutEmail", testCreateNoEmail},
		{"SameEmailOtherOrg", testCreateOtherOrg},
		{"DuplicatePersonJob", testCreateDuplicate},
		{"DuplicateReference", testCreateDuplicateReference},
		{"Idempotency", testCreateIdempotency},
		{"IdempotencyConflictFirst", testCreateIdempotencyFirst},
	}
}

func readTests() []test {
	return []test{
		{"ByReferenceAndKey", testReadByKey},
		{"NotFound", testReadNotFound},
	}
}

func testCreateRoundTrip(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	app := newApp(f.A, f.KeyA, f.A1, "Jane.Doe@Example.com", 1)
	app.StageID = f.A1.Stages[2].ID
	// Any location: stores keep the instant at millisecond precision.
	app.CreatedAt = app.CreatedAt.In(time.FixedZone("CEST", 2*3600))
	want := clone(app)
	create(t, s, app, nil)
	if app.ID == 0 || app.Person.ID == 0 {
		t.Fatalf("CreateApplication did not fill ids: app %d person %d", app.ID, app.Person.ID)
	}
	want.ID, want.Person.ID = app.ID, app.Person.ID
	equal(t, "CreateApplication's app", want, app)
	equal(t, "Application", want, getApp(t, s, f.A.ID, app.Reference))
	got, err := s.ApplicationByKey(ctx, f.A.ID, app.ApplicantKey)
	noErr(t, "ApplicationByKey", err)
	equal(t, "ApplicationByKey", want, got)
}

func testCreateBare(t *testing.T, s intake.Store) {
	f := seed(t, s)
	app := bareApp(f.A, f.A2, "", 1)
	create(t, s, app, nil)
	equal(t, "Application", app, getApp(t, s, f.A.ID, app.Reference))
}

func testCreateConsentRefused(t *testing.T, s intake.Store) {
	f := seed(t, s)
	app := bareApp(f.A, f.A1, "no@example.com", 1)
	app.Newsletter = &intake.Consent{Given: false, At: at(2)}
	create(t, s, app, nil)
	equal(t, "Application", app, getApp(t, s, f.A.ID, app.Reference))
}

// testCreatePersonMatched checks that applications of one email (any case)
// share a person whose profile takes the non-empty fields of the latest
// application, media network by network.
func testCreatePersonMatched(t *testing.T, s intake.Store) {
	f := seed(t, s)
	first := newApp(f.A, f.KeyA, f.A1, "Jane.Doe@Example.com", 1)
	create(t, s, first, nil)
	second := bareApp(f.A, f.A2, "jane.doe@example.COM", 2)
	second.Person = intake.Person{
		OrgID: f.A.ID, Email: "jane.doe@example.COM", Firstname: "Janet", Subtitle: "Lead gopher",
		Media: map[string]string{"github": "https://github.com/janet", "website": "https://janet.dev"},
	}
	create(t, s, second, nil)
	if second.Person.ID != first.Person.ID {
		t.Fatalf("same email got persons %d and %d, want one", first.Person.ID, second.Person.ID)
	}
	want := intake.Person{
		ID: first.Person.ID, OrgID: f.A.ID, Email: "jane.doe@example.COM",
		Firstname: "Janet", Lastname: first.Person.Lastname, Civility: first.Person.Civility,
		Phone: first.Person.Phone, Subtitle: "Lead gopher",
		Media: map[string]string{"github": "https://github.com/janet", "linkedin": "in/jane", "website": "https://janet.dev"},
	}
	equal(t, "person of the second application", want, getApp(t, s, f.A.ID, second.Reference).Person)
	equal(t, "person of the first application", want, getApp(t, s, f.A.ID, first.Reference).Person)
}

func testCreateNoEmail(t *testing.T, s intake.Store) {
	f := seed(t, s)
	a := bareApp(f.A, f.A1, "", 1)
	b := bareApp(f.A, f.A1, "", 2)
	create(t, s, a, nil)
	create(t, s, b, nil)
	if a.Person.ID == b.Person.ID {
		t.Fatalf("applications without email share person %d, want one person each", a.Person.ID)
	}
	equal(t, "first", a, getApp(t, s, f.A.ID, a.Reference))
	equal(t, "second", b, getApp(t, s, f.A.ID, b.Reference))
}

func testCreateOtherOrg(t *testing.T, s intake.Store) {
	f := seed(t, s)
	a := newApp(f.A, f.KeyA, f.A1, "shared@example.com", 1)
	b := bareApp(f.B, f.B1, "shared@example.com", 2)
	b.Person.Firstname = "Other"
	create(t, s, a, nil)
	create(t, s, b, nil)
	if a.Person.ID == b.Person.ID {
		t.Fatalf("one person %d across organizations", a.Person.ID)
	}
	equal(t, "application of A", a, getApp(t, s, f.A.ID, a.Reference))
	equal(t, "application of B", b, getApp(t, s, f.B.ID, b.Reference))
}

func testCreateDuplicate(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	first := newApp(f.A, f.KeyA, f.A1, "jane@example.com", 1)
	create(t, s, first, nil)
	dup := newApp(f.A, f.KeyA2, f.A1, "JANE@example.com", 2)
	dup.Person.Firstname, dup.Person.Phone = "Changed", "000"
	err := s.CreateApplication(ctx, dup, nil)
	wantCode(t, "CreateApplication(same person and job)", err, intake.EConflict)
	if got := existingReference(err); got != first.Reference {
		t.Errorf("conflict: existing reference %q, want %q (%v)", got, first.Reference, err)
	}
	_, err = s.ApplicationByKey(ctx, f.A.ID, dup.ApplicantKey)
	wantCode(t, "ApplicationByKey(rejected duplicate)", err, intake.ENotFound)
	equal(t, "first application after the rejected duplicate", first, getApp(t, s, f.A.ID, first.Reference))
	if n := total(t, s, f.A.ID); n != 1 {
		t.Errorf("%d applications, want 1", n)
	}
}

func testCreateDuplicateReference(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	first := bareApp(f.A, f.A1, "a@example.com", 1)
	create(t, s, first, nil)
	again := bareApp(f.A, f.A2, "b@example.com", 2)
	again.Reference = first.Reference
	err := s.CreateApplication(ctx, again, nil)
	wantCode(t, "CreateApplication(taken reference)", err, intake.EConflict)
	// Only a duplicate person×job is an ApplicationExists: the service
	// answers it as a duplicate application.
	if _, ok := errors.AsType[*intake.ApplicationExists](err); ok {
		t.Errorf("taken reference reported as a duplicate application: %v", err)
	}
	again = bareApp(f.A, f.A2, "b@example.com", 2)
	again.ApplicantKey = first.ApplicantKey
	wantCode(t, "CreateApplication(taken applicant key)", s.CreateApplication(ctx, again, nil), intake.EConflict)
	if n := total(t, s, f.A.ID); n != 1 {
		t.Errorf("%d applications, want 1", n)
	}
}

func testCreateIdempotency(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	app := newApp(f.A, f.KeyA, f.A1, "idem@example.com", 1)
	rec := idemRecord(app, f.KeyA, "key-1", 1)
	create(t, s, app, rec)
	got, err := s.Idempotency(ctx, f.A.ID, f.KeyA.ID, "key-1")
	noErr(t, "Idempotency", err)
	equal(t, "Idempotency", rec, got)

	other := newApp(f.A, f.KeyA, f.A2, "other@example.com", 2)
	err = s.CreateApplication(ctx, other, idemRecord(other, f.KeyA, "key-1", 2))
	wantCode(t, "CreateApplication(taken idempotency key)", err, intake.EConflict)
	if got := takenKey(err); got != "key-1" {
		t.Errorf("conflict: taken key %q, want %q (%v)", got, "key-1", err)
	}
	_, err = s.Application(ctx, f.A.ID, other.Reference)
	wantCode(t, "Application(create refused for its key)", err, intake.ENotFound)
	got, err = s.Idempotency(ctx, f.A.ID, f.KeyA.ID, "key-1")
	noErr(t, "Idempotency", err)
	equal(t, "Idempotency after the refused create", rec, got)

	// Keys are scoped per API key and per organization.
	other = newApp(f.A, f.KeyA2, f.A2, "other@example.com", 3)
	create(t, s, other, idemRecord(other, f.KeyA2, "key-1", 3))
	inB := newApp(f.B, f.KeyB, f.B1, "idem@example.com", 4)
	create(t, s, inB, idemRecord(inB, f.KeyB, "key-1", 4))
}

// testCreateIdempotencyFirst checks that a retry colliding on both the
// idempotency key and the person×job reports the key, so the service
// replays the first response instead of calling the retry a duplicate.
func testCreateIdempotencyFirst(t *testing.T, s intake.Store) {
	f := seed(t, s)
	app := newApp(f.A, f.KeyA, f.A1, "retry@example.com", 1)
	create(t, s, app, idemRecord(app, f.KeyA, "key-1", 1))
	retry := newApp(f.A, f.KeyA, f.A1, "retry@example.com", 2)
	err := s.CreateApplication(t.Context(), retry, idemRecord(retry, f.KeyA, "key-1", 2))
	wantCode(t, "CreateApplication(retry)", err, intake.EConflict)
	if got := takenKey(err); got != "key-1" {
		t.Errorf("conflict: taken key %q, want %q (%v)", got, "key-1", err)
	}
}

func testReadByKey(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	a := newApp(f.A, f.KeyA, f.A1, "a@example.com", 1)
	b := newApp(f.A, f.KeyA, f.A2, "b@example.com", 2)
	create(t, s, a, nil)
	create(t, s, b, nil)
	for _, app := range []*intake.Application{a, b} {
		equal(t, "Application", app, getApp(t, s, f.A.ID, app.Reference))
		got, err := s.ApplicationByKey(ctx, f.A.ID, app.ApplicantKey)
		noErr(t, "ApplicationByKey", err)
		equal(t, "ApplicationByKey", app, got)
	}
}

func testReadNotFound(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	app := newApp(f.A, f.KeyA, f.A1, "a@example.com", 1)
	create(t, s, app, nil)
	_, err := s.Application(ctx, f.B.ID, app.Reference)
	wantCode(t, "Application(other org)", err, intake.ENotFound)
	_, err = s.ApplicationByKey(ctx, f.B.ID, app.ApplicantKey)
	wantCode(t, "ApplicationByKey(other org)", err, intake.ENotFound)
	_, err = s.Application(ctx, f.A.ID, "wttj-000000000000000000000000")
	wantCode(t, "Application(unknown)", err, intake.ENotFound)
	_, err = s.ApplicationByKey(ctx, f.A.ID, "0000000000000000")
	wantCode(t, "ApplicationByKey(unknown)", err, intake.ENotFound)
}

// existingReference is the reference an *intake.ApplicationExists carries;
// empty for any other error.
func existingReference(err error) string {
	if e, ok := errors.AsType[*intake.ApplicationExists](err); ok {
		return e.Reference
	}
	return ""
}

// takenKey is the key an *intake.IdempotencyKeyTaken carries; empty for any
// other error.
func takenKey(err error) string {
	if e, ok := errors.AsType[*intake.IdempotencyKeyTaken](err); ok {
		return e.Key
	}
	return ""
}
