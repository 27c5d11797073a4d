package bench

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/mail"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readBody returns a request's body and checks its declared length.
func readBody(t testing.TB, req *http.Request) []byte {
	t.Helper()
	b, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(b)) != req.ContentLength {
		t.Fatalf("body is %d bytes, Content-Length says %d", len(b), req.ContentLength)
	}
	return b
}

func TestCreateWorkloadWelcomeKit(t *testing.T) {
	w, err := NewCreateWorkload(CreateOptions{Dialect: WelcomeKit, Token: "tok", Org: DemoOrg, Job: DemoJob, StageID: DemoStageID, RunID: "r1"})
	if err != nil {
		t.Fatal(err)
	}
	req, err := w.Request("http://127.0.0.1:1", 7)
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != http.MethodPost || req.URL.String() != "http://127.0.0.1:1/api/v1/external/candidates" {
		t.Errorf("request line = %s %s", req.Method, req.URL)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer tok" {
		t.Errorf("Authorization = %q", got)
	}
	if got := req.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q", got)
	}
	var body map[string]any
	if err := json.Unmarshal(readBody(t, req), &body); err != nil {
		t.Fatal(err)
	}
	p := NewPerson("r1", 7)
	want := map[string]any{
		"email": p.Email, "firstname": p.Firstname, "lastname": p.Lastname,
		"organization_reference": DemoOrg, "job_reference": DemoJob, "job_stage_id": float64(DemoStageID),
		"phone": p.Phone, "subtitle": p.Subtitle, "tag_list": p.Tags, "origin": "careers",
	}
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
}

func TestCreateWorkloadFlatchr(t *testing.T) {
	tests := []struct {
		name       string
		resumeSize int
		wantData   []byte
		wantName   string
		wantType   string
	}{
		{name: "seed document", resumeSize: 0, wantData: []byte("Hello!"), wantName: "resume.txt", wantType: "application/octet-stream"},
		{name: "small pdf", resumeSize: 2000, wantData: Resume(2000), wantName: "CV_" + NewPerson("", 3).FileStem + ".pdf", wantType: "application/pdf"},
		{name: "5 MB pdf", resumeSize: 5 << 20, wantData: Resume(5 << 20), wantName: "CV_" + NewPerson("", 3).FileStem + ".pdf", wantType: "application/pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := NewCreateWorkload(CreateOptions{Dialect: Flatchr, Token: "tok", Vacancy: DemoVacancy, ResumeSize: tt.resumeSize})
			if err != nil {
				t.Fatal(err)
			}
			req, err := w.Request("http://127.0.0.1:1", 3)
			if err != nil {
				t.Fatal(err)
			}
			if req.URL.Path != "/vacancy/candidate/json" {
				t.Errorf("path = %s", req.URL.Path)
			}
			var body struct {
				Vacancy, Firstname, Lastname, Email, Type string
				Resume                                    struct{ Data, FileName, ContentType string }
			}
			if err := json.Unmarshal(readBody(t, req), &body); err != nil {
				t.Fatal(err)
			}
			p := NewPerson("", 3)
			if body.Vacancy != DemoVacancy || body.Email != p.Email || body.Firstname != p.Firstname || body.Type != "document" {
				t.Errorf("body = %+v", body)
			}
			// The seed's data has a stray '=' (spec flatchr §2): decode it
			// as the server does, unpadded.
			data, err := base64.RawStdEncoding.DecodeString(trimPadding(body.Resume.Data))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(tt.wantData, data) {
				t.Errorf("resume data differs (%d bytes, want %d)", len(data), len(tt.wantData))
			}
			if body.Resume.FileName != tt.wantName || body.Resume.ContentType != tt.wantType {
				t.Errorf("resume file = %q %q, want %q %q", body.Resume.FileName, body.Resume.ContentType, tt.wantName, tt.wantType)
			}
		})
	}
}

func trimPadding(s string) string {
	for len(s) > 0 && s[len(s)-1] == '=' {
		s = s[:len(s)-1]
	}
	return s
}

