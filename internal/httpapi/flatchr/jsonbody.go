package flatchr

import (
	"io"
	"strings"

	"intake/internal/httpapi/jsonstream"
)

// jsonLimits bound the JSON a client sends: a create body holds one object
// a few levels deep, the HR-XML resume of type=json being the deepest; no
// field the decoder knows has a key or a number literal near 256 bytes.
// Strings keep their bytes as sent: the Service refuses invalid UTF-8.
var jsonLimits = jsonstream.Limits{MaxDepth: 64, MaxKey: 256, MaxNumber: 256}

// newJSONReader reads r with a pooled reader; Release gives it back.
func newJSONReader(r io.Reader) *jsonstream.Reader { return jsonstream.NewReader(r, jsonLimits) }

// decodeJSON reads a JSON create body. It fails only when the body itself
// is unusable (a *jsonstream.SyntaxError, or the stream's read error); problems with
// single parameters are recorded on the input.
func (d *decoder) decodeJSON(r io.Reader) error {
	j := newJSONReader(r)
	defer j.Release()
	c, err := j.Peek()
	if err != nil {
		return err
	}
	if c != '{' {
		return j.Syntax("the body must be a JSON object")
	}
	if err := d.jsonObject(j, d.jsonParam); err != nil {
		return err
	}
	return j.End()
}

// jsonObject reads an object, calling member for each key; member must
// consume the value.
func (d *decoder) jsonObject(j *jsonstream.Reader, member func(j *jsonstream.Reader, key string) error) error {
	if err := j.BeginObject(); err != nil {
		return err
	}
	for {
		key, more, err := j.NextKey()
		if err != nil || !more {
			return err
		}
		if err := member(j, key); err != nil {
			return err
		}
	}
}

// jsonParam reads one top-level parameter; unknown ones are skipped without
// being stored (spec flatchr §1: unknown fields are ignored).
func (d *decoder) jsonParam(j *jsonstream.Reader, key string) error {
	if dst := d.in.scalar(key); dst != nil {
		s, ok, err := d.jsonText(j, key, false)
		if ok {
			*dst = &s
		}
		return err
	}
	if dst := d.in.flag(key); dst != nil {
		return d.jsonFlag(j, key, dst)
	}
	switch key {
	case "urls":
		return d.jsonURLs(j)
	case "answers":
		return d.jsonAnswers(j)
	case "resume":
		return d.jsonResume(j)
	case "filename", "fileName", "mime", "contentType":
		return d.jsonDocumentMeta(j, key)
	}
	return j.Skip()
}

// jsonText reads a text value: a string, or a number kept as written
// (phone is typed integer while its examples are strings, spec flatchr
// §12 #2); with anyScalar a boolean too. null is absent (ok=false).
func (d *decoder) jsonText(j *jsonstream.Reader, field string, anyScalar bool) (s string, ok bool, err error) {
	c, err := j.Peek()
	if err != nil {
		return "", false, err
	}
	switch {
	case c == '"':
		s, tooLong, err := j.ReadString(maxText)
		if tooLong {
			d.in.problem(field, "is too long")
		}
		return s, !tooLong && err == nil, err
	case c == '-' || (c >= '0' && c <= '9'):
		s, tooLong, err := j.ReadNumber()
		if tooLong {
			d.in.problem(field, "is too long")
		}
		return s, !tooLong && err == nil, err
	case c == 't' || c == 'f' || c == 'n':
		lit, err := j.ReadLiteral()
		if err != nil || lit == "null" {
			return "", false, err
		}
		if anyScalar {
			return lit, true, nil
		}
		d.in.problem(field, "must be a string")
		return "", false, nil
	}
	d.in.problem(field, "must be a string")
	return "", false, j.Skip()
}

// jsonFlag reads a boolean parameter: true/false, or their text forms.
func (d *decoder) jsonFlag(j *jsonstream.Reader, field string, dst **bool) error {
	c, err := j.Peek()
	if err != nil {
		return err
	}
	if c == '{' || c == '[' {
		d.in.problem(field, "must be true or false")
		return j.Skip()
	}
	s, ok, err := d.jsonText(j, field, true)
	if ok {
		d.setFlag(field, dst, s)
	}
	return err
}

