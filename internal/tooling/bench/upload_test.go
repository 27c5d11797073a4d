package bench

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"testing"
)

func TestCreateWorkloadFlatchrMultipart(t *testing.T) {
	w, err := NewCreateWorkload(CreateOptions{Dialect: Flatchr, Token: "tok", Vacancy: DemoVacancy, ResumeSize: 4096, Upload: UploadMultipart, RunID: "r1"})
	if err != nil {
		t.Fatal(err)
	}
	req, err := w.Request("http://127.0.0.1:1", 3)
	if err != nil {
		t.Fatal(err)
	}
	media, params, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil || media != "multipart/form-data" {
		t.Fatalf("Content-Type = %q", req.Header.Get("Content-Type"))
	}
	p := NewPerson("r1", 3)
	want := map[string]string{"vacancy": DemoVacancy, "firstname": p.Firstname, "lastname": p.Lastname, "email": p.Email, "type": "document"}
	mr := multipart.NewReader(bytes.NewReader(readBody(t, req)), params["boundary"])
	var file []byte
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(part)
		if err != nil {
			t.Fatal(err)
		}
		if part.FormName() == "resume" {
			if part.FileName() != "CV_"+p.FileStem+".pdf" || part.Header.Get("Content-Type") != "application/pdf" {
				t.Errorf("file part %q, %q", part.FileName(), part.Header.Get("Content-Type"))
			}
			file = b
			continue
		}
		if v, ok := want[part.FormName()]; ok && v != string(b) {
			t.Errorf("%s = %q, want %q", part.FormName(), b, v)
		}
		delete(want, part.FormName())
	}
	if len(want) != 0 {
		t.Errorf("missing fields %v", want)
	}
	if !bytes.Equal(file, Resume(4096)) {
		t.Errorf("file part holds %d bytes, not the 4096-byte resume", len(file))
	}
}

func TestCreateWorkloadRemoteResume(t *testing.T) {
	files, err := StartFileServer(2048)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = files.Close() })
	w, err := NewCreateWorkload(CreateOptions{Dialect: WelcomeKit, Org: DemoOrg, Job: DemoJob, RemoteResumeBase: files.URL, RunID: "r1"})
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for seq := range uint64(2) {
		req, err := w.Request("http://127.0.0.1:1", seq)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			URL string `json:"remote_resume_url"`
		}
		if err := json.Unmarshal(readBody(t, req), &body); err != nil {
			t.Fatal(err)
		}
		urls = append(urls, body.URL)
	}
	if urls[0] == urls[1] {
		t.Fatalf("two creates name the same file %s", urls[0])
	}
	for _, u := range append(urls, urls[0]) {
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !bytes.Equal(b, Resume(2048)) {
			t.Fatalf("GET %s: %d, %d bytes", u, res.StatusCode, len(b))
		}
	}
	if fetches, refetches := files.Counts(); fetches != 3 || refetches != 1 {
		t.Errorf("counted %d fetches, %d refetches; want 3 and 1", fetches, refetches)
	}
}

func TestConfigCheckUploads(t *testing.T) {
	tests := []struct {
		name            string
		dialect, upload string
		remote          int
		ok              bool
	}{
		{name: "flatchr base64", dialect: "flatchr", upload: UploadBase64, ok: true},
		{name: "flatchr multipart", dialect: "flatchr", upload: UploadMultipart, ok: true},
		{name: "welcomekit multipart", dialect: "welcomekit", upload: UploadMultipart},
		{name: "unknown upload", dialect: "flatchr", upload: "raw"},
		{name: "welcomekit remote resume", dialect: "welcomekit", upload: UploadBase64, remote: 200000, ok: true},
		{name: "flatchr remote resume", dialect: "flatchr", upload: UploadBase64, remote: 200000},
		{name: "negative remote resume", dialect: "welcomekit", upload: UploadBase64, remote: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Config{Dialect: tt.dialect, Op: "create", Concurrency: 1, Rounds: 1, Duration: 1, Upload: tt.upload, RemoteResumeSize: tt.remote}
			if err := c.Check(); (err == nil) != tt.ok {
				t.Fatalf("Check() = %v, want ok %v", err, tt.ok)
			}
		})
	}
}
