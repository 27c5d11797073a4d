package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"intake/internal/testenv"
)

var seedKeys = []string{"reference", "cover_letter", "created_at", "job_id", "job_reference", "modal_path", "origin",
	"portfolio_size", "portfolio_url", "resume_content_type", "resume_size", "resume_url", "stage_id", "updated_at",
	"profile", "archived"}

var seedProfileKeys = []string{"address", "avatar_url", "city", "civility", "country_code", "country_name", "email",
	"firstname", "lastname", "phone", "subtitle", "zip_code"}

// The seed's curl example, byte for byte (its heredoc body and headers).
const seedBody = `{
  "email": "test@example.com",
  "firstname": "Foo",
  "lastname": "Bar",
  "organization_reference": "Pg4eV6k",
  "job_reference": "WTTJ_KmqkD1Y",
  "job_stage_id": 42
}
`

func seedRequest(t testing.TB, base string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/v1/external/candidates", strings.NewReader(seedBody))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "bearer wk-api-key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.Bytes()
}

func TestSeedCurlExampleAgainstBinary(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, dir+"/data", "--world", writeWorld(t, dir, seedWorld))
	status, body := seedRequest(t, s.URL)
	if status != http.StatusCreated {
		t.Fatalf("status = %d, want 201: %s", status, body)
	}
	if diff := cmp.Diff(seedKeys, testenv.ObjectKeys(t, body)); diff != "" {
		t.Errorf("response keys (-seed +got):\n%s", diff)
	}
	var fields map[string]any
	_ = json.Unmarshal(body, &fields)
	if !regexp.MustCompile(`^wttj-[0-9a-f]{24}$`).MatchString(fields["reference"].(string)) {
		t.Errorf("reference = %v", fields["reference"])
	}
	ts := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$`)
	if !ts.MatchString(fields["created_at"].(string)) || fields["created_at"] != fields["updated_at"] {
		t.Errorf("timestamps = %v / %v", fields["created_at"], fields["updated_at"])
	}
	wantModal := "/dashboard/o/Pg4eV6k/jobs/WTTJ_KmqkD1Y/card/" + fields["reference"].(string)
	if fields["modal_path"] != wantModal || fields["job_id"] != 3027.0 || fields["stage_id"] != 42.0 || fields["cover_letter"] != "" || fields["origin"] != nil || fields["archived"] != false {
		t.Errorf("fields = %v", fields)
	}
	profile, _ := json.Marshal(fields["profile"])
	var raw struct{ Profile json.RawMessage }
	_ = json.Unmarshal(body, &raw)
	if diff := cmp.Diff(seedProfileKeys, testenv.ObjectKeys(t, raw.Profile)); diff != "" {
		t.Errorf("profile keys (-seed +got):\n%s", diff)
	}
	p := fields["profile"].(map[string]any)
	if p["email"] != "test@example.com" || p["firstname"] != "Foo" || p["lastname"] != "Bar" || p["civility"] != nil || p["phone"] != nil {
		t.Errorf("profile = %s", profile)
	}
	avatar, _ := p["avatar_url"].(string)
	if !strings.HasPrefix(avatar, s.URL+"/assets/default-avatar-") {
		t.Fatalf("avatar_url = %q", avatar)
	}
	resp, err := http.Get(avatar)
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("default avatar: %v %v", resp, err)
	}
}

// A 201 means durable: SIGKILL right after it, restart, the candidate is
// there.
func TestKillAfterCreateKeepsCandidate(t *testing.T) {
	dir := t.TempDir()
	world := writeWorld(t, dir, seedWorld)
	s := startServer(t, dir+"/data", "--world", world)
	var refs []string
	for i := range 20 {
		body := strings.Replace(seedBody, "test@example.com", "kill"+string(rune('a'+i))+"@example.com", 1)
		status, _, b := do(t, "POST", s.URL+"/api/v1/external/candidates", "wk-api-key", "application/json", body)
		if status != http.StatusCreated {
			t.Fatalf("create: %d %s", status, b)
		}
		var c struct{ Reference string }
		_ = json.Unmarshal(b, &c)
		refs = append(refs, c.Reference)
	}
	s.kill()

	s = startServer(t, dir+"/data", "--world", world)
	for _, ref := range refs {
		status, _, b := do(t, "GET", s.URL+"/api/v1/external/candidates/"+ref, "wk-api-key", "", "")
		if status != http.StatusOK {
			t.Errorf("after SIGKILL, GET %s = %d %s", ref, status, b)
		}
	}
}

// A fresh data dir without --world gets the demo world and prints a token
// once, with curl commands that work as printed.
func TestDemoWorldOnFreshDataDir(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, dir+"/data")
	out := s.Stdout()
	m := regexp.MustCompile(`token \(shown once, stored hashed\): (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no token in banner:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "curl ") {
			continue
		}
		cmd := exec.Command("sh", "-c", line+" -s -o /dev/null -w '%{http_code}'")
		code, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		if c := string(code); c != "201" && c != "200" {
			t.Errorf("banner command answered %s: %s", c, line)
		}
	}
	signIn := regexp.MustCompile(`sign-in \(shown once, stored hashed\): (\S+) as (\S+), password (\S+)`).FindStringSubmatch(out)
	if signIn == nil {
		t.Fatalf("no dashboard sign-in in banner:\n%s", out)
	}
	// As a browser: the sign-in page (its form cookie and CSRF token), then
	// the form.
	jar, _ := cookiejar.New(nil)
	noFollow := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	login := strings.TrimSuffix(signIn[1], "/") + "/login"
	resp, err := noFollow.Get(login)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if csrf == nil {
		t.Fatalf("no CSRF token on the sign-in page:\n%s", page)
	}
	resp, err = noFollow.PostForm(login, url.Values{"csrf": {string(csrf[1])}, "email": {signIn[2]}, "password": {signIn[3]}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/dashboard/o/Pg4eV6k" {
		t.Errorf("demo sign-in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	s.stop(t)
	s = startServer(t, dir+"/data")
	if strings.Contains(s.Stdout(), "token") || strings.Contains(s.Stdout(), signIn[3]) {
		t.Errorf("second start printed a token again:\n%s", s.Stdout())
	}
}

func TestKeysCommand(t *testing.T) {
	dir := t.TempDir()
	world := writeWorld(t, dir, seedWorld)
	s := startServer(t, dir+"/data", "--world", world)
	out, err := exec.Command(binaryPath, "keys", "create", "--data", dir+"/data", "--org", "Pg4eV6k", "--name", "cli", "--scopes", "candidates_r").CombinedOutput()
	if err != nil {
		t.Fatalf("keys create: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^id: (\d+)$[\s\S]*^token: (\S+)$`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("keys create output:\n%s", out)
	}
	id, token := m[1], m[2]
	url := s.URL + "/api/v1/external/candidates?job_reference=WTTJ_KmqkD1Y"
	if status, _, b := do(t, "GET", url, token, "", ""); status != http.StatusOK {
		t.Fatalf("new key: %d %s", status, b)
	}
	if status, _, _ := do(t, "POST", s.URL+"/api/v1/external/candidates", token, "application/json", seedBody); status != http.StatusForbidden {
		t.Errorf("read-only key created a candidate: %d", status)
	}
	list, err := exec.Command(binaryPath, "keys", "list", "--data", dir+"/data", "--org", "Pg4eV6k").CombinedOutput()
	if err != nil || !strings.Contains(string(list), "cli") || strings.Contains(string(list), token) {
		t.Fatalf("keys list: %v\n%s", err, list)
	}
	if out, err := exec.Command(binaryPath, "keys", "revoke", "--data", dir+"/data", "--org", "Pg4eV6k", "--id", id).CombinedOutput(); err != nil {
		t.Fatalf("keys revoke: %v\n%s", err, out)
	}
	if status, _, _ := do(t, "GET", url, token, "", ""); status != http.StatusUnauthorized {
		t.Errorf("revoked key: status %d, want 401", status)
	}
}

// The dashboard is mounted: the root redirects to it, and the card path a
// WelcomeKit create answers as modal_path leads to sign-in, not a 404.
func TestDashboardMounted(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, dir+"/data", "--world", writeWorld(t, dir, seedWorld))
	_, body := seedRequest(t, s.URL)
	var c struct {
		ModalPath string `json:"modal_path"`
	}
	if err := json.Unmarshal(body, &c); err != nil || c.ModalPath == "" {
		t.Fatalf("create: %s", body)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{"/", c.ModalPath} {
		resp, err := noFollow.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
			t.Errorf("GET %s = %d, want a redirect", path, resp.StatusCode)
		}
	}
	status, hdr, page := do(t, "GET", s.URL+"/dashboard/login", "", "", "")
	if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") || !strings.Contains(string(page), "<form") {
		t.Errorf("login page: %d %v", status, hdr)
	}
}
