package intake

import (
	"context"
	"fmt"
)

// DocAttachment is a file attached to an application after it applied
// (WelcomeKit POST /documents, Flatchr comment files).
const DocAttachment DocumentKind = "document"

// attachmentTypes are the sniffed types accepted for attachments: what a
// resume may be, plus the image types of avatars.
var attachmentTypes = map[string]bool{
	"application/pdf":    true,
	"application/msword": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
	"application/vnd.oasis.opendocument.text":                                 true,
	"text/rtf":   true,
	"text/plain": true,
	"image/jpeg": true,
	"image/png":  true,
	"image/gif":  true,
	"image/webp": true,
}

// MaxAttachmentsPerRequest caps the files of one POST /documents: each is
// downloaded synchronously.
const MaxAttachmentsPerRequest = 10

// Attachment is a document attached to an application (WelcomeKit
// document object).
type Attachment struct {
	ID            int64
	OrgID         int64
	ApplicationID int64
	Document
}

// Attach downloads each remote file through the guarded fetcher, checks its
// sniffed type and size, and stores them all on the application in one
// transaction: one failing file stores none. The blobs are durable before
// the rows commit. Errors: EForbidden, ENotFound, EInvalid naming the
// field (remote_file_urls[i]) of the first bad file.
func (s *Service) Attach(ctx context.Context, p *Principal, ref CandidateRef, files []FileInput) (*Candidate, []*Attachment, error) {
	if err := p.Require(PermMove); err != nil {
		return nil, nil, err
	}
	switch {
	case len(files) == 0:
		return nil, nil, FieldErrors(map[string]string{"remote_file_urls": "can't be blank"})
	case len(files) > MaxAttachmentsPerRequest:
		return nil, nil, FieldErrors(map[string]string{"remote_file_urls": fmt.Sprintf("has too many files (maximum is %d)", MaxAttachmentsPerRequest)})
	}
	f := fieldErrors{}
	for i, in := range files {
		if in.Staged == nil {
			validURL(f, fmt.Sprintf("remote_file_urls[%d].url", i), in.URL)
		}
	}
	if err := f.err(); err != nil {
		return nil, nil, err
	}
	cand, err := s.activityTarget(ctx, p, ref, true)
	if err != nil {
		return nil, nil, err
	}
	docs, err := s.stageAttachments(ctx, p.Org.ID, cand.ID, files)
	if err != nil {
		return nil, nil, err
	}
	if err := s.store.CreateAttachments(ctx, p.Org.ID, docs); err != nil {
		s.discardAttachments(ctx, docs)
		return nil, nil, notFound(err)
	}
	for _, d := range docs {
		if err := s.blobs.Commit(context.WithoutCancel(ctx), d.BlobKey); err != nil {
			s.log.Error("commit blob", "key", d.BlobKey, "err", err)
		}
	}
	return cand, docs, nil
}

func (s *Service) stageAttachments(ctx context.Context, orgID, appID int64, files []FileInput) ([]*Attachment, error) {
	var docs []*Attachment
	for i := range files {
		d, err := s.document(ctx, &files[i], DocAttachment, fmt.Sprintf("remote_file_urls[%d]", i))
		if err != nil {
			s.discardAttachments(ctx, docs)
			return nil, err
		}
		docs = append(docs, &Attachment{OrgID: orgID, ApplicationID: appID, Document: *d})
	}
	return docs, nil
}

func (s *Service) discardAttachments(ctx context.Context, docs []*Attachment) {
	for _, d := range docs {
		s.discardBlob(ctx, d.BlobKey)
	}
}

// Attachments lists the documents attached to an application visible to
// the principal. Errors: EForbidden, ENotFound.
func (s *Service) Attachments(ctx context.Context, p *Principal, ref CandidateRef, pg Page) (*Candidate, []*Attachment, int, error) {
	cand, err := s.activityTarget(ctx, p, ref, false)
	if err != nil {
		return nil, nil, 0, err
	}
	pg = pg.clamp()
	docs, total, err := s.store.Attachments(ctx, p.Org.ID, cand.ID, pg.Offset, pg.Limit)
	if err != nil {
		return nil, nil, 0, err
	}
	return cand, docs, total, nil
}