// jsonURLs reads urls: {facebook, linkedin, twitter, other}.
func (d *decoder) jsonURLs(j *jsonstream.Reader) error {
	c, err := j.Peek()
	if err != nil {
		return err
	}
	switch c {
	case 'n':
		_, _, err := d.jsonText(j, "urls", false)
		return err
	case '[':
		return d.jsonURLList(j)
	case '{':
	default:
		d.in.problem("urls", "must be an object {facebook, linkedin, twitter, other}")
		return j.Skip()
	}
	if d.in.URLs == nil {
		d.in.URLs = map[string]string{}
	}
	return d.jsonURLMembers(j)
}

// jsonURLMembers reads the members of one urls object.
func (d *decoder) jsonURLMembers(j *jsonstream.Reader) error {
	return d.jsonObject(j, func(j *jsonstream.Reader, key string) error {
		s, ok, err := d.jsonText(j, "urls."+key, false)
		if ok {
			d.in.setURL(key, s)
		}
		return err
	})
}

// jsonAnswers reads answers: [{question: string|int, value}].
func (d *decoder) jsonAnswers(j *jsonstream.Reader) error {
	c, err := j.Peek()
	if err != nil {
		return err
	}
	switch c {
	case 'n':
		_, _, err := d.jsonText(j, "answers", false)
		return err
	case '[':
	default:
		d.in.problem("answers", "must be a list of {question, value} objects")
		return j.Skip()
	}
	d.in.answersSet = true
	if err := j.BeginArray(); err != nil {
		return err
	}
	for {
		more, err := j.NextElem()
		if err != nil || !more {
			return err
		}
		if c, err := j.Peek(); err != nil {
			return err
		} else if c != '{' {
			d.in.problem("answers", "must be a list of {question, value} objects")
			if err := j.Skip(); err != nil {
				return err
			}
			continue
		}
		var a answerInput
		err = d.jsonObject(j, func(j *jsonstream.Reader, key string) error {
			var err error
			switch key {
			case "question", "questions":
				// Some clients key the question "questions" (spec
				// flatchr §12 #22).
				a.Question, a.hasQuestion, err = d.jsonText(j, "answers", true)
			case "value":
				a.Value, a.hasValue, err = d.jsonText(j, "answers", true)
			default:
				err = j.Skip()
			}
			return err
		})
		if err != nil {
			return err
		}
		d.addAnswer(a)
	}
}

// jsonResume reads resume: a URL string (type=link), or an object, either
// {data, fileName, contentType} (type=document) or HR-XML (type=json).
func (d *decoder) jsonResume(j *jsonstream.Reader) error {
	c, err := j.Peek()
	if err != nil {
		return err
	}
	switch c {
	case '"':
		return d.jsonResumeString(j)
	case 'n':
		_, _, err := d.jsonText(j, "resume", false)
		return err
	case '{':
	default:
		d.in.problem("resume", "must be an object {data, fileName, contentType} or a URL")
		return j.Skip()
	}
	d.in.release(d.up)
	d.in.Resume = resumeInput{shape: resumeObject}
	return d.jsonObject(j, func(j *jsonstream.Reader, key string) error {
		switch key {
		case "data":
			return d.jsonResumeData(j)
		case "fileName":
			s, _, err := d.jsonText(j, "resume", false)
			d.in.Resume.fileName = s
			return err
		case "contentType":
			s, _, err := d.jsonText(j, "resume", false)
			d.in.Resume.contentType = s
			return err
		}
		return j.Skip()
	})
}

// jsonResumeData streams resume.data into the blob store. When type already
// said the object is not a document (HR-XML may hold a data member of its
// own), it is skipped instead.
func (d *decoder) jsonResumeData(j *jsonstream.Reader) error {
	if t := d.in.Type; t != nil && normalizeType(*t) != "" && normalizeType(*t) != typeDocument {
		return j.Skip()
	}
	c, err := j.Peek()
	if err != nil {
		return err
	}
	if c != '"' {
		d.in.Resume.hasData = true
		d.in.Resume.dataProblem = "data must be a base64 string"
		return j.Skip()
	}
	s, err := j.StringValue()
	if err != nil {
		return err
	}
	return d.stageResume(s, true)
}

// Resume types (spec flatchr §2 `type` and `resume`).
const (
	typeDocument = "document"
	typeLink     = "link"
	typeJSON     = "json"
)

func normalizeType(t string) string { return strings.ToLower(strings.TrimSpace(t)) }
