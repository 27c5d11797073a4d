package flatchr

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// stringReader yields the decoded bytes of the string value being read,
// escapes resolved, up to (not including) the closing quote.
type stringReader struct {
	j    *jsonReader
	done bool
	// pend holds the UTF-8 of a decoded escape not yet delivered.
	pend   [utf8.UTFMax]byte
	pi, pn int
}

func (s *stringReader) start() { s.done, s.pi, s.pn = false, 0, 0 }

func (s *stringReader) Read(p []byte) (int, error) {
	j := s.j
	n := 0
	for n < len(p) {
		if s.pi < s.pn {
			c := copy(p[n:], s.pend[s.pi:s.pn])
			s.pi += c
			n += c
			continue
		}
		if s.done {
			return n, io.EOF
		}
		if j.err != nil {
			return n, j.err
		}
		if j.r.Buffered() == 0 {
			if n > 0 {
				// Hand out what we have rather than block for more.
				return n, nil
			}
			if _, err := j.r.Peek(1); err != nil {
				return n, j.readErr(err)
			}
		}
		buf, _ := j.r.Peek(j.r.Buffered())
		if room := len(p) - n; len(buf) > room {
			buf = buf[:room]
		}
		i := 0
		for i < len(buf) && buf[i] != '"' && buf[i] != '\\' && buf[i] >= 0x20 {
			i++
		}
		n += copy(p[n:], buf[:i])
		_, _ = j.r.Discard(i)
		if i == len(buf) {
			continue
		}
		switch c := buf[i]; {
		case c == '"':
			_, _ = j.r.Discard(1)
			s.done = true
		case c == '\\':
			_, _ = j.r.Discard(1)
			if err := s.escape(); err != nil {
				return n, err
			}
		default:
			return n, j.syntax("invalid control character in string")
		}
	}
	return n, nil
}

// escape decodes the escape sequence after a backslash into pend. Lone or
// mismatched surrogates become U+FFFD, as encoding/json does.
func (s *stringReader) escape() error {
	c, err := s.j.readByte()
	if err != nil {
		return err
	}
	var r rune
	switch c {
	case '"', '\\', '/':
		r = rune(c)
	case 'b':
		r = '\b'
	case 'f':
		r = '\f'
	case 'n':
		r = '\n'
	case 'r':
		r = '\r'
	case 't':
		r = '\t'
	case 'u':
		if r, err = s.hex4(); err != nil {
			return err
		}
		if utf16.IsSurrogate(r) {
			r, err = s.lowSurrogate(r)
			if err != nil {
				return err
			}
		}
	default:
		return s.j.syntax(fmt.Sprintf("invalid escape \\%c in string", c))
	}
	s.pi, s.pn = 0, utf8.EncodeRune(s.pend[:], r)
	return nil
}

// lowSurrogate completes a surrogate pair when a \u low surrogate follows
// high; otherwise high becomes U+FFFD and the next escape is left unread.
func (s *stringReader) lowSurrogate(high rune) (rune, error) {
	j := s.j
	b, err := j.r.Peek(6)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, j.readErr(err)
	}
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return utf8.RuneError, nil
	}
	low, ok := parseHex4(b[2:6])
	if !ok {
		return utf8.RuneError, nil
	}
	r := utf16.DecodeRune(high, low)
	if r == utf8.RuneError {
		return r, nil
	}
	_, _ = j.r.Discard(6)
	return r, nil
}

func (s *stringReader) hex4() (rune, error) {
	var b [4]byte
	for i := range b {
		c, err := s.j.readByte()
		if err != nil {
			return 0, err
		}
		b[i] = c
	}
	r, ok := parseHex4(b[:])
	if !ok {
		return 0, s.j.syntax("invalid \\u escape in string")
	}
	return r, nil
}

func parseHex4(b []byte) (rune, bool) {
	var v [2]byte
	if _, err := hex.Decode(v[:], b); err != nil {
		return 0, false
	}
	return rune(v[0])<<8 | rune(v[1]), true
}
