package storetest

import (
	"testing"

	"intake"
)

func apiKeyTests() []test {
	return []test{
		{"Create", testKeyCreate},
		{"DuplicateHash", testKeyDuplicate},
		{"UnknownHash", testKeyUnknown},
		{"Revoke", testKeyRevoke},
		{"Owner", testKeyOwner},
	}
}

func testKeyCreate(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	k := &intake.APIKey{
		OrgID: f.A.ID, Name: "cli", Hash: intake.HashToken("cli-token"),
		Scopes: []intake.Scope{intake.ScopeCandidatesR, "moves_r"}, CreatedAt: at(5),
	}
	noErr(t, "CreateAPIKey", s.CreateAPIKey(ctx, k))
	if k.ID == 0 {
		t.Fatal("CreateAPIKey did not fill ID")
	}
	got, org, err := s.APIKeyByHash(ctx, k.Hash)
	noErr(t, "APIKeyByHash", err)
	equal(t, "APIKeyByHash key", k, got)
	equal(t, "APIKeyByHash org", &f.A, org)

	keys, err := s.APIKeys(ctx, f.A.ID)
	noErr(t, "APIKeys", err)
	equal(t, "APIKeys(A), oldest first", []*intake.APIKey{&f.KeyA, &f.KeyA2, k}, keys)
	keys, err = s.APIKeys(ctx, f.B.ID)
	noErr(t, "APIKeys", err)
	equal(t, "APIKeys(B)", []*intake.APIKey{&f.KeyB}, keys)
	keys, err = s.APIKeys(ctx, f.B.ID+1000)
	noErr(t, "APIKeys(unknown org)", err)
	equal(t, "APIKeys(unknown org)", []*intake.APIKey(nil), keys)
}

func testKeyDuplicate(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	for _, org := range []intake.Org{f.A, f.B} {
		k := &intake.APIKey{OrgID: org.ID, Name: "dup", Hash: f.KeyA.Hash, CreatedAt: at(5)}
		wantCode(t, "CreateAPIKey with the hash of a key of "+org.Name, s.CreateAPIKey(ctx, k), intake.EConflict)
	}
	keys, err := s.APIKeys(ctx, f.B.ID)
	noErr(t, "APIKeys", err)
	equal(t, "APIKeys(B) after failed creates", []*intake.APIKey{&f.KeyB}, keys)
}

func testKeyUnknown(t *testing.T, s intake.Store) {
	seed(t, s)
	_, _, err := s.APIKeyByHash(t.Context(), intake.HashToken("nope"))
	wantCode(t, "APIKeyByHash(unknown)", err, intake.ENotFound)
}

func testKeyRevoke(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	wantCode(t, "RevokeAPIKey(key of another org)", s.RevokeAPIKey(ctx, f.B.ID, f.KeyA.ID, at(7)), intake.ENotFound)
	wantCode(t, "RevokeAPIKey(unknown key)", s.RevokeAPIKey(ctx, f.A.ID, f.KeyA.ID+1000, at(7)), intake.ENotFound)
	key, _, err := s.APIKeyByHash(ctx, f.KeyA.Hash)
	noErr(t, "APIKeyByHash", err)
	if key.RevokedAt != nil {
		t.Fatalf("a failed revoke revoked the key at %v", key.RevokedAt)
	}

	noErr(t, "RevokeAPIKey", s.RevokeAPIKey(ctx, f.A.ID, f.KeyA.ID, at(7)))
	want := f.KeyA
	want.RevokedAt = ptr(at(7))
	key, _, err = s.APIKeyByHash(ctx, f.KeyA.Hash)
	noErr(t, "APIKeyByHash(revoked)", err)
	equal(t, "revoked key", &want, key)
	keys, err := s.APIKeys(ctx, f.A.ID)
	noErr(t, "APIKeys", err)
	equal(t, "APIKeys lists revoked keys", []*intake.APIKey{&want, &f.KeyA2}, keys)
}