func TestNewCreateWorkloadErrors(t *testing.T) {
	tests := []struct {
		name string
		opts CreateOptions
	}{
		{name: "unknown dialect", opts: CreateOptions{Dialect: "lever"}},
		{name: "welcomekit without job", opts: CreateOptions{Dialect: WelcomeKit, Org: DemoOrg}},
		{name: "flatchr without vacancy", opts: CreateOptions{Dialect: Flatchr}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewCreateWorkload(tt.opts); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestListWorkload(t *testing.T) {
	w, err := NewListWorkload(ListOptions{Token: "tok", Job: DemoJob, PerPage: 100, Pages: 3})
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	for seq := range uint64(4) {
		req, err := w.Request("http://127.0.0.1:1", seq)
		if err != nil {
			t.Fatal(err)
		}
		q := req.URL.Query()
		if req.Method != http.MethodGet || req.URL.Path != "/api/v1/external/candidates" || q.Get("job_reference") != DemoJob || q.Get("per_page") != "100" {
			t.Errorf("request = %s %s", req.Method, req.URL)
		}
		pages = append(pages, q.Get("page"))
	}
	if diff := cmp.Diff([]string{"1", "2", "3", "1"}, pages); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
}

func TestNewPerson(t *testing.T) {
	emails := map[string]uint64{}
	for seq := range uint64(20000) {
		p := NewPerson("run", seq)
		if prev, dup := emails[p.Email]; dup {
			t.Fatalf("people %d and %d share %s", prev, seq, p.Email)
		}
		emails[p.Email] = seq
		if _, err := mail.ParseAddress(p.Email); err != nil {
			t.Fatalf("person %d: %v", seq, err)
		}
		if p.Firstname == "" || p.Lastname == "" || len(p.Phone) != 14 || p.Subtitle == "" || p.FileStem == "" {
			t.Fatalf("person %d is incomplete: %+v", seq, p)
		}
	}
	if NewPerson("run", 5) != NewPerson("run", 5) {
		t.Error("the same inputs gave different people")
	}
	if NewPerson("a", 5).Email == NewPerson("b", 5).Email {
		t.Error("two runs gave the same email")
	}
}

// BenchmarkWorkloadRequest measures what building a request costs the load
// generator: it must stay far below a server's cost per request.
func BenchmarkWorkloadRequest(b *testing.B) {
	cases := []struct {
		name string
		opts CreateOptions
	}{
		{name: "welcomekit", opts: CreateOptions{Dialect: WelcomeKit, Token: "tok", Org: DemoOrg, Job: DemoJob, StageID: DemoStageID}},
		{name: "flatchr/resume=5MiB", opts: CreateOptions{Dialect: Flatchr, Token: "tok", Vacancy: DemoVacancy, ResumeSize: 5 << 20}},
	}
	for _, c := range cases {
		w, err := NewCreateWorkload(c.opts)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var seq uint64
			for b.Loop() {
				seq++
				if _, err := w.Request("http://127.0.0.1:1", seq); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestCreateBody checks that the body handed to decoder benchmarks is the
// one the workload sends, and that a bad workload is refused.
func TestCreateBody(t *testing.T) {
	o := CreateOptions{Dialect: WelcomeKit, Org: DemoOrg, Job: DemoJob, RunID: "r"}
	got, err := CreateBody(o, 7)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewCreateWorkload(o)
	if err != nil {
		t.Fatal(err)
	}
	req, err := w.Request("http://127.0.0.1", 7)
	if err != nil {
		t.Fatal(err)
	}
	if want := readBody(t, req); !bytes.Equal(got, want) {
		t.Errorf("CreateBody = %s, want the request's %s", got, want)
	}
	if _, err := CreateBody(CreateOptions{Dialect: Flatchr}, 1); err == nil {
		t.Error("CreateBody accepted a Flatchr workload without a vacancy")
	}
}
