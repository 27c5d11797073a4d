// Package s3blob keeps document bytes in an S3-compatible object store,
// implementing intake.BlobStore, so that several intake processes can share
// files.
//
// Objects are written once and never modified: Stage uploads
// <prefix>staging/<key>, Commit copies it to <prefix>committed/<key> on the
// server and deletes the staged copy. A successful PUT is durable by the
// store's own guarantee, which is what a 2xx needs.
package s3blob

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"intake"
	"intake/internal/filestore/blob"
)

var _ intake.BlobStore = (*Bucket)(nil)

// Bucket is an intake.BlobStore in one bucket of an S3-compatible store. It
// is safe for concurrent use, also by several processes.
type Bucket struct {
	client     *minio.Client
	bucket     string
	prefix     string
	recoverAge time.Duration
	now        func() time.Time
}

// Open connects to the bucket cfg names and checks that it exists.
// Errors: EUnavailable when the store does not answer; others for a bad
// configuration, bad credentials or a missing bucket.
func Open(ctx context.Context, cfg Config) (*Bucket, error) {
	if cfg.Bucket == "" {
		return nil, fmt.Errorf("s3blob: no bucket")
	}
	host, secure, err := endpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	creds := credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, cfg.SessionToken)
	if cfg.AccessKey == "" {
		creds = credentials.NewChainCredentials([]credentials.Provider{
			&credentials.EnvAWS{}, &credentials.EnvMinio{}, &credentials.FileAWSCredentials{}, &credentials.IAM{},
		})
	}
	transport := cfg.Transport
	if transport == nil {
		tr, err := minio.DefaultTransport(secure)
		if err != nil {
			return nil, fmt.Errorf("s3blob: transport: %w", err)
		}
		// An unreachable store must fail a request in seconds, so the
		// server can answer 503 instead of holding the client.
		tr.DialContext = (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext
		tr.ResponseHeaderTimeout = 30 * time.Second
		transport = tr
	}
	lookup := minio.BucketLookupAuto
	if cfg.UsePathStyle {
		lookup = minio.BucketLookupPath
	}
	retries := cfg.MaxRetries
	if retries == 0 {
		retries = 3
	}
	client, err := minio.New(host, &minio.Options{
		Creds: creds, Secure: secure, Transport: transport, Region: cfg.Region,
		BucketLookup: lookup, MaxRetries: retries,
	})
	if err != nil {
		return nil, fmt.Errorf("s3blob: client: %w", err)
	}
	ok, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, storageError("open bucket", err)
	}
	if !ok {
		return nil, fmt.Errorf("s3blob: bucket %q does not exist", cfg.Bucket)
	}
	b := &Bucket{client: client, bucket: cfg.Bucket, prefix: cfg.Prefix, recoverAge: cfg.RecoverAge, now: cfg.Now}
	if b.recoverAge == 0 {
		b.recoverAge = DefaultRecoverAge
	}
	if b.now == nil {
		b.now = time.Now
	}
	return b, nil
}

// endpoint splits an Endpoint setting into the host minio wants and
// whether to use TLS.
func endpoint(s string) (host string, secure bool, err error) {
	switch {
	case s == "":
		return "s3.amazonaws.com", true, nil
	case !strings.Contains(s, "://"):
		return s, true, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return "", false, fmt.Errorf("s3blob: endpoint %q: want host[:port] or http(s)://host[:port]", s)
	}
	return u.Host, u.Scheme == "https", nil
}

func (b *Bucket) staged(key string) string    { return b.prefix + "staging/" + key }
func (b *Bucket) committed(key string) string { return b.prefix + "committed/" + key }

// Commit publishes a staged blob by a server-side copy, then deletes the
// staged object. Committing a committed blob is a no-op. Errors: ENotFound
// if the key is neither staged nor committed; EUnavailable.
func (b *Bucket) Commit(ctx context.Context, key string) error {
	if !blob.ValidKey(key) {
		return intake.Errorf(intake.ENotFound, "file not found")
	}
	_, err := b.client.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: b.bucket, Object: b.committed(key)},
		minio.CopySrcOptions{Bucket: b.bucket, Object: b.staged(key)})
	if err != nil {
		if !notFound(err) {
			return storageError("commit", err)
		}
		if _, serr := b.client.StatObject(ctx, b.bucket, b.committed(key), minio.StatObjectOptions{}); serr != nil {
			if notFound(serr) {
				return intake.WrapError(intake.ENotFound, err, "file not found")
			}
			return storageError("commit", serr)
		}
		return nil
	}
	// Left behind if this fails, the staged copy is harmless: Open prefers
	// the committed one and Recover commits it again.
	if err := b.client.RemoveObject(ctx, b.bucket, b.staged(key), minio.RemoveObjectOptions{}); err != nil {
		return storageError("commit: remove staged", err)
	}
	return nil
}

// Discard deletes a blob, staged or committed. Unknown keys are ignored.
func (b *Bucket) Discard(ctx context.Context, key string) error {
	if !blob.ValidKey(key) {
		return nil
	}
	for _, name := range []string{b.staged(key), b.committed(key)} {
		if err := b.client.RemoveObject(ctx, b.bucket, name, minio.RemoveObjectOptions{}); err != nil && !notFound(err) {
			return storageError("discard", err)
		}
	}
	return nil
}

// Open reads a committed or staged blob. Errors: ENotFound; EUnavailable.
func (b *Bucket) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if !blob.ValidKey(key) {
		return nil, intake.Errorf(intake.ENotFound, "file not found")
	}
	// Committed first, where nearly every read finds it; committed again
	// last, in case a concurrent Commit moved it after the first look.
	for _, name := range []string{b.committed(key), b.staged(key), b.committed(key)} {
		obj, err := b.client.GetObject(ctx, b.bucket, name, minio.GetObjectOptions{})
		if err == nil {
			// GetObject is lazy: Stat sends the request and tells a
			// missing object from a present one.
			_, err = obj.Stat()
			if err == nil {
				return obj, nil
			}
			obj.Close()
		}
		if !notFound(err) {
			return nil, storageError("open", err)
		}
	}
	return nil, intake.Errorf(intake.ENotFound, "file not found")
}
