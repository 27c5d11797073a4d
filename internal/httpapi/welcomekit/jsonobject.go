package welcomekit

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth is encoding/json's nesting limit, kept so that both accept
// the same bodies.
const maxJSONDepth = 10000

var (
	errNotJSONObject = errors.New("not a JSON object")
	errNotSingle     = errors.New("more than one JSON value")
)

// decodeJSONObject decodes a body holding one JSON object into p, values
// shaped as encoding/json gives them with UseNumber: string, json.Number,
// bool, nil, []any and map[string]any; a repeated key keeps its last value.
// Strings are decoded as encoding/json does, invalid UTF-8 and unpaired
// surrogates becoming U+FFFD. FuzzJSONObject holds it to encoding/json.
//
// encoding/json scans a body twice, once to find its end and once to
// decode it, and assigns every value through reflection: on a create that
// was a tenth of the server's CPU. This reads the bytes once.
//
// Errors: errNotJSONObject for anything but a well-formed object (p may
// then hold some of its members), errNotSingle when more follows it.
func decodeJSONObject(body []byte, p params) error {
	d := jsonDecoder{data: body}
	d.skipSpace()
	if d.pos == len(d.data) || d.data[d.pos] != '{' {
		return errNotJSONObject
	}
	if err := d.object(p); err != nil {
		return errNotJSONObject
	}
	d.skipSpace()
	if d.pos != len(d.data) {
		return errNotSingle
	}
	return nil
}

// jsonDecoder reads JSON values from data, starting at pos. Any failure is
// reported as errSyntax: a request body is either usable or not.
type jsonDecoder struct {
	data  []byte
	pos   int
	depth int
	buf   []byte // scratch for strings that need unescaping
}

var errSyntax = errors.New("JSON syntax error")

func (d *jsonDecoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// next skips whitespace and returns the next byte without consuming it; 0
// at the end of the data, which no valid token starts with.
func (d *jsonDecoder) next() byte {
	d.skipSpace()
	if d.pos == len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

func (d *jsonDecoder) value() (any, error) {
	switch c := d.next(); {
	case c == '{':
		m := map[string]any{}
		return m, d.object(m)
	case c == '[':
		return d.array()
	case c == '"':
		return d.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	}
	return nil, errSyntax
}

func (d *jsonDecoder) literal(word string) error {
	if len(d.data)-d.pos < len(word) || string(d.data[d.pos:d.pos+len(word)]) != word {
		return errSyntax
	}
	d.pos += len(word)
	return nil
}

func (d *jsonDecoder) enter() error {
	if d.depth++; d.depth > maxJSONDepth {
		return errSyntax
	}
	d.pos++ // the opening brace or bracket
	return nil
}

// object reads an object at pos into m.
func (d *jsonDecoder) object(m map[string]any) error {
	if err := d.enter(); err != nil {
		return err
	}
	if d.next() == '}' {
		d.pos++
		d.depth--
		return nil
	}
	for {
		if d.next() != '"' {
			return errSyntax
		}
		key, err := d.str()
		if err != nil {
			return err
		}
		if d.next() != ':' {
			return errSyntax
		}
		d.pos++
		v, err := d.value()
		if err != nil {
			return err
		}
		m[key] = v
		switch d.next() {
		case ',':
			d.pos++
		case '}':
			d.pos++
			d.depth--
			return nil
		default:
			return errSyntax
		}
	}
}

func (d *jsonDecoder) array() ([]any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	list := []any{}
	if d.next() == ']' {
		d.pos++
		d.depth--
		return list, nil
	}
	for {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		list = append(list, v)
		switch d.next() {
		case ',':
			d.pos++
		case ']':
			d.pos++
			d.depth--
			return list, nil
		default:
			return nil, errSyntax
		}
	}
}

// number reads a number as written, checked against JSON's grammar.
func (d *jsonDecoder) number() (json.Number, error) {
	start := d.pos
	if d.data[d.pos] == '-' {
		d.pos++
	}
	switch {
	case d.pos < len(d.data) && d.data[d.pos] == '0':
		d.pos++
	case d.digits() == 0:
		return "", errSyntax
	}
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		if d.digits() == 0 {
			return "", errSyntax
		}
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		if d.digits() == 0 {
			return "", errSyntax
		}
	}
	return json.Number(d.data[start:d.pos]), nil
}

func (d *jsonDecoder) digits() int {
	start := d.pos
	for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
		d.pos++
	}
	return d.pos - start
}

// str reads a string at pos. Plain ASCII, nearly every value, is taken as
// it is; escapes and other bytes go through unescape.
func (d *jsonDecoder) str() (string, error) {
	d.pos++
	start := d.pos
	for d.pos < len(d.data) {
		switch c := d.data[d.pos]; {
		case c == '"':
			s := string(d.data[start:d.pos])
			d.pos++
			return s, nil
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			return d.unescape(start)
		}
		d.pos++
	}
	return "", errSyntax
}

// unescape finishes a string begun at start whose plain prefix ends at pos.
func (d *jsonDecoder) unescape(start int) (string, error) {
	b := append(d.buf[:0], d.data[start:d.pos]...)
	defer func() { d.buf = b }()
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			return string(b), nil
		case c < 0x20:
			return "", errSyntax
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(d.data[d.pos:])
			if r == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, d.data[d.pos:d.pos+size]...)
			}
			d.pos += size
		case c != '\\':
			b = append(b, c)
			d.pos++
		default:
			if d.pos+1 == len(d.data) {
				return "", errSyntax
			}
			d.pos += 2
			switch e := d.data[d.pos-1]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(d.data[d.pos:])
				if !ok {
					return "", errSyntax
				}
				d.pos += 4
				if utf16.IsSurrogate(r) {
					// A pair decodes to one rune; anything else leaves the
					// first half as U+FFFD and the next escape to be read
					// on its own, as encoding/json does.
					high := r
					r = utf8.RuneError
					if len(d.data)-d.pos >= 6 && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
						if low, ok := hex4(d.data[d.pos+2:]); ok {
							if pair := utf16.DecodeRune(high, low); pair != utf8.RuneError {
								r = pair
								d.pos += 6
							}
						}
					}
				}
				b = utf8.AppendRune(b, r)
			default:
				return "", errSyntax
			}
		}
	}
	return "", errSyntax
}

// hex4 reads the four hex digits of a \u escape.
func hex4(b []byte) (rune, bool) {
	var v [2]byte
	if len(b) < 4 {
		return 0, false
	}
	if _, err := hex.Decode(v[:], b[:4]); err != nil {
		return 0, false
	}
	return rune(v[0])<<8 | rune(v[1]), true
}
