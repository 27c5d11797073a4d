package flatchr

import (
	"io"
	"strings"
)

// decodeJSON reads a JSON create body. It fails only when the body itself
// is unusable (a *syntaxError, or the stream's read error); problems with
// single parameters are recorded on the input.
func (d *decoder) decodeJSON(r io.Reader) error {
	j := newJSONReader(r)
	defer j.release()
	c, err := j.peek()
	if err != nil {
		return err
	}
	if c != '{' {
		return j.syntax("the body must be a JSON object")
	}
	if err := d.jsonObject(j, d.jsonParam); err != nil {
		return err
	}
	return j.end()
}

// jsonObject reads an object, calling member for each key; member must
// consume the value.
func (d *decoder) jsonObject(j *jsonReader, member func(j *jsonReader, key string) error) error {
	if err := j.beginObject(); err != nil {
		return err
	}
	for {
		key, more, err := j.nextKey()
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
func (d *decoder) jsonParam(j *jsonReader, key string) error {
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
	}
	return j.skip()
}

// jsonText reads a text value: a string, or a number kept as written
// (phone is typed integer while its examples are strings, spec flatchr
// §12 #2); with anyScalar a boolean too. null is absent (ok=false).
func (d *decoder) jsonText(j *jsonReader, field string, anyScalar bool) (s string, ok bool, err error) {
	c, err := j.peek()
	if err != nil {
		return "", false, err
	}
	switch {
	case c == '"':
		s, tooLong, err := j.readString(maxText)
		if tooLong {
			d.in.problem(field, "is too long")
		}
		return s, !tooLong && err == nil, err
	case c == '-' || (c >= '0' && c <= '9'):
		s, tooLong, err := j.readNumber()
		if tooLong {
			d.in.problem(field, "is too long")
		}
		return s, !tooLong && err == nil, err
	case c == 't' || c == 'f' || c == 'n':
		lit, err := j.readLiteral()
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
	return "", false, j.skip()
}

// jsonFlag reads a boolean parameter: true/false, or their text forms.
func (d *decoder) jsonFlag(j *jsonReader, field string, dst **bool) error {
	c, err := j.peek()
	if err != nil {
		return err
	}
	if c == '{' || c == '[' {
		d.in.problem(field, "must be true or false")
		return j.skip()
	}
	s, ok, err := d.jsonText(j, field, true)
	if ok {
		d.setFlag(field, dst, s)
	}
	return err
}

// jsonURLs reads urls: {facebook, linkedin, twitter, other}.
func (d *decoder) jsonURLs(j *jsonReader) error {
	c, err := j.peek()
	if err != nil {
		return err
	}
	switch c {
	case 'n':
		_, _, err := d.jsonText(j, "urls", false)
		return err
	case '{':
	default:
		d.in.problem("urls", "must be an object {facebook, linkedin, twitter, other}")
		return j.skip()
	}
	if d.in.URLs == nil {
		d.in.URLs = map[string]string{}
	}
	return d.jsonObject(j, func(j *jsonReader, key string) error {
		s, ok, err := d.jsonText(j, "urls."+key, false)
		if ok {
			d.in.setURL(key, s)
		}
		return err
	})
}

// jsonAnswers reads answers: [{question: string|int, value}].
func (d *decoder) jsonAnswers(j *jsonReader) error {
	c, err := j.peek()
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
		return j.skip()
	}
	d.in.answersSet = true
	if err := j.beginArray(); err != nil {
		return err
	}
	for {
		more, err := j.nextElem()
		if err != nil || !more {
			return err
		}
		if c, err := j.peek(); err != nil {
			return err
		} else if c != '{' {
			d.in.problem("answers", "must be a list of {question, value} objects")
			if err := j.skip(); err != nil {
				return err
			}
			continue
		}
		var a answerInput
		err = d.jsonObject(j, func(j *jsonReader, key string) error {
			var err error
			switch key {
			case "question":
				a.Question, a.hasQuestion, err = d.jsonText(j, "answers", true)
			case "value":
				a.Value, a.hasValue, err = d.jsonText(j, "answers", true)
			default:
				err = j.skip()
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
func (d *decoder) jsonResume(j *jsonReader) error {
	c, err := j.peek()
	if err != nil {
		return err
	}
	switch c {
	case '"':
		s, ok, err := d.jsonText(j, "resume", false)
		if ok {
			d.in.release(d.up)
			d.in.Resume = resumeInput{shape: resumeLink, link: s}
		}
		return err
	case 'n':
		_, _, err := d.jsonText(j, "resume", false)
		return err
	case '{':
	default:
		d.in.problem("resume", "must be an object {data, fileName, contentType} or a URL")
		return j.skip()
	}
	d.in.release(d.up)
	d.in.Resume = resumeInput{shape: resumeObject}
	return d.jsonObject(j, func(j *jsonReader, key string) error {
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
		return j.skip()
	})
}

// jsonResumeData streams resume.data into the blob store. When type already
// said the object is not a document (HR-XML may hold a data member of its
// own), it is skipped instead.
func (d *decoder) jsonResumeData(j *jsonReader) error {
	if t := d.in.Type; t != nil && normalizeType(*t) != "" && normalizeType(*t) != typeDocument {
		return j.skip()
	}
	c, err := j.peek()
	if err != nil {
		return err
	}
	if c != '"' {
		d.in.Resume.hasData = true
		d.in.Resume.dataProblem = "data must be a base64 string"
		return j.skip()
	}
	s, err := j.stringValue()
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
