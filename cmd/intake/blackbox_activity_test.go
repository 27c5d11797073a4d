package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"intake/internal/mailer/mailtest"
	"intake/internal/store/sqlite"
)

// activityWorld has a key per activity scope combination of the spec's
// tables (welcomekit §1 Scopes), tags for Flatchr traits, and a second
// organization.
const activityWorld = `
organizations:
  - name: Acme
    reference: Pg4eV6k
    company_key: G6KzqPnNLyp31m0l
    slug: acme
    api_keys:
      - {name: recruiter, token: all-scopes-key, scopes: [candidates_rw, moves_r, documents_rw, comments_w, emails_rw]}
      - {name: reader, token: read-only-key, scopes: [candidates_r, documents_r, emails_r, comments_w]}
      - {name: mine, token: my-own-key, scopes: [my_candidates_rw, documents_rw, emails_rw, comments_w, moves_r]}
      - {name: bare, token: candidates-key, scopes: [candidates_rw]}
      - {name: client, token: client-key, scopes: [me_r, jobs_r]}
    tags:
      - {key: 5gQayv9L1Qp6LXE4, title: Niveau, values: [Bac +3, Bac +5]}
      - {key: SkillsTagKey0001, title: Skills, values: Go;SQL, multiple: true, creatable: true, position: 1}
    jobs:
      - reference: WTTJ_KmqkD1Y
        id: 3027
        title: Technicien
        vacancy_slug: vyja39jqrrnlnqwe-technicien
        stages:
          - {id: 42, name: Nouveau, reference: initial}
          - {id: 43, name: Entretien, reference: interview}
  - name: Globex
    reference: 2Ob7z5j
    company_key: GlobexCompanyK02
    slug: globex
    api_keys:
      - {name: other, token: other-org-key, scopes: [candidates_rw, moves_r, documents_rw, comments_w, emails_rw]}
    jobs:
      - reference: WTTJ_gld0A7L
        id: 4000
        title: Other
        stages: [{id: 60, name: New, reference: initial}]
`

// wkAPI is the WelcomeKit API prefix; acmeCompany (the jobs suite's) is
// activityWorld's Flatchr companyID too.
const wkAPI = "/api/v1/external"

// startActivity starts the binary with activityWorld, a real SMTP server
// and loopback fetches allowed.
func startActivity(t *testing.T, smtp *mailtest.Server) (string, string) {
	t.Helper()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	args := []string{"--world", writeWorld(t, dir, activityWorld), "--rate-limit", "0", "--allow-fetch-from", "127.0.0.1/32"}
	if smtp != nil {
		args = append(args, "--smtp-url", smtp.URL())
	}
	return startServer(t, data, args...).URL, data
}

func wkPost(t *testing.T, base, path, token, body string) answer {
	t.Helper()
	return send(t, base, call{method: http.MethodPost, path: wkAPI + path, auth: bearer(token), ctype: jsonType, body: body})
}

func wkGet(t *testing.T, base, path, token string) answer {
	t.Helper()
	return send(t, base, call{path: wkAPI + path, auth: bearer(token)})
}

func wantStatus(t *testing.T, what string, a answer, status int) {
	t.Helper()
	if a.status != status {
		t.Fatalf("%s: %s, want %d", what, a, status)
	}
}

