package flatchr

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
)

// maxManagementBody caps the JSON or form body of a management call
// (comments, messages, traits); a comment's file has its own cap.
const maxManagementBody = 1 << 20

// company authenticates a management call under /company/{companyID}/ and
// checks that the path's company is the credential's: another company's id
// answers 404, as an unknown one does (spec flatchr §1).
// Errors: EUnauthenticated, ENotFound.
func (h *handler) company(r *http.Request) (*intake.Principal, error) {
	tokens, err := requestCredentials(r)
	if err != nil {
		return nil, err
	}
	p, err := h.authenticate(r.Context(), nil, tokens)
	if err != nil {
		return nil, err
	}
	if r.PathValue("companyID") != p.Org.CompanyKey {
		return nil, intake.Errorf(intake.ENotFound, "company not found")
	}
	return p, nil
}

// applicantRef is the path's applicant as a domain reference.
func applicantRef(r *http.Request) intake.CandidateRef {
	return intake.CandidateRef{ApplicantKey: r.PathValue("applicantID")}
}

// formValues is a management body read as flat values: a JSON object's
// members (scalars kept as their text), or form fields.
type formValues map[string]string

// readValues reads a JSON or urlencoded management body. An empty body is
// an empty set of values. Errors: ETooLarge, EUnsupported, EInvalid.
func readValues(w http.ResponseWriter, r *http.Request) (formValues, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxManagementBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, intake.Errorf(intake.ETooLarge, "request body is larger than %d bytes", maxManagementBody)
		}
		return nil, intake.WrapError(intake.EInvalid, err, "request body could not be read")
	}
	out := formValues{}
	if len(bytes.TrimSpace(body)) == 0 {
		return out, nil
	}
	ct := r.Header.Get("Content-Type")
	mt := "application/json"
	if ct != "" {
		if mt, _, err = mime.ParseMediaType(ct); err != nil {
			return nil, intake.Errorf(intake.EUnsupported, "unreadable Content-Type")
		}
	}
	switch mt {
	case "application/json", "text/plain":
		return out, decodeValues(body, out)
	case "application/x-www-form-urlencoded":
		v, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, intake.Errorf(intake.EInvalid, "malformed form body")
		}
		for k, vs := range v {
			out[k] = vs[len(vs)-1]
		}
		return out, nil
	}
	return nil, intake.Errorf(intake.EUnsupported, "Content-Type %s is not supported: send JSON or a form", mt)
}

// decodeValues reads a JSON object of scalars into out; nested values are
// refused by name. Errors: EInvalid.
func decodeValues(body []byte, out formValues) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return intake.Errorf(intake.EInvalid, "body must be a JSON object")
	}
	for k, raw := range m {
		var v any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return intake.Errorf(intake.EInvalid, "%s is not valid JSON", k)
		}
		switch v := v.(type) {
		case nil:
		case string:
			out[k] = v
		case json.Number:
			out[k] = v.String()
		case bool:
			out[k] = strconv.FormatBool(v)
		default:
			return intake.FieldErrors(map[string]string{k: "must be a string, number or boolean"})
		}
	}
	return nil
}

// flag reads a boolean value; absent is def. Errors go into f.
func (v formValues) flag(f map[string]string, name string, def bool) bool {
	s, ok := v[name]
	if !ok || strings.TrimSpace(s) == "" {
		return def
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "on":
		return true
	case "false", "0", "no", "off":
		return false
	}
	f[name] = "must be a boolean"
	return def
}

// id reads a positive integer id; absent, null or "" is 0.
func (v formValues) id(f map[string]string, name string) int64 {
	s := strings.TrimSpace(v[name])
	if s == "" || s == "null" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		f[name] = "must be a positive integer"
		return 0
	}
	return n
}

// fieldsParam reads ?fields=a,b into a set.
func fieldsParam(r *http.Request) map[string]bool {
	out := map[string]bool{}
	for _, v := range r.URL.Query()["fields"] {
		for f := range strings.SplitSeq(v, ",") {
			out[strings.TrimSpace(f)] = true
		}
	}
	return out
}

// authorJSON is who wrote a comment or message (spec flatchr §3 author).
type authorJSON struct {
	ID        int64  `json:"id"`
	Firstname string `json:"firstname"`
	Lastname  string `json:"lastname"`
}

// author renders who wrote a comment or message. A user's key id is its
// negated user id (intake's userPrincipal): the author id is the user's.
func author(name string, keyID int64) *authorJSON {
	if keyID < 0 {
		first, last, _ := strings.Cut(name, " ")
		return &authorJSON{ID: -keyID, Firstname: first, Lastname: last}
	}
	return &authorJSON{ID: keyID, Firstname: name}
}
