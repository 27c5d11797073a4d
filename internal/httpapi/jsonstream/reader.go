// Package jsonstream reads JSON from a stream one token at a time, for the
// request decoders of both dialects. Unlike encoding/json's Decoder.Token it
// can hand a string value out as an io.Reader (StringValue), so a base64
// resume of megabytes never sits in memory, and it skips unknown values
// without storing them. It holds the one JSON string unescaper of intake.
package jsonstream

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sync"
)

// bufSize is the read buffer of a Reader: the bytes of a string value are
// handed out in pieces of at most this size.
const bufSize = 16 << 10

// Limits bound what a Reader accepts. A zero MaxKey or MaxNumber means no
// limit of its own: the body's cap bounds it.
type Limits struct {
	// MaxDepth is the deepest nesting of objects and arrays accepted;
	// deeper input is a syntax error.
	MaxDepth int
	// MaxKey is the longest object key kept: longer keys come back empty,
	// as no field a decoder knows is that long.
	MaxKey int
	// MaxNumber is the longest number literal kept: longer ones are read
	// and reported as too long.
	MaxNumber int
	// ValidUTF8 makes strings valid UTF-8, each invalid byte becoming
	// U+FFFD as encoding/json does. Without it the bytes are kept as sent,
	// for the caller to refuse.
	ValidUTF8 bool
}

