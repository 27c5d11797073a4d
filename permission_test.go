package intake_test

import (
	"context"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"intake"
	"intake/internal/auth"
	"intake/internal/testenv"
)

const permWorld = `
organizations:
  - name: Acme
    reference: Pg4eV6k
    api_keys:
      - {name: rw, token: perm-rw-key, scopes: [candidates_rw]}
      - {name: r, token: perm-r-key, scopes: [candidates_r]}
      - {name: jobs, token: perm-jobs-key, scopes: [jobs_rw]}
      - {name: all, token: perm-all-key, scopes: [candidates_rw, jobs_rw, organizations_rw, documents_rw, emails_rw, comments_w, moves_r, su_organizations_r, su_jobs_r]}
    jobs:
      - reference: WTTJ_KmqkD1Y
        title: Dev
        stages: [{id: 42, name: New, reference: initial}, {id: 43, name: Call}]
    users:
      - {email: owner@acme.test, name: Olga Owner, role: owner, password: "owner password"}
      - {email: admin@acme.test, name: Adam Admin, role: admin, password: "admin password"}
      - {email: recruiter@acme.test, name: Rita Recruiter, role: recruiter, password: "recruiter password"}
      - {email: viewer@acme.test, name: Vera Viewer, role: viewer, password: "viewer password"}
`

// TestRolePermissions is the permission model itself: who may do what.
func TestRolePermissions(t *testing.T) {
	const (
		o = intake.RoleOwner
		a = intake.RoleAdmin
		r = intake.RoleRecruiter
		v = intake.RoleViewer
	)
	want := map[intake.Permission][]intake.Role{
		intake.PermRead:           {o, a, r, v},
		intake.PermMove:           {o, a, r},
		intake.PermComment:        {o, a, r},
		intake.PermMessage:        {o, a, r},
		intake.PermTag:            {o, a, r},
		intake.PermManageJobs:     {o, a},
		intake.PermManageUsers:    {o, a},
		intake.PermManageAPIKeys:  {o, a},
		intake.PermManageWebhooks: {o, a},
		intake.PermManageOwners:   {o},
	}
	if len(want) != len(intake.Permissions) {
		t.Fatalf("the table covers %d permissions of %d", len(want), len(intake.Permissions))
	}
	for _, perm := range intake.Permissions {
		for _, role := range append(intake.Roles, "", "root") {
			allowed := false
			for _, w := range want[perm] {
				allowed = allowed || w == role
			}
			if got := role.Can(perm); got != allowed {
				t.Errorf("%q.Can(%s) = %v, want %v", role, perm, got, allowed)
			}
		}
	}
}

