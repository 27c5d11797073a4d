package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"intake"
)

// equal compares with go-cmp. A nil and an empty slice or map are the same
// value to every store: SQL has no way to tell them apart cheaply and no
// caller does. Times compare with time.Time.Equal, so the location a store
// returns does not matter, only the instant.
func equal(t testing.TB, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// wantCode fails unless err is an *intake.Error (or wraps one) with code.
func wantCode(t testing.TB, what string, err error, code intake.ErrorCode) {
	t.Helper()
	if got := intake.ErrorCodeOf(err); got != code {
		t.Fatalf("%s: error code %q (%v), want %q", what, got, err, code)
	}
}

func noErr(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func getApp(t testing.TB, s intake.Store, orgID int64, ref string) *intake.Application {
	t.Helper()
	app, err := s.Application(t.Context(), orgID, ref)
	noErr(t, "Application("+ref+")", err)
	return app
}

// state is everything SaveWorld can change, read back through the Store.
type state struct {
	Orgs []*intake.Org
	Jobs map[int64][]*intake.Job
	Keys map[int64][]*intake.APIKey
}

func snapshot(t testing.TB, s intake.Store) state {
	t.Helper()
	ctx := t.Context()
	orgs, err := s.Orgs(ctx)
	noErr(t, "Orgs", err)
	st := state{Orgs: orgs, Jobs: map[int64][]*intake.Job{}, Keys: map[int64][]*intake.APIKey{}}
	for _, o := range orgs {
		st.Jobs[o.ID], err = s.Jobs(ctx, o.ID)
		noErr(t, "Jobs", err)
		st.Keys[o.ID], err = s.APIKeys(ctx, o.ID)
		noErr(t, "APIKeys", err)
	}
	return st
}

// total lists an organization's applications and returns their count.
func total(t testing.TB, s intake.Store, orgID int64) int {
	t.Helper()
	_, n, err := s.Applications(t.Context(), intake.ApplicationFilter{OrgID: orgID})
	noErr(t, "Applications", err)
	return n
}
