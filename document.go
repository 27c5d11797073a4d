package intake

import (
	"context"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// DocumentKind says what a stored file is for.
type DocumentKind string

// Document kinds.
const (
	DocResume    DocumentKind = "resume"
	DocPortfolio DocumentKind = "portfolio"
	DocAvatar    DocumentKind = "avatar"
)

// Document is a file attached to an application, stored in the BlobStore.
type Document struct {
	Kind        DocumentKind
	BlobKey     string
	FileName    string
	ContentType string // sniffed from the bytes, never taken from the client
	Size        int64
	SHA256      string // hex
	SourceURL   string // where it was fetched from, if it was
	CreatedAt   time.Time
}

// FileInput is a document sent with a create or update: either a remote URL
// the service downloads, or bytes the adapter already staged in the
// BlobStore while decoding the request.
type FileInput struct {
	URL      string
	Staged   *Blob
	FileName string
}

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
