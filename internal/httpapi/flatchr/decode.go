package flatchr

import (
	"errors"
	"io"
	"strings"

	"intake"
)

// decoder fills a createInput from one source: a body in any of the three
// encodings, or the query string. Its JSON methods also read the JSON a form
// field may hold (answers=[...], spec flatchr §2 form rules).
type decoder struct {
	in *createInput
	up uploads
}

// stageResume stages a document's bytes from src, base64-decoding them
// unless they are a raw file part, and records the outcome on the resume.
// It reads src to its end. Only a failure of src itself (a malformed or cut
// body) is returned: everything else concerns the resume parameter alone.
func (d *decoder) stageResume(src io.Reader, encoded bool) error {
	res := &d.in.Resume
	d.in.release(d.up)
	res.shape, res.hasData, res.dataProblem = resumeObject, true, ""
	rec := &recordingReader{r: src}
	var r io.Reader = rec
	var b64 *base64Reader
	if encoded {
		b64 = newBase64Reader(rec)
		defer b64.release()
		r = b64
	}
	blob, err := d.up.stage(r)
	if _, derr := io.Copy(io.Discard, rec); derr != nil && rec.err == nil {
		rec.err = derr
	}
	if rec.err != nil {
		d.discard(blob)
		return rec.err
	}
	switch {
	case b64 != nil && (errors.Is(b64.err, errBase64Empty) || errors.Is(b64.err, errBase64Invalid)):
		d.discard(blob)
		res.dataProblem = "data " + b64.err.Error()
	case err == nil:
		res.blob = blob
	case intake.ErrorCodeOf(err) == intake.ETooLarge:
		d.in.setFatal(&intake.Error{Code: intake.ETooLarge, Message: "resume is too large", Fields: map[string]string{"resume": "is too large"}})
	case intake.ErrorCodeOf(err) == intake.EInvalid:
		res.dataProblem = "data " + intake.ErrorMessage(err)
	default:
		d.in.setFatal(err)
	}
	return nil
}

func (d *decoder) discard(b *intake.Blob) {
	if b != nil {
		d.up.discard(b)
	}
}

// recordingReader remembers the first failure of the reader it wraps, so
// that a broken body can be told from a refused resume after staging.
type recordingReader struct {
	r   io.Reader
	err error
}

func (r *recordingReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		r.err = err
	}
	return n, err
}

// parseFlag reads a boolean given as text, as forms and query strings send
// them.
func parseFlag(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "on", "yes":
		return true, true
	case "false", "0", "off", "no":
		return false, true
	}
	return false, false
}

// setFlag stores a flag parameter given as text; an empty text, as an
// emptied form field sends, counts as absent.
func (d *decoder) setFlag(field string, dst **bool, s string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	v, ok := parseFlag(s)
	if !ok {
		d.in.problem(field, "must be true or false")
		return
	}
	*dst = &v
}

// addAnswer appends an answer, keeping one more than the domain allows so
// that the Service still reports the excess, without holding an unbounded
// list.
func (d *decoder) addAnswer(a answerInput) int {
	d.in.answersSet = true
	if len(d.in.Answers) > intake.MaxAnswers {
		return -1
	}
	d.in.Answers = append(d.in.Answers, a)
	return len(d.in.Answers) - 1
}
