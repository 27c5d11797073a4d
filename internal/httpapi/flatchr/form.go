package flatchr

import (
	"bufio"
	"errors"
	"io"
	"strings"

	"intake/internal/httpapi/jsonstream"
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
	switch member {
	case "questions":
		member = "question"
	case "question", "value":
	default:
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
func (d *decoder) formJSON(field string, v io.Reader, read func(*jsonstream.Reader) error) error {
	j := newJSONReader(v)
	defer j.Release()
	err := read(j)
	if err == nil {
		err = j.End()
	}
	if _, ok := errors.AsType[*jsonstream.SyntaxError](err); ok {
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