func list(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, b)
	}
	return out
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestBlackboxWelcomeKitActivityFlow drives what a WelcomeKit client does:
// discover the stages through /users/current, create a candidate, comment,
// move, attach a document, send an email (received by a real SMTP server),
// read /moves, list the jobs and read one with its stages.
func TestBlackboxWelcomeKitActivityFlow(t *testing.T) {
	smtp := mailtest.Start(t, "bot", "s3cret")
	base, _ := startActivity(t, smtp)
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	fileURL, _ := fileServer(t, "application/pdf", pdf)

	// A client first discovers the job's stages, as the vendor's docs say.
	current := wkGet(t, base, "/users/current?organizations=true&jobs=true&stages=true", "client-key")
	wantStatus(t, "users/current", current, http.StatusOK)
	var me struct {
		Organizations []struct {
			Reference string
			Jobs      []struct {
				Reference string
				Stages    []struct {
					ID   int64
					Name string
				}
			}
		}
	}
	if err := json.Unmarshal(current.body, &me); err != nil {
		t.Fatal(err)
	}
	var first, interview int64
	for _, o := range me.Organizations {
		for _, j := range o.Jobs {
			if o.Reference == "Pg4eV6k" && j.Reference == "WTTJ_KmqkD1Y" && len(j.Stages) >= 2 {
				first, interview = j.Stages[0].ID, j.Stages[1].ID
			}
		}
	}
	if first != 42 || interview != 43 {
		t.Fatalf("users/current stages of WTTJ_KmqkD1Y: %s", current.body)
	}

	created := wkPost(t, base, "/candidates", "all-scopes-key", fmt.Sprintf(`{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y",
		"firstname":"Jane","lastname":"Doe","email":"jane@example.com","job_stage_id":%d}`, first))
	wantStatus(t, "create", created, http.StatusCreated)
	ref := object(t, created.body)["reference"].(string)

	comment := wkPost(t, base, "/comments", "all-scopes-key", fmt.Sprintf(`{"candidate_reference":%q,"content":"**Great** <script>x</script>"}`, ref))
	wantStatus(t, "comment", comment, http.StatusCreated)
	c := object(t, comment.body)
	if got, want := keys(c), []string{"content", "id", "raw_content"}; !slices.Equal(got, want) {
		t.Errorf("comment keys = %v, want %v", got, want)
	}
	if c["content"] != "<p><strong>Great</strong> &lt;script&gt;x&lt;/script&gt;</p>\n" || c["raw_content"] != "**Great** <script>x</script>" {
		t.Errorf("comment = %s", comment.body)
	}

	moved := send(t, base, call{method: http.MethodPut, path: wkAPI + "/candidates/" + ref, auth: bearer("all-scopes-key"), ctype: jsonType, body: fmt.Sprintf(`{"job_stage_id":%d}`, interview)})
	wantStatus(t, "move", moved, http.StatusOK)
	archived := send(t, base, call{method: http.MethodPut, path: wkAPI + "/candidates/" + ref, auth: bearer("all-scopes-key"), ctype: jsonType, body: `{"archived":true}`})
	wantStatus(t, "archive", archived, http.StatusOK)

	docs := wkPost(t, base, "/documents", "all-scopes-key", fmt.Sprintf(`{"candidate_reference":%q,"remote_file_urls":[{"filename":"resume","url":%q}]}`, ref, fileURL+"/cv.pdf"))
	wantStatus(t, "documents", docs, http.StatusCreated)
	d := list(t, docs.body)
	if len(d) != 1 {
		t.Fatalf("documents = %s", docs.body)
	}
	wantDoc := []string{"candidate_reference", "content_type", "created_at", "file_url", "filename", "id", "job_reference", "size"}
	if got := keys(d[0]); !slices.Equal(got, wantDoc) {
		t.Errorf("document keys = %v, want %v", got, wantDoc)
	}
	if d[0]["filename"] != "resume" || d[0]["content_type"] != "application/pdf" || d[0]["size"] != float64(len(pdf)) ||
		d[0]["job_reference"] != "WTTJ_KmqkD1Y" || d[0]["candidate_reference"] != ref {
		t.Errorf("document = %s", docs.body)
	}
	if f := fetchFile(t, d[0]["file_url"].(string)); f.status != http.StatusOK || !bytes.Equal(f.body, pdf) {
		t.Errorf("document file: %d", f.status)
	}
	listed := wkGet(t, base, "/documents?candidate_reference="+ref, "all-scopes-key")
	wantStatus(t, "list documents", listed, http.StatusOK)
	if listed.header.Get("X-Total") != "1" || len(list(t, listed.body)) != 1 {
		t.Errorf("documents list: %s %v", listed, listed.header)
	}

	email := wkPost(t, base, "/emails", "all-scopes-key", fmt.Sprintf(`{"candidate_reference":%q,"subject":"Entretien","body":"Bonjour Jane",
		"from_email":"hr@acme.test","to":"jane@example.com","send_email":true}`, ref))
	wantStatus(t, "email", email, http.StatusCreated)
	e := object(t, email.body)
	if e["status"] != "sent" || e["origin"] != "api" || e["to"] != "jane@example.com" || e["from_email"] != "hr@acme.test" || e["sent_at"] == nil {
		t.Errorf("email = %s", email.body)
	}
	got := smtp.Wait(t, 1, 10*time.Second)[0]
	if got.From != "hr@acme.test" || !slices.Equal(got.To, []string{"jane@example.com"}) || !bytes.Contains(got.Data, []byte("Bonjour Jane")) {
		t.Errorf("SMTP received %+v", got)
	}
	stored := wkPost(t, base, "/emails", "all-scopes-key", fmt.Sprintf(`{"candidate_reference":%q,"subject":"Note","body":"kept",
		"from_email":"hr@acme.test","to":"jane@example.com"}`, ref))
	wantStatus(t, "email not sent", stored, http.StatusCreated)
	if s := object(t, stored.body)["status"]; s != "not_sent" {
		t.Errorf("email without send_email: status %v", s)
	}
	emails := wkGet(t, base, "/emails?candidate_reference="+ref, "all-scopes-key")
	if emails.status != http.StatusOK || emails.header.Get("X-Total") != "2" {
		t.Errorf("emails list: %s", emails)
	}

	moves := wkGet(t, base, "/moves?organization_reference=Pg4eV6k&job_reference=WTTJ_KmqkD1Y", "all-scopes-key")
	wantStatus(t, "moves", moves, http.StatusOK)
	if moves.header.Get("X-Total") != "2" || moves.header.Get("X-Per-Page") != "100" {
		t.Errorf("moves headers %v", moves.header)
	}
	var ms []struct {
		Candidate struct{ Reference string } `json:"candidate"`
		From, To  struct {
			Stage *struct {
				ID        int64
				Name      string
				Reference string
			} `json:"stage"`
			Organization struct{ Reference string } `json:"organization"`
			Job          struct{ Reference string } `json:"job"`
		}
		CreatedAt string `json:"created_at"`
		UpdatedAt string `json:"updated_at"`
	}
	if err := json.Unmarshal(moves.body, &ms); err != nil || len(ms) != 2 {
		t.Fatalf("moves = %s (%v)", moves.body, err)
	}
	m := ms[0]
	if m.Candidate.Reference != ref || m.From.Stage.ID != 42 || m.To.Stage.ID != 43 || m.To.Stage.Name != "Entretien" ||
		m.From.Organization.Reference != "Pg4eV6k" || m.To.Job.Reference != "WTTJ_KmqkD1Y" || m.CreatedAt != m.UpdatedAt ||
		!strings.HasSuffix(m.CreatedAt, "+01:00") {
		t.Errorf("first move = %+v", m)
	}
	head := send(t, base, call{method: http.MethodHead, path: wkAPI + "/moves?organization_reference=Pg4eV6k&job_reference=WTTJ_KmqkD1Y", auth: bearer("all-scopes-key")})
	if head.status != http.StatusOK || len(head.body) != 0 || head.header.Get("X-Total") != "2" {
		t.Errorf("HEAD /moves: %s %v", head, head.header)
	}

	// And reads the jobs, one of them with its stages.
	jobs := wkGet(t, base, "/jobs?organization_reference=Pg4eV6k", "client-key")
	wantStatus(t, "jobs", jobs, http.StatusOK)
	if jobs.header.Get("X-Total") != "1" || list(t, jobs.body)[0]["reference"] != "WTTJ_KmqkD1Y" {
		t.Errorf("jobs: %s %v", jobs, jobs.header)
	}
	job := wkGet(t, base, "/jobs/WTTJ_KmqkD1Y?stages=true", "client-key")
	wantStatus(t, "job", job, http.StatusOK)
	var j struct {
		Reference string
		Stages    []struct{ ID int64 }
	}
	if err := json.Unmarshal(job.body, &j); err != nil || j.Reference != "WTTJ_KmqkD1Y" || len(j.Stages) < 2 || j.Stages[1].ID != interview {
		t.Errorf("job with stages: %s", job.body)
	}
}

