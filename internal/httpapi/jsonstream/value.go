package jsonstream

import (
	"encoding/json"
)

// Value reads any value into the shapes encoding/json gives with UseNumber:
// string, json.Number, bool, nil, []any and map[string]any, a repeated key
// keeping its last value. Strings and numbers are kept whole whatever
// Limits.MaxKey and MaxNumber say, save keys over MaxKey (empty).
func (j *Reader) Value() (any, error) {
	c, err := j.Peek()
	if err != nil {
		return nil, err
	}
	switch {
	case c == '{':
		m := map[string]any{}
		return m, j.ObjectInto(m)
	case c == '[':
		return j.array()
	case c == '"':
		s, _, err := j.ReadString(0)
		return s, err
	case c == '-' || (c >= '0' && c <= '9'):
		max := j.lim.MaxNumber
		j.lim.MaxNumber = 0
		s, _, err := j.ReadNumber()
		j.lim.MaxNumber = max
		return json.Number(s), err
	}
	lit, err := j.ReadLiteral()
	switch {
	case err != nil:
		return nil, err
	case lit == "true":
		return true, nil
	case lit == "false":
		return false, nil
	}
	return nil, nil
}

// ObjectInto reads an object into m, each member's value as Value gives it.
func (j *Reader) ObjectInto(m map[string]any) error {
	if err := j.BeginObject(); err != nil {
		return err
	}
	for {
		key, more, err := j.NextKey()
		if err != nil || !more {
			return err
		}
		v, err := j.Value()
		if err != nil {
			return err
		}
		m[key] = v
	}
}

func (j *Reader) array() ([]any, error) {
	if err := j.BeginArray(); err != nil {
		return nil, err
	}
	list := []any{}
	for {
		more, err := j.NextElem()
		if err != nil || !more {
			return list, err
		}
		v, err := j.Value()
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
}
