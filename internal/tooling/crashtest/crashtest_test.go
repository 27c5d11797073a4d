package crashtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"intake"
	"intake/internal/filestore/blob"
)

// Every generated resume is stable for its seed and id, within bounds, and
// of a type the server accepts for a resume, as the real blob store sniffs
// it.
func TestResumeBytesAreAcceptedResumes(t *testing.T) {
	dir, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dir.Close() })
	const max = 256 << 10
	pdfs := 0
	for id := 1; id <= 60; id++ {
		b, res := resumeBytes(42, id, max)
		again, _ := resumeBytes(42, id, max)
		if !bytes.Equal(b, again) {
			t.Fatalf("id %d: two calls made different bytes", id)
		}
		sum := sha256.Sum256(b)
		if res.Size != len(b) || res.SHA256 != hex.EncodeToString(sum[:]) || len(b) < minResume || len(b) > max {
			t.Fatalf("id %d: %d bytes, resume says %+v", id, len(b), res)
		}
		staged, err := dir.Stage(t.Context(), bytes.NewReader(b), max)
		if err != nil {
			t.Fatal(err)
		}
		if !intake.AllowedType(intake.DocResume, staged.ContentType) || staged.ContentType != res.ContentType() {
			t.Errorf("id %d (pdf %v): sniffed as %s", id, res.PDF, staged.ContentType)
		}
		if res.PDF {
			pdfs++
		}
	}
	if pdfs == 0 || pdfs == 60 {
		t.Errorf("%d of 60 resumes are PDFs, want both kinds", pdfs)
	}
	other, _ := resumeBytes(43, 1, max)
	first, _ := resumeBytes(42, 1, max)
	if bytes.Equal(other, first) {
		t.Error("another seed made the same resume")
	}
}

