package flatchr

import (
	"bytes"
	"io"
	"strings"

	"intake/internal/httpapi/jsonstream"
)

// This file holds what real Flatchr clients send beyond the documented
// shapes (spec flatchr §12 #22): a document's base64 data as a bare resume
// string with its file name and type beside it, and urls as a list of
// one-key objects. Answers keyed "questions" are read with the answers.

// jsonResumeString reads a resume given as a string: a link, or with type
// document the base64 data itself. When type already said document, the
// string is staged as it streams in. Otherwise a string short enough to be
// a link is kept as one, and resolveBareDocument stages it if type turns
// out to say document; a longer one is no link and is staged at once.
func (d *decoder) jsonResumeString(j *jsonstream.Reader) error {
	r, err := j.StringValue()
	if err != nil {
		return err
	}
	if t := d.in.Type; t != nil && normalizeType(*t) == typeDocument {
		return d.stageBareDocument(r)
	}
	head, err := io.ReadAll(io.LimitReader(r, maxText+1))
	if err != nil {
		return err
	}
	if len(head) > maxText {
		return d.stageBareDocument(io.MultiReader(bytes.NewReader(head), r))
	}
	d.in.release(d.up)
	d.in.Resume = resumeInput{shape: resumeLink, link: string(head)}
	return nil
}

// stageBareDocument stages base64 data sent as the resume string itself.
func (d *decoder) stageBareDocument(r io.Reader) error {
	if err := d.stageResume(r, true); err != nil {
		return err
	}
	d.in.Resume.shape = resumeBase64
	return nil
}

// resolveBareDocument stages a resume string kept as a link once the whole
// request said type document. Only a failure of the reader is returned.
func (d *decoder) resolveBareDocument() error {
	if d.in.Resume.shape != resumeLink || d.in.Type == nil || normalizeType(*d.in.Type) != typeDocument {
		return nil
	}
	return d.stageBareDocument(strings.NewReader(d.in.Resume.link))
}

// jsonDocumentMeta reads filename/fileName or mime/contentType sent at the
// top level beside a bare base64 resume.
func (d *decoder) jsonDocumentMeta(j *jsonstream.Reader, key string) error {
	s, ok, err := d.jsonText(j, key, false)
	if !ok {
		return err
	}
	switch key {
	case "filename", "fileName":
		d.in.docFileName = s
	default:
		d.in.docContentType = s
	}
	return err
}

// jsonURLList reads urls given as a list of one-key objects,
// [{"linkedin": "…"}, {"twitter": "…"}].
func (d *decoder) jsonURLList(j *jsonstream.Reader) error {
	if d.in.URLs == nil {
		d.in.URLs = map[string]string{}
	}
	if err := j.BeginArray(); err != nil {
		return err
	}
	for {
		more, err := j.NextElem()
		if err != nil || !more {
			return err
		}
		c, err := j.Peek()
		if err != nil {
			return err
		}
		if c != '{' {
			d.in.problem("urls", "must be an object {facebook, linkedin, twitter, other}")
			if err := j.Skip(); err != nil {
				return err
			}
			continue
		}
		if err := d.jsonURLMembers(j); err != nil {
			return err
		}
	}
}
