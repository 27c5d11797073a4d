package jsonstream

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// stringReader yields the decoded bytes of the string value being read,
// escapes resolved, up to (not including) the closing quote. It is the one
// JSON string unescaper: keys, whole strings and streamed values all come
// through it.
type stringReader struct {
	j    *Reader
	done bool
	// pend holds the UTF-8 of a decoded escape or replaced byte not yet
	// delivered.
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
		i := s.plain(buf)
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
		case c >= utf8.RuneSelf:
			if err := s.rune(); err != nil {
				return n, err
			}
		default:
			return n, j.Syntax("invalid control character in string")
		}
	}
	return n, nil
}

// plain returns the length of the prefix of buf that is delivered as it
// is: no quote, backslash or control character, and with Limits.ValidUTF8
// only whole valid UTF-8 sequences.
func (s *stringReader) plain(buf []byte) int {
	valid := s.j.lim.ValidUTF8
	i := 0
	for i < len(buf) {
		// Eight bytes at a time while none needs a look: a base64 resume
		// is megabytes of such bytes.
		for len(buf)-i >= 8 && plainWord(binary.LittleEndian.Uint64(buf[i:]), valid) {
			i += 8
		}
		if i == len(buf) {
			return i
		}
		c := buf[i]
		if c < utf8.RuneSelf {
			if c == '"' || c == '\\' || c < 0x20 {
				return i
			}
			i++
			continue
		}
		if !valid {
			i++
			continue
		}
		// A sequence cut by the end of buf is left to rune, which can
		// read on.
		if !utf8.FullRune(buf[i:]) {
			return i
		}
		r, size := utf8.DecodeRune(buf[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return i
}

// Byte-wise masks for plainWord.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainWord reports whether none of the eight bytes of w is a quote, a
// backslash or a control character (nor, with ascii, a byte of a multi-byte
// sequence). hasZero is exact about whether some byte is zero, and x-n*ones
// & ^x & highs about whether some byte is below n: only a yes is checked
// byte by byte.
func plainWord(w uint64, ascii bool) bool {
	if ascii && w&highs != 0 {
		return false
	}
	hasZero := func(x uint64) bool { return (x-ones)&^x&highs != 0 }
	below := (w-0x20*ones)&^w&highs != 0
	return !below && !hasZero(w^('"'*ones)) && !hasZero(w^('\\'*ones))
}

// rune delivers the UTF-8 sequence at the read position through pend, or
// U+FFFD for an invalid byte, as encoding/json does.
func (s *stringReader) rune() error {
	j := s.j
	b, err := j.r.Peek(utf8.UTFMax)
	if err != nil && !errors.Is(err, io.EOF) && len(b) < utf8.UTFMax {
		return j.readErr(err)
	}
	r, size := utf8.DecodeRune(b)
	if r == utf8.RuneError && size == 1 {
		s.pi, s.pn = 0, utf8.EncodeRune(s.pend[:], utf8.RuneError)
	} else {
		s.pi, s.pn = 0, copy(s.pend[:], b[:size])
	}
	_, _ = j.r.Discard(size)
	return nil
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
		return s.j.Syntax(fmt.Sprintf("invalid escape \\%c in string", c))
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
		return 0, s.j.Syntax("invalid \\u escape in string")
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