func TestBlobKey(t *testing.T) {
	tests := []struct {
		name string
		url  *string
		want string
	}{
		{"signed URL", ptr("http://127.0.0.1:1/files/0123abcd/cv.pdf?exp=1&sig=2"), "0123abcd"},
		{"no URL", nil, ""},
		{"another path", ptr("http://127.0.0.1:1/assets/x.png"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := blobKey(tt.url); got != tt.want {
				t.Errorf("blobKey = %q, want %q", got, tt.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// fakeIntake serves the part of the WelcomeKit API Verify reads, from
// candidates held in memory, and their files.
type fakeIntake struct {
	token      string
	candidates []*fakeCandidate
	files      map[string][]byte
}

type fakeCandidate struct {
	ref, email, blobKey string
	size                int64
	hidden              bool // answered by GET but missing from the list
}

func (f *fakeIntake) render(base string, c *fakeCandidate) map[string]any {
	out := map[string]any{"reference": c.ref, "profile": map[string]any{"email": c.email}, "resume_url": nil, "resume_size": nil}
	if c.blobKey != "" {
		out["resume_url"] = base + "/files/" + c.blobKey + "/resume.pdf?sig=x"
		out["resume_size"] = c.size
	}
	return out
}

func (f *fakeIntake) handler(t testing.TB) http.Handler {
	mux := http.NewServeMux()
	base := func(r *http.Request) string { return "http://" + r.Host }
	mux.HandleFunc("GET /api/v1/external/candidates", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+f.token {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		var visible []map[string]any
		for _, c := range f.candidates {
			if !c.hidden {
				visible = append(visible, f.render(base(r), c))
			}
		}
		lo, hi := min(len(visible), (page-1)*perPage), min(len(visible), page*perPage)
		out := visible[lo:hi]
		if out == nil {
			out = []map[string]any{}
		}
		_ = json.NewEncoder(w).Encode(out)
	})
	mux.HandleFunc("GET /api/v1/external/candidates/{ref}", func(w http.ResponseWriter, r *http.Request) {
		for _, c := range f.candidates {
			if c.ref == r.PathValue("ref") {
				_ = json.NewEncoder(w).Encode(f.render(base(r), c))
				return
			}
		}
		http.NotFound(w, r)
	})
	mux.HandleFunc("GET /files/{key}/{name}", func(w http.ResponseWriter, r *http.Request) {
		b, ok := f.files[r.PathValue("key")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b)
	})
	return mux
}

// Verify counts each kind of damage once, and finds nothing wrong with a
// whole store. The ledger has 150 acknowledged requests (two list pages),
// one unanswered and one rejected.
func TestVerifyCountsDamage(t *testing.T) {
	type damage func(f *fakeIntake, dataDir string, reqs *[]*Request)
	fileOf := func(f *fakeIntake, i int) string { return f.candidates[i].blobKey }
	t0 := time.Now()
	// reapply adds an acknowledged re-apply of candidate 0, sent after its
	// create was answered, and returns its resume's bytes.
	reapply := func(reqs *[]*Request) []byte {
		first := (*reqs)[0]
		first.Start, first.End = t0, t0.Add(time.Second)
		r := &Request{ID: 1000, Cycle: 2, Kind: FlatchrReapply, Email: first.Email, Status: http.StatusOK, Reference: first.Reference,
			Start: t0.Add(2 * time.Second), End: t0.Add(3 * time.Second)}
		var b []byte
		b, r.Resume = resumeBytes(1, r.ID, 4096)
		*reqs = append(*reqs, r)
		return b
	}
	tests := []struct {
		name   string
		damage damage
		want   Check
	}{
		{"whole", func(*fakeIntake, string, *[]*Request) {}, Check{}},
		{"acknowledged candidate missing", func(f *fakeIntake, _ string, _ *[]*Request) {
			f.candidates = append(f.candidates[:1], f.candidates[2:]...)
		}, Check{Lost: 1}},
		{"acknowledged candidate and its resume missing", func(f *fakeIntake, _ string, _ *[]*Request) {
			f.candidates = f.candidates[1:]
		}, Check{Lost: 1, Orphans: 1}},
		{"acknowledged candidate missing from the list", func(f *fakeIntake, _ string, _ *[]*Request) {
			f.candidates[3].hidden = true
		}, Check{Lost: 1}},
		{"acknowledged without reference", func(_ *fakeIntake, _ string, reqs *[]*Request) {
			(*reqs)[5].Reference = ""
		}, Check{Lost: 1}},
		{"resume file gone", func(f *fakeIntake, dataDir string, _ *[]*Request) {
			key := fileOf(f, 0)
			delete(f.files, key)
			os.Remove(filepath.Join(dataDir, "files", "committed", key[:2], key))
		}, Check{HalfWritten: 1}},
		{"resume differs", func(f *fakeIntake, _ string, _ *[]*Request) {
			f.files[fileOf(f, 0)][minResume/2] ^= 1
		}, Check{HalfWritten: 1}},
		{"row without its resume", func(f *fakeIntake, _ string, _ *[]*Request) {
			f.candidates[0].blobKey = ""
		}, Check{HalfWritten: 1, Orphans: 1}},
		{"orphan committed file", func(_ *fakeIntake, dataDir string, _ *[]*Request) {
			writeData(t, dataDir, "files/committed/ff/ff000000000000000000000000000000")
		}, Check{Orphans: 1}},
		{"file left in staging", func(_ *fakeIntake, dataDir string, _ *[]*Request) {
			writeData(t, dataDir, "files/staging/tmp-ee000000000000000000000000000000")
		}, Check{Orphans: 1, Staged: 1}},
		{"unanswered request stored whole", func(f *fakeIntake, _ string, reqs *[]*Request) {
			f.candidates = append(f.candidates, &fakeCandidate{ref: "wttj-unanswered", email: (*reqs)[150].Email})
		}, Check{UnacknowledgedStored: 1}},
		{"rejected request stored", func(f *fakeIntake, _ string, reqs *[]*Request) {
			f.candidates = append(f.candidates, &fakeCandidate{ref: "wttj-rejected", email: (*reqs)[151].Email})
		}, Check{RejectedStored: 1}},
		{"re-applied resume replaced the first", func(f *fakeIntake, _ string, reqs *[]*Request) {
			f.files[fileOf(f, 0)] = reapply(reqs)
			f.candidates[0].size = int64(len(f.files[fileOf(f, 0)]))
		}, Check{Required: 151}},
		{"re-applied resume did not replace the first", func(f *fakeIntake, _ string, reqs *[]*Request) {
			reapply(reqs)
		}, Check{Required: 151, HalfWritten: 1}},
		{"candidate of no request", func(f *fakeIntake, _ string, _ *[]*Request) {
			f.candidates = append(f.candidates, &fakeCandidate{ref: "wttj-stranger", email: "stranger@example.com"})
		}, Check{Unexpected: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			world := &World{Token: "tok", JobRef: "WTTJ_Crash01"}
			f := &fakeIntake{token: world.Token, files: map[string][]byte{}}
			dataDir := t.TempDir()
			var reqs []*Request
			for i := range 152 {
				r := &Request{ID: i + 1, Cycle: 1, Kind: WelcomeKitPlain, Email: "c" + strconv.Itoa(i) + "@example.com"}
				switch i {
				case 150:
				case 151:
					r.Status = http.StatusBadRequest
				default:
					r.Status, r.Reference = http.StatusCreated, "wttj-"+strconv.Itoa(i)
					c := &fakeCandidate{ref: r.Reference, email: r.Email}
					if i%2 == 0 {
						var b []byte
						b, r.Resume = resumeBytes(1, r.ID, 4096)
						r.Kind = WelcomeKitResume
						c.blobKey = strings.Repeat("0", 28) + strconv.FormatInt(int64(1000+i), 16)
						c.size = int64(len(b))
						f.files[c.blobKey] = b
						writeData(t, dataDir, "files/committed/"+c.blobKey[:2]+"/"+c.blobKey)
					}
					f.candidates = append(f.candidates, c)
				}
				reqs = append(reqs, r)
			}
			tt.damage(f, dataDir, &reqs)
			srv := httptest.NewServer(f.handler(t))
			t.Cleanup(srv.Close)

			got, err := Verify(context.Background(), srv.URL, dataDir, world, reqs, nil, 4)
			if err != nil {
				t.Fatal(err)
			}
			if want := max(150, tt.want.Required); got.Required != want {
				t.Errorf("Required = %d, want %d", got.Required, want)
			}
			counts := func(c *Check) [8]int {
				return [8]int{c.Lost, c.HalfWritten, c.Orphans, c.Staged, c.UnacknowledgedStored, c.RejectedStored, c.Unexpected, len(c.Problems)}
			}
			want := tt.want
			problems := want.Lost + want.HalfWritten + want.Orphans + want.RejectedStored + want.Unexpected
			wantCounts := counts(&want)
			wantCounts[7] = problems
			if diff := cmp.Diff(wantCounts, counts(got)); diff != "" {
				t.Errorf("[lost half orphans staged unacked rejected unexpected problems] (-want +got):\n%s\nproblems: %q", diff, got.Problems)
			}
			if got.OK() != (problems == 0) {
				t.Errorf("OK() = %v with %d problems", got.OK(), problems)
			}
		})
	}
}

func writeData(t testing.TB, dataDir, rel string) {
	t.Helper()
	p := filepath.Join(dataDir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// The report's text names every figure the reliability doc records.
func TestReportText(t *testing.T) {
	rep := &Report{Cycles: 3, Sent: 10, Acknowledged: 8, Check: &Check{}}
	var buf bytes.Buffer
	rep.WriteText(&buf)
	for _, want := range []string{"cycles:", "requests sent:         10", "acknowledged:          8", "lost:                  0", "half-written:", "orphans:", "time:", "result:                OK"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, buf.String())
		}
	}
}
