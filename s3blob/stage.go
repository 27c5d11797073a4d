package s3blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/minio/minio-go/v7"

	"intake"
)

// partSize is the S3 minimum multipart part size. A blob that fits in one
// part, nearly every resume, goes up in a single PUT; a larger one streams
// in parts of this size, so memory per upload stays bounded whatever max is.
const partSize = 5 << 20

var errTooLarge = errors.New("blob over its size cap")

// Stage streams r to <prefix>staging/<key>, hashing and sniffing it on the
// way. Past max bytes, or on any failure, nothing is left behind.
// Errors: ETooLarge past max; the reader's own *intake.Error as is (a
// fetcher's ETooLarge or EInvalid); EInvalid for other read failures;
// EUnavailable when the store does not answer.
func (b *Bucket) Stage(ctx context.Context, r io.Reader, max int64) (*intake.Blob, error) {
	key, err := newKey()
	if err != nil {
		return nil, err
	}
	src := &sourceReader{ctx: ctx, r: r}
	capped := &capReader{r: src, max: max}
	h := sha256.New()
	pre := &prefixWriter{max: sniffLen}
	body := io.TeeReader(capped, io.MultiWriter(h, pre))

	// The first part is read before uploading: it tells a single PUT from
	// a multipart upload, and holds the whole sniffing prefix, so the
	// object gets its content type.
	var first bytes.Buffer
	if _, err := first.ReadFrom(io.LimitReader(body, partSize)); err != nil {
		return nil, stageError(src, capped, err)
	}
	contentType := sniff(pre.buf)
	upload, size := io.Reader(&first), int64(first.Len())
	if first.Len() == partSize {
		upload, size = io.MultiReader(&first, body), -1
	}
	name := b.staged(key)
	_, err = b.client.PutObject(ctx, b.bucket, name, upload, size,
		minio.PutObjectOptions{ContentType: contentType, PartSize: partSize})
	if err != nil {
		// minio aborts a failed multipart upload; the removal covers a
		// single PUT that reached the store before the error surfaced.
		_ = b.client.RemoveObject(context.WithoutCancel(ctx), b.bucket, name, minio.RemoveObjectOptions{})
		return nil, stageError(src, capped, err)
	}
	return &intake.Blob{
		Key:         key,
		Size:        capped.n,
		SHA256:      hex.EncodeToString(h.Sum(nil)),
		ContentType: contentType,
	}, nil
}

// stageError tells the failures of the client's reader, the size cap and
// the store apart.
func stageError(src *sourceReader, capped *capReader, err error) error {
	switch {
	case capped.over:
		return intake.Errorf(intake.ETooLarge, "is too large")
	case src.err != nil:
		if _, ok := errors.AsType[*intake.Error](src.err); ok {
			return fmt.Errorf("s3blob: stage: %w", src.err)
		}
		if errors.Is(src.err, context.Canceled) || errors.Is(src.err, context.DeadlineExceeded) {
			return fmt.Errorf("s3blob: stage: %w", src.err)
		}
		return intake.WrapError(intake.EInvalid, src.err, "could not be read")
	}
	return storageError("stage", err)
}

// sourceReader stops a copy when ctx ends and remembers a read failure, so
// it is told apart from a failure of the store.
type sourceReader struct {
	ctx context.Context
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	if err := s.ctx.Err(); err != nil {
		s.err = err
		return 0, err
	}
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// capReader fails once more than max bytes came through, having read at
// most one byte past max.
type capReader struct {
	r    io.Reader
	max  int64
	n    int64
	over bool
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.over {
		return 0, errTooLarge
	}
	if room := c.max + 1 - c.n; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		c.over = true
		return n, errTooLarge
	}
	return n, err
}

// prefixWriter keeps the first max bytes written to it.
type prefixWriter struct {
	buf []byte
	max int
}

func (w *prefixWriter) Write(p []byte) (int, error) {
	if room := w.max - len(w.buf); room > 0 {
		w.buf = append(w.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
