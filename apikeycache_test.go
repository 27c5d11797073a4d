package intake_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"intake"
	"intake/internal/testenv"
)

const org = testenv.Org

// countingStore counts the key lookups that reach the real store.
type countingStore struct {
	intake.Store
	lookups atomic.Int64
}

func (s *countingStore) APIKeyByHash(ctx context.Context, hash string) (*intake.APIKey, *intake.Org, error) {
	s.lookups.Add(1)
	return s.Store.APIKeyByHash(ctx, hash)
}

// newKeyEnv returns an Env over the shared test world whose Service looks keys up
// through the returned counter.
func newKeyEnv(t testing.TB, opts ...testenv.Option) (*testenv.Env, *countingStore) {
	t.Helper()
	var cs *countingStore
	opts = append(opts, func(cfg *intake.ServiceConfig) {
		cs = &countingStore{Store: cfg.Store}
		cfg.Store = cs
	})
	env := testenv.New(t, testenv.World, opts...)
	return env, cs
}

func authenticate(t testing.TB, svc *intake.Service, token string) *intake.Principal {
	t.Helper()
	p, err := svc.Authenticate(t.Context(), token)
	if err != nil {
		t.Fatalf("Authenticate(%q): %v", token, err)
	}
	return p
}

func wantUnauthenticated(t testing.TB, svc *intake.Service, token string) {
	t.Helper()
	if _, err := svc.Authenticate(t.Context(), token); intake.ErrorCodeOf(err) != intake.EUnauthenticated {
		t.Errorf("Authenticate(%q) = %v, want %s", token, err, intake.EUnauthenticated)
	}
	if _, err := svc.AuthenticateHash(t.Context(), intake.HashToken(token)); intake.ErrorCodeOf(err) != intake.EUnauthenticated {
		t.Errorf("AuthenticateHash(%q) = %v, want %s", token, err, intake.EUnauthenticated)
	}
}

func wantLookups(t testing.TB, cs *countingStore, want int64) {
	t.Helper()
	if got := cs.lookups.Load(); got != want {
		t.Errorf("store lookups = %d, want %d", got, want)
	}
}

func TestKeyCacheHit(t *testing.T) {
	env, cs := newKeyEnv(t)
	first := authenticate(t, env.Service, testenv.RWToken)
	wantLookups(t, cs, 1)
	second := authenticate(t, env.Service, testenv.RWToken)
	p, err := env.Service.AuthenticateHash(t.Context(), intake.HashToken(testenv.RWToken))
	if err != nil {
		t.Fatal(err)
	}
	wantLookups(t, cs, 1)
	for _, q := range []*intake.Principal{second, p} {
		if q.Key.ID != first.Key.ID || q.Key.Name != "job board" || q.Org.Reference != org {
			t.Errorf("cached principal = key %d %q of %q, want key %d \"job board\" of %s", q.Key.ID, q.Key.Name, q.Org.Reference, first.Key.ID, org)
		}
	}
	reader := authenticate(t, env.Service, testenv.ReadToken)
	if reader.Key.Name != "reader" {
		t.Errorf("another key resolved to key %q", reader.Key.Name)
	}
	wantLookups(t, cs, 2)
}

// TestKeyCacheMisses checks that unknown and revoked keys are never cached:
// every attempt reaches the store.
func TestKeyCacheMisses(t *testing.T) {
	env, cs := newKeyEnv(t)
	p := authenticate(t, env.Service, testenv.ReadToken)
	if err := env.Service.RevokeAPIKey(t.Context(), org, p.Key.ID); err != nil {
		t.Fatal(err)
	}
	cs.lookups.Store(0)
	for range 3 {
		wantUnauthenticated(t, env.Service, "wk-no-such-key")
		wantUnauthenticated(t, env.Service, testenv.ReadToken)
	}
	wantLookups(t, cs, 12)
}

func TestKeyCacheExpiry(t *testing.T) {
	env, cs := newKeyEnv(t)
	authenticate(t, env.Service, testenv.RWToken)
	env.Clock.Advance(intake.KeyCacheTTL - time.Millisecond)
	authenticate(t, env.Service, testenv.RWToken)
	wantLookups(t, cs, 1)
	env.Clock.Advance(time.Millisecond)
	authenticate(t, env.Service, testenv.RWToken)
	wantLookups(t, cs, 2)
	// The entry read again lives KeyCacheTTL from then.
	env.Clock.Advance(intake.KeyCacheTTL - time.Millisecond)
	authenticate(t, env.Service, testenv.RWToken)
	wantLookups(t, cs, 2)
	// A clock set back leaves entries of unknown age: they are read again.
	env.Clock.Advance(-time.Second)
	authenticate(t, env.Service, testenv.RWToken)
	wantLookups(t, cs, 3)
}

// TestKeyCacheRevokeInProcess checks that a revocation through the Service
// is seen by its next request, cached key or not.
func TestKeyCacheRevokeInProcess(t *testing.T) {
	env, _ := newKeyEnv(t)
	p := authenticate(t, env.Service, testenv.RWToken)
	authenticate(t, env.Service, testenv.ReadToken)
	if err := env.Service.RevokeAPIKey(t.Context(), org, p.Key.ID); err != nil {
		t.Fatal(err)
	}
	wantUnauthenticated(t, env.Service, testenv.RWToken)
	authenticate(t, env.Service, testenv.ReadToken)
}

