package intake_test

import (
	"testing"

	"intake"
)

// A world key names its owner by email, as `intake keys create --owner`:
// the owner then names the key's caller, and a later world may move it.
func TestWorldKeyOwner(t *testing.T) {
	env := userEnv(t)
	world := func(owner string) string {
		return `
organizations:
  - name: Acme
    reference: Pg4eV6k
    api_keys:
      - {name: rw, token: wk-api-key, scopes: [candidates_rw]}
      - {name: owned, token: owned-api-key, scopes: [candidates_r], owner: ` + owner + `}
    users:
      - {email: owner@example.com, name: Olga Owner, role: owner, password: "owner password"}
      - {email: viewer@example.com, name: Vera Viewer, role: viewer, password: "viewer password"}
`
	}
	ownerOf := func() string {
		t.Helper()
		p, err := env.Service.Authenticate(t.Context(), "owned-api-key")
		if err != nil {
			t.Fatal(err)
		}
		if p.Owner == nil {
			return ""
		}
		return p.Owner.Email
	}
	env.Apply(t, world("Owner@Example.com"))
	if got := ownerOf(); got != "owner@example.com" {
		t.Fatalf("the key's owner is %q, want owner@example.com", got)
	}
	env.Apply(t, world("viewer@example.com"))
	if got := ownerOf(); got != "viewer@example.com" {
		t.Fatalf("after a second world the key's owner is %q, want viewer@example.com", got)
	}

	// A user of another organization, or nobody, is refused by path.
	for _, owner := range []string{"gil@example.com", "nobody@example.com"} {
		w := intake.World{Organizations: []intake.WorldOrganization{{Name: "Acme", Reference: "Pg4eV6k",
			APIKeys: []intake.WorldAPIKey{{Name: "owned", Token: "owned-api-key", Scopes: []string{"candidates_r"}, Owner: owner}}}}}
		err := env.Service.ApplyWorld(t.Context(), &w)
		if got := intake.ErrorFields(err)["organizations[0].api_keys[0].owner"]; got != "is not a user of this organization" {
			t.Errorf("owner %s: %v (fields %v)", owner, err, intake.ErrorFields(err))
		}
	}
	w := intake.World{Organizations: []intake.WorldOrganization{{Name: "Acme", Reference: "Pg4eV6k",
		APIKeys: []intake.WorldAPIKey{{Name: "owned", Token: "owned-api-key", Owner: "not an email"}}}}}
	if err := env.Service.ApplyWorld(t.Context(), &w); intake.ErrorFields(err)["organizations[0].api_keys[0].owner"] == "" {
		t.Errorf("a malformed owner: %v", err)
	}
}
