package main

import (
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// createOwnedKey runs `intake keys create` against a data directory and returns
// the new key's token, failing on any error.
func createOwnedKey(t *testing.T, data string, args ...string) string {
	t.Helper()
	out, err := exec.Command(binaryPath, append([]string{"keys", "create", "--data", data}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("keys create %v: %v\n%s", args, err, out)
	}
	m := regexp.MustCompile(`(?m)^token: (\S+)$`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("keys create output:\n%s", out)
	}
	return m[1]
}

// TestKeyOwner: a key created with --owner names its owner as the current
// user (spec welcomekit §5) and as the author of its Flatchr comments (spec
// flatchr §1), without the owner's role; an owner of another organization
// is refused, and `keys list` shows the owner.
func TestKeyOwner(t *testing.T) {
	s, data := startUsersBB(t)
	token := createOwnedKey(t, data, "--org", acmeOrg, "--name", "connector", "--owner", ownerEmail,
		"--scopes", "candidates_rw,me_r,comments_w")

	got := send(t, s.URL, call{path: "/api/v1/external/users/current", auth: bearer(token)})
	if got.status != http.StatusOK || object(t, got.body)["display_name"] != "Olga Owner" {
		t.Fatalf("users/current with an owned key: %s", got)
	}

	created := flatchrApply(t, s.URL, seedVacancy, "owned@example.com", "")
	app := "/company/" + acmeCompany + "/applicant/" + created["applicant"].(string)
	got = send(t, s.URL, call{method: http.MethodPost, path: app + "/comment", auth: bearer(token), ctype: jsonType,
		body: `{"text":"Vu par la propriétaire","private":false}`})
	if got.status != http.StatusOK {
		t.Fatalf("comment: %s", got)
	}
	author, _ := object(t, got.body)["author"].(map[string]any)
	if author == nil || author["firstname"] != "Olga Owner" {
		t.Fatalf("comment author: %s", got.body)
	}
	got = send(t, s.URL, call{path: app + "/comments?fields=author", auth: bearer(token)})
	if got.status != http.StatusOK || !strings.Contains(string(got.body), `"firstname":"Olga Owner"`) {
		t.Fatalf("comments: %s", got)
	}

	// The owner is an owner, yet a key owned by it has its own scopes only.
	narrow := createOwnedKey(t, data, "--org", acmeOrg, "--name", "narrow", "--owner", ownerEmail, "--scopes", "me_r")
	got = send(t, s.URL, call{method: http.MethodPost, path: app + "/comment", auth: bearer(narrow), ctype: jsonType,
		body: `{"text":"no scope","private":false}`})
	if got.status != http.StatusForbidden {
		t.Fatalf("comment with an owned key lacking comments_w: %s", got)
	}
	// A key without an owner still shows its own name.
	plain := createOwnedKey(t, data, "--org", acmeOrg, "--name", "plain key", "--scopes", "me_r")
	got = send(t, s.URL, call{path: "/api/v1/external/users/current", auth: bearer(plain)})
	if got.status != http.StatusOK || object(t, got.body)["display_name"] != "plain key" {
		t.Fatalf("users/current with a key without owner: %s", got)
	}

	// A disabled owner is simply not shown: the key is its own user again.
	gone := createOwnedKey(t, data, "--org", acmeOrg, "--name", "orphan", "--owner", disabledEmail, "--scopes", "me_r")
	got = send(t, s.URL, call{path: "/api/v1/external/users/current", auth: bearer(gone)})
	if got.status != http.StatusOK || object(t, got.body)["display_name"] != "orphan" {
		t.Fatalf("users/current with a key of a disabled owner: %s", got)
	}

	for _, owner := range []string{globexEmail, "nobody@acme.example"} {
		out, err := exec.Command(binaryPath, "keys", "create", "--data", data, "--org", acmeOrg, "--name", "bad",
			"--owner", owner, "--scopes", "me_r").CombinedOutput()
		if err == nil || !strings.Contains(string(out), "not a user of organization "+acmeOrg) {
			t.Errorf("keys create --owner %s: %v\n%s", owner, err, out)
		}
	}

	list, err := exec.Command(binaryPath, "keys", "list", "--data", data, "--org", acmeOrg).CombinedOutput()
	if err != nil || !regexp.MustCompile(`(?m)^\d+\s+connector\s+\S+\s+`+regexp.QuoteMeta(ownerEmail)+`\s`).Match(list) ||
		!regexp.MustCompile(`(?m)^\d+\s+plain key\s+me_r\s+-\s`).Match(list) {
		t.Fatalf("keys list: %v\n%s", err, list)
	}
}
