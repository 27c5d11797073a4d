package intake

import (
	"context"
	"html"
	"strings"
	"time"
)

// Comment is a note on an application, written through either dialect:
// WelcomeKit's POST /comments and Flatchr's comments are one list.
type Comment struct {
	ID            int64
	OrgID         int64
	ApplicationID int64
	// Author is who wrote it: the name of the signed-in user or of the
	// API key's owner, else the key's name; AuthorKeyID the key's id (0
	// for the dashboard).
	Author      string
	AuthorKeyID int64
	// Raw is the text as sent; HTML its rendering, safe to show.
	Raw     string
	HTML    string
	Private bool
	// ReplyTo is the id of the comment this one answers, 0 when none.
	ReplyTo int64
	// File is an attached document (Flatchr multipart file), nil when none.
	File      *Document
	Source    Source
	CreatedAt time.Time
	// Outbox carries the new_comment event to the store's transaction.
	Outbox
}

// CommentData is the Data of new_comment events: the comment, the
// application with its job and organization, and who wrote it.
type CommentData struct {
	Candidate *Candidate
	Comment   *Comment
	// Actor is the signed-in user who wrote it, nil for an API key
	// (Comment.AuthorKeyID names the key).
	Actor *EventUser `json:",omitempty"`
}

// MaxCommentFileBytes caps a comment's attached file.
const MaxCommentFileBytes = 10 << 20

// NewComment is the input of AddComment.
type NewComment struct {
	Text    string
	Private bool
	ReplyTo int64
	// File is an attachment the adapter staged with StageUpload.
	File   *FileInput
	Source Source
}

// AddComment renders and stores a comment on an application visible to the
// principal (any candidates scope: spec welcomekit §8). The caller owns
// in.File until this returns; it is stored or discarded.
// Errors: EForbidden, ENotFound (application or reply_to), EInvalid,
// ETooLarge (file).
func (s *Service) AddComment(ctx context.Context, p *Principal, ref CandidateRef, in *NewComment) (*Comment, error) {
	var staged *Blob
	if in.File != nil {
		staged = in.File.Staged
	}
	// An API key comments with any candidates scope (spec welcomekit §8);
	// a signed-in user's role must allow commenting (a viewer only reads).
	err := p.Require(PermComment)
	var cand *Candidate
	if err == nil {
		cand, err = s.activityTarget(ctx, p, ref, false)
	}
	if err != nil {
		s.DiscardUpload(ctx, staged)
		return nil, err
	}
	f := fieldErrors{}
	if strings.TrimSpace(in.Text) == "" && in.File == nil {
		f.add(commentField(in.Source), "can't be blank")
	}
	validText(f, commentField(in.Source), in.Text, MaxLongText)
	if in.ReplyTo < 0 {
		f.add("reply_to", "must be a comment id")
	}
	if err := f.err(); err != nil {
		s.DiscardUpload(ctx, staged)
		return nil, err
	}
	rendered, err := s.renderComment(in.Text)
	if err != nil {
		s.DiscardUpload(ctx, staged)
		return nil, err
	}
	c := &Comment{
		OrgID: p.Org.ID, ApplicationID: cand.ID,
		Raw: in.Text, HTML: rendered, Private: in.Private, ReplyTo: in.ReplyTo,
		Source: in.Source, CreatedAt: s.Now(),
	}
	c.Author, c.AuthorKeyID = author(p)
	if in.File != nil {
		doc, err := s.document(ctx, in.File, DocAttachment, "file")
		if err != nil {
			return nil, err
		}
		if doc.Size > MaxCommentFileBytes {
			s.discardBlob(ctx, doc.BlobKey)
			return nil, &Error{Code: ETooLarge, Message: "file is too large", Fields: map[string]string{"file": "is too large"}}
		}
		c.File = doc
	}
	c.Record(&Event{OrgID: p.Org.ID, Name: EventNewComment, JobID: cand.JobID, StageID: cand.StageID,
		Data: &CommentData{Candidate: cand, Comment: c, Actor: eventUser(p)}, CreatedAt: c.CreatedAt})
	if err := s.store.CreateComment(ctx, c); err != nil {
		if c.File != nil {
			s.discardBlob(ctx, c.File.BlobKey)
		}
		if ErrorCodeOf(err) == ENotFound && c.ReplyTo != 0 {
			return nil, FieldErrors(map[string]string{"reply_to": "is not a comment of this applicant"})
		}
		return nil, notFound(err)
	}
	if c.File != nil {
		if err := s.blobs.Commit(context.WithoutCancel(ctx), c.File.BlobKey); err != nil {
			s.log.Error("commit blob", "key", c.File.BlobKey, "err", err)
		}
	}
	return c, nil
}

func commentField(src Source) string {
	if src == SourceFlatchr {
		return "text"
	}
	return "content"
}

// renderComment turns comment text (plain, Markdown or HTML) into safe
// HTML: raw HTML is escaped, never passed through.
func (s *Service) renderComment(text string) (string, error) {
	if s.activity.Markdown != nil {
		out, err := s.activity.Markdown(text)
		if err != nil {
			return "", WrapError(EInternal, err, "render comment")
		}
		return out, nil
	}
	var b strings.Builder
	for para := range strings.SplitSeq(strings.TrimSpace(text), "\n\n") {
		b.WriteString("<p>" + html.EscapeString(para) + "</p>\n")
	}
	return b.String(), nil
}

// RenderComment renders comment text as AddComment does (raw HTML escaped),
// for pages that show comments without trusting stored markup.
// Errors: EInternal.
func (s *Service) RenderComment(text string) (string, error) { return s.renderComment(text) }

// Comments lists the comments of an application visible to the principal,
// oldest first. Errors: EForbidden, ENotFound.
func (s *Service) Comments(ctx context.Context, p *Principal, ref CandidateRef) ([]*Comment, error) {
	cand, err := s.activityTarget(ctx, p, ref, false)
	if err != nil {
		return nil, err
	}
	return s.store.Comments(ctx, p.Org.ID, cand.ID)
}

// DeleteComment removes a comment of an application visible to the
// principal; only a key with a candidates write scope may. Its file goes
// with it. Errors: EForbidden, ENotFound.
func (s *Service) DeleteComment(ctx context.Context, p *Principal, ref CandidateRef, commentID int64) error {
	if err := p.Require(PermComment); err != nil {
		return err
	}
	cand, err := s.activityTarget(ctx, p, ref, true)
	if err != nil {
		return err
	}
	c, err := s.store.DeleteComment(ctx, p.Org.ID, cand.ID, commentID)
	if err != nil {
		if ErrorCodeOf(err) == ENotFound {
			return Errorf(ENotFound, "Comment not found")
		}
		return err
	}
	if c.File != nil {
		s.discardBlob(ctx, c.File.BlobKey)
	}
	return nil
}
