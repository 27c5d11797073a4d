package storetest

import (
	"sync"
	"sync/atomic"
	"testing"

	"intake"
)

func passwordLinkTests() []test {
	return []test{
		{"CreateReadUse", testPasswordLinkUse},
		{"FailedUseChangesNothing", testPasswordLinkFailedUse},
		{"Isolation", testPasswordLinkIsolation},
		{"ConcurrentUse", testPasswordLinkConcurrentUse},
	}
}

func newLink(u *intake.User, purpose intake.LinkPurpose, n int) *intake.PasswordLink {
	return &intake.PasswordLink{Hash: randomHex(32), OrgID: u.OrgID, UserID: u.ID, Purpose: purpose,
		CreatedAt: at(n), ExpiresAt: at(n + 60)}
}

func testPasswordLinkUse(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	u := newUser(f.A, "eva@example.com", intake.RoleRecruiter, 1)
	u.PasswordHash = ""
	noErr(t, "CreateUser", s.CreateUser(ctx, u))
	invite, reset := newLink(u, intake.LinkInvite, 2), newLink(u, intake.LinkReset, 3)
	noErr(t, "CreatePasswordLink", s.CreatePasswordLink(ctx, invite))
	noErr(t, "CreatePasswordLink", s.CreatePasswordLink(ctx, reset))
	if invite.ID == 0 || reset.ID == invite.ID {
		t.Fatalf("ids %d, %d", invite.ID, reset.ID)
	}
	dup := newLink(u, intake.LinkReset, 4)
	dup.Hash = invite.Hash
	wantCode(t, "CreatePasswordLink(same hash)", s.CreatePasswordLink(ctx, dup), intake.EConflict)

	l, lu, err := s.PasswordLinkByHash(ctx, invite.Hash)
	noErr(t, "PasswordLinkByHash", err)
	equal(t, "PasswordLinkByHash link", invite, l)
	equal(t, "PasswordLinkByHash user", u, lu)
	_, _, err = s.PasswordLinkByHash(ctx, randomHex(32))
	wantCode(t, "PasswordLinkByHash(unknown)", err, intake.ENotFound)

	got, err := s.UsePasswordLink(ctx, invite.Hash, at(10), func(l *intake.PasswordLink, x *intake.User) error {
		equal(t, "link given to fn", invite, l)
		x.PasswordHash, x.UpdatedAt = "$2a$10$set", at(10)
		x.ID, x.OrgID = 999, f.B.ID // identity is kept whatever fn does
		return nil
	})
	noErr(t, "UsePasswordLink", err)
	want := *u
	want.PasswordHash, want.UpdatedAt = "$2a$10$set", at(10)
	equal(t, "UsePasswordLink result", &want, got)
	read, _, err := s.UserByID(ctx, u.ID)
	noErr(t, "UserByID", err)
	equal(t, "user after UsePasswordLink", &want, read)

	// Used, and the user's other link with it.
	for _, h := range []string{invite.Hash, reset.Hash} {
		_, _, err = s.PasswordLinkByHash(ctx, h)
		wantCode(t, "PasswordLinkByHash(used)", err, intake.ENotFound)
		_, err = s.UsePasswordLink(ctx, h, at(11), func(*intake.PasswordLink, *intake.User) error { return nil })
		wantCode(t, "UsePasswordLink(used)", err, intake.ENotFound)
	}
	// A link made afterwards works.
	again := newLink(u, intake.LinkReset, 12)
	noErr(t, "CreatePasswordLink", s.CreatePasswordLink(ctx, again))
	_, _, err = s.PasswordLinkByHash(ctx, again.Hash)
	noErr(t, "PasswordLinkByHash(new link)", err)
}

func testPasswordLinkFailedUse(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	u := newUser(f.A, "eva@example.com", intake.RoleRecruiter, 1)
	noErr(t, "CreateUser", s.CreateUser(ctx, u))
	l := newLink(u, intake.LinkReset, 2)
	noErr(t, "CreatePasswordLink", s.CreatePasswordLink(ctx, l))
	_, err := s.UsePasswordLink(ctx, l.Hash, at(3), func(_ *intake.PasswordLink, x *intake.User) error {
		x.PasswordHash = "$2a$10$lost"
		return intake.Errorf(intake.EInvalid, "expired")
	})
	wantCode(t, "UsePasswordLink(fn fails)", err, intake.EInvalid)
	read, _, err := s.UserByID(ctx, u.ID)
	noErr(t, "UserByID", err)
	equal(t, "user after a failed use", u, read)
	got, _, err := s.PasswordLinkByHash(ctx, l.Hash)
	noErr(t, "PasswordLinkByHash after a failed use", err)
	equal(t, "link after a failed use", l, got)
}

func testPasswordLinkIsolation(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	u := newUser(f.A, "eva@example.com", intake.RoleRecruiter, 1)
	noErr(t, "CreateUser", s.CreateUser(ctx, u))
	l := newLink(u, intake.LinkReset, 2)
	l.OrgID = f.B.ID
	wantCode(t, "CreatePasswordLink(user of another org)", s.CreatePasswordLink(ctx, l), intake.ENotFound)
	l = newLink(u, intake.LinkReset, 2)
	l.UserID = u.ID + 1000
	wantCode(t, "CreatePasswordLink(unknown user)", s.CreatePasswordLink(ctx, l), intake.ENotFound)
}

func testPasswordLinkConcurrentUse(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	u := newUser(f.A, "eva@example.com", intake.RoleRecruiter, 1)
	noErr(t, "CreateUser", s.CreateUser(ctx, u))
	l := newLink(u, intake.LinkReset, 2)
	noErr(t, "CreatePasswordLink", s.CreatePasswordLink(ctx, l))
	var (
		wg        sync.WaitGroup
		won, lost atomic.Int32
	)
	for range 8 {
		wg.Go(func() {
			_, err := s.UsePasswordLink(ctx, l.Hash, at(3), func(_ *intake.PasswordLink, x *intake.User) error {
				x.PasswordHash = "$2a$10$" + randomHex(8)
				return nil
			})
			switch intake.ErrorCodeOf(err) {
			case "":
				won.Add(1)
			case intake.ENotFound:
				lost.Add(1)
			default:
				t.Errorf("UsePasswordLink: %v", err)
			}
		})
	}
	wg.Wait()
	if won.Load() != 1 || lost.Load() != 7 {
		t.Errorf("%d uses won, %d lost; want 1 and 7", won.Load(), lost.Load())
	}
}
