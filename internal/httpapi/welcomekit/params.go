package welcomekit

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"intake"
	"intake/internal/httpapi/plumbing"
)

// params are a request's parameters: the query string merged with the body,
// the body winning, as Rails merges them (spec welcomekit §9 #1). Values are
// what encoding/json decodes with UseNumber (string, json.Number, bool, nil,
// []any, map[string]any); form and query values are strings, or []any for a
// Rails array key such as `tag_list[]`.
type params map[string]any

// readParams reads the capped body and merges it with the query string. It
// returns the raw body too, which idempotency hashes.
// Errors: ETooLarge, EUnsupported, EInvalid.
func (h *handler) readParams(w http.ResponseWriter, r *http.Request) (params, []byte, error) {
	body, err := readBody(plumbing.LimitBody(w, r, h.maxBody), r.ContentLength, h.maxBody)
	if err != nil {
		if plumbing.TooLarge(err) {
			return nil, nil, intake.Errorf(intake.ETooLarge, "request body is larger than %d bytes", h.maxBody)
		}
		return nil, nil, intake.WrapError(intake.EInvalid, err, "request body could not be read")
	}
	p, err := parseParams(r.Header.Get("Content-Type"), r.URL.RawQuery, body)
	return p, body, err
}

// readBody reads all of rc. A declared length within the limit sizes the
// buffer at once, where io.ReadAll would grow it from 512 bytes; the
// length is only a hint, the reader's end and limit decide.
func readBody(rc io.Reader, declared, limit int64) ([]byte, error) {
	if declared <= 0 || declared > limit {
		return io.ReadAll(rc)
	}
	// One byte more than declared: a body that fills it is longer than
	// said, and the rest is read the slow way.
	buf := make([]byte, 0, declared+1)
	for len(buf) < cap(buf) {
		n, err := rc.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	rest, err := io.ReadAll(rc)
	return append(buf, rest...), err
}

// parseParams decodes a query string and a body of the given content type.
// Bodies may be JSON objects or url-encoded forms; an empty body needs no
// content type. Errors: EUnsupported, EInvalid.
func parseParams(contentType, rawQuery string, body []byte) (params, error) {
	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, intake.Errorf(intake.EInvalid, "query string is malformed")
	}
	p := params{}
	p.addValues(query)
	if len(bytes.TrimSpace(body)) == 0 {
		return p, nil
	}
	mediaType, _, err := mime.ParseMediaType(contentType)
	switch {
	case err != nil && contentType != "":
		return nil, intake.Errorf(intake.EUnsupported, "Content-Type %q is malformed", contentType)
	case mediaType == "application/json" || strings.HasSuffix(mediaType, "+json"):
		switch err := decodeJSONObject(body, p); {
		case errors.Is(err, errNotSingle):
			return nil, intake.Errorf(intake.EInvalid, "request body must be a single JSON object")
		case err != nil:
			return nil, intake.Errorf(intake.EInvalid, "request body must be a JSON object")
		}
	case mediaType == "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, intake.Errorf(intake.EInvalid, "form body is malformed")
		}
		p.addValues(form)
	default:
		return nil, intake.Errorf(intake.EUnsupported, "Content-Type must be application/json or application/x-www-form-urlencoded")
	}
	return p, nil
}

// addValues merges url-encoded values: the last of repeated keys wins and
// `key[]` collects a list, as Rack parses them.
func (p params) addValues(v url.Values) {
	for k, vs := range v {
		if name, ok := strings.CutSuffix(k, "[]"); ok {
			list := make([]any, len(vs))
			for i, s := range vs {
				list[i] = s
			}
			p[name] = list
			continue
		}
		p[k] = vs[len(vs)-1]
	}
}

// fields reads typed values out of params, collecting every failure so the
// client learns about all bad fields at once.
type fields struct {
	p    params
	errs map[string]string
}

func newFields(p params) *fields { return &fields{p: p} }

func (f *fields) fail(name, reason string) {
	if f.errs == nil {
		f.errs = map[string]string{}
	}
	if _, dup := f.errs[name]; !dup {
		f.errs[name] = reason
	}
}

// err returns the collected failures as one EInvalid error, or nil.
func (f *fields) err() error {
	if len(f.errs) == 0 {
		return nil
	}
	return intake.FieldErrors(f.errs)
}

