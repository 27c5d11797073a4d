package storetest

import (
	"testing"

	"intake"
)

func userTests() []test {
	return []test{
		{"CreateAndRead", testUserCreate},
		{"EmailUniqueAcrossOrgs", testUserDuplicate},
		{"Update", testUserUpdate},
		{"SaveUsers", testSaveUsers},
	}
}

func newUser(org intake.Org, email string, role intake.Role, n int) *intake.User {
	return &intake.User{OrgID: org.ID, Email: email, Firstname: "Eva", Lastname: "Laurent", Role: role,
		PasswordHash: "$2a$10$" + randomHex(20), CreatedAt: at(n), UpdatedAt: at(n)}
}

func testUserCreate(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	u := newUser(f.A, "Eva.Laurent@Example.com", intake.RoleRecruiter, 1)
	noErr(t, "CreateUser", s.CreateUser(ctx, u))
	if u.ID == 0 {
		t.Fatal("CreateUser did not fill ID")
	}
	got, org, err := s.UserByEmail(ctx, "eva.laurent@example.COM")
	noErr(t, "UserByEmail", err)
	equal(t, "UserByEmail user", u, got)
	equal(t, "UserByEmail org", &f.A, org)
	got, org, err = s.UserByID(ctx, u.ID)
	noErr(t, "UserByID", err)
	equal(t, "UserByID user", u, got)
	equal(t, "UserByID org", &f.A, org)
	_, _, err = s.UserByEmail(ctx, "nobody@example.com")
	wantCode(t, "UserByEmail(unknown)", err, intake.ENotFound)
	_, _, err = s.UserByID(ctx, u.ID+1000)
	wantCode(t, "UserByID(unknown)", err, intake.ENotFound)

	v := newUser(f.A, "viewer@example.com", intake.RoleViewer, 2)
	noErr(t, "CreateUser", s.CreateUser(ctx, v))
	list, err := s.Users(ctx, f.A.ID)
	noErr(t, "Users", err)
	equal(t, "Users(A)", []*intake.User{u, v}, list)
	list, err = s.Users(ctx, f.B.ID)
	noErr(t, "Users", err)
	equal(t, "Users(B)", []*intake.User{}, list)
}

func testUserDuplicate(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	noErr(t, "CreateUser", s.CreateUser(ctx, newUser(f.A, "eva@example.com", intake.RoleOwner, 1)))
	wantCode(t, "CreateUser(same email, other case)", s.CreateUser(ctx, newUser(f.A, "EVA@example.com", intake.RoleViewer, 2)), intake.EConflict)
	wantCode(t, "CreateUser(same email, other org)", s.CreateUser(ctx, newUser(f.B, "eva@example.com", intake.RoleViewer, 2)), intake.EConflict)
}

func testUserUpdate(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	u := newUser(f.A, "eva@example.com", intake.RoleAdmin, 1)
	noErr(t, "CreateUser", s.CreateUser(ctx, u))
	got, err := s.UpdateUser(ctx, f.A.ID, u.ID, func(x *intake.User) error {
		x.Disabled, x.PasswordHash, x.UpdatedAt, x.SessionEpoch = true, "$2a$10$new", at(5), 7
		x.ID, x.OrgID = 999, f.B.ID // identity is kept whatever fn does
		return nil
	})
	noErr(t, "UpdateUser", err)
	want := *u
	want.Disabled, want.PasswordHash, want.UpdatedAt, want.SessionEpoch = true, "$2a$10$new", at(5), 7
	equal(t, "UpdateUser result", &want, got)
	read, _, err := s.UserByID(ctx, u.ID)
	noErr(t, "UserByID", err)
	equal(t, "UserByID after update", &want, read)

	_, err = s.UpdateUser(ctx, f.B.ID, u.ID, func(*intake.User) error { return nil })
	wantCode(t, "UpdateUser(other org)", err, intake.ENotFound)
	_, err = s.UpdateUser(ctx, f.A.ID, u.ID, func(*intake.User) error { return intake.Errorf(intake.EInvalid, "no") })
	wantCode(t, "UpdateUser(fn fails)", err, intake.EInvalid)
	read, _, err = s.UserByID(ctx, u.ID)
	noErr(t, "UserByID", err)
	equal(t, "UserByID after failed update", &want, read)
}

func testSaveUsers(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	a := newUser(f.A, "a@example.com", intake.RoleOwner, 1)
	b := newUser(f.B, "b@example.com", intake.RoleViewer, 1)
	noErr(t, "SaveUsers", s.SaveUsers(ctx, []*intake.User{a, b}))
	if a.ID == 0 || b.ID == 0 {
		t.Fatal("SaveUsers did not fill IDs")
	}
	// The session epoch is kept: a world file re-applied must not revive
	// ended sessions.
	_, err := s.UpdateUser(ctx, f.A.ID, a.ID, func(x *intake.User) error { x.SessionEpoch = 4; return nil })
	noErr(t, "UpdateUser", err)
	again := newUser(f.A, "A@example.com", intake.RoleRecruiter, 9)
	noErr(t, "SaveUsers(again)", s.SaveUsers(ctx, []*intake.User{again}))
	if again.ID != a.ID || !again.CreatedAt.Equal(a.CreatedAt) || again.SessionEpoch != 4 {
		t.Fatalf("SaveUsers matched id %d created %v epoch %d, want %d %v 4", again.ID, again.CreatedAt, again.SessionEpoch, a.ID, a.CreatedAt)
	}
	got, _, err := s.UserByID(ctx, a.ID)
	noErr(t, "UserByID", err)
	equal(t, "user after SaveUsers", again, got)

	// Another organization's email fails the whole save.
	c := newUser(f.A, "c@example.com", intake.RoleViewer, 2)
	stolen := newUser(f.A, "b@example.com", intake.RoleOwner, 2)
	wantCode(t, "SaveUsers(foreign email)", s.SaveUsers(ctx, []*intake.User{c, stolen}), intake.EConflict)
	_, _, err = s.UserByEmail(ctx, "c@example.com")
	wantCode(t, "UserByEmail(rolled back)", err, intake.ENotFound)
}