// TestBlackboxWelcomeKitActivityErrors covers each endpoint's scopes,
// validation and isolation.
func TestBlackboxWelcomeKitActivityErrors(t *testing.T) {
	smtp := mailtest.Start(t, "", "")
	smtp.RejectRecipients()
	base, data := startActivity(t, smtp)
	created := wkPost(t, base, "/candidates", "all-scopes-key", `{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y",
		"firstname":"Jane","lastname":"Doe","email":"jane@example.com"}`)
	wantStatus(t, "create", created, http.StatusCreated)
	ref := object(t, created.body)["reference"].(string)
	binURL, _ := fileServer(t, "application/pdf", append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 64)...))

	const scopeDocsRW = "this endpoint requires one of the scopes documents_rw"
	tests := []struct {
		name   string
		method string
		path   string
		token  string
		body   string
		status int
		want   string // exact body, when not empty
	}{
		{"moves without moves_r", "GET", "/moves?organization_reference=Pg4eV6k&job_reference=WTTJ_KmqkD1Y", "candidates-key", "", 403,
			wkError("invalid_scope", "this endpoint requires one of the scopes moves_r")},
		{"moves missing params", "GET", "/moves", "all-scopes-key", "", 400, ""},
		{"moves other org", "GET", "/moves?organization_reference=2Ob7z5j&job_reference=WTTJ_gld0A7L", "all-scopes-key", "", 403,
			wkError("unauthorized", "You are not member of this organization")},
		{"moves unknown job", "GET", "/moves?organization_reference=Pg4eV6k&job_reference=nope", "all-scopes-key", "", 404, ""},
		{"moves bad per_page", "GET", "/moves?organization_reference=Pg4eV6k&job_reference=WTTJ_KmqkD1Y&per_page=0", "all-scopes-key", "", 400, ""},
		{"documents read without documents scope", "GET", "/documents?candidate_reference=" + ref, "candidates-key", "", 403, ""},
		{"documents post with read scopes", "POST", "/documents", "read-only-key", `{}`, 403, wkError("invalid_scope", scopeDocsRW)},
		{"documents without files", "POST", "/documents", "all-scopes-key", `{"candidate_reference":"` + ref + `"}`, 400, ""},
		{"documents wrong type stores nothing", "POST", "/documents", "all-scopes-key",
			`{"candidate_reference":"` + ref + `","remote_file_urls":[{"filename":"a","url":"` + binURL + `/a"}]}`, 400, ""},
		{"documents other org candidate", "POST", "/documents", "other-org-key",
			`{"candidate_reference":"` + ref + `","remote_file_urls":["` + binURL + `"]}`, 404, ""},
		{"documents another key's candidate", "GET", "/documents?candidate_reference=" + ref, "my-own-key", "", 404, ""},
		{"comment without comments_w", "POST", "/comments", "candidates-key", `{}`, 403, ""},
		{"comment blank", "POST", "/comments", "all-scopes-key", `{"candidate_reference":"` + ref + `","content":" "}`, 400,
			wkError("validation_failed", "content can't be blank")},
		{"comment unknown candidate", "POST", "/comments", "all-scopes-key", `{"candidate_reference":"wttj-nope","content":"x"}`, 404, ""},
		{"comment with read candidates scope", "POST", "/comments", "read-only-key", `{"candidate_reference":"` + ref + `","content":"ok"}`, 201, ""},
		{"emails read-only key posts", "POST", "/emails", "read-only-key", `{}`, 403, ""},
		{"emails missing fields", "POST", "/emails", "all-scopes-key", `{"candidate_reference":"` + ref + `"}`, 400, ""},
		{"emails bad address", "POST", "/emails", "all-scopes-key",
			`{"candidate_reference":"` + ref + `","subject":"s","body":"b","from_email":"hr@acme.test","to":"not-an-email"}`, 400, ""},
		{"emails read", "GET", "/emails?candidate_reference=" + ref, "read-only-key", "", 200, "[]"},
		{"emails other org", "GET", "/emails?candidate_reference=" + ref, "other-org-key", "", 404, ""},
		{"no key", "GET", "/emails?candidate_reference=" + ref, "", "", 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := call{method: tt.method, path: wkAPI + tt.path, body: tt.body, ctype: jsonType}
			if tt.token != "" {
				c.auth = bearer(tt.token)
			}
			before := countFiles(t, data)
			got := send(t, base, c)
			if got.status != tt.status {
				t.Fatalf("%s", got)
			}
			if tt.want != "" && strings.TrimSpace(string(got.body)) != strings.TrimSpace(tt.want) {
				t.Errorf("body = %s, want %s", got.body, tt.want)
			}
			if tt.status >= 400 && countFiles(t, data) != before {
				t.Errorf("a failed request left files behind")
			}
		})
	}

	// A refused recipient is recorded on the stored message, not lost.
	failed := wkPost(t, base, "/emails", "all-scopes-key", `{"candidate_reference":"`+ref+`","subject":"s","body":"b","from_email":"hr@acme.test","to":"jane@example.com","send_email":true}`)
	wantStatus(t, "email to a refused recipient", failed, http.StatusCreated)
	if e := object(t, failed.body); e["status"] != "failed" || !strings.Contains(fmt.Sprint(e["error"]), "550") {
		t.Errorf("failed email = %s", failed.body)
	}
}