// optString returns a string field; nil when absent. JSON null reads as ""
// (clearing the field on update). Numbers are accepted as their text, as
// Grape coerces them.
func (f *fields) optString(name string) *string {
	if s, ok := f.lookupString(name); ok {
		return &s
	}
	return nil
}

// lookupString is optString without the pointer, which would cost an
// allocation per field on the hot path; ok is false when absent or not a
// string.
func (f *fields) lookupString(name string) (s string, ok bool) {
	v, ok := f.p[name]
	if !ok {
		return "", false
	}
	switch v := v.(type) {
	case nil:
	case string:
		s = v
	case json.Number:
		s = v.String()
	default:
		f.fail(name, "must be a string")
		return "", false
	}
	return s, true
}

// string returns a string field, "" when absent.
func (f *fields) string(name string) string {
	s, _ := f.lookupString(name)
	return s
}

// required returns a string field that must not be blank.
func (f *fields) required(name string) string {
	s, ok := f.lookupString(name)
	if !ok || strings.TrimSpace(s) == "" {
		f.fail(name, "can't be blank")
		return ""
	}
	return s
}

// filter returns a string filter; empty values do not filter.
func (f *fields) filter(name string) *string {
	if s := f.optString(name); s != nil && *s != "" {
		return s
	}
	return nil
}

// integer returns an integer field; nil when absent, null or "". Numeric
// strings are accepted (spec welcomekit §2 Type coercion).
func (f *fields) integer(name string) *int64 {
	var text string
	switch v := f.p[name].(type) {
	case nil:
		return nil
	case json.Number:
		text = v.String()
	case string:
		text = strings.TrimSpace(v)
		if text == "" {
			return nil
		}
	default:
		f.fail(name, "must be an integer")
		return nil
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		f.fail(name, "must be an integer")
		return nil
	}
	return &n
}

// boolean returns a boolean field; nil when absent, null or "". Strings and
// 0/1 are read the way Rails casts them.
func (f *fields) boolean(name string) *bool {
	var text string
	switch v := f.p[name].(type) {
	case nil:
		return nil
	case bool:
		return &v
	case json.Number:
		text = v.String()
	case string:
		text = strings.ToLower(strings.TrimSpace(v))
		if text == "" {
			return nil
		}
	default:
		f.fail(name, "must be a boolean")
		return nil
	}
	var b bool
	switch text {
	case "true", "t", "1", "yes", "on":
		b = true
	case "false", "f", "0", "no", "off":
	default:
		f.fail(name, "must be a boolean")
		return nil
	}
	return &b
}

// list returns a list field given as a comma-separated string or a JSON
// array of strings; nil when absent. null reads as an empty list.
func (f *fields) list(name string) *[]string {
	v, ok := f.p[name]
	if !ok {
		return nil
	}
	out := []string{}
	switch v := v.(type) {
	case nil:
	case string:
		out = strings.Split(v, ",")
	case json.Number:
		out = append(out, v.String())
	case []any:
		for _, e := range v {
			switch e := e.(type) {
			case string:
				out = append(out, e)
			case json.Number:
				out = append(out, e.String())
			default:
				f.fail(name, "must be a string or a list of strings")
				return nil
			}
		}
	default:
		f.fail(name, "must be a string or a list of strings")
		return nil
	}
	return &out
}

// mediaNetworks are the vendor's media_* params: the network, then the
// param's name.
var mediaNetworks = [][2]string{
	{"website", "media_website"}, {"github", "media_github"}, {"stackoverflow", "media_stackoverflow"},
	{"dribbble", "media_dribbble"}, {"behance", "media_behance"}, {"linkedin", "media_linkedin"},
	{"facebook", "media_facebook"}, {"instagram", "media_instagram"}, {"medium", "media_medium"},
	{"tumblr", "media_tumblr"}, {"vimeo", "media_vimeo"}, {"twitter", "media_twitter"},
}

// media returns the media_* params keyed by network. Empty values are kept
// only when keepEmpty, for updates, where they remove a link.
func (f *fields) media(keepEmpty bool) map[string]string {
	var out map[string]string
	for _, m := range mediaNetworks {
		v, ok := f.lookupString(m[1])
		if !ok || (v == "" && !keepEmpty) {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[m[0]] = v
	}
	return out
}

// file returns a remote file to download; nil when absent or empty, which
// leaves the current file in place on update as CarrierWave does.
func (f *fields) file(name string) *intake.FileInput {
	s, _ := f.lookupString(name)
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &intake.FileInput{URL: s}
}