// TestKeyCacheRevokedElsewhere revokes a key behind the Service's back, as
// the keys command or another node on the same database does: the key
// stops working once KeyCacheTTL has passed since it was read.
func TestKeyCacheRevokedElsewhere(t *testing.T) {
	tests := []struct {
		name   string
		revoke func(t *testing.T, env *testenv.Env, keyID int64)
	}{
		{name: "in the store", revoke: func(t *testing.T, env *testenv.Env, keyID int64) {
			p := authenticate(t, env.Service, testenv.RWToken)
			if err := env.Store.RevokeAPIKey(t.Context(), p.Org.ID, keyID, env.Clock.Now()); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "by another service", revoke: func(t *testing.T, env *testenv.Env, keyID int64) {
			other := intake.NewService(intake.ServiceConfig{Store: env.Store, Now: env.Clock.Now})
			if err := other.RevokeAPIKey(t.Context(), org, keyID); err != nil {
				t.Fatal(err)
			}
			wantUnauthenticated(t, other, testenv.RWToken)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, _ := newKeyEnv(t)
			p := authenticate(t, env.Service, testenv.RWToken)
			env.Clock.Advance(100 * time.Millisecond)
			tt.revoke(t, env, p.Key.ID)
			// Not promised, but it shows the entry was cached: the delay
			// is the cache's.
			env.Clock.Advance(intake.KeyCacheTTL - 100*time.Millisecond - time.Millisecond)
			authenticate(t, env.Service, testenv.RWToken)
			env.Clock.Advance(time.Millisecond)
			wantUnauthenticated(t, env.Service, testenv.RWToken)
		})
	}
}

// TestKeyCachePrincipalPerRequest checks that what Authenticate sets on a
// Principal does not reach the next request's.
func TestKeyCachePrincipalPerRequest(t *testing.T) {
	env, cs := newKeyEnv(t, func(cfg *intake.ServiceConfig) {
		cfg.RateLimiter = intake.NewTokenBucket(1, 10)
	})
	first := authenticate(t, env.Service, testenv.RWToken)
	second := authenticate(t, env.Service, testenv.RWToken)
	wantLookups(t, cs, 1)
	if first == second {
		t.Fatal("two requests share one Principal")
	}
	if first.Rate == nil || second.Rate == nil || first.Rate.Remaining != 9 || second.Rate.Remaining != 8 {
		t.Errorf("rates = %+v and %+v, want 9 then 8 remaining", first.Rate, second.Rate)
	}
	p, err := env.Service.AuthenticateHash(t.Context(), intake.HashToken(testenv.RWToken))
	if err != nil || p.Rate != nil {
		t.Errorf("AuthenticateHash = %+v, %v; want a Principal without Rate", p, err)
	}
}

// TestKeyCacheAllocs checks that a cached key costs one allocation: the
// Principal.
func TestKeyCacheAllocs(t *testing.T) {
	env, _ := newKeyEnv(t)
	hash := intake.HashToken(testenv.RWToken)
	ctx := t.Context()
	if _, err := env.Service.AuthenticateHash(ctx, hash); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := env.Service.AuthenticateHash(ctx, hash); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("a cached lookup allocates %v times, want 1", allocs)
	}
}

// TestKeyCacheConcurrent authenticates from many goroutines while a key is
// revoked: no request that starts after RevokeAPIKey returned may pass,
// even one whose store read raced the revocation.
func TestKeyCacheConcurrent(t *testing.T) {
	env, _ := newKeyEnv(t)
	doomed := authenticate(t, env.Service, testenv.RWToken)
	var revoked atomic.Bool
	var rounds atomic.Int64
	var wg sync.WaitGroup
	ctx := t.Context()
	for g := range 16 {
		wg.Go(func() {
			for i := range 100 {
				rounds.Add(1)
				after := revoked.Load()
				_, err := env.Service.Authenticate(ctx, testenv.RWToken)
				if after && intake.ErrorCodeOf(err) != intake.EUnauthenticated {
					t.Errorf("goroutine %d, request %d after the revocation: %v", g, i, err)
					return
				}
				if !after && err != nil && intake.ErrorCodeOf(err) != intake.EUnauthenticated {
					t.Errorf("goroutine %d: %v", g, err)
					return
				}
				if _, err := env.Service.Authenticate(ctx, testenv.ReadToken); err != nil {
					t.Errorf("goroutine %d: live key: %v", g, err)
					return
				}
				if _, err := env.Service.AuthenticateHash(ctx, intake.HashToken("wk-unknown")); intake.ErrorCodeOf(err) != intake.EUnauthenticated {
					t.Errorf("goroutine %d: unknown key: %v", g, err)
					return
				}
			}
		})
	}
	// Revoke while the goroutines are at it, not before they started.
	testenv.WaitFor(t, "the goroutines to authenticate", func() bool { return rounds.Load() >= 16 || t.Failed() })
	if err := env.Service.RevokeAPIKey(ctx, org, doomed.Key.ID); err != nil {
		t.Error(err)
	}
	revoked.Store(true)
	wg.Wait()
	wantUnauthenticated(t, env.Service, testenv.RWToken)
}
