package jsonstream

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// ReadNumber reads a number literal and returns its text as written;
// literals longer than Limits.MaxNumber are consumed and reported as
// tooLong.
func (j *Reader) ReadNumber() (text string, tooLong bool, err error) {
	if _, err := j.Peek(); err != nil {
		return "", false, err
	}
	nb := j.scratch[:0]
	defer func() { j.scratch = nb[:0] }()
	nb, _ = j.optional("-", nb)
	c, err := j.readByte()
	if err != nil {
		return "", false, err
	}
	nb = append(nb, c)
	switch {
	case c == '0':
	case c >= '1' && c <= '9':
		nb, _ = j.digits(nb)
	default:
		return "", false, j.Syntax(fmt.Sprintf("invalid character %q in number", c))
	}
	var ok bool
	if nb, ok = j.optional(".", nb); ok {
		var n int
		if nb, n = j.digits(nb); n == 0 {
			return "", false, j.Syntax("missing digits after decimal point")
		}
	}
	if nb, ok = j.optional("eE", nb); ok {
		nb, _ = j.optional("+-", nb)
		var n int
		if nb, n = j.digits(nb); n == 0 {
			return "", false, j.Syntax("missing digits in exponent")
		}
	}
	if j.err != nil {
		return "", false, j.err
	}
	if j.lim.MaxNumber > 0 && len(nb) > j.lim.MaxNumber {
		return "", true, nil
	}
	return string(nb), false, nil
}

// digits consumes a run of decimal digits and returns its length.
func (j *Reader) digits(nb []byte) ([]byte, int) {
	count := 0
	for {
		var ok bool
		if nb, ok = j.optional("0123456789", nb); !ok {
			return nb, count
		}
		count++
	}
}

// optional consumes the next byte into nb if it is one of set (no
// whitespace skipping: used inside number literals). The end of the stream
// is not an error here: the caller's next read reports it if a value was
// due. Past Limits.MaxNumber the bytes are counted, not kept.
func (j *Reader) optional(set string, nb []byte) ([]byte, bool) {
	if j.err != nil {
		return nb, false
	}
	b, err := j.r.Peek(1)
	if err != nil {
		if !errors.Is(err, io.EOF) {
			_ = j.readErr(err)
		}
		return nb, false
	}
	c := b[0]
	if strings.IndexByte(set, c) < 0 {
		return nb, false
	}
	_, _ = j.r.ReadByte()
	if j.lim.MaxNumber > 0 && len(nb) > j.lim.MaxNumber {
		return nb, true
	}
	return append(nb, c), true
}