// SyntaxError is malformed JSON at a byte offset of the stream.
type SyntaxError struct {
	Msg    string
	Offset int64
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s at byte %d", e.Msg, e.Offset) }

// Reader pulls JSON values from a stream. The caller drives it:
// BeginObject/NextKey, BeginArray/NextElem, then one value-reading call per
// value. The first error is sticky: every later call returns it.
type Reader struct {
	r     *bufio.Reader
	src   countingReader
	lim   Limits
	err   error
	depth int
	// first[d] is true until the container at depth d has had its first
	// member, so that NextKey/NextElem know whether a comma is due.
	first   []bool
	str     stringReader
	scratch []byte
}

// countingReader counts the bytes read from the stream, for error offsets.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readers keeps Readers and their 16 KiB buffers between requests: one
// buffer per create was a third of the decoder's cost, in allocation and GC.
var readers = sync.Pool{New: func() any {
	j := &Reader{r: bufio.NewReaderSize(nil, bufSize), first: make([]bool, 1, 65)}
	j.str.j = j
	return j
}}

// NewReader reads r within lim with a pooled Reader; Release gives it back.
func NewReader(r io.Reader, lim Limits) *Reader {
	j := readers.Get().(*Reader)
	j.src = countingReader{r: r}
	j.r.Reset(&j.src)
	j.lim, j.err, j.depth = lim, nil, 0
	j.first = j.first[:1]
	j.str.done, j.str.pi, j.str.pn = true, 0, 0
	return j
}

// Release returns j to the pool; j must not be used afterwards.
func (j *Reader) Release() {
	j.r.Reset(nil)
	j.src.r = nil
	if cap(j.scratch) > bufSize {
		j.scratch = nil
	}
	readers.Put(j)
}

// Offset is the position of the next unread byte.
func (j *Reader) Offset() int64 { return j.src.n - int64(j.r.Buffered()) }

// Syntax records malformed input at the current offset and returns the
// sticky error.
func (j *Reader) Syntax(msg string) error {
	if j.err == nil {
		j.err = &SyntaxError{Msg: msg, Offset: j.Offset()}
	}
	return j.err
}

// readErr records a failure of the underlying stream. Running out of input
// inside a value is malformed JSON; anything else (a body over its cap, a
// dropped connection) is kept as is for the caller to classify.
func (j *Reader) readErr(err error) error {
	if errors.Is(err, io.EOF) {
		return j.Syntax("unexpected end of JSON input")
	}
	if j.err == nil {
		j.err = err
	}
	return j.err
}

func (j *Reader) readByte() (byte, error) {
	if j.err != nil {
		return 0, j.err
	}
	c, err := j.r.ReadByte()
	if err != nil {
		return 0, j.readErr(err)
	}
	return c, nil
}

// Peek returns the next non-whitespace byte without consuming it.
func (j *Reader) Peek() (byte, error) {
	if j.err != nil {
		return 0, j.err
	}
	for {
		buf, _ := j.r.Peek(j.r.Buffered())
		for i, c := range buf {
			switch c {
			case ' ', '\t', '\r', '\n':
				continue
			}
			_, _ = j.r.Discard(i)
			return c, nil
		}
		_, _ = j.r.Discard(len(buf))
		if _, err := j.r.Peek(1); err != nil {
			return 0, j.readErr(err)
		}
	}
}

func (j *Reader) expect(want byte) error {
	c, err := j.Peek()
	if err != nil {
		return err
	}
	if c != want {
		return j.Syntax(fmt.Sprintf("expected %q, found %q", want, c))
	}
	_, _ = j.r.ReadByte()
	return nil
}

func (j *Reader) push() error {
	if j.depth >= j.lim.MaxDepth {
		return j.Syntax("JSON nested too deeply")
	}
	j.depth++
	if j.depth == len(j.first) {
		j.first = append(j.first, true)
	}
	j.first[j.depth] = true
	return nil
}

// BeginObject consumes '{'.
func (j *Reader) BeginObject() error {
	if err := j.expect('{'); err != nil {
		return err
	}
	return j.push()
}

// NextKey moves to the next member of the current object and returns its
// key, or more=false after consuming the closing brace. The caller must then
// read or skip exactly one value. Keys longer than Limits.MaxKey come back
// empty.
func (j *Reader) NextKey() (key string, more bool, err error) {
	c, err := j.Peek()
	if err != nil {
		return "", false, err
	}
	if c == '}' {
		_, _ = j.r.ReadByte()
		j.depth--
		return "", false, nil
	}
	if !j.first[j.depth] {
		if err := j.expect(','); err != nil {
			return "", false, err
		}
	}
	j.first[j.depth] = false
	if err := j.expect('"'); err != nil {
		return "", false, err
	}
	j.str.start()
	key, tooLong, err := j.collect(j.lim.MaxKey)
	if err != nil {
		return "", false, err
	}
	if tooLong {
		key = ""
	}
	if err := j.expect(':'); err != nil {
		return "", false, err
	}
	return key, true, nil
}

// BeginArray consumes '['.
func (j *Reader) BeginArray() error {
	if err := j.expect('['); err != nil {
		return err
	}
	return j.push()
}

// NextElem moves to the next element of the current array, or returns
// false after consuming the closing bracket.
func (j *Reader) NextElem() (bool, error) {
	c, err := j.Peek()
	if err != nil {
		return false, err
	}
	if c == ']' {
		_, _ = j.r.ReadByte()
		j.depth--
		return false, nil
	}
	if !j.first[j.depth] {
		if err := j.expect(','); err != nil {
			return false, err
		}
	}
	j.first[j.depth] = false
	return true, nil
}

// ReadString reads a string value whole, up to max bytes (0: no limit); a
// longer one is consumed and reported as tooLong with an empty result.
func (j *Reader) ReadString(max int) (s string, tooLong bool, err error) {
	if err := j.expect('"'); err != nil {
		return "", false, err
	}
	j.str.start()
	return j.collect(max)
}

// collect reads the rest of the current string, keeping at most max bytes
// (0: all of them).
func (j *Reader) collect(max int) (string, bool, error) {
	// Nearly every key and value is plain text already in the buffer: it
	// is taken from there, without a copy through scratch.
	if buf, _ := j.r.Peek(j.r.Buffered()); len(buf) > 0 {
		if i := j.str.plain(buf); i < len(buf) && buf[i] == '"' {
			if max > 0 && i > max {
				_, _ = j.r.Discard(i + 1)
				j.str.done = true
				return "", true, nil
			}
			s := string(buf[:i])
			_, _ = j.r.Discard(i + 1)
			j.str.done = true
			return s, false, nil
		}
	}
	out := j.scratch[:0]
	tooLong := false
	for {
		if len(out) == cap(out) {
			out = append(out, 0)[:len(out)]
		}
		n, err := j.str.Read(out[len(out):cap(out)])
		out = out[:len(out)+n]
		if max > 0 && len(out) > max {
			tooLong, out = true, out[:0]
		}
		if err != nil {
			j.scratch = out[:0]
			switch {
			case err != io.EOF:
				return "", false, err
			case tooLong:
				return "", true, nil
			}
			return string(out), false, nil
		}
	}
}

// StringValue consumes the opening quote of a string value and returns a
// reader of its decoded bytes. The reader must be read to io.EOF (or
// abandoned on error) before the next call on j.
func (j *Reader) StringValue() (io.Reader, error) {
	if err := j.expect('"'); err != nil {
		return nil, err
	}
	j.str.start()
	return &j.str, nil
}

// ReadLiteral reads true, false or null.
func (j *Reader) ReadLiteral() (string, error) {
	c, err := j.Peek()
	if err != nil {
		return "", err
	}
	var want string
	switch c {
	case 't':
		want = "true"
	case 'f':
		want = "false"
	case 'n':
		want = "null"
	default:
		return "", j.Syntax(fmt.Sprintf("invalid character %q looking for a value", c))
	}
	for i := 0; i < len(want); i++ {
		c, err := j.readByte()
		if err != nil {
			return "", err
		}
		if c != want[i] {
			return "", j.Syntax(fmt.Sprintf("invalid character %q in literal %s", c, want))
		}
	}
	return want, nil
}

// Skip consumes one value of any kind without keeping it.
func (j *Reader) Skip() error {
	c, err := j.Peek()
	if err != nil {
		return err
	}
	switch {
	case c == '{':
		if err := j.BeginObject(); err != nil {
			return err
		}
		for {
			_, more, err := j.NextKey()
			if err != nil || !more {
				return err
			}
			if err := j.Skip(); err != nil {
				return err
			}
		}
	case c == '[':
		if err := j.BeginArray(); err != nil {
			return err
		}
		for {
			more, err := j.NextElem()
			if err != nil || !more {
				return err
			}
			if err := j.Skip(); err != nil {
				return err
			}
		}
	case c == '"':
		r, err := j.StringValue()
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, r)
		return err
	case c == '-' || (c >= '0' && c <= '9'):
		_, _, err := j.ReadNumber()
		return err
	default:
		_, err := j.ReadLiteral()
		return err
	}
}

// End checks that nothing but whitespace follows the top-level value.
func (j *Reader) End() error {
	if j.err != nil {
		return j.err
	}
	for {
		c, err := j.r.ReadByte()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return j.readErr(err)
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		_ = j.r.UnreadByte()
		return j.Syntax(fmt.Sprintf("invalid character %q after top-level value", c))
	}
}
