package intake_test

import (
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"intake"
	"intake/internal/auth"
	"intake/internal/testenv"
)

const userWorld = `
organizations:
  - name: Acme
    reference: Pg4eV6k
    api_keys:
      - {name: rw, token: wk-api-key, scopes: [candidates_rw]}
    jobs:
      - {reference: WTTJ_KmqkD1Y, title: Dev}
      - {reference: WTTJ_other01, title: Ops}
    users:
      - {email: owner@example.com, name: Olga Owner, role: owner, password: "owner password"}
      - {email: viewer@example.com, name: Vera Viewer, role: viewer, password: "viewer password"}
  - name: Globex
    reference: 2Ob7z5j
    users:
      - {email: gil@example.com, name: Gil, role: admin, password: "globex password"}
`

func userEnv(t *testing.T) *testenv.Env {
	t.Helper()
	return testenv.New(t, userWorld, func(c *intake.ServiceConfig) {
		c.Passwords = auth.Bcrypt{Cost: bcrypt.MinCost}
		c.UserTokens = auth.JWT{Key: []byte("0123456789abcdef0123456789abcdef")}
		c.UserTokenTTL = time.Hour
	})
}

func TestUserTokens(t *testing.T) {
	env := userEnv(t)
	ctx := t.Context()
	token, u, err := env.Service.Login(ctx, "OWNER@example.com", "owner password", "192.0.2.1")
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if u.Firstname != "Olga" || u.Lastname != "Owner" || u.Role != intake.RoleOwner {
		t.Fatalf("Login user = %+v", u)
	}
	p, err := env.Service.Authenticate(ctx, token)
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	if p.User == nil || p.User.ID != u.ID || p.Org.Reference != "Pg4eV6k" || !p.CanWrite() || p.Key.ID != -u.ID {
		t.Fatalf("principal = %+v (user %+v)", p, p.User)
	}
	viewerToken, _, err := env.Service.Login(ctx, "viewer@example.com", "viewer password", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	viewer, err := env.Service.Authenticate(ctx, viewerToken)
	if err != nil || viewer.CanWrite() || viewer.Allow(intake.ActionRead) != nil {
		t.Fatalf("viewer principal: %v, can write %v", err, viewer.CanWrite())
	}

	env.Clock.Advance(time.Hour)
	_, err = env.Service.Authenticate(ctx, token)
	if intake.ErrorCodeOf(err) != intake.EUnauthenticated || intake.ErrorMessage(err) != "token expired" {
		t.Fatalf("after the TTL: %v", err)
	}
	token, _, _ = env.Service.Login(ctx, "owner@example.com", "owner password", "192.0.2.1")
	if _, _, err := env.Service.ResetPassword(ctx, "Pg4eV6k", "owner@example.com", "a new password"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Service.Authenticate(ctx, token); intake.ErrorCodeOf(err) != intake.EUnauthenticated {
		t.Fatalf("token after a password reset: %v", err)
	}
	token, _, err = env.Service.Login(ctx, "owner@example.com", "a new password", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Service.DisableUser(ctx, "Pg4eV6k", "owner@example.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Service.Authenticate(ctx, token); intake.ErrorCodeOf(err) != intake.EUnauthenticated {
		t.Fatalf("token of a disabled user: %v", err)
	}
	// A restart with the same world re-enables no one and keeps the reset
	// password: the world's password no longer matches, so it is hashed
	// anew; the disabled flag stays.
	env.Apply(t, userWorld)
	users, err := env.Service.Users(ctx, "Pg4eV6k")
	if err != nil || len(users) != 2 || !users[0].Disabled || users[1].Disabled {
		t.Fatalf("users after re-apply: %v %+v", err, users)
	}
	_, _, err = env.Service.Login(ctx, "owner@example.com", "owner password", "192.0.2.1")
	if intake.ErrorCodeOf(err) != intake.EUnauthenticated {
		t.Fatalf("login of a disabled user: %v", err)
	}
}

func TestLoginLimit(t *testing.T) {
	env := userEnv(t)
	ctx := t.Context()
	for i := range intake.LoginFailuresPerEmail {
		_, _, err := env.Service.Login(ctx, "viewer@example.com", "wrong", "192.0.2.1")
		if intake.ErrorCodeOf(err) != intake.EUnauthenticated || intake.ErrorMessage(err) != "Invalid email or password" {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	_, _, err := env.Service.Login(ctx, "viewer@example.com", "viewer password", "192.0.2.2")
	if intake.ErrorCodeOf(err) != intake.ERateLimited {
		t.Fatalf("locked email: %v", err)
	}
	if _, _, err := env.Service.Login(ctx, "owner@example.com", "owner password", "192.0.2.1"); err != nil {
		t.Fatalf("another email from the same address: %v", err)
	}
	env.Clock.Advance(intake.LoginWindow)
	if _, _, err := env.Service.Login(ctx, "viewer@example.com", "viewer password", "192.0.2.2"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestWorldUsersInvalid(t *testing.T) {
	env := userEnv(t)
	w := intake.World{Organizations: []intake.WorldOrganization{{Name: "Acme", Reference: "Pg4eV6k", Users: []intake.WorldUser{
		{Email: "a@example.com", Role: "boss", Password: "long enough password"},
		{Email: "b@example.com", Role: intake.RoleViewer},
		{Email: "c@example.com", Role: intake.RoleViewer, Password: "short"},
		{Email: "d@example.com", Role: intake.RoleViewer, Password: "long enough password", PasswordHash: "$2a$04$x"},
		{Email: "A@example.com", Role: intake.RoleViewer, PasswordHash: "plain"},
	}}}}
	err := env.Service.ApplyWorld(t.Context(), &w)
	want := map[string]string{
		"organizations[0].users[0].role":          "must be owner, admin, recruiter or viewer",
		"organizations[0].users[1].password":      "give password or password_hash",
		"organizations[0].users[2].password":      "is too short (minimum is 10 characters)",
		"organizations[0].users[3].password":      "give password or password_hash, not both",
		"organizations[0].users[4].email":         "duplicates organizations[0].users[0].email",
		"organizations[0].users[4].password_hash": "must be a bcrypt hash ($2a$, $2b$ or $2y$)",
	}
	got := intake.ErrorFields(err)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("fields = %v", got)
	}
	// Another organization's email fails the world as a whole.
	w = intake.World{Organizations: []intake.WorldOrganization{{Name: "Acme", Reference: "Pg4eV6k", Users: []intake.WorldUser{
		{Email: "gil@example.com", Role: intake.RoleViewer, Password: "long enough password"}}}}}
	if err := env.Service.ApplyWorld(t.Context(), &w); intake.ErrorCodeOf(err) != intake.EConflict {
		t.Fatalf("email of another organization: %v", err)
	}
}

func TestApplicantMoveAndArchive(t *testing.T) {
	env := userEnv(t)
	ctx := t.Context()
	p := authenticate(t, env.Service, "wk-api-key")
	job, err := env.Store.JobByReference(ctx, p.Org.ID, "WTTJ_KmqkD1Y")
	if err != nil {
		t.Fatal(err)
	}
	other, err := env.Store.JobByReference(ctx, p.Org.ID, "WTTJ_other01")
	if err != nil {
		t.Fatal(err)
	}
	res, err := env.Service.CreateApplication(ctx, p, &intake.NewApplication{Job: job, Application: intake.Application{Source: intake.SourceFlatchr,
		Person: intake.Person{Firstname: "Jane", Lastname: "Doe", Email: "jane@example.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	key := res.Candidate.ApplicantKey
	_, err = env.Service.MoveApplicant(ctx, p, job.VacancyKey, key, other.Stages[1].ID)
	if intake.ErrorCodeOf(err) != intake.EInvalid {
		t.Fatalf("move to another job's stage: %v", err)
	}
	env.Clock.Advance(time.Minute)
	moved, err := env.Service.MoveApplicant(ctx, p, job.VacancyKey, key, job.Stages[2].ID)
	if err != nil || moved.StageID != job.Stages[2].ID {
		t.Fatalf("move: %v", err)
	}
	moves, err := env.Store.Moves(ctx, p.Org.ID, moved.ID)
	if err != nil || len(moves) != 1 || moves[0].FromStageID != job.Stages[0].ID || moves[0].ToStageID != job.Stages[2].ID {
		t.Fatalf("moves = %+v, %v", moves, err)
	}
	env.Clock.Advance(time.Minute)
	first, err := env.Service.ArchiveApplicant(ctx, p, job.VacancyKey, key)
	if err != nil || !first.Archived {
		t.Fatalf("archive: %v", err)
	}
	env.Clock.Advance(time.Minute)
	again, err := env.Service.ArchiveApplicant(ctx, p, "", key)
	if err != nil || !again.UpdatedAt.Equal(first.UpdatedAt) {
		t.Fatalf("archive again changed updated_at: %v %v", first.UpdatedAt, again.UpdatedAt)
	}
	events, err := env.Store.Events(ctx, intake.EventFilter{OrgID: p.Org.ID, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var names []intake.EventName
	for _, e := range events {
		names = append(names, e.Name)
	}
	if len(names) != 3 || names[1] != intake.EventDragApplicant || names[2] != intake.EventArchiveApplicant {
		t.Fatalf("events = %v", names)
	}
	found, err := env.Service.SearchApplicants(ctx, p, intake.ApplicantSearch{Email: new("JANE@example.com")})
	if err != nil || len(found) != 1 || !found[0].Archived {
		t.Fatalf("search: %v %+v", err, found)
	}
}
