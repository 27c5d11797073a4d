package intake_test

import (
	"testing"

	"intake"
)

// TestUserAdminNeedsAPerson: an API key, whatever its scopes, manages no
// users; every user-management method refuses it before reading anything.
func TestUserAdminNeedsAPerson(t *testing.T) {
	env := userEnv(t)
	ctx := t.Context()
	p, err := env.Service.Authenticate(ctx, "wk-api-key")
	if err != nil {
		t.Fatal(err)
	}
	link := func(string) string { return "http://x/" }
	_, err1 := env.Service.OrgUsers(ctx, p)
	_, err2 := env.Service.InviteUser(ctx, p, intake.NewInvite{Email: "new@example.com", Role: intake.RoleViewer}, link)
	_, err3 := env.Service.SetUserRole(ctx, p, 1, intake.RoleOwner)
	_, err4 := env.Service.SetUserDisabled(ctx, p, 1, true)
	_, err5 := env.Service.SendPasswordLink(ctx, p, 1, link)
	for i, err := range []error{err1, err2, err3, err4, err5} {
		if intake.ErrorCodeOf(err) != intake.EForbidden {
			t.Errorf("call %d: %v, want forbidden", i+1, err)
		}
	}
	if users, _ := env.Service.Users(ctx, "Pg4eV6k"); len(users) != 2 {
		t.Errorf("%d users, want the 2 of the world", len(users))
	}
}

// TestSignInSession: SignIn's stamp is what UserSession expects until the
// password changes or the user is disabled or enabled again.
func TestSignInSession(t *testing.T) {
	env := userEnv(t)
	ctx := t.Context()
	p, stamp, err := env.Service.SignIn(ctx, "OWNER@example.com", "owner password", "192.0.2.1")
	if err != nil || p.User == nil || p.User.Role != intake.RoleOwner || p.Org.Reference != "Pg4eV6k" {
		t.Fatalf("SignIn = %+v, %v", p, err)
	}
	_, now, err := env.Service.UserSession(ctx, p.User.ID)
	if err != nil || now != stamp {
		t.Fatalf("UserSession = %q, %v; want %q", now, err, stamp)
	}
	if _, err := env.Service.DisableUser(ctx, "Pg4eV6k", "viewer@example.com"); err != nil {
		t.Fatal(err)
	}
	viewer, _, err := env.Service.SignIn(ctx, "viewer@example.com", "viewer password", "192.0.2.1")
	if intake.ErrorCodeOf(err) != intake.EUnauthenticated {
		t.Errorf("a disabled user signed in: %+v %v", viewer, err)
	}
	if _, _, err := env.Service.ResetPassword(ctx, "Pg4eV6k", "owner@example.com", "a new owner password"); err != nil {
		t.Fatal(err)
	}
	if _, after, err := env.Service.UserSession(ctx, p.User.ID); err != nil || after == stamp {
		t.Errorf("after a reset the stamp is %q (was %q), %v", after, stamp, err)
	}
}