// principals signs in a user of each role, and authenticates each key.
func principals(t *testing.T, env *testenv.Env) map[string]*intake.Principal {
	t.Helper()
	ps := map[string]*intake.Principal{}
	for _, role := range intake.Roles {
		token, _, err := env.Service.Login(t.Context(), string(role)+"@acme.test", string(role)+" password", "192.0.2.1")
		if err != nil {
			t.Fatalf("login %s: %v", role, err)
		}
		if ps[string(role)], err = env.Service.Authenticate(t.Context(), token); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []string{"rw", "r", "jobs", "all"} {
		p, err := env.Service.Authenticate(t.Context(), "perm-"+k+"-key")
		if err != nil {
			t.Fatal(err)
		}
		ps["key "+k] = p
	}
	return ps
}

// TestRequireThroughTheService calls every Service method that changes an
// organization, as each role and as keys, and checks the Service alone
// refuses what the permission model refuses (EForbidden), whatever door
// the call came through.
func TestRequireThroughTheService(t *testing.T) {
	env := testenv.New(t, permWorld, func(c *intake.ServiceConfig) {
		c.Passwords = auth.Bcrypt{Cost: bcrypt.MinCost}
		c.UserTokens = auth.JWT{Key: []byte("0123456789abcdef0123456789abcdef")}
		c.UserTokenTTL = time.Hour
	})
	svc := env.Service
	ps := principals(t, env)
	job, err := svc.JobByReference(t.Context(), ps["key rw"], "Pg4eV6k", "WTTJ_KmqkD1Y")
	if err != nil {
		t.Fatal(err)
	}
	res, err := svc.CreateApplication(t.Context(), ps["key rw"], &intake.NewApplication{Job: job,
		Application: intake.Application{Source: intake.SourceWelcomeKit, Person: intake.Person{Firstname: "Ann", Lastname: "Lee", Email: "ann@example.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	ref := intake.CandidateRef{Reference: res.Candidate.Reference}
	call := map[string]func(context.Context, *intake.Principal) error{
		"read": func(ctx context.Context, p *intake.Principal) error {
			_, err := svc.Application(ctx, p, ref.Reference)
			return err
		},
		"create": func(ctx context.Context, p *intake.Principal) error {
			_, err := svc.CreateApplication(ctx, p, &intake.NewApplication{Job: job, Application: intake.Application{
				Source: intake.SourceWelcomeKit, Person: intake.Person{Firstname: "Bo", Lastname: p.Key.Name, Email: "bo@example.com"}}})
			return err
		},
		"move": func(ctx context.Context, p *intake.Principal) error {
			stage := int64(43)
			_, err := svc.UpdateApplication(ctx, p, ref.Reference, &intake.ApplicationUpdate{StageID: &stage})
			return err
		},
		"flatchr move": func(ctx context.Context, p *intake.Principal) error {
			_, err := svc.MoveApplicant(ctx, p, job.VacancyKey, res.Candidate.ApplicantKey, 42)
			return err
		},
		"comment": func(ctx context.Context, p *intake.Principal) error {
			_, err := svc.AddComment(ctx, p, ref, &intake.NewComment{Text: "hi", Source: intake.SourceWelcomeKit})
			return err
		},
		"message": func(ctx context.Context, p *intake.Principal) error {
			_, _, err := svc.SendMessage(ctx, p, ref, &intake.NewMessage{FromEmail: "hr@acme.test", Subject: "Hi", Body: "Hello", Source: intake.SourceWelcomeKit})
			return err
		},
		"tag": func(ctx context.Context, p *intake.Principal) error {
			_, err := svc.SetTrait(ctx, p, ref, "no-such-tag", "x")
			return err
		},
		"meta": func(ctx context.Context, p *intake.Principal) error {
			_, err := svc.SetCandidateMeta(ctx, p, ref.Reference, intake.CandidateMeta{AppName: "a", Type: "t", Name: "n", Value: `{"a":1}`})
			return err
		},
		"create job": func(ctx context.Context, p *intake.Principal) error {
			title := "Ops"
			_, err := svc.CreateJob(ctx, p, "Pg4eV6k", &intake.JobInput{Name: &title})
			return err
		},
		"update job": func(ctx context.Context, p *intake.Principal) error {
			_, err := svc.UpdateJobStatus(ctx, p, job.Reference, "published")
			return err
		},
		"list keys": func(ctx context.Context, p *intake.Principal) error {
			_, err := svc.APIKeysAs(ctx, p)
			return err
		},
		"create key": func(ctx context.Context, p *intake.Principal) error {
			_, _, err := svc.CreateAPIKeyAs(ctx, p, "made by "+p.Key.Name, []intake.Scope{intake.ScopeCandidatesR})
			return err
		},
		"revoke key": func(ctx context.Context, p *intake.Principal) error {
			return svc.RevokeAPIKeyAs(ctx, p, 1<<40)
		},
		"list webhooks": func(ctx context.Context, p *intake.Principal) error {
			_, err := svc.SubscriptionsAs(ctx, p)
			return err
		},
		"create webhook": func(ctx context.Context, p *intake.Principal) error {
			return svc.CreateSubscriptionAs(ctx, p, &intake.Subscription{URL: "https://hooks.example/" + p.Key.Name, Events: []intake.EventName{intake.EventNewApplicant}})
		},
		"disable webhook": func(ctx context.Context, p *intake.Principal) error {
			return svc.SetSubscriptionActiveAs(ctx, p, 1<<40, false)
		},
		"replay webhook": func(ctx context.Context, p *intake.Principal) error {
			_, err := svc.ReplayEventsAs(ctx, p, 1<<40, time.Time{})
			return err
		},
		"deliveries": func(ctx context.Context, p *intake.Principal) error {
			_, err := svc.DeliveriesAs(ctx, p, intake.DeliveryFilter{})
			return err
		},
		"attempts": func(ctx context.Context, p *intake.Principal) error {
			_, err := svc.DeliveryAttemptsAs(ctx, p, 1)
			return err
		},
	}
	all := []string{"owner", "admin", "recruiter", "viewer", "key rw", "key r", "key jobs", "key all"}
	people := []string{"owner", "admin"}
	allowed := map[string][]string{
		"read":            {"owner", "admin", "recruiter", "viewer", "key rw", "key r", "key all"},
		"create":          {"owner", "admin", "recruiter", "key rw", "key all"},
		"move":            {"owner", "admin", "recruiter", "key rw", "key all"},
		"flatchr move":    {"owner", "admin", "recruiter", "key rw", "key all"},
		"comment":         {"owner", "admin", "recruiter", "key rw", "key r", "key all"},
		"message":         {"owner", "admin", "recruiter", "key rw", "key all"},
		"tag":             {"owner", "admin", "recruiter", "key rw", "key all"},
		"meta":            {"owner", "admin", "recruiter", "key rw", "key all"},
		"create job":      {"owner", "admin", "key jobs", "key all"},
		"update job":      {"owner", "admin", "key jobs", "key all"},
		"list keys":       people,
		"create key":      people,
		"revoke key":      people,
		"list webhooks":   people,
		"create webhook":  people,
		"disable webhook": people,
		"replay webhook":  people,
		"deliveries":      people,
		"attempts":        people,
	}
	for action, f := range call {
		for _, who := range all {
			t.Run(action+"/"+who, func(t *testing.T) {
				want := false
				for _, w := range allowed[action] {
					want = want || w == who
				}
				err := f(t.Context(), ps[who])
				if denied := intake.ErrorCodeOf(err) == intake.EForbidden; denied == want {
					t.Errorf("%s as %s: %v, want allowed %v", action, who, err, want)
				}
				if p := ps[who]; p.User != nil && p.Can(permOf[action]) != want {
					t.Errorf("%s.Can(%s) = %v", who, permOf[action], !want)
				}
			})
		}
	}
}

// permOf is the permission each action of TestRequireThroughTheService
// needs.
var permOf = map[string]intake.Permission{
	"read": intake.PermRead, "create": intake.PermMove, "move": intake.PermMove, "flatchr move": intake.PermMove,
	"comment": intake.PermComment, "message": intake.PermMessage, "tag": intake.PermTag, "meta": intake.PermTag,
	"create job": intake.PermManageJobs, "update job": intake.PermManageJobs,
	"list keys": intake.PermManageAPIKeys, "create key": intake.PermManageAPIKeys, "revoke key": intake.PermManageAPIKeys,
	"list webhooks": intake.PermManageWebhooks, "create webhook": intake.PermManageWebhooks,
	"disable webhook": intake.PermManageWebhooks, "replay webhook": intake.PermManageWebhooks,
	"deliveries": intake.PermManageWebhooks, "attempts": intake.PermManageWebhooks,
}

// TestRoleDenialSaysWhy checks a user's refusal names the role and who may.
func TestRoleDenialSaysWhy(t *testing.T) {
	p := &intake.Principal{Key: &intake.APIKey{ID: -1}, Org: &intake.Org{}, User: &intake.User{Role: intake.RoleViewer}}
	err := p.Require(intake.PermManageWebhooks)
	const want = "Managing webhooks is not allowed with the viewer role; it takes one of: owner or admin. Ask an administrator of your organization."
	if intake.ErrorCodeOf(err) != intake.EForbidden || intake.ErrorMessage(err) != want {
		t.Errorf("got %v, want %q", err, want)
	}
	k := &intake.Principal{Key: &intake.APIKey{ID: 1, Scopes: []intake.Scope{intake.ScopeCandidatesRW}}, Org: &intake.Org{}}
	if err := k.Require(intake.PermManageJobs); intake.ErrorMessage(err) != "this endpoint requires the jobs_rw scope" {
		t.Errorf("key without jobs_rw: %v", err)
	}
}

// TestIssuableScopes checks a person cannot mint a cross-organization key.
func TestIssuableScopes(t *testing.T) {
	env := testenv.New(t, permWorld, func(c *intake.ServiceConfig) {
		c.Passwords = auth.Bcrypt{Cost: bcrypt.MinCost}
		c.UserTokens = auth.JWT{Key: []byte("0123456789abcdef0123456789abcdef")}
	})
	ps := principals(t, env)
	_, _, err := env.Service.CreateAPIKeyAs(t.Context(), ps["owner"], "super", []intake.Scope{intake.ScopeCandidatesR, intake.ScopeSuOrganizationsR})
	if intake.ErrorCodeOf(err) != intake.EInvalid {
		t.Fatalf("an su_ scope: %v", err)
	}
	token, key, err := env.Service.CreateAPIKeyAs(t.Context(), ps["admin"], " reporting ", []intake.Scope{intake.ScopeCandidatesR})
	if err != nil {
		t.Fatal(err)
	}
	if key.Name != "reporting" || key.OwnerUserID != ps["admin"].User.ID || key.Hash != intake.HashToken(token) {
		t.Errorf("key %+v", key)
	}
	p, err := env.Service.Authenticate(t.Context(), token)
	if err != nil || p.Owner == nil || p.Owner.Email != "admin@acme.test" || p.Can(intake.PermManageAPIKeys) {
		t.Errorf("the new key: %+v, %v", p, err)
	}
}
