package storetest

import (
	"testing"

	"intake"
)

func isolationTests() []test {
	return []test{
		{"EveryQuery", testIsolation},
	}
}

// testIsolation gives org B an application mirroring one of A's and checks
// every tenant query with B's id sees only B's rows.
func testIsolation(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	a := newApp(f.A, f.KeyA, f.A1, "same@example.com", 1)
	a.Tags = []string{"A"}
	create(t, s, a, idemRecord(a, f.KeyA, "key-1", 1))
	b := newApp(f.B, f.KeyB, f.B1, "same@example.com", 2)
	b.Tags = []string{"B"}
	create(t, s, b, idemRecord(b, f.KeyB, "key-1", 2))
	_, err := s.UpdateApplication(ctx, f.A.ID, a.Reference, func(x *intake.Application) error {
		x.StageID = f.A1.Stages[1].ID
		return nil
	})
	noErr(t, "UpdateApplication", err)

	list, n, err := s.Applications(ctx, intake.ApplicationFilter{OrgID: f.B.ID, Email: ptr("same@example.com"), Limit: 10})
	noErr(t, "Applications", err)
	if n != 1 || len(list) != 1 || list[0].Reference != b.Reference {
		t.Errorf("Applications(B, email) = %v (total %d), want only %s", refs(list), n, b.Reference)
	}
	_, n, err = s.Applications(ctx, intake.ApplicationFilter{OrgID: f.B.ID, JobID: &f.A1.ID, Limit: 10})
	noErr(t, "Applications", err)
	if n != 0 {
		t.Errorf("Applications(B, job of A) total %d, want 0", n)
	}
	_, n, err = s.Applications(ctx, intake.ApplicationFilter{OrgID: f.B.ID, CreatedByKey: &f.KeyA.ID, Limit: 10})
	noErr(t, "Applications", err)
	if n != 0 {
		t.Errorf("Applications(B, key of A) total %d, want 0", n)
	}
	_, err = s.Application(ctx, f.B.ID, a.Reference)
	wantCode(t, "Application(B, ref of A)", err, intake.ENotFound)
	_, err = s.ApplicationByKey(ctx, f.B.ID, a.ApplicantKey)
	wantCode(t, "ApplicationByKey(B, key of A)", err, intake.ENotFound)
	_, err = s.UpdateApplication(ctx, f.B.ID, a.Reference, func(*intake.Application) error { return nil })
	wantCode(t, "UpdateApplication(B, ref of A)", err, intake.ENotFound)
	moves, err := s.Moves(ctx, f.B.ID, a.ID)
	noErr(t, "Moves", err)
	if len(moves) != 0 {
		t.Errorf("Moves(B, app of A) = %v, want none", moves)
	}
	rec, err := s.Idempotency(ctx, f.B.ID, f.KeyB.ID, "key-1")
	noErr(t, "Idempotency", err)
	if rec.Reference != b.Reference {
		t.Errorf("Idempotency(B) gave %s's record, want %s", rec.Reference, b.Reference)
	}
	_, err = s.Idempotency(ctx, f.B.ID, f.KeyA.ID, "key-1")
	wantCode(t, "Idempotency(B, key of A)", err, intake.ENotFound)
	wantCode(t, "RevokeAPIKey(B, key of A)", s.RevokeAPIKey(ctx, f.B.ID, f.KeyA.ID, at(5)), intake.ENotFound)
	got := getApp(t, s, f.B.ID, b.Reference)
	equal(t, "B's application", b, got)
}
