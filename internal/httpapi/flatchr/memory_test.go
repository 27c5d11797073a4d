package flatchr

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"

	"intake"
)

// resumeData is size bytes that sniff as a PDF.
func resumeData(size int) []byte {
	data := make([]byte, size)
	_, _ = rand.Read(data)
	copy(data, "%PDF-1.4\n")
	return data
}

// resumeBody is a JSON create of data as a base64 document resume.
func resumeBody(data []byte, email string) []byte {
	var b bytes.Buffer
	b.WriteString(`{"vacancy":"` + seedVacancy + `","firstname":"john","lastname":"doe","email":"` + email + `","type":"document","resume":{"fileName":"cv.pdf","contentType":"application/pdf","data":"`)
	b.WriteString(base64.StdEncoding.EncodeToString(data))
	b.WriteString(`"}}`)
	return b.Bytes()
}

// allocated returns the bytes allocated by the process while f ran.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// discardUploads stages by reading and dropping the bytes, so that only the
// decoder's own allocations are measured.
type discardUploads struct{ n int64 }

func (d *discardUploads) stage(r io.Reader) (*intake.Blob, error) {
	n, err := io.Copy(io.Discard, r)
	d.n = n
	return &intake.Blob{Key: "k", Size: n}, err
}

func (d *discardUploads) discard(*intake.Blob) {}

// TestResumeMemoryDecoder measures the decoders alone on a 5 MB resume in
// each encoding: the data streams, so the cost does not grow with the file.
func TestResumeMemoryDecoder(t *testing.T) {
	data := resumeData(5 << 20)
	b64 := base64.StdEncoding.EncodeToString(data)
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	_ = mw.WriteField("firstname", "john")
	fw, _ := mw.CreateFormFile("resume", "cv.pdf")
	_, _ = fw.Write(data)
	_ = mw.Close()
	var mp64 bytes.Buffer
	mw64 := multipart.NewWriter(&mp64)
	_ = mw64.WriteField("resume[data]", b64)
	_ = mw64.Close()
	tests := []struct {
		name   string
		body   []byte
		decode func(d *decoder, r io.Reader) error
	}{
		{name: "JSON", body: resumeBody(data, "big@example.com"), decode: (*decoder).decodeJSON},
		{name: "urlencoded", body: []byte("firstname=john&resume%5Bdata%5D=" + url.QueryEscape(b64)), decode: (*decoder).decodeForm},
		{name: "multipart file", body: mp.Bytes(), decode: func(d *decoder, r io.Reader) error { return d.decodeMultipart(r, mw.Boundary()) }},
		{name: "multipart base64 field", body: mp64.Bytes(), decode: func(d *decoder, r io.Reader) error { return d.decodeMultipart(r, mw64.Boundary()) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const runs = 3
			var up discardUploads
			per := allocated(func() {
				for range runs {
					in := &createInput{}
					if err := tt.decode(&decoder{in: in, up: &up}, bytes.NewReader(tt.body)); err != nil {
						t.Fatal(err)
					}
				}
			}) / runs
			t.Logf("%d bytes allocated per 5 MB resume (%d bytes of body)", per, len(tt.body))
			if up.n != int64(len(data)) {
				t.Fatalf("staged %d bytes, want %d", up.n, len(data))
			}
			if per > 256<<10 {
				t.Errorf("decoding allocates %d bytes per request, want ≤ 256 KiB", per)
			}
		})
	}
}

// TestResumeMemoryRequest measures a whole create of a 5 MB resume over
// HTTP, client included: handler, Service, blob store and database must stay
// within 1 MiB of heap per request (the performance issue's bound). The
// test's own client adds to the figure, so the server's share is smaller.
func TestResumeMemoryRequest(t *testing.T) {
	s := newServer(t)
	const runs = 5
	data := resumeData(5 << 20)
	bodies := make([][]byte, runs)
	for i := range bodies {
		bodies[i] = resumeBody(data, fmt.Sprintf("big%d@example.com", i))
	}
	// Warm up connections, caches and pools outside the measurement.
	if res := s.postJSON(t, "/vacancy/candidate/json", `{"vacancy":"`+seedVacancy+`","firstname":"w","lastname":"u","type":"document","resume":{"data":"SGVsbG8h"}}`, "Authorization", "Bearer "+seedToken); res.status != http.StatusOK {
		t.Fatalf("warm-up: %d %s", res.status, res.body)
	}
	// The median request: a garbage collection may empty the pool of
	// sniffing buffers now and then, and one request then pays for a new
	// one.
	per := make([]uint64, runs)
	for i, b := range bodies {
		per[i] = allocated(func() {
			res := s.do(t, http.MethodPost, "/vacancy/candidate/json", "application/json", bytes.NewReader(b), "Authorization", "Bearer "+seedToken)
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
		})
	}
	slices.Sort(per)
	median := per[runs/2]
	t.Logf("a 5 MB resume: %d bytes allocated by the median request (all: %v)", median, per)
	if median > 1<<20 {
		t.Errorf("a 5 MB resume costs %d bytes of heap per request, want ≤ 1 MiB", median)
	}
}

// TestBodyTooLargeMemory sends 24 MB without a Content-Length: the answer
// is 413 once the cap is reached, read as a stream.
func TestBodyTooLargeMemory(t *testing.T) {
	s := newServer(t)
	var res response
	total := allocated(func() {
		body := io.MultiReader(
			strings.NewReader(`{"vacancy":"`+seedVacancy+`","padding":"`),
			io.LimitReader(repeatReader('A'), 24<<20),
			strings.NewReader(`"}`),
		)
		res = s.do(t, http.MethodPost, "/vacancy/candidate/json", "application/json", body, "Authorization", "Bearer "+seedToken)
	})
	want := hapi(http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is too large (maximum %d bytes)", DefaultMaxBodyBytes))
	if res.status != http.StatusRequestEntityTooLarge || string(res.body) != want {
		t.Fatalf("got %d %s, want 413 %s", res.status, res.body, want)
	}
	t.Logf("a 24 MB body cost %d bytes before it was refused", total)
	if total > 1<<20 {
		t.Errorf("refusing a large body allocated %d bytes, want ≤ 1 MiB", total)
	}
	if n := s.files(t); n != 0 {
		t.Errorf("%d files left on disk", n)
	}
}

// repeatReader yields c forever.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// TestResumeTooLarge sends a base64 resume one byte over the cap: the body
// is within its own cap, the decoded file is not (spec flatchr §2).
func TestResumeTooLarge(t *testing.T) {
	s := newServer(t)
	chars := int64(intake.MaxResumeBytes+2) / 3 * 4 // decodes to MaxResumeBytes+2 bytes
	body := io.MultiReader(
		strings.NewReader(`{"vacancy":"`+seedVacancy+`","firstname":"a","lastname":"b","type":"document","resume":{"fileName":"big.pdf","data":"`),
		io.LimitReader(repeatReader('A'), chars),
		strings.NewReader(`"}}`),
	)
	res := s.do(t, http.MethodPost, "/vacancy/candidate/json", "application/json", body, "Authorization", "Bearer "+seedToken)
	if want := hapi(http.StatusRequestEntityTooLarge, "resume is too large"); res.status != http.StatusRequestEntityTooLarge || string(res.body) != want {
		t.Fatalf("got %d %s, want %s", res.status, res.body, want)
	}
	if n := s.files(t); n != 0 {
		t.Errorf("%d files left on disk", n)
	}
}
