package bench

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/textproto"
)

// Uploads: how a Flatchr create sends its résumé.
const (
	UploadBase64    = "base64"    // JSON, resume.data base64-encoded
	UploadMultipart = "multipart" // multipart/form-data, the PDF as a file part
)

// multipartBoundary is fixed so that a body's head and tail can be built
// around the shared PDF bytes.
const multipartBoundary = "intake-bench-7d9c41e0a2"

// flatchrMultipart returns the multipart body before and after the PDF of
// the file part: the person's fields, then the part named resume.
func (w *CreateWorkload) flatchrMultipart(p Person) (head, tail []byte, err error) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if err := mw.SetBoundary(multipartBoundary); err != nil {
		return nil, nil, err
	}
	for _, kv := range [][2]string{
		{"vacancy", w.opts.Vacancy}, {"firstname", p.Firstname}, {"lastname", p.Lastname},
		{"email", p.Email}, {"phone", p.Phone}, {"offerer_id", "75"}, {"legalNewsletterPartners", "false"}, {"type", "document"},
	} {
		if err := mw.WriteField(kv[0], kv[1]); err != nil {
			return nil, nil, err
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="resume"; filename="CV_%s.pdf"`, p.FileStem))
	h.Set("Content-Type", "application/pdf")
	if _, err := mw.CreatePart(h); err != nil {
		return nil, nil, err
	}
	head = bytes.Clone(b.Bytes())
	b.Reset()
	if err := mw.Close(); err != nil {
		return nil, nil, err
	}
	return head, b.Bytes(), nil
}
