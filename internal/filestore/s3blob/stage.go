package s3blob

import (
	"bytes"
	"context"
	"io"

	"github.com/minio/minio-go/v7"

	"intake"
	"intake/internal/filestore/blob"
)

// partSize is the S3 minimum multipart part size. A blob that fits in one
// part, nearly every resume, goes up in a single PUT; a larger one streams
// in parts of this size, so memory per upload stays bounded whatever max is.
const partSize = 5 << 20

// Stage streams r to <prefix>staging/<key>, hashing and sniffing it on the
// way. Past max bytes, or on any failure, nothing is left behind.
// Errors: ETooLarge past max; the reader's own *intake.Error as is (a
// fetcher's ETooLarge or EInvalid); EInvalid for other read failures;
// EUnavailable when the store does not answer.
func (b *Bucket) Stage(ctx context.Context, r io.Reader, max int64) (*intake.Blob, error) {
	key, err := blob.NewKey()
	if err != nil {
		return nil, err
	}
	meter := blob.NewMeter(ctx, r, max)
	defer meter.Release()

	// The first part is read before uploading: it tells a single PUT from
	// a multipart upload, and holds the whole sniffing prefix, so the
	// object gets its content type.
	var first bytes.Buffer
	if _, err := first.ReadFrom(io.LimitReader(meter, partSize)); err != nil {
		return nil, meter.Err("s3blob: stage", err)
	}
	contentType := meter.ContentType()
	upload, size := io.Reader(&first), int64(first.Len())
	if first.Len() == partSize {
		upload, size = io.MultiReader(&first, meter), -1
	}
	name := b.staged(key)
	_, err = b.client.PutObject(ctx, b.bucket, name, upload, size,
		minio.PutObjectOptions{ContentType: contentType, PartSize: partSize})
	if err != nil {
		// minio aborts a failed multipart upload; the removal covers a
		// single PUT that reached the store before the error surfaced.
		_ = b.client.RemoveObject(context.WithoutCancel(ctx), b.bucket, name, minio.RemoveObjectOptions{})
		if e := meter.Err("s3blob: stage", err); intake.ErrorCodeOf(e) != intake.EInternal {
			return nil, e
		}
		return nil, storageError("stage", err)
	}
	return meter.Blob(key), nil
}
