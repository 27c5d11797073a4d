package flatchr

import (
	"bytes"
	"encoding/json"
)

// member is one name/value pair of an orderedObject.
type member struct {
	name  string
	value any
}

// orderedObject is a JSON object whose members keep the order they are
// given in: a projection (`?fields=`) answers in the order the client asked.
type orderedObject []member

// MarshalJSON writes the members in order, leaving <, > and & unescaped
// like encodeJSON.
func (o orderedObject) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(m.name); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		buf.WriteByte(':')
		if err := enc.Encode(m.value); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
