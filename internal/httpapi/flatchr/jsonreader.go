package flatchr

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Limits of the streaming JSON reader. A create body holds one object a few
// levels deep; the HR-XML resume of type=json is the deepest thing a client
// sends.
const (
	maxJSONDepth  = 64
	maxJSONKey    = 256
	maxJSONNumber = 256
	jsonBufSize   = 16 << 10
)

// syntaxError is malformed JSON at a byte offset of the stream.
type syntaxError struct {
	msg string
	off int64
}

func (e *syntaxError) Error() string { return fmt.Sprintf("%s at byte %d", e.msg, e.off) }

// jsonReader pulls JSON values from a stream one token at a time. Unlike
// encoding/json's Decoder.Token it can hand a string value out as an
// io.Reader (stringValue), so a base64 resume of megabytes never sits in
// memory, and it skips unknown values without storing them.
//
// The caller drives it: beginObject/nextKey, beginArray/nextElem, then one
// value-reading call per value. The first error is sticky.
type jsonReader struct {
	r     *bufio.Reader
	src   countingReader
	err   error
	depth int
	// first[d] is true until the container at depth d has had its first
	// member, so that nextKey/nextElem know whether a comma is due.
	first [maxJSONDepth + 1]bool
	str   stringReader
	tmp   [512]byte
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

// jsonBuffers keeps the readers' 16 KiB buffers between requests: one per
// create was a third of the JSON decoder's cost, in allocation and GC.
var jsonBuffers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, jsonBufSize) }}

// newJSONReader reads r with a pooled buffer; release gives it back.
func newJSONReader(r io.Reader) *jsonReader {
	j := &jsonReader{}
	j.src.r = r
	j.r = jsonBuffers.Get().(*bufio.Reader)
	j.r.Reset(&j.src)
	j.str.j = j
	j.str.done = true
	return j
}

// release returns the buffer to the pool; j must not be used afterwards.
func (j *jsonReader) release() {
	j.r.Reset(nil)
	jsonBuffers.Put(j.r)
	j.r = nil
}

// offset is the position of the next unread byte.
func (j *jsonReader) offset() int64 { return j.src.n - int64(j.r.Buffered()) }

func (j *jsonReader) syntax(msg string) error {
	if j.err == nil {
		j.err = &syntaxError{msg: msg, off: j.offset()}
	}
	return j.err
}

// readErr records a failure of the underlying stream. Running out of input
// inside a value is malformed JSON; anything else (a body over its cap, a
// dropped connection) is kept as is for the caller to classify.
func (j *jsonReader) readErr(err error) error {
	if errors.Is(err, io.EOF) {
		return j.syntax("unexpected end of JSON input")
	}
	if j.err == nil {
		j.err = err
	}
	return j.err
}

func (j *jsonReader) readByte() (byte, error) {
	if j.err != nil {
		return 0, j.err
	}
	c, err := j.r.ReadByte()
	if err != nil {
		return 0, j.readErr(err)
	}
	return c, nil
}

