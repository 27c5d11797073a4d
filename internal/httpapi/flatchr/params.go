package flatchr

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"intake"
)

// MaxManagementBody caps the body of a management request (search, move,
// login, meta information): small flat objects, the meta value included.
const MaxManagementBody = intake.MaxMetaValue + 16<<10

// params are a management request's parameters: the query string's, then
// the body's (a JSON object or an urlencoded form), the body winning. The
// vendor documents these parameters both "In: query" and as a JSON body.
// Values are string, json.Number, bool, nil, or for JSON objects and
// arrays their raw text (json.RawMessage).
type params map[string]any

// bareColumnID is the move example's body, `{column_id:1313}`, which is not
// JSON (spec flatchr §12 #15).
var bareColumnID = regexp.MustCompile(`^\s*\{\s*column_id\s*:\s*([0-9]{1,18})\s*\}\s*$`)

// readParams reads a management request's parameters. Errors: EUnsupported
// (content type), ETooLarge, EInvalid (not a JSON object, bad form).
func readParams(w http.ResponseWriter, r *http.Request) (params, error) {
	p := params{}
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" && r.ContentLength == 0 {
		return p, nil
	}
	media, _, err := mime.ParseMediaType(ct)
	if ct == "" {
		// A body without a type (curl -d sends it as a form, some
		// connectors send none): JSON if it looks like JSON.
		media, err = mediaJSON, nil
	}
	if err != nil || (media != mediaJSON && media != mediaForm) {
		return nil, intake.Errorf(intake.EUnsupported, "Content-Type must be %s or %s", mediaJSON, mediaForm)
	}
	if r.ContentLength > MaxManagementBody {
		return nil, tooLarge(MaxManagementBody)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxManagementBody))
	if err != nil {
		return nil, bodyError(err, MaxManagementBody)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return p, nil
	}
	if media == mediaForm && !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, intake.Errorf(intake.EInvalid, "the body is not valid form data")
		}
		for k, v := range form {
			p[k] = v[0]
		}
		return p, nil
	}
	if err := decodeParams(body, p); err != nil {
		return nil, err
	}
	return p, nil
}

// decodeParams reads a JSON object's members into p.
func decodeParams(body []byte, p params) error {
	if m := bareColumnID.FindSubmatch(body); m != nil {
		p["column_id"] = json.Number(m[1])
		return nil
	}
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return intake.Errorf(intake.EInvalid, "the body must be a JSON object")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return intake.Errorf(intake.EInvalid, "the body must be a single JSON object")
	}
	for k, raw := range obj {
		raw = bytes.TrimSpace(raw)
		switch raw[0] {
		case '{', '[':
			p[k] = json.RawMessage(raw)
		default:
			d := json.NewDecoder(bytes.NewReader(raw))
			d.UseNumber()
			var v any
			if err := d.Decode(&v); err != nil {
				return intake.Errorf(intake.EInvalid, "the body must be a JSON object")
			}
			p[k] = v
		}
	}
	return nil
}

// text returns a parameter as text: a string, or a number or boolean's
// JSON text. Absent and null are nil. Errors: EInvalid for an object or
// array.
func (p params) text(name string) (*string, error) {
	switch v := p[name].(type) {
	case nil:
		return nil, nil
	case string:
		return &v, nil
	case json.Number:
		s := v.String()
		return &s, nil
	case bool:
		s := strconv.FormatBool(v)
		return &s, nil
	}
	return nil, intake.FieldErrors(map[string]string{name: "must be a string"})
}

// boolean returns a parameter given as true/false, "true"/"false" or
// "1"/"0" (the docs send `"hired":"true"`). Errors: EInvalid.
func (p params) boolean(name string) (*bool, error) {
	switch v := p[name].(type) {
	case nil:
		return nil, nil
	case bool:
		return &v, nil
	case string, json.Number:
		s, _ := p.text(name)
		switch strings.ToLower(strings.TrimSpace(*s)) {
		case "true", "1":
			b := true
			return &b, nil
		case "false", "0":
			b := false
			return &b, nil
		case "":
			return nil, nil
		}
	}
	return nil, intake.FieldErrors(map[string]string{name: "must be true or false"})
}

// integer returns a positive integer parameter, given as a number or as
// digits. Errors: EInvalid.
func (p params) integer(name string) (*int64, error) {
	s, err := p.text(name)
	if err != nil || s == nil {
		return nil, err
	}
	n, err := strconv.ParseInt(strings.TrimSpace(*s), 10, 64)
	if err != nil || n <= 0 {
		return nil, intake.FieldErrors(map[string]string{name: "must be a positive integer"})
	}
	return &n, nil
}