// TestBlackboxFlatchrActivity covers the Flatchr comments, messages, tags
// and traits of an applicant, one domain with WelcomeKit's: a comment made
// through one dialect is read through the other.
func TestBlackboxFlatchrActivity(t *testing.T) {
	smtp := mailtest.Start(t, "", "")
	base, data := startActivity(t, smtp)
	created := wkPost(t, base, "/candidates", "all-scopes-key", `{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y",
		"firstname":"Jane","lastname":"Doe","email":"jane@example.com"}`)
	wantStatus(t, "create", created, http.StatusCreated)
	ref := object(t, created.body)["reference"].(string)
	wantStatus(t, "wk comment", wkPost(t, base, "/comments", "all-scopes-key", `{"candidate_reference":"`+ref+`","content":"from WK"}`), http.StatusCreated)
	key := applicantKeyOf(t, data, ref)
	app := "/company/" + acmeCompany + "/applicant/" + key

	comments := send(t, base, call{path: app + "/comments?fields=author", auth: bearer("all-scopes-key")})
	wantStatus(t, "comments", comments, http.StatusOK)
	cs := list(t, comments.body)
	if len(cs) != 1 || cs[0]["text"] != "<p>from WK</p>\n" || cs[0]["author"].(map[string]any)["firstname"] != "recruiter" {
		t.Fatalf("comments = %s", comments.body)
	}
	first := int64(cs[0]["id"].(float64))

	reply := send(t, base, call{method: "POST", path: app + "/comment", auth: bearer("all-scopes-key"), ctype: jsonType,
		body: fmt.Sprintf(`{"text":"from Flatchr","private":true,"reply_to":%d}`, first)})
	wantStatus(t, "flatchr comment", reply, http.StatusOK)
	r := object(t, reply.body)
	wantKeys := []string{"attachments", "author", "created_at", "created_by", "favorite", "id", "private", "ratings", "reply_to", "text"}
	if got := keys(r); !slices.Equal(got, wantKeys) {
		t.Errorf("comment keys = %v, want %v", got, wantKeys)
	}
	if r["private"] != true || r["reply_to"] != float64(first) {
		t.Errorf("comment = %s", reply.body)
	}

	// multipart with a file
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	_ = w.WriteField("text", "with file")
	fw, _ := w.CreateFormFile("file", "note.txt")
	_, _ = fw.Write([]byte("plain text attachment\n"))
	_ = w.Close()
	withFile := send(t, base, call{method: "POST", path: app + "/comment", auth: bearer("all-scopes-key"), ctype: w.FormDataContentType(), body: mp.String()})
	wantStatus(t, "comment with file", withFile, http.StatusOK)
	atts := object(t, withFile.body)["attachments"].([]any)
	if len(atts) != 1 || atts[0].(map[string]any)["name"] != "note.txt" {
		t.Errorf("attachments = %s", withFile.body)
	}
	if f := fetchFile(t, atts[0].(map[string]any)["url"].(string)); f.status != http.StatusOK || string(f.body) != "plain text attachment\n" {
		t.Errorf("attachment download: %s", f)
	}

	del := send(t, base, call{method: "DELETE", path: fmt.Sprintf("%s/comment/%d", app, first), auth: bearer("all-scopes-key")})
	checkAnswer(t, del, http.StatusOK, `{"statusCode":200,"message":"Comment deleted"}`)
	again := send(t, base, call{method: "DELETE", path: fmt.Sprintf("%s/comment/%d", app, first), auth: bearer("all-scopes-key")})
	checkAnswer(t, again, http.StatusNotFound, hapiError(404, "Comment not found"))

	msg := send(t, base, call{method: "POST", path: app + "/message", auth: bearer("all-scopes-key"), ctype: jsonType,
		body: `{"subject":"Bonjour","html":"<p>Hello Jane</p>"}`})
	wantStatus(t, "message", msg, http.StatusOK)
	if m := object(t, msg.body); m["status"] != "failed" {
		// No --smtp-from and no from address: recorded as failed, kept.
		t.Errorf("message without a sender = %s", msg.body)
	}
	msgs := send(t, base, call{path: app + "/messages?fields=author,mail,candidate", auth: bearer("all-scopes-key")})
	wantStatus(t, "messages", msgs, http.StatusOK)
	if l := list(t, msgs.body); len(l) != 1 || l[0]["mail"].(map[string]any)["html"] != "<p>Hello Jane</p>" {
		t.Errorf("messages = %s", msgs.body)
	}
	emails := wkGet(t, base, "/emails?candidate_reference="+ref, "all-scopes-key")
	if l := list(t, emails.body); len(l) != 1 || l[0]["origin"] != "flatchr" {
		t.Errorf("a Flatchr message read as a WelcomeKit email: %s", emails.body)
	}

	tags := send(t, base, call{path: "/company/" + acmeCompany + "/tags", auth: bearer("all-scopes-key")})
	wantStatus(t, "tags", tags, http.StatusOK)
	tl := list(t, tags.body)
	if len(tl) != 2 || tl[0]["id"] != "SkillsTagKey0001" || tl[1]["values"] != "Bac +3;Bac +5" || tl[0]["creatable"] != true {
		t.Errorf("tags = %s", tags.body)
	}
	trait := send(t, base, call{method: "POST", path: app + "/trait", auth: bearer("all-scopes-key"), ctype: jsonType, body: `{"tag":"5gQayv9L1Qp6LXE4","value":"Bac +3"}`})
	wantStatus(t, "trait", trait, http.StatusOK)
	if tr := object(t, trait.body); tr["tag_id"] != "5gQayv9L1Qp6LXE4" || tr["value"] != "Bac +3" || len(tr["id"].(string)) != 16 {
		t.Errorf("trait = %s", trait.body)
	}
	bad := send(t, base, call{method: "POST", path: app + "/trait", auth: bearer("all-scopes-key"), ctype: jsonType, body: `{"tag":"5gQayv9L1Qp6LXE4","value":"Bac +8"}`})
	checkAnswer(t, bad, http.StatusBadRequest, hapiError(400, `value is not a value of tag "Niveau"`))
	created2 := send(t, base, call{method: "POST", path: app + "/trait", auth: bearer("all-scopes-key"), ctype: jsonType, body: `{"tag":"SkillsTagKey0001","value":"Rust"}`})
	wantStatus(t, "creatable trait", created2, http.StatusOK)
	traits := send(t, base, call{path: app + "/traits", auth: bearer("all-scopes-key")})
	if l := list(t, traits.body); len(l) != 2 {
		t.Errorf("traits = %s", traits.body)
	}

	for _, tt := range []struct {
		name   string
		c      call
		status int
	}{
		{"other company's id", call{path: "/company/GlobexCompanyK02/applicant/" + key + "/comments", auth: bearer("all-scopes-key")}, 404},
		{"other company's key", call{path: app + "/comments", auth: bearer("other-org-key")}, 404},
		{"unknown applicant", call{path: "/company/" + acmeCompany + "/applicant/AAAAAAAAAAAAAAAA/traits", auth: bearer("all-scopes-key")}, 404},
		{"no credential", call{path: "/company/" + acmeCompany + "/tags"}, 401},
		{"blank comment", call{method: "POST", path: app + "/comment", auth: bearer("all-scopes-key"), ctype: jsonType, body: `{"text":""}`}, 400},
		{"reply to unknown", call{method: "POST", path: app + "/comment", auth: bearer("all-scopes-key"), ctype: jsonType, body: `{"text":"x","reply_to":999999}`}, 400},
		{"sms refused", call{method: "POST", path: app + "/message", auth: bearer("all-scopes-key"), ctype: jsonType, body: `{"subject":"s","html":"h","sms":true}`}, 400},
		{"unknown tag", call{method: "POST", path: app + "/trait", auth: bearer("all-scopes-key"), ctype: jsonType, body: `{"tag":"nope","value":"x"}`}, 400},
		{"read-only key writes", call{method: "POST", path: app + "/message", auth: bearer("read-only-key"), ctype: jsonType, body: `{"subject":"s","html":"h"}`}, 403},
		{"not json", call{method: "POST", path: app + "/trait", auth: bearer("all-scopes-key"), ctype: jsonType, body: `{`}, 400},
		{"file over cap", bigComment(app), 413},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := send(t, base, tt.c)
			if got.status != tt.status || got.header.Get("Content-Type") != jsonAnswer {
				t.Fatalf("%s", got)
			}
			if e := object(t, got.body); e["statusCode"] != float64(tt.status) {
				t.Errorf("not a hapi error: %s", got.body)
			}
		})
	}
}

// bigComment is a multipart comment whose file is over its cap.
func bigComment(app string) call {
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	_ = w.WriteField("text", "big")
	fw, _ := w.CreateFormFile("file", "big.txt")
	_, _ = fw.Write(bytes.Repeat([]byte("a"), 10<<20+1))
	_ = w.Close()
	return call{method: "POST", path: app + "/comment", auth: bearer("all-scopes-key"), ctype: w.FormDataContentType(), body: mp.String()}
}

// applicantKeyOf reads a candidate's Flatchr applicant id from the
// binary's database, opened as a second process would: the Flatchr create
// answer carries none (spec flatchr §2), and finding it by search is
// another endpoint's job.
func applicantKeyOf(t *testing.T, data, ref string) string {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(data, "intake.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	orgs, err := st.Orgs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if app, err := st.Application(t.Context(), o.ID, ref); err == nil {
			return app.ApplicantKey
		}
	}
	t.Fatalf("no application %s", ref)
	return ""
}
