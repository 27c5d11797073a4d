package flatchr

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"intake"
	"intake/internal/httpapi/download"
)

// commentJSON is a comment (spec flatchr §8).
type commentJSON struct {
	ID        int64       `json:"id"`
	Text      string      `json:"text"`
	Private   bool        `json:"private"`
	Favorite  bool        `json:"favorite"`
	CreatedBy int64       `json:"created_by"`
	CreatedAt string      `json:"created_at"`
	ReplyTo   *int64      `json:"reply_to"`
	Author    *authorJSON `json:"author,omitempty"`
	// Attachments and Ratings are in the create answer only.
	Attachments *[]attachmentJSON `json:"attachments,omitempty"`
	Ratings     *[]struct{}       `json:"ratings,omitempty"`
}

// attachmentJSON is a comment's file (spec flatchr §3 attachment).
type attachmentJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Key       string `json:"key"`
	URL       string `json:"url"`
	CreatedAt string `json:"created_at"`
}

func (h *handler) comment(r *http.Request, c *intake.Comment, withAuthor, full bool) commentJSON {
	out := commentJSON{ID: c.ID, Text: c.HTML, Private: c.Private, CreatedBy: c.AuthorKeyID, CreatedAt: timestamp(c.CreatedAt)}
	if c.ReplyTo != 0 {
		out.ReplyTo = &c.ReplyTo
	}
	if withAuthor {
		out.Author = author(c.Author, c.AuthorKeyID)
	}
	if full {
		atts := []attachmentJSON{}
		if c.File != nil {
			a := attachmentJSON{ID: c.ID, Name: c.File.FileName, Key: c.File.FileName, CreatedAt: timestamp(c.CreatedAt)}
			if h.files != nil {
				a.URL = download.BaseURL(r, h.public) + h.files.Path(c.File)
			}
			atts = append(atts, a)
		}
		out.Attachments, out.Ratings = &atts, &[]struct{}{}
	}
	return out
}

// listComments handles GET /company/{companyID}/applicant/{applicantID}/comments.
func (h *handler) listComments(w http.ResponseWriter, r *http.Request) {
	p, err := h.company(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	list, err := h.svc.Comments(r.Context(), p, applicantRef(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	withAuthor := fieldsParam(r)["author"]
	out := make([]commentJSON, len(list))
	for i, c := range list {
		out[i] = h.comment(r, c, withAuthor, false)
	}
	h.writeJSON(w, r, http.StatusOK, out)
}

// createComment handles POST …/applicant/{applicantID}/comment: JSON, form
// or multipart with a file part (spec flatchr §8).
func (h *handler) createComment(w http.ResponseWriter, r *http.Request) {
	p, err := h.company(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	nc, err := h.readComment(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.AddComment(r.Context(), p, applicantRef(r), nc)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, h.comment(r, c, true, true))
}

// readComment decodes a comment body. A multipart file is staged while
// reading; on error it is discarded here, on success AddComment owns it.
// Errors: EInvalid, ETooLarge, EUnsupported.
func (h *handler) readComment(w http.ResponseWriter, r *http.Request) (*intake.NewComment, error) {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var (
		v    formValues
		file *intake.FileInput
		err  error
	)
	if mt == "multipart/form-data" {
		v, file, err = h.readCommentMultipart(w, r, params["boundary"])
	} else {
		v, err = readValues(w, r)
	}
	if err != nil {
		return nil, err
	}
	bad := map[string]string{}
	nc := &intake.NewComment{Text: v["text"], Source: intake.SourceFlatchr, File: file}
	nc.Private = v.flag(bad, "private", false)
	nc.ReplyTo = v.id(bad, "reply_to")
	if len(bad) > 0 {
		if file != nil {
			h.svc.DiscardUpload(r.Context(), file.Staged)
		}
		return nil, intake.FieldErrors(bad)
	}
	return nc, nil
}

func (h *handler) readCommentMultipart(w http.ResponseWriter, r *http.Request, boundary string) (formValues, *intake.FileInput, error) {
	if boundary == "" {
		return nil, nil, intake.Errorf(intake.EInvalid, "multipart body without a boundary")
	}
	body := http.MaxBytesReader(w, r.Body, intake.MaxCommentFileBytes+maxManagementBody)
	mr := multipart.NewReader(body, boundary)
	v := formValues{}
	var file *intake.FileInput
	fail := func(err error) (formValues, *intake.FileInput, error) {
		if file != nil {
			h.svc.DiscardUpload(r.Context(), file.Staged)
		}
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, nil, intake.Errorf(intake.ETooLarge, "file is larger than %d bytes", intake.MaxCommentFileBytes)
		}
		if intake.ErrorCodeOf(err) != intake.EInternal {
			return nil, nil, err
		}
		return nil, nil, intake.WrapError(intake.EInvalid, err, "malformed multipart body")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(err)
		}
		name := part.FormName()
		if name == "file" && part.FileName() != "" {
			if file != nil {
				part.Close()
				return fail(intake.FieldErrors(map[string]string{"file": "only one file per comment"}))
			}
			blob, err := h.svc.StageUpload(r.Context(), part, intake.DocAttachment)
			part.Close()
			if err != nil {
				if intake.ErrorCodeOf(err) == intake.ETooLarge {
					err = intake.Errorf(intake.ETooLarge, "file is larger than %d bytes", intake.MaxCommentFileBytes)
				}
				return fail(err)
			}
			file = &intake.FileInput{Staged: blob, FileName: part.FileName()}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, intake.MaxLongText+1))
		part.Close()
		if err != nil {
			return fail(err)
		}
		if len(b) > intake.MaxLongText {
			return fail(intake.FieldErrors(map[string]string{name: "is too long"}))
		}
		v[name] = strings.TrimRight(string(b), "\r\n")
	}
	return v, file, nil
}

// deleteComment handles DELETE …/applicant/{applicantID}/comment/{commentID}.
func (h *handler) deleteComment(w http.ResponseWriter, r *http.Request) {
	p, err := h.company(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("commentID"), 10, 64)
	if err != nil || id < 1 {
		h.writeError(w, r, intake.Errorf(intake.ENotFound, "Comment not found"))
		return
	}
	if err := h.svc.DeleteComment(r.Context(), p, applicantRef(r), id); err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, struct {
		StatusCode int    `json:"statusCode"`
		Message    string `json:"message"`
	}{http.StatusOK, "Comment deleted"})
}
