package storetest

import (
	"testing"

	"intake"
)

func idempotencyTests() []test {
	return []test{
		{"Lookup", testIdempotencyLookup},
		{"Purge", testIdempotencyPurge},
	}
}

func testIdempotencyLookup(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	app := bareApp(f.A, f.A1, "jane@example.com", 1)
	rec := idemRecord(app, f.KeyA, "key-1", 1)
	create(t, s, app, rec)
	got, err := s.Idempotency(ctx, f.A.ID, f.KeyA.ID, "key-1")
	noErr(t, "Idempotency", err)
	equal(t, "Idempotency", rec, got)
	misses := []struct {
		name  string
		org   int64
		keyID int64
		key   string
	}{
		{"OtherOrg", f.B.ID, f.KeyA.ID, "key-1"},
		{"OtherAPIKey", f.A.ID, f.KeyA2.ID, "key-1"},
		{"OtherKey", f.A.ID, f.KeyA.ID, "key-2"},
		{"KeyCase", f.A.ID, f.KeyA.ID, "KEY-1"},
	}
	for _, m := range misses {
		_, err := s.Idempotency(ctx, m.org, m.keyID, m.key)
		wantCode(t, "Idempotency("+m.name+")", err, intake.ENotFound)
	}
}

func testIdempotencyPurge(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	for i, key := range []string{"k1", "k2", "k3"} {
		app := bareApp(f.A, f.A1, key+"@example.com", i+1)
		create(t, s, app, idemRecord(app, f.KeyA, key, i+1))
	}
	app := bareApp(f.B, f.B1, "b@example.com", 1)
	create(t, s, app, idemRecord(app, f.KeyB, "k1", 1))

	// Strictly before: the record created at(3) stays.
	n, err := s.PurgeIdempotency(ctx, at(3))
	noErr(t, "PurgeIdempotency", err)
	if n != 3 {
		t.Errorf("PurgeIdempotency purged %d, want 3 (two of A, one of B)", n)
	}
	for _, key := range []string{"k1", "k2"} {
		_, err := s.Idempotency(ctx, f.A.ID, f.KeyA.ID, key)
		wantCode(t, "Idempotency(purged "+key+")", err, intake.ENotFound)
	}
	_, err = s.Idempotency(ctx, f.A.ID, f.KeyA.ID, "k3")
	noErr(t, "Idempotency(kept)", err)
	n, err = s.PurgeIdempotency(ctx, at(3))
	noErr(t, "PurgeIdempotency", err)
	if n != 0 {
		t.Errorf("second PurgeIdempotency purged %d, want 0", n)
	}
	if got := total(t, s, f.A.ID); got != 3 {
		t.Errorf("purging records deleted applications: %d left, want 3", got)
	}
}