// A key may be owned by a user of its organization, never of another one.
func testKeyOwner(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	ua := newUser(f.A, "owner@a.example", intake.RoleViewer, 1)
	noErr(t, "CreateUser(A)", s.CreateUser(ctx, ua))
	ub := newUser(f.B, "owner@b.example", intake.RoleOwner, 2)
	noErr(t, "CreateUser(B)", s.CreateUser(ctx, ub))

	k := &intake.APIKey{
		OrgID: f.A.ID, Name: "owned", Hash: intake.HashToken("owned-token"),
		Scopes: []intake.Scope{intake.ScopeCandidatesR}, OwnerUserID: ua.ID, CreatedAt: at(5),
	}
	noErr(t, "CreateAPIKey(owned)", s.CreateAPIKey(ctx, k))
	got, _, err := s.APIKeyByHash(ctx, k.Hash)
	noErr(t, "APIKeyByHash", err)
	equal(t, "APIKeyByHash owned key", k, got)
	keys, err := s.APIKeys(ctx, f.A.ID)
	noErr(t, "APIKeys", err)
	equal(t, "APIKeys(A) with the owned key", []*intake.APIKey{&f.KeyA, &f.KeyA2, k}, keys)

	foreign := &intake.APIKey{
		OrgID: f.A.ID, Name: "foreign owner", Hash: intake.HashToken("foreign-token"),
		Scopes: []intake.Scope{intake.ScopeCandidatesR}, OwnerUserID: ub.ID, CreatedAt: at(6),
	}
	wantCode(t, "CreateAPIKey(owner of another organization)", s.CreateAPIKey(ctx, foreign), intake.EInvalid)
	missing := &intake.APIKey{
		OrgID: f.A.ID, Name: "missing owner", Hash: intake.HashToken("missing-token"),
		Scopes: []intake.Scope{intake.ScopeCandidatesR}, OwnerUserID: ub.ID + 1000, CreatedAt: at(6),
	}
	wantCode(t, "CreateAPIKey(unknown owner)", s.CreateAPIKey(ctx, missing), intake.EInvalid)

	// A later owner: the organization's users only, the organization's keys only.
	ua2 := newUser(f.A, "second@a.example", intake.RoleAdmin, 3)
	noErr(t, "CreateUser(A, second)", s.CreateUser(ctx, ua2))
	wantCode(t, "SetAPIKeyOwner(user of another organization)", s.SetAPIKeyOwner(ctx, f.A.ID, f.KeyA.ID, ub.ID), intake.EInvalid)
	wantCode(t, "SetAPIKeyOwner(key of another organization)", s.SetAPIKeyOwner(ctx, f.B.ID, f.KeyA.ID, ub.ID), intake.ENotFound)
	wantCode(t, "SetAPIKeyOwner(unknown key)", s.SetAPIKeyOwner(ctx, f.A.ID, k.ID+1000, ua.ID), intake.ENotFound)
	noErr(t, "SetAPIKeyOwner", s.SetAPIKeyOwner(ctx, f.A.ID, k.ID, ua2.ID))
	k.OwnerUserID = ua2.ID
	noErr(t, "SetAPIKeyOwner(unowned key)", s.SetAPIKeyOwner(ctx, f.A.ID, f.KeyA.ID, ua.ID))
	got, _, err = s.APIKeyByHash(ctx, f.KeyA.Hash)
	noErr(t, "APIKeyByHash", err)
	if got.OwnerUserID != ua.ID {
		t.Errorf("after SetAPIKeyOwner the key's owner is %d, want %d", got.OwnerUserID, ua.ID)
	}
	f.KeyA.OwnerUserID = ua.ID
	_, _, err = s.APIKeyByHash(ctx, foreign.Hash)
	wantCode(t, "APIKeyByHash(refused key)", err, intake.ENotFound)
	keys, err = s.APIKeys(ctx, f.A.ID)
	noErr(t, "APIKeys", err)
	equal(t, "APIKeys(A) after refused creates", []*intake.APIKey{&f.KeyA, &f.KeyA2, k}, keys)
}
