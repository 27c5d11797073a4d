package welcomekit

import (
	"bytes"
	"errors"

	"intake/internal/httpapi/jsonstream"
)

// jsonLimits make the shared reader accept exactly what encoding/json
// accepts, with the values it gives: its nesting limit, keys and numbers
// of any length (the body's cap bounds them), invalid UTF-8 and unpaired
// surrogates becoming U+FFFD. FuzzJSONObject holds it to encoding/json.
var jsonLimits = jsonstream.Limits{MaxDepth: 10000, ValidUTF8: true}

var (
	errNotJSONObject = errors.New("not a JSON object")
	errNotSingle     = errors.New("more than one JSON value")
)

// decodeJSONObject decodes a body holding one JSON object into p, values
// shaped as encoding/json gives them with UseNumber: string, json.Number,
// bool, nil, []any and map[string]any; a repeated key keeps its last value.
//
// Errors: errNotJSONObject for anything but a well-formed object (p may
// then hold some of its members), errNotSingle when more follows it.
func decodeJSONObject(body []byte, p params) error {
	j := jsonstream.NewReader(bytes.NewReader(body), jsonLimits)
	defer j.Release()
	if c, err := j.Peek(); err != nil || c != '{' {
		return errNotJSONObject
	}
	if err := j.ObjectInto(p); err != nil {
		return errNotJSONObject
	}
	if err := j.End(); err != nil {
		return errNotSingle
	}
	return nil
}
