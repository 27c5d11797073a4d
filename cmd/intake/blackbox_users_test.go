package main

import (
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"
)

// Users of usersWorld and their passwords. Only the owner's is given in
// clear (the path that hashes at apply and warns); the others are bcrypt
// hashes at the minimum cost, since a server verifies every clear password
// at each start and these tests start many -race servers.
const (
	ownerEmail     = "owner@acme.example"
	recruiterEmail = "recruiter@acme.example"
	viewerEmail    = "viewer@acme.example"
	disabledEmail  = "gone@acme.example"
	globexEmail    = "user@globex.example"
	userPassword   = "correct horse battery"
)

// usersWorld is bbWorld with users in both organizations.
func usersWorld(t testing.TB) string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(userPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	acme := `    users:
      - {email: ` + ownerEmail + `, name: Olga Owner, role: owner, password: "` + userPassword + `"}
      - {email: ` + recruiterEmail + `, firstname: Rémi, lastname: Recruteur, role: recruiter, password_hash: "` + string(hash) + `"}
      - {email: ` + viewerEmail + `, name: Vera Viewer, role: viewer, password_hash: "` + string(hash) + `"}
      - {email: ` + disabledEmail + `, name: Gone Away, role: admin, password_hash: "` + string(hash) + `", disabled: true}
    tags:
      - {key: 5gQayv9L1Qp6LXE4, title: Niveau, values: [Bac +3, Bac +5]}
  - name: Globex`
	globex := `    slug: globex
    users:
      - {email: ` + globexEmail + `, name: Gil Globex, role: owner, password_hash: "` + string(hash) + `"}`
	w := strings.Replace(bbWorld, "  - name: Globex", acme, 1)
	return strings.Replace(w, "    slug: globex", globex, 1)
}

// startUsersBB starts the binary with usersWorld.
func startUsersBB(t testing.TB, args ...string) (*server, string) {
	t.Helper()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	all := append([]string{"--world", writeWorld(t, dir, usersWorld(t)), "--rate-limit", "0"}, args...)
	return startServer(t, data, all...), data
}

// login signs in and returns the user token.
func login(t testing.TB, base, email, password string) string {
	t.Helper()
	got := send(t, base, call{method: http.MethodPost, path: "/user/login", ctype: jsonType,
		body: `{"email":"` + email + `","password":"` + password + `"}`})
	var out struct {
		StatusCode int    `json:"statusCode"`
		Token      string `json:"token"`
	}
	if got.status != http.StatusOK || json.Unmarshal(got.body, &out) != nil || out.StatusCode != 200 || out.Token == "" {
		t.Fatalf("login %s: %s", email, got)
	}
	if keys := objectKeys(t, got.body); strings.Join(keys, ",") != "statusCode,token" {
		t.Fatalf("login answer members %v", keys)
	}
	return out.Token
}

