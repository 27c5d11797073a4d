package plumbing

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"

	"intake"
)

// Content types of the answers.
const (
	ContentTypeJSON = "application/json; charset=utf-8"
	ContentTypeHTML = "text/html; charset=utf-8"
)

// WriteBody sends a complete answer: status, Content-Type, Content-Length
// and body. Bodies are built whole before it is called, so a failure while
// building becomes a clean error answer rather than a half-sent one.
func WriteBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// AppendJSON appends the JSON encoding of v to dst, with <, > and &
// unescaped (the vendors send them as they are) and the encoder's trailing
// newline. An encoding failure is an EInternal error.
func AppendJSON(dst []byte, v any) ([]byte, error) {
	buf := bytes.NewBuffer(dst)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, intake.WrapError(intake.EInternal, err, "encode response")
	}
	return buf.Bytes(), nil
}

// HTML executes t with data into a buffer: a template that fails sends
// nothing, and the EInternal error says why.
func HTML(t *template.Template, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, intake.WrapError(intake.EInternal, err, "render page")
	}
	return buf.Bytes(), nil
}

// Respond sends body, built whole beforehand, as a complete answer; when
// building it failed (err), writeError answers err instead, so a failure
// while encoding or rendering never leaves a half-sent body.
func Respond(w http.ResponseWriter, r *http.Request, status int, contentType string, body []byte, err error, writeError ErrorWriter) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	WriteBody(w, status, contentType, body)
}
