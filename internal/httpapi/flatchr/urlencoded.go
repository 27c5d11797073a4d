package flatchr

import (
	"bufio"
	"fmt"
	"io"
)

// decodeForm reads an application/x-www-form-urlencoded body as a stream.
func (d *decoder) decodeForm(r io.Reader) error {
	f := newFormReader(r)
	for {
		name, more, err := f.next()
		if err != nil || !more {
			return err
		}
		if err := d.formField(name, &f.val); err != nil {
			return err
		}
	}
}

// formReader splits an urlencoded stream into fields. Names are read whole;
// values are read through val, percent-decoded on the fly, so a large value
// is never held in memory.
type formReader struct {
	r      *bufio.Reader
	val    formValue
	fields int
	err    error
}

// formBufSize is the form reader's buffer: a large value is handed out in
// pieces of at most this size.
const formBufSize = 16 << 10

func newFormReader(r io.Reader) *formReader {
	f := &formReader{r: bufio.NewReaderSize(r, formBufSize)}
	f.val.f = f
	f.val.done = true
	return f
}

func (f *formReader) fail(err error) error {
	if f.err == nil {
		f.err = err
	}
	return f.err
}

// next drains the previous value and returns the next field's name.
func (f *formReader) next() (string, bool, error) {
	if _, err := io.Copy(io.Discard, &f.val); err != nil {
		return "", false, err
	}
	for {
		c, err := f.r.ReadByte()
		if err == io.EOF {
			return "", false, nil
		}
		if err != nil {
			return "", false, f.fail(err)
		}
		if c != '&' {
			_ = f.r.UnreadByte()
			break
		}
	}
	f.fields++
	if f.fields > maxFormFields {
		return "", false, f.fail(&formError{"too many form fields"})
	}
	f.val.start(true)
	key, err := io.ReadAll(io.LimitReader(&f.val, maxFormKey+1))
	if err != nil {
		return "", false, err
	}
	if len(key) > maxFormKey {
		key = nil
		if _, err := io.Copy(io.Discard, &f.val); err != nil {
			return "", false, err
		}
	}
	if f.val.term == '=' {
		f.val.start(false)
	}
	return string(key), true, nil
}

// formValue reads the current name (up to '=') or value (up to '&'),
// percent-decoded.
type formValue struct {
	f       *formReader
	inKey   bool
	plusRaw bool
	done    bool
	// term is the byte that ended the name or value, 0 at the end of the
	// body.
	term byte
}

func (v *formValue) start(inKey bool) {
	v.inKey, v.plusRaw, v.done, v.term = inKey, false, false, 0
}

// keepPlus makes '+' decode as itself instead of a space.
func (v *formValue) keepPlus() { v.plusRaw = true }

func (v *formValue) Read(p []byte) (int, error) {
	f := v.f
	n := 0
	for n < len(p) {
		if v.done {
			return n, io.EOF
		}
		if f.err != nil {
			return n, f.err
		}
		if f.r.Buffered() == 0 {
			if n > 0 {
				return n, nil
			}
			if _, err := f.r.Peek(1); err != nil {
				if err == io.EOF {
					v.done = true
					continue
				}
				return n, f.fail(err)
			}
		}
		buf, _ := f.r.Peek(f.r.Buffered())
		if room := len(p) - n; len(buf) > room {
			buf = buf[:room]
		}
		i := 0
		for i < len(buf) && !v.special(buf[i]) {
			i++
		}
		n += copy(p[n:], buf[:i])
		_, _ = f.r.Discard(i)
		if i == len(buf) {
			continue
		}
		c := buf[i]
		_, _ = f.r.Discard(1)
		switch c {
		case '&', '=':
			v.done, v.term = true, c
		case '+':
			p[n] = ' '
			if v.plusRaw {
				p[n] = '+'
			}
			n++
		case '%':
			b, err := v.unescape()
			if err != nil {
				return n, err
			}
			p[n] = b
			n++
		}
	}
	return n, nil
}

func (v *formValue) special(c byte) bool {
	return c == '%' || c == '+' || c == '&' || (c == '=' && v.inKey)
}

func (v *formValue) unescape() (byte, error) {
	var hex [2]byte
	for i := range hex {
		c, err := v.f.r.ReadByte()
		if err == io.EOF {
			return 0, v.f.fail(&formError{"invalid URL escape at the end of the body"})
		}
		if err != nil {
			return 0, v.f.fail(err)
		}
		hex[i] = c
	}
	hi, ok1 := unhex(hex[0])
	lo, ok2 := unhex(hex[1])
	if !ok1 || !ok2 {
		return 0, v.f.fail(&formError{fmt.Sprintf("invalid URL escape %q", "%"+string(hex[:]))})
	}
	return hi<<4 | lo, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
