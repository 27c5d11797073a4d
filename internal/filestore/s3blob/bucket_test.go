package s3blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"intake"
	"intake/internal/filestore/s3blob"
)

const bucketName = "intake-test"

// server is a real S3 protocol implementation (gofakes3 over an in-memory
// backend) served on loopback, with a raw client to look behind the
// BlobStore. It speaks HTTPS, as production stores do: minio-go signs
// payloads differently over plain HTTP.
type server struct {
	url       string
	http      *httptest.Server
	transport http.RoundTripper
	client    *minio.Client
}

func newServer(t testing.TB) *server {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(bucketName); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(gofakes3.New(backend).Server())
	t.Cleanup(ts.Close)
	transport := ts.Client().Transport
	client, err := minio.New(strings.TrimPrefix(ts.URL, "https://"), &minio.Options{
		Creds: credentials.NewStaticV4("test", "test-secret", ""), BucketLookup: minio.BucketLookupPath,
		Region: "us-east-1", Secure: true, Transport: transport,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &server{url: ts.URL, http: ts, transport: transport, client: client}
}

func (s *server) config() s3blob.Config {
	return s3blob.Config{
		Endpoint: s.url, Region: "us-east-1", Bucket: bucketName, Prefix: "tenant/",
		AccessKey: "test", SecretKey: "test-secret", UsePathStyle: true, Transport: s.transport,
	}
}

func (s *server) open(t testing.TB, mod ...func(*s3blob.Config)) *s3blob.Bucket {
	t.Helper()
	cfg := s.config()
	for _, m := range mod {
		m(&cfg)
	}
	b, err := s3blob.Open(t.Context(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return b
}

// objects lists every object name in the bucket, sorted.
func (s *server) objects(t testing.TB) []string {
	t.Helper()
	var names []string
	for obj := range s.client.ListObjectsIter(t.Context(), bucketName, minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err != nil {
			t.Fatal(obj.Err)
		}
		names = append(names, obj.Key)
	}
	slices.Sort(names)
	return names
}

func (s *server) uploads(t testing.TB) []string {
	t.Helper()
	var keys []string
	for up := range s.client.ListIncompleteUploads(t.Context(), bucketName, "", true) {
		if minio.ToErrorResponse(up.Err).Code == "NoSuchUpload" {
			break // gofakes3's answer for a bucket that never had an upload
		}
		if up.Err != nil {
			t.Fatal(up.Err)
		}
		keys = append(keys, up.Key)
	}
	return keys
}

func equalNames(t testing.TB, what string, want, got []string) {
	t.Helper()
	if !slices.Equal(want, got) {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func readAll(t testing.TB, b *s3blob.Bucket, key string) []byte {
	t.Helper()
	rc, err := b.Open(t.Context(), key)
	if err != nil {
		t.Fatalf("Open(%s): %v", key, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return data
}

func TestStage(t *testing.T) {
	srv := newServer(t)
	b := srv.open(t)
	tests := []struct {
		name     string
		data     []byte
		wantType string
	}{
		{"PDF", pdf, "application/pdf"},
		{"Text", []byte("Jane Doe\nGo developer\n"), "text/plain"},
		{"Empty", nil, "text/plain"},
		{"Binary", []byte{0x00, 0x01, 0x02, 0xff, 0xfe}, "application/octet-stream"},
		// Past one part: uploaded in several, sniffed from the first.
		{"Multipart", append(slices.Clone(pdf), bytes.Repeat([]byte{0}, 11<<20)...), "application/pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blob, err := b.Stage(t.Context(), bytes.NewReader(tt.data), 12<<20)
			if err != nil {
				t.Fatalf("Stage: %v", err)
			}
			sum := sha256.Sum256(tt.data)
			want := intake.Blob{Key: blob.Key, Size: int64(len(tt.data)), SHA256: hex.EncodeToString(sum[:]), ContentType: tt.wantType}
			if *blob != want || len(blob.Key) != 32 {
				t.Errorf("Stage = %+v, want %+v with a 32-hex key", *blob, want)
			}
			if got := readAll(t, b, blob.Key); !bytes.Equal(got, tt.data) {
				t.Errorf("staged bytes differ: %d bytes, want %d", len(got), len(tt.data))
			}
			info, err := srv.client.StatObject(t.Context(), bucketName, "tenant/staging/"+blob.Key, minio.StatObjectOptions{})
			if err != nil {
				t.Fatalf("staged object: %v", err)
			}
			if info.Size != int64(len(tt.data)) || info.ContentType != tt.wantType {
				t.Errorf("staged object size %d type %q, want %d %q", info.Size, info.ContentType, len(tt.data), tt.wantType)
			}
		})
	}
}

func TestStageSizeCap(t *testing.T) {
	tests := []struct {
		name   string
		size   int
		max    int64
		tooBig bool
	}{
		{"Exactly", 1000, 1000, false},
		{"OneOver", 1001, 1000, true},
		{"OverInFirstPart", 3 << 20, 1 << 20, true},
		{"MultipartExactly", 6 << 20, 6 << 20, false},
		// The cap strikes while parts are uploading: the upload is aborted.
		{"MultipartOver", 12 << 20, 11 << 20, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			b := srv.open(t)
			blob, err := b.Stage(t.Context(), bytes.NewReader(bytes.Repeat([]byte("a"), tt.size)), tt.max)
			if !tt.tooBig {
				if err != nil || blob.Size != int64(tt.size) {
					t.Fatalf("Stage at the cap = %+v, %v; want %d bytes", blob, err, tt.size)
				}
				return
			}
			if code := intake.ErrorCodeOf(err); code != intake.ETooLarge {
				t.Fatalf("Stage over the cap: %v (code %q), want %s", err, code, intake.ETooLarge)
			}
			equalNames(t, "objects after a refused stage", nil, srv.objects(t))
			equalNames(t, "incomplete uploads after a refused stage", nil, srv.uploads(t))
		})
	}
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestStageReadFailure(t *testing.T) {
	srv := newServer(t)
	b := srv.open(t)
	fetchErr := intake.Errorf(intake.ETooLarge, "is larger than 5 MB")
	tests := []struct {
		name     string
		r        io.Reader
		wantCode intake.ErrorCode
		wantErr  error
	}{
		{"ReadersDomainError", io.MultiReader(bytes.NewReader(pdf), failingReader{fetchErr}), intake.ETooLarge, fetchErr},
		{"OtherReadError", io.MultiReader(bytes.NewReader(pdf), failingReader{errors.New("connection reset")}), intake.EInvalid, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.Stage(t.Context(), tt.r, 1<<20)
			if code := intake.ErrorCodeOf(err); code != tt.wantCode {
				t.Errorf("Stage: %v (code %q), want %s", err, code, tt.wantCode)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Stage: %v does not wrap the reader's error", err)
			}
			equalNames(t, "objects after a failed stage", nil, srv.objects(t))
		})
	}
	t.Run("Canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := b.Stage(ctx, bytes.NewReader(pdf), 1<<20)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Stage with a canceled context: %v", err)
		}
		equalNames(t, "objects after a canceled stage", nil, srv.objects(t))
	})
}

func TestCommitOpenDiscard(t *testing.T) {
	srv := newServer(t)
	b := srv.open(t)
	ctx := t.Context()
	blob, err := b.Stage(ctx, bytes.NewReader(pdf), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(ctx, blob.Key); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	equalNames(t, "objects after Commit", []string{"tenant/committed/" + blob.Key}, srv.objects(t))
	if got := readAll(t, b, blob.Key); !bytes.Equal(got, pdf) {
		t.Errorf("committed bytes differ")
	}
	info, err := srv.client.StatObject(ctx, bucketName, "tenant/committed/"+blob.Key, minio.StatObjectOptions{})
	if err != nil || info.ContentType != "application/pdf" {
		t.Errorf("committed object type %q (%v), want the sniffed type kept", info.ContentType, err)
	}
	if err := b.Commit(ctx, blob.Key); err != nil {
		t.Errorf("second Commit: %v", err)
	}
	unknown := strings.Repeat("ab", 16)
	for _, key := range []string{unknown, "../../etc/passwd", "tenant/committed/" + blob.Key, ""} {
		if code := intake.ErrorCodeOf(b.Commit(ctx, key)); code != intake.ENotFound {
			t.Errorf("Commit(%q): code %q, want %s", key, code, intake.ENotFound)
		}
		if _, err := b.Open(ctx, key); intake.ErrorCodeOf(err) != intake.ENotFound {
			t.Errorf("Open(%q): %v, want %s", key, err, intake.ENotFound)
		}
		if err := b.Discard(ctx, key); err != nil {
			t.Errorf("Discard(%q): %v, want unknown keys ignored", key, err)
		}
	}
	equalNames(t, "objects after bad keys", []string{"tenant/committed/" + blob.Key}, srv.objects(t))

	staged, err := b.Stage(ctx, strings.NewReader("staged only"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{blob.Key, staged.Key} {
		if err := b.Discard(ctx, key); err != nil {
			t.Fatalf("Discard: %v", err)
		}
		if _, err := b.Open(ctx, key); intake.ErrorCodeOf(err) != intake.ENotFound {
			t.Errorf("Open after Discard: %v, want %s", err, intake.ENotFound)
		}
	}
	equalNames(t, "objects after Discard", nil, srv.objects(t))
}

func TestRecover(t *testing.T) {
	srv := newServer(t)
	ctx := t.Context()
	later := time.Now().Add(time.Hour)
	early := srv.open(t)
	stage := func(s string) string {
		blob, err := early.Stage(ctx, strings.NewReader(s), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		return blob.Key
	}
	used, unused, committed := stage("used"), stage("unused"), stage("committed")
	if err := early.Commit(ctx, committed); err != nil {
		t.Fatal(err)
	}
	// Another tenant's prefix and stray names are not Recover's to touch.
	for _, name := range []string{"other/staging/" + strings.Repeat("0", 32), "tenant/staging/not-a-key"} {
		if _, err := srv.client.PutObject(ctx, bucketName, name, strings.NewReader("x"), 1, minio.PutObjectOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	referenced := func(_ context.Context, keys []string) (map[string]bool, error) {
		return map[string]bool{used: slices.Contains(keys, used)}, nil
	}

	// Run now, every staged blob is too young: another process may be
	// about to commit its row.
	if err := srv.open(t).Recover(ctx, referenced); err != nil {
		t.Fatalf("Recover: %v", err)
	}
	equalNames(t, "objects after an early Recover", sorted("other/staging/"+strings.Repeat("0", 32),
		"tenant/committed/"+committed, "tenant/staging/"+unused, "tenant/staging/"+used, "tenant/staging/not-a-key"), srv.objects(t))

	b := srv.open(t, func(c *s3blob.Config) { c.Now = func() time.Time { return later } })
	if err := b.Recover(ctx, referenced); err != nil {
		t.Fatalf("Recover: %v", err)
	}
	equalNames(t, "objects after Recover", sorted("other/staging/"+strings.Repeat("0", 32),
		"tenant/committed/"+committed, "tenant/committed/"+used, "tenant/staging/not-a-key"), srv.objects(t))
	if got := readAll(t, b, used); string(got) != "used" {
		t.Errorf("recovered blob reads %q", got)
	}

	failing := func(context.Context, []string) (map[string]bool, error) { return nil, errors.New("store down") }
	stage("pending")
	if err := b.Recover(ctx, failing); err == nil {
		t.Error("Recover with a failing referenced: nil error")
	}
}

func sorted(names ...string) []string {
	slices.Sort(names)
	return names
}

// TestConcurrent stages, commits and reads from several goroutines, as
// several processes sharing the bucket would.
func TestConcurrent(t *testing.T) {
	srv := newServer(t)
	stores := []*s3blob.Bucket{srv.open(t), srv.open(t)}
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			b := stores[i%2]
			data := bytes.Repeat([]byte{byte('a' + i)}, 1000+i)
			blob, err := b.Stage(t.Context(), bytes.NewReader(data), 1<<20)
			if err != nil {
				errs <- err
				return
			}
			if err := stores[(i+1)%2].Commit(t.Context(), blob.Key); err != nil {
				errs <- err
				return
			}
			rc, err := b.Open(t.Context(), blob.Key)
			if err != nil {
				errs <- err
				return
			}
			defer rc.Close()
			got, err := io.ReadAll(rc)
			if err == nil && !bytes.Equal(got, data) {
				err = errors.New("read back other bytes")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := len(srv.objects(t)); got != n {
		t.Errorf("%d objects, want %d committed", got, n)
	}
}

// TestUnavailable checks that a store that stops answering fails requests
// fast with EUnavailable, so the server can answer 503.
func TestUnavailable(t *testing.T) {
	srv := newServer(t)
	b := srv.open(t, func(c *s3blob.Config) { c.MaxRetries = 1 })
	blob, err := b.Stage(t.Context(), bytes.NewReader(pdf), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	srv.http.Close()
	calls := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"Stage", func(ctx context.Context) error { _, err := b.Stage(ctx, bytes.NewReader(pdf), 1<<20); return err }},
		{"Commit", func(ctx context.Context) error { return b.Commit(ctx, blob.Key) }},
		{"Open", func(ctx context.Context) error { _, err := b.Open(ctx, blob.Key); return err }},
		{"Discard", func(ctx context.Context) error { return b.Discard(ctx, blob.Key) }},
	}
	for _, c := range calls {
		start := time.Now()
		err := c.call(t.Context())
		if code := intake.ErrorCodeOf(err); code != intake.EUnavailable {
			t.Errorf("%s while down: %v (code %q), want %s", c.name, err, code, intake.EUnavailable)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("%s while down took %v", c.name, took)
		}
	}
	if _, err := s3blob.Open(t.Context(), srv.config()); intake.ErrorCodeOf(err) != intake.EUnavailable {
		t.Errorf("Open while down: %v, want %s", err, intake.EUnavailable)
	}
}

func TestOpenMissingBucket(t *testing.T) {
	srv := newServer(t)
	cfg := srv.config()
	cfg.Bucket = "nope"
	if _, err := s3blob.Open(t.Context(), cfg); err == nil {
		t.Error("Open of a missing bucket: nil error")
	}
}
