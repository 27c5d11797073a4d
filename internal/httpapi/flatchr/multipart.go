package flatchr

import (
	"errors"
	"io"
	"mime/multipart"

	"intake/internal/httpapi/plumbing"
)

// decodeMultipart reads a multipart/form-data body part by part. A file
// part named resume is the document itself (type=document, spec flatchr §2
// form rules), streamed to the blob store as sent; other parts follow the
// form rules. Files under other names are skipped.
func (d *decoder) decodeMultipart(r io.Reader, boundary string) error {
	mr := multipart.NewReader(r, boundary)
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return multipartError(err)
		}
		if n >= maxFormFields {
			return &formError{"too many form fields"}
		}
		name := part.FormName()
		switch {
		case part.FileName() != "":
			if name == "resume" {
				if err := d.stageResume(part, false); err != nil {
					return multipartError(err)
				}
				d.in.Resume.fileName = part.FileName()
				d.in.Resume.contentType = part.Header.Get("Content-Type")
			}
		case name != "":
			if err := d.formField(name, part); err != nil {
				return multipartError(err)
			}
		}
		if _, err := io.Copy(io.Discard, part); err != nil {
			return multipartError(err)
		}
	}
}

// multipartError keeps a body over its cap as it is and reports any other
// failure of the multipart reader as malformed form data.
func multipartError(err error) error {
	if plumbing.TooLarge(err) {
		return err
	}
	if _, ok := errors.AsType[*formError](err); ok {
		return err
	}
	return &formError{err.Error()}
}
