package flatchr

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"intake"
	"intake/internal/httpapi/jsonstream"
	"intake/internal/httpapi/plumbing"
)

// Body media types (spec flatchr §2: all three on every create endpoint).
const (
	mediaJSON      = "application/json"
	mediaForm      = "application/x-www-form-urlencoded"
	mediaMultipart = "multipart/form-data"
)

// serviceUploads stages resume bytes with the Service.
type serviceUploads struct {
	ctx context.Context
	svc *intake.Service
}

func (u serviceUploads) stage(r io.Reader) (*intake.Blob, error) {
	return u.svc.StageUpload(u.ctx, r, intake.DocResume)
}

func (u serviceUploads) discard(b *intake.Blob) { u.svc.DiscardUpload(u.ctx, b) }

// queryUploads refuses document data in the query string: a URL is no place
// for a file.
type queryUploads struct{}

func (queryUploads) stage(io.Reader) (*intake.Blob, error) {
	return nil, intake.Errorf(intake.EInvalid, "must be sent in the request body")
}

func (queryUploads) discard(*intake.Blob) {}

// readCreate decodes the body and then the query string of a create into
// in, staging a document resume on the way. It returns the request's
// idempotency hash. The error is a body failure (415, 413, malformed); in
// holds what was read before it, the body's token included.
func (h *handler) readCreate(w http.ResponseWriter, r *http.Request, in *createInput, up uploads) (string, error) {
	// The body streams into the hash as the decoder reads it.
	sum := plumbing.NewRequestHash(r)
	err := h.decodeBody(w, r, &decoder{in: in, up: up}, sum)
	digest := sum.Hex()
	if err != nil {
		return digest, err
	}
	q := &createInput{}
	qd := &decoder{in: q, up: queryUploads{}}
	if err := qd.decodeForm(strings.NewReader(r.URL.RawQuery)); err != nil {
		return digest, intake.Errorf(intake.EInvalid, "the query string is not valid: %v", err)
	}
	in.mergeQuery(q)
	if err := (&decoder{in: in, up: up}).resolveBareDocument(); err != nil {
		return digest, bodyError(err, h.maxBody)
	}
	return digest, nil
}

// decodeBody picks the decoder for the body's media type and feeds it the
// capped body, hashing every byte read.
func (h *handler) decodeBody(w http.ResponseWriter, r *http.Request, d *decoder, sum io.Writer) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" && r.ContentLength == 0 {
		// Every parameter may come in the query string (the seed's
		// "In: query").
		return nil
	}
	media, params, err := mime.ParseMediaType(ct)
	if err != nil || (media != mediaJSON && media != mediaForm && media != mediaMultipart) {
		return intake.Errorf(intake.EUnsupported, "Content-Type must be %s, %s or %s", mediaJSON, mediaForm, mediaMultipart)
	}
	if r.ContentLength > h.maxBody && !h.careerForm(r) {
		return tooLarge(h.maxBody)
	}
	body := io.TeeReader(plumbing.LimitBody(w, r, h.maxBody), sum)
	switch media {
	case mediaJSON:
		err = d.decodeJSON(body)
	case mediaForm:
		err = d.decodeForm(body)
	case mediaMultipart:
		if params["boundary"] == "" {
			return intake.Errorf(intake.EInvalid, "multipart/form-data needs a boundary parameter")
		}
		err = d.decodeMultipart(body, params["boundary"])
	}
	if err == nil {
		// Whatever follows the value (a multipart epilogue) is part of the
		// request the idempotency hash identifies.
		_, err = io.Copy(io.Discard, body)
	}
	return bodyError(err, h.maxBody)
}

// bodyError reports why a body could not be read, never as an internal
// error: the body is the client's.
func bodyError(err error, max int64) error {
	if err == nil {
		return nil
	}
	if plumbing.TooLarge(err) {
		return tooLarge(max)
	}
	if se, ok := errors.AsType[*jsonstream.SyntaxError](err); ok {
		return intake.Errorf(intake.EInvalid, "the body is not valid JSON: %s", se.Error())
	}
	if fe, ok := errors.AsType[*formError](err); ok {
		return intake.Errorf(intake.EInvalid, "the body is not valid form data: %s", fe.msg)
	}
	return intake.WrapError(intake.EInvalid, err, "the request body could not be read")
}

func tooLarge(max int64) error {
	return intake.Errorf(intake.ETooLarge, "the request body is too large (maximum %d bytes)", max)
}