// objectKeys lists a JSON object's member names in order.
func objectKeys(t testing.TB, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", b)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// forgedToken signs claims with the server's user-token key, derived from
// the data dir's secret as the server derives it.
func forgedToken(t testing.TB, dataDir string, claims jwt.MapClaims) string {
	t.Helper()
	secret, err := os.ReadFile(filepath.Join(dataDir, "download.key"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := hkdf.Key(sha256.New, secret, nil, "intake user token", 32)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tokenClaims decodes a token's claims without checking it.
func tokenClaims(t testing.TB, token string) jwt.MapClaims {
	t.Helper()
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, claims); err != nil {
		t.Fatal(err)
	}
	return claims
}

func TestUserLogin(t *testing.T) {
	s, _ := startUsersBB(t)
	token := login(t, s.URL, ownerEmail, userPassword)
	claims := tokenClaims(t, token)
	exp, _ := claims.GetExpirationTime()
	if exp == nil || time.Until(exp.Time) < 11*time.Hour || time.Until(exp.Time) > 13*time.Hour {
		t.Fatalf("token expires at %v, want in 12 h (the default --user-token-ttl)", exp)
	}
	// The email is matched whatever its case, and a form body works too.
	got := send(t, s.URL, call{method: http.MethodPost, path: "/user/login", ctype: formType,
		body: "email=RECRUITER%40acme.example&password=" + strings.ReplaceAll(userPassword, " ", "+")})
	if got.status != http.StatusOK {
		t.Fatalf("form login: %s", got)
	}

	refused := hapiError(401, "Invalid email or password")
	tests := []struct {
		name   string
		ctype  string
		body   string
		status int
		want   string
	}{
		{"wrong password", jsonType, `{"email":"` + viewerEmail + `","password":"wrong"}`, 401, refused},
		{"unknown email", jsonType, `{"email":"nobody@acme.example","password":"` + userPassword + `"}`, 401, refused},
		{"disabled user", jsonType, `{"email":"` + disabledEmail + `","password":"` + userPassword + `"}`, 401, refused},
		{"no password", jsonType, `{"email":"` + ownerEmail + `"}`, 400, hapiError(400, "email and password are required")},
		{"password not a string", jsonType, `{"email":"` + ownerEmail + `","password":{}}`, 400, hapiError(400, "email and password are required")},
		{"not JSON", jsonType, `{"email":`, 400, hapiError(400, "the body must be a JSON object")},
		{"XML", "application/xml", `<login/>`, 415, hapiError(415, "Content-Type must be application/json or application/x-www-form-urlencoded")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := send(t, s.URL, call{method: http.MethodPost, path: "/user/login", ctype: tt.ctype, body: tt.body})
			checkAnswer(t, got, tt.status, tt.want)
		})
	}
	if got := send(t, s.URL, call{path: "/user/login"}); got.status != http.StatusMethodNotAllowed || got.header.Get("Allow") != "POST" {
		t.Fatalf("GET /user/login: %s (Allow %q)", got, got.header.Get("Allow"))
	}
	for _, line := range s.Logs() {
		if strings.Contains(line, userPassword) || strings.Contains(line, token) {
			t.Fatalf("a password or token reached the logs: %s", line)
		}
	}
}

// TestUserLoginRateLimit: failures are counted per email, then per client
// address, and the answer does not tell a known email from an unknown one.
func TestUserLoginRateLimit(t *testing.T) {
	s, _ := startUsersBB(t)
	fail := func(email string) answer {
		return send(t, s.URL, call{method: http.MethodPost, path: "/user/login", ctype: jsonType,
			body: `{"email":"` + email + `","password":"wrong password"}`})
	}
	for _, email := range []string{viewerEmail, "nobody@acme.example"} {
		for i := range 5 {
			if got := fail(email); got.status != http.StatusUnauthorized {
				t.Fatalf("%s failure %d: %s", email, i+1, got)
			}
		}
		got := fail(email)
		if got.status != http.StatusTooManyRequests || got.header.Get("Retry-After") == "" {
			t.Fatalf("%s sixth failure: %s (Retry-After %q)", email, got, got.header.Get("Retry-After"))
		}
		var body struct{ Message string }
		_ = json.Unmarshal(got.body, &body)
		if !strings.HasPrefix(body.Message, "too many failed logins; retry in ") {
			t.Fatalf("429 message %q", body.Message)
		}
	}
	// Locked: even the right password is refused for now.
	got := send(t, s.URL, call{method: http.MethodPost, path: "/user/login", ctype: jsonType,
		body: `{"email":"` + viewerEmail + `","password":"` + userPassword + `"}`})
	if got.status != http.StatusTooManyRequests {
		t.Fatalf("locked email with the right password: %s", got)
	}
	// Ten failures so far from this address; ten more on fresh emails
	// reach the address's limit of twenty.
	for i := range 10 {
		if got := fail("fresh" + strconv.Itoa(i) + "@acme.example"); got.status != http.StatusUnauthorized {
			t.Fatalf("fresh email %d: %s", i, got)
		}
	}
	if got := fail("another@acme.example"); got.status != http.StatusTooManyRequests {
		t.Fatalf("address over its limit: %s", got)
	}
}

// TestUserTokenRevocation: disabling a user or resetting its password with
// the CLI ends its tokens at once, in the running server.
func TestUserTokenRevocation(t *testing.T) {
	s, data := startUsersBB(t)
	members := "/company/" + acmeCompany + "/members"
	owner := login(t, s.URL, ownerEmail, userPassword)
	recruiter := login(t, s.URL, recruiterEmail, userPassword)
	for _, tok := range []string{owner, recruiter} {
		if got := send(t, s.URL, call{path: members, auth: bearer(tok)}); got.status != http.StatusOK {
			t.Fatalf("members: %s", got)
		}
	}
	runBinary(t, "users", "disable", "--data", data, "--org", acmeOrg, "--user", ownerEmail)
	checkAnswer(t, send(t, s.URL, call{path: members, auth: bearer(owner)}), 401, hapiError(401, "invalid access token"))
	out := runBinary(t, "users", "reset-password", "--data", data, "--org", acmeOrg, "--user", recruiterEmail)
	checkAnswer(t, send(t, s.URL, call{path: members, auth: bearer(recruiter)}), 401, hapiError(401, "invalid access token"))
	i := strings.Index(out, "password: ")
	if i < 0 {
		t.Fatalf("reset-password printed:\n%s", out)
	}
	pw, _, _ := strings.Cut(out[i+len("password: "):], "\n")
	login(t, s.URL, recruiterEmail, pw)

	// users create and list, while the server runs.
	out = runBinary(t, "users", "create", "--data", data, "--org", acmeOrg, "--email", "new@acme.example",
		"--firstname", "Nina", "--lastname", "New", "--role", "viewer")
	i = strings.Index(out, "password: ")
	if i < 0 {
		t.Fatalf("users create printed:\n%s", out)
	}
	pw, _, _ = strings.Cut(out[i+len("password: "):], "\n")
	login(t, s.URL, "new@acme.example", pw)
	list := runBinary(t, "users", "list", "--data", data, "--org", acmeOrg)
	for _, want := range []string{"new@acme.example", "Nina New", ownerEmail, "yes"} {
		if !strings.Contains(list, want) {
			t.Fatalf("users list lacks %q:\n%s", want, list)
		}
	}
	if strings.Contains(list, "$2") {
		t.Fatalf("users list shows a hash:\n%s", list)
	}
}