// peek returns the next non-whitespace byte without consuming it.
func (j *jsonReader) peek() (byte, error) {
	if j.err != nil {
		return 0, j.err
	}
	for {
		c, err := j.r.ReadByte()
		if err != nil {
			return 0, j.readErr(err)
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		_ = j.r.UnreadByte()
		return c, nil
	}
}

func (j *jsonReader) expect(want byte) error {
	c, err := j.peek()
	if err != nil {
		return err
	}
	if c != want {
		return j.syntax(fmt.Sprintf("expected %q, found %q", want, c))
	}
	_, _ = j.r.ReadByte()
	return nil
}

func (j *jsonReader) push() error {
	if j.depth >= maxJSONDepth {
		return j.syntax("JSON nested too deeply")
	}
	j.depth++
	j.first[j.depth] = true
	return nil
}

// beginObject consumes '{'.
func (j *jsonReader) beginObject() error {
	if err := j.expect('{'); err != nil {
		return err
	}
	return j.push()
}

// nextKey moves to the next member of the current object and returns its
// key, or more=false after consuming the closing brace. The caller must then
// read or skip exactly one value. Keys longer than maxJSONKey come back
// empty: no field the decoder knows is that long.
func (j *jsonReader) nextKey() (key string, more bool, err error) {
	c, err := j.peek()
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
	key, tooLong, err := j.collect(maxJSONKey)
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

// beginArray consumes '['.
func (j *jsonReader) beginArray() error {
	if err := j.expect('['); err != nil {
		return err
	}
	return j.push()
}

// nextElem moves to the next element of the current array, or returns
// false after consuming the closing bracket.
func (j *jsonReader) nextElem() (bool, error) {
	c, err := j.peek()
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

// readString reads a string value whole, up to max bytes; a longer one is
// consumed and reported as tooLong with an empty result.
func (j *jsonReader) readString(max int) (s string, tooLong bool, err error) {
	if err := j.expect('"'); err != nil {
		return "", false, err
	}
	j.str.start()
	return j.collect(max)
}

// collect reads the rest of the current string, keeping at most max bytes.
func (j *jsonReader) collect(max int) (string, bool, error) {
	var out []byte
	tooLong := false
	for {
		n, err := j.str.Read(j.tmp[:])
		if !tooLong {
			if len(out)+n > max {
				tooLong, out = true, nil
			} else {
				out = append(out, j.tmp[:n]...)
			}
		}
		if err == io.EOF {
			return string(out), tooLong, nil
		}
		if err != nil {
			return "", false, err
		}
	}
}

// stringValue consumes the opening quote of a string value and returns a
// reader of its decoded bytes. The reader must be read to io.EOF (or the
// reader abandoned on error) before the next call on j.
func (j *jsonReader) stringValue() (io.Reader, error) {
	if err := j.expect('"'); err != nil {
		return nil, err
	}
	j.str.start()
	return &j.str, nil
}

// readNumber reads a number literal and returns its text as written;
// literals longer than maxJSONNumber are consumed and reported as tooLong.
func (j *jsonReader) readNumber() (text string, tooLong bool, err error) {
	nb := numberBuf{}
	if _, err := j.peek(); err != nil {
		return "", false, err
	}
	j.optional("-", &nb)
	c, err := j.readByte()
	if err != nil {
		return "", false, err
	}
	switch {
	case c == '0':
		nb.put(c)
	case c >= '1' && c <= '9':
		nb.put(c)
		j.digits(&nb)
	default:
		return "", false, j.syntax(fmt.Sprintf("invalid character %q in number", c))
	}
	if j.optional(".", &nb) && j.digits(&nb) == 0 {
		return "", false, j.syntax("missing digits after decimal point")
	}
	if j.optional("eE", &nb) {
		j.optional("+-", &nb)
		if j.digits(&nb) == 0 {
			return "", false, j.syntax("missing digits in exponent")
		}
	}
	if j.err != nil {
		return "", false, j.err
	}
	if nb.n > len(nb.b) {
		return "", true, nil
	}
	return string(nb.b[:nb.n]), false, nil
}

// numberBuf keeps the first maxJSONNumber bytes of a number literal and
// counts the rest.
type numberBuf struct {
	b [maxJSONNumber]byte
	n int
}

func (nb *numberBuf) put(c byte) {
	if nb.n < len(nb.b) {
		nb.b[nb.n] = c
	}
	nb.n++
}

// digits consumes a run of decimal digits and returns its length.
func (j *jsonReader) digits(nb *numberBuf) int {
	count := 0
	for j.optional("0123456789", nb) {
		count++
	}
	return count
}

// optional consumes the next byte if it is one of set (no whitespace
// skipping: used inside number literals). The end of the stream is not an
// error here: the caller's next read reports it if a value was due.
func (j *jsonReader) optional(set string, nb *numberBuf) bool {
	if j.err != nil {
		return false
	}
	b, err := j.r.Peek(1)
	if err != nil {
		if !errors.Is(err, io.EOF) {
			_ = j.readErr(err)
		}
		return false
	}
	c := b[0]
	if strings.IndexByte(set, c) < 0 {
		return false
	}
	_, _ = j.r.ReadByte()
	nb.put(c)
	return true
}

// readLiteral reads true, false or null.
func (j *jsonReader) readLiteral() (string, error) {
	c, err := j.peek()
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
		return "", j.syntax(fmt.Sprintf("invalid character %q looking for a value", c))
	}
	for i := 0; i < len(want); i++ {
		c, err := j.readByte()
		if err != nil {
			return "", err
		}
		if c != want[i] {
			return "", j.syntax(fmt.Sprintf("invalid character %q in literal %s", c, want))
		}
	}
	return want, nil
}

// skip consumes one value of any kind without keeping it.
func (j *jsonReader) skip() error {
	c, err := j.peek()
	if err != nil {
		return err
	}
	switch {
	case c == '{':
		if err := j.beginObject(); err != nil {
			return err
		}
		for {
			_, more, err := j.nextKey()
			if err != nil || !more {
				return err
			}
			if err := j.skip(); err != nil {
				return err
			}
		}
	case c == '[':
		if err := j.beginArray(); err != nil {
			return err
		}
		for {
			more, err := j.nextElem()
			if err != nil || !more {
				return err
			}
			if err := j.skip(); err != nil {
				return err
			}
		}
	case c == '"':
		r, err := j.stringValue()
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, r)
		return err
	case c == '-' || (c >= '0' && c <= '9'):
		_, _, err := j.readNumber()
		return err
	default:
		_, err := j.readLiteral()
		return err
	}
}

// end checks that nothing but whitespace follows the top-level value.
func (j *jsonReader) end() error {
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
		return j.syntax(fmt.Sprintf("invalid character %q after top-level value", c))
	}
}
