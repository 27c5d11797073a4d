package intake

import (
	"context"
	"io"
	"time"
)

// StageUpload streams an uploaded file into the blob store's staging area so
// the adapter can pass it as FileInput.Staged. The caller must pass the
// result to a create or update, which owns it from then on.
func (s *Service) StageUpload(ctx context.Context, r io.Reader, kind DocumentKind) (*Blob, error) {
	if s.blobs == nil {
		return nil, Errorf(EUnsupported, "file uploads are disabled")
	}
	release, err := s.acquireUpload(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return s.blobs.Stage(ctx, r, maxBytes(kind))
}

// uploadWait is how long a file waits for a free upload slot before the
// request is turned away: long enough to absorb a burst, short enough that
// clients are not left hanging.
const uploadWait = 5 * time.Second

// acquireUpload takes one of the concurrent upload slots.
// Errors: EUnavailable (with RetryAfter) when none frees up in time.
func (s *Service) acquireUpload(ctx context.Context) (func(), error) {
	timer := time.NewTimer(uploadWait)
	defer timer.Stop()
	select {
	case s.uploads <- struct{}{}:
		return func() { <-s.uploads }, nil
	case <-timer.C:
		return nil, &Error{Code: EUnavailable, Message: "too many uploads in progress; retry shortly", RetryAfter: time.Second}
	case <-ctx.Done():
		return nil, WrapError(EUnavailable, ctx.Err(), "request cancelled")
	}
}

// DiscardUpload deletes a staged upload that was never handed to a create.
func (s *Service) DiscardUpload(ctx context.Context, b *Blob) {
	if b != nil {
		s.discardBlob(ctx, b.Key)
	}
}
