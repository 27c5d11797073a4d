package flatchr

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Form limits: no parameter name is long, and a create has a few dozen
// fields at most (answers included).
const (
	maxFormKey    = 1024
	maxFormFields = 2000
	maxKeyParts   = 3
)

// formError is a body that is not valid form data.
type formError struct{ msg string }

func (e *formError) Error() string { return e.msg }

// formField applies one field of a form (urlencoded, multipart or the query
// string) in the spec's form rules (spec flatchr §2): bracket notation for
// nested members (urls[linkedin], answers[0][question], resume[data]) or a
// JSON text (answers=[...]). The caller drains v afterwards.
func (d *decoder) formField(name string, v io.Reader) error {
	base, subs := splitKey(name)
	switch {
	case len(subs) == 0 && d.in.scalar(base) != nil:
		s, ok, err := d.formText(base, v)
		if ok {
			*d.in.scalar(base) = &s
		}
		return err
	case len(subs) == 0 && d.in.flag(base) != nil:
		s, ok, err := d.formText(base, v)
		if ok {
			d.setFlag(base, d.in.flag(base), s)
		}
		return err
	}
	switch base {
	case "urls":
		return d.formURLs(subs, v)
	case "answers":
		return d.formAnswers(subs, v)
	case "resume":
		return d.formResume(subs, v)
	}
	return nil
}

func (d *decoder) formURLs(subs []string, v io.Reader) error {
	switch len(subs) {
	case 0:
		return d.formJSON("urls", v, d.jsonURLs)
	case 1:
		s, ok, err := d.formText("urls."+subs[0], v)
		if ok {
			d.in.setURL(subs[0], s)
		}
		return err
	}
	return nil
}

// formAnswers reads answers=[...] or answers[<index>][question|value]. Items
// are ordered by the first appearance of their index; an empty index
// (answers[][question]) starts a new item whenever the member is repeated.
func (d *decoder) formAnswers(subs []string, v io.Reader) error {
	switch len(subs) {
	case 0:
		return d.formJSON("answers", v, d.jsonAnswers)
	case 2:
	default:
		return nil
	}
	index, member := subs[0], subs[1]
	if member != "question" && member != "value" {
		return nil
	}
	s, ok, err := d.formText("answers", v)
	if !ok {
		return err
	}
	if d.in.answerIndex == nil {
		d.in.answerIndex = map[string]int{}
	}
	i, seen := d.in.answerIndex[index]
	if seen && index == "" && i >= 0 && ((member == "question" && d.in.Answers[i].hasQuestion) || (member == "value" && d.in.Answers[i].hasValue)) {
		seen = false
	}
	if !seen {
		i = d.addAnswer(answerInput{})
		d.in.answerIndex[index] = i
	}
	if i < 0 {
		return nil
	}
	a := &d.in.Answers[i]
	if member == "question" {
		a.Question, a.hasQuestion = s, true
	} else {
		a.Value, a.hasValue = s, true
	}
	return nil
}

// formResume reads resume as a URL (type=link), as a JSON object, or as
// resume[data], resume[fileName] and resume[contentType].
func (d *decoder) formResume(subs []string, v io.Reader) error {
	if len(subs) == 0 {
		br := bufio.NewReaderSize(v, 64)
		if c, err := firstNonSpace(br); err == nil && c == '{' {
			return d.formJSON("resume", br, d.jsonResume)
		}
		s, ok, err := d.formText("resume", br)
		if ok && strings.TrimSpace(s) != "" {
			d.in.release(d.up)
			d.in.Resume = resumeInput{shape: resumeLink, link: s}
		}
		return err
	}
	if len(subs) != 1 {
		return nil
	}
	if d.in.Resume.shape != resumeObject {
		d.in.release(d.up)
		d.in.Resume = resumeInput{shape: resumeObject}
	}
	switch subs[0] {
	case "data":
		// A '+' here is base64, never an escaped space: clients often send
		// base64 in forms without escaping it.
		if k, ok := v.(interface{ keepPlus() }); ok {
			k.keepPlus()
		}
		return d.stageResume(v, true)
	case "fileName":
		s, _, err := d.formText("resume", v)
		d.in.Resume.fileName = s
		return err
	case "contentType":
		s, _, err := d.formText("resume", v)
		d.in.Resume.contentType = s
		return err
	}
	return nil
}

// formText reads a form value whole, up to maxText bytes.
func (d *decoder) formText(field string, v io.Reader) (string, bool, error) {
	b, err := io.ReadAll(io.LimitReader(v, maxText+1))
	if err != nil {
		return "", false, err
	}
	if len(b) > maxText {
		d.in.problem(field, "is too long")
		return "", false, nil
	}
	return string(b), true, nil
}

// formJSON reads a form field holding JSON with read; malformed JSON is a
// problem of that field only.
func (d *decoder) formJSON(field string, v io.Reader, read func(*jsonReader) error) error {
	j := newJSONReader(v)
	err := read(j)
	if err == nil {
		err = j.end()
	}
	if _, ok := errors.AsType[*syntaxError](err); ok {
		// Whatever was said of the value's parts, its syntax is the fault.
		delete(d.in.problems, field)
		d.in.problem(field, "is not valid JSON")
		return nil
	}
	return err
}

func firstNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return 0, err
		}
		if !isSpace(b[0]) {
			return b[0], nil
		}
		_, _ = br.ReadByte()
	}
}

// splitKey splits "answers[0][question]" into "answers" and ["0",
// "question"]. A name that is not well-formed bracket notation is returned
// whole, and matches no parameter.
func splitKey(name string) (string, []string) {
	i := strings.IndexByte(name, '[')
	if i < 0 {
		return name, nil
	}
	base, rest := name[:i], name[i:]
	var subs []string
	for rest != "" {
		end := strings.IndexByte(rest, ']')
		if rest[0] != '[' || end < 0 || len(subs) == maxKeyParts {
			return name, nil
		}
		subs = append(subs, rest[1:end])
		rest = rest[end+1:]
	}
	return base, subs
}

// decodeForm reads an application/x-www-form-urlencoded body as a stream.
func (d *decoder) decodeForm(r io.Reader) error {
	f := newFormReader(r)
	for {
		name, more, err := f.next()
		if err != nil || !more {
			return err
		}
		if err := d.formField(name, &f.val); err != nil {
			return err
		}
	}
}

// formReader splits an urlencoded stream into fields. Names are read whole;
// values are read through val, percent-decoded on the fly, so a large value
// is never held in memory.
type formReader struct {
	r      *bufio.Reader
	val    formValue
	fields int
	err    error
}

func newFormReader(r io.Reader) *formReader {
	f := &formReader{r: bufio.NewReaderSize(r, jsonBufSize)}
	f.val.f = f
	f.val.done = true
	return f
}

func (f *formReader) fail(err error) error {
	if f.err == nil {
		f.err = err
	}
	return f.err
}

// next drains the previous value and returns the next field's name.
func (f *formReader) next() (string, bool, error) {
	if _, err := io.Copy(io.Discard, &f.val); err != nil {
		return "", false, err
	}
	for {
		c, err := f.r.ReadByte()
		if err == io.EOF {
			return "", false, nil
		}
		if err != nil {
			return "", false, f.fail(err)
		}
		if c != '&' {
			_ = f.r.UnreadByte()
			break
		}
	}
	f.fields++
	if f.fields > maxFormFields {
		return "", false, f.fail(&formError{"too many form fields"})
	}
	f.val.start(true)
	key, err := io.ReadAll(io.LimitReader(&f.val, maxFormKey+1))
	if err != nil {
		return "", false, err
	}
	if len(key) > maxFormKey {
		key = nil
		if _, err := io.Copy(io.Discard, &f.val); err != nil {
			return "", false, err
		}
	}
	if f.val.term == '=' {
		f.val.start(false)
	}
	return string(key), true, nil
}

// formValue reads the current name (up to '=') or value (up to '&'),
// percent-decoded.
type formValue struct {
	f       *formReader
	inKey   bool
	plusRaw bool
	done    bool
	// term is the byte that ended the name or value, 0 at the end of the
	// body.
	term byte
}

func (v *formValue) start(inKey bool) {
	v.inKey, v.plusRaw, v.done, v.term = inKey, false, false, 0
}

// keepPlus makes '+' decode as itself instead of a space.
func (v *formValue) keepPlus() { v.plusRaw = true }

func (v *formValue) Read(p []byte) (int, error) {
	f := v.f
	n := 0
	for n < len(p) {
		if v.done {
			return n, io.EOF
		}
		if f.err != nil {
			return n, f.err
		}
		if f.r.Buffered() == 0 {
			if n > 0 {
				return n, nil
			}
			if _, err := f.r.Peek(1); err != nil {
				if err == io.EOF {
					v.done = true
					continue
				}
				return n, f.fail(err)
			}
		}
		buf, _ := f.r.Peek(f.r.Buffered())
		if room := len(p) - n; len(buf) > room {
			buf = buf[:room]
		}
		i := 0
		for i < len(buf) && !v.special(buf[i]) {
			i++
		}
		n += copy(p[n:], buf[:i])
		_, _ = f.r.Discard(i)
		if i == len(buf) {
			continue
		}
		c := buf[i]
		_, _ = f.r.Discard(1)
		switch c {
		case '&', '=':
			v.done, v.term = true, c
		case '+':
			p[n] = ' '
			if v.plusRaw {
				p[n] = '+'
			}
			n++
		case '%':
			b, err := v.unescape()
			if err != nil {
				return n, err
			}
			p[n] = b
			n++
		}
	}
	return n, nil
}

func (v *formValue) special(c byte) bool {
	return c == '%' || c == '+' || c == '&' || (c == '=' && v.inKey)
}

func (v *formValue) unescape() (byte, error) {
	var hex [2]byte
	for i := range hex {
		c, err := v.f.r.ReadByte()
		if err == io.EOF {
			return 0, v.f.fail(&formError{"invalid URL escape at the end of the body"})
		}
		if err != nil {
			return 0, v.f.fail(err)
		}
		hex[i] = c
	}
	hi, ok1 := unhex(hex[0])
	lo, ok2 := unhex(hex[1])
	if !ok1 || !ok2 {
		return 0, v.f.fail(&formError{fmt.Sprintf("invalid URL escape %q", "%"+string(hex[:]))})
	}
	return hi<<4 | lo, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
