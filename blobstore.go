package intake

import (
	"context"
	"io"
)

// Blob describes bytes written to a BlobStore's staging area.
type Blob struct {
	Key         string // unguessable, random; safe as a file name
	Size        int64
	SHA256      string // hex
	ContentType string // sniffed from the content; "application/octet-stream" if unknown
}

// BlobStore keeps document bytes. Writes are two-phase so that a crash never
// leaves a file without its row nor a row without its file: Stage makes the
// bytes durable in a staging area, the row commits, then Commit publishes
// them. Recover, run at start, publishes staged blobs whose rows committed
// and deletes the others. A create may answer once its row commits: its
// blobs are durable from Stage on, readable staged, and published by
// Recover if Commit failed or a crash undid it.
type BlobStore interface {
	// Stage streams r to durable staging storage: once it returns, the blob
	// survives a crash or power loss under its key. Past max bytes it stops
	// and fails with ETooLarge, leaving nothing behind.
	Stage(ctx context.Context, r io.Reader, max int64) (*Blob, error)
	// Commit publishes a staged blob. It need not be durable when it
	// returns: after a crash the blob may be staged again, for Recover.
	// Committing twice is not an error.
	// Errors: ENotFound when the key is neither staged nor committed.
	Commit(ctx context.Context, key string) error
	// Discard deletes a staged or committed blob. Unknown keys are ignored.
	Discard(ctx context.Context, key string) error
	// Open reads a blob, staged or committed. Errors: ENotFound.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Recover commits the staged blobs that referenced reports as in use and
	// discards the rest. It must run before the store serves: a blob staged
	// for a request in flight is not referenced yet.
	Recover(ctx context.Context, referenced func(ctx context.Context, keys []string) (map[string]bool, error)) error
	// Sweep discards committed blobs that referenced reports as unused:
	// the old files of updates that a crash interrupted between the row's
	// commit and the file's deletion. Safe while serving, since a blob is
	// committed only after its row.
	Sweep(ctx context.Context, referenced func(ctx context.Context, keys []string) (map[string]bool, error)) (int, error)
}

// OpenBlob reads a stored document's bytes. Authorization is the caller's:
// the download handler checks a signed URL. Errors: ENotFound.
func (s *Service) OpenBlob(ctx context.Context, key string) (io.ReadCloser, error) {
	if s.blobs == nil {
		return nil, Errorf(ENotFound, "file not found")
	}
	return s.blobs.Open(ctx, key)
}

// RecoverBlobs settles blobs left staged by a crash: those whose row
// committed are published, the others deleted. Run it before serving.
func (s *Service) RecoverBlobs(ctx context.Context) error {
	if s.blobs == nil {
		return nil
	}
	return s.blobs.Recover(ctx, s.store.ReferencedBlobs)
}

// SweepBlobs deletes published blobs no row points at (replaced files whose
// deletion a crash interrupted) and returns how many. It reads every blob
// name, so the binary runs it in the background after start.
func (s *Service) SweepBlobs(ctx context.Context) (int, error) {
	if s.blobs == nil {
		return 0, nil
	}
	return s.blobs.Sweep(ctx, s.store.ReferencedBlobs)
}
