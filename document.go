package intake

import (
	"context"
	"io"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// attachFiles downloads or takes the staged bytes of each given file, checks
// its sniffed type and size, and sets the documents on app. On failure every
// blob staged so far is discarded.
func (s *Service) attachFiles(ctx context.Context, app *Application, resume, portfolio, avatar *FileInput) error {
	specs := []struct {
		in    *FileInput
		kind  DocumentKind
		field string
		dst   **Document
	}{
		{resume, DocResume, "resume", &app.Resume},
		{portfolio, DocPortfolio, "remote_portfolio_url", &app.Portfolio},
		{avatar, DocAvatar, "remote_image_url", &app.Avatar},
	}
	for _, sp := range specs {
		if sp.in == nil {
			continue
		}
		field := sp.field
		if sp.kind == DocResume && sp.in.Staged == nil {
			field = "remote_resume_url"
		}
		doc, err := s.document(ctx, sp.in, sp.kind, field)
		if err != nil {
			s.discardDocuments(ctx, app)
			return err
		}
		*sp.dst = doc
	}
	return nil
}

func (s *Service) document(ctx context.Context, in *FileInput, kind DocumentKind, field string) (*Document, error) {
	blob := in.Staged
	if blob == nil {
		if s.fetcher == nil || s.blobs == nil {
			return nil, FieldErrors(map[string]string{field: "cannot be downloaded: remote files are disabled"})
		}
		max := maxBytes(kind)
		if kind == DocResume {
			max = MaxRemoteResumeBytes
		}
		release, err := s.acquireUpload(ctx)
		if err != nil {
			return nil, err
		}
		body, err := s.fetcher.Fetch(ctx, in.URL, max)
		if err != nil {
			release()
			return nil, fileError(field, err)
		}
		blob, err = s.blobs.Stage(ctx, body, max)
		body.Close()
		release()
		if err != nil {
			return nil, fileError(field, err)
		}
	} else if blob.Size > maxBytes(kind) {
		s.discardBlob(ctx, blob.Key)
		return nil, &Error{Code: ETooLarge, Message: field + " is too large", Fields: map[string]string{field: "is too large"}}
	}
	if blob.Size == 0 {
		s.discardBlob(ctx, blob.Key)
		return nil, FieldErrors(map[string]string{field: "is empty"})
	}
	if !AllowedType(kind, blob.ContentType) {
		s.discardBlob(ctx, blob.Key)
		return nil, FieldErrors(map[string]string{field: "has a file type that is not allowed (" + blob.ContentType + ")"})
	}
	return &Document{
		Kind:        kind,
		BlobKey:     blob.Key,
		FileName:    fileName(in, kind),
		ContentType: blob.ContentType,
		Size:        blob.Size,
		SHA256:      blob.SHA256,
		SourceURL:   in.URL,
		CreatedAt:   s.Now(),
	}, nil
}

func maxBytes(kind DocumentKind) int64 {
	switch kind {
	case DocPortfolio:
		return MaxPortfolioBytes
	case DocAvatar:
		return MaxAvatarBytes
	}
	return MaxResumeBytes
}

// fileError turns a fetch or staging failure into a validation error on the
// field, keeping ETooLarge so dialects can answer 413 where they do.
func fileError(field string, err error) error {
	code := ErrorCodeOf(err)
	switch code {
	case EInvalid, ETooLarge:
		return &Error{Code: code, Message: field + " " + ErrorMessage(err), Fields: map[string]string{field: ErrorMessage(err)}, cause: err}
	}
	return err
}

// fileName keeps a client's file name only as a bounded, path-free label.
func fileName(in *FileInput, kind DocumentKind) string {
	name := in.FileName
	if name == "" && in.URL != "" {
		name = path.Base(strings.SplitN(strings.SplitN(in.URL, "?", 2)[0], "#", 2)[0])
	}
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" || !utf8.ValidString(name) {
		name = ""
	}
	if r := []rune(name); len(r) > MaxShortText {
		name = string(r[:MaxShortText])
	}
	if name == "" {
		name = string(kind)
	}
	return name
}

func (s *Service) discardBlob(ctx context.Context, key string) {
	if err := s.blobs.Discard(context.WithoutCancel(ctx), key); err != nil {
		s.log.Warn("discard blob", "key", key, "err", err)
	}
}

func (s *Service) discardDocuments(ctx context.Context, app *Application) {
	for _, d := range []*Document{app.Resume, app.Portfolio, app.Avatar} {
		if d != nil {
			s.discardBlob(ctx, d.BlobKey)
		}
	}
}

// commitDocuments publishes staged blobs after their rows committed. A
// failure here is not fatal, and the move need not be durable before the
// answer: the staged bytes and the row already are, Open reads staged blobs
// too, and Recover publishes them at the next start.
func (s *Service) commitDocuments(ctx context.Context, app *Application) {
	for _, d := range []*Document{app.Resume, app.Portfolio, app.Avatar} {
		if d == nil {
			continue
		}
		if err := s.blobs.Commit(context.WithoutCancel(ctx), d.BlobKey); err != nil {
			s.log.Error("commit blob", "key", d.BlobKey, "err", err)
		}
	}
}

// replacedDocuments lists the documents of before that after no longer
// holds.
func replacedDocuments(before, after *Application) []*Document {
	var out []*Document
	pairs := [][2]*Document{{before.Resume, after.Resume}, {before.Portfolio, after.Portfolio}, {before.Avatar, after.Avatar}}
	for _, p := range pairs {
		if p[0] != nil && (p[1] == nil || p[1].BlobKey != p[0].BlobKey) {
			out = append(out, p[0])
		}
	}
	return out
}

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
