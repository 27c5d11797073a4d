package intake

import (
	"testing"
)

// TestManageJobs: who may change jobs, pages and API alike.
func TestManageJobs(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    *Principal
		ok   bool
	}{
		{"owner", &Principal{Key: &APIKey{}, User: &User{Role: RoleOwner}}, true},
		{"admin", &Principal{Key: &APIKey{}, User: &User{Role: RoleAdmin}}, true},
		{"recruiter", &Principal{Key: &APIKey{Scopes: []Scope{ScopeCandidatesRW}}, User: &User{Role: RoleRecruiter}}, false},
		{"viewer", &Principal{Key: &APIKey{Scopes: []Scope{ScopeCandidatesR}}, User: &User{Role: RoleViewer}}, false},
		{"user whose key stand-in has jobs_rw", &Principal{Key: &APIKey{Scopes: []Scope{ScopeJobsRW}}, User: &User{Role: RoleRecruiter}}, false},
		{"key with jobs_rw", &Principal{Key: &APIKey{Scopes: []Scope{ScopeJobsRW}}}, true},
		{"key with jobs_r", &Principal{Key: &APIKey{Scopes: []Scope{ScopeJobsR, ScopeCandidatesRW}}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Require(PermManageJobs)
			if (err == nil) != tc.ok || (err != nil && ErrorCodeOf(err) != EForbidden) {
				t.Errorf("Require(PermManageJobs) = %v, want allowed %v", err, tc.ok)
			}
		})
	}
}

func TestMoveTo(t *testing.T) {
	for _, tc := range []struct {
		i, to int
		want  string
	}{
		{0, 0, "abcd"}, {0, 1, "bacd"}, {3, 0, "dabc"}, {1, 3, "acdb"}, {2, -5, "cabd"}, {1, 99, "acdb"},
	} {
		if got := string(moveTo([]byte("abcd"), tc.i, tc.to)); got != tc.want {
			t.Errorf("moveTo(abcd, %d, %d) = %s, want %s", tc.i, tc.to, got, tc.want)
		}
	}
}
