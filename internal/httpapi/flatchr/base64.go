package flatchr

import (
	"bytes"
	"errors"
	"io"
	"sync"
)

// Failures of the lenient base64 decoder, reported on the resume field.
var (
	errBase64Empty   = errors.New("is empty")
	errBase64Invalid = errors.New("is not valid base64")
)

// maxDataURLPrefix bounds `data:<mime>;base64,`; MIME types are short.
const maxDataURLPrefix = 256

// base64Alphabet maps a byte to its 6-bit value in either the standard or
// the URL-safe alphabet; 0xFF marks bytes of neither.
var base64Alphabet = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range len(std) {
		t[std[i]] = byte(i)
	}
	t['-'], t['_'] = 62, 63
	return t
}()

type base64State int

const (
	b64Lead   base64State = iota // leading whitespace
	b64Prefix                    // could still be "data:"
	b64Media                     // inside "data:...", up to the comma
	b64Data                      // base64 characters
	b64Pad                       // after the first '=': only '=' and whitespace
)

// base64Reader decodes a base64 resume as a stream, leniently as spec
// flatchr §2 decides: surrounding whitespace, an optional
// `data:<mime>;base64,` prefix and any trailing '=' are dropped, padding is
// optional (the seed's `SGVsbG8h=` is over-padded, §12 #7), and the URL-safe
// alphabet is accepted when the standard one is not used. Line breaks inside
// the data, which MIME encoders insert, are skipped like Go's decoders do.
type base64Reader struct {
	src   io.Reader
	state base64State
	// pre holds the bytes that may be a data: prefix until it is decided.
	pre  [maxDataURLPrefix]byte
	npre int
	// std and url record which alphabet-specific characters were seen:
	// mixing both is neither encoding.
	std, url bool
	quad     [4]byte
	nq       int
	sextets  int64
	in       [4096]byte
	out      [4096]byte
	oi, on   int
	eof      bool
	err      error
}

// base64Readers keeps the readers, 8.5 KiB of buffers each, between
// resumes.
var base64Readers = sync.Pool{New: func() any { return new(base64Reader) }}

// newBase64Reader decodes src with a pooled reader; release gives it back.
func newBase64Reader(src io.Reader) *base64Reader {
	r := base64Readers.Get().(*base64Reader)
	// The buffers need no clearing: on and the state start at zero, and
	// nothing is read from in or out before it is written.
	r.src, r.state, r.npre, r.std, r.url = src, b64Lead, 0, false, false
	r.quad, r.nq, r.sextets, r.oi, r.on, r.eof, r.err = [4]byte{}, 0, 0, 0, 0, false, nil
	return r
}

// release returns r to the pool; r must not be used afterwards.
func (r *base64Reader) release() {
	r.src = nil
	base64Readers.Put(r)
}

func (r *base64Reader) Read(p []byte) (int, error) {
	for r.oi == r.on {
		if r.err != nil {
			return 0, r.err
		}
		r.oi, r.on = 0, 0
		r.decodeMore()
	}
	n := copy(p, r.out[r.oi:r.on])
	r.oi += n
	return n, nil
}

// decodeMore reads one chunk of input and decodes it into out, or finishes
// at the end of the input. It sets err when the stream is over or broken.
func (r *base64Reader) decodeMore() {
	if r.eof {
		r.finish()
		return
	}
	n, err := r.src.Read(r.in[:])
	in := r.in[:n]
	for i := 0; i < len(in); i++ {
		if r.state == b64Data && r.nq == 0 {
			if i += r.groups(in[i:]); i == len(in) {
				break
			}
		}
		if !r.feed(in[i]) {
			r.err = errBase64Invalid
			return
		}
	}
	switch {
	case err == io.EOF:
		r.eof = true
	case err != nil:
		r.err = err
	}
}

// feed processes one input byte; false means the input is not base64.
func (r *base64Reader) feed(c byte) bool {
	switch r.state {
	case b64Lead:
		if isSpace(c) {
			return true
		}
		r.state = b64Prefix
		return r.feed(c)
	case b64Prefix:
		const scheme = "data:"
		r.pre[r.npre] = c
		r.npre++
		if lower(c) != scheme[r.npre-1] {
			return r.replay()
		}
		if r.npre == len(scheme) {
			r.state = b64Media
		}
		return true
	case b64Media:
		if c != ',' {
			if r.npre == len(r.pre) {
				return false
			}
			r.pre[r.npre] = c
			r.npre++
			return true
		}
		const suffix = ";base64"
		media := r.pre[:r.npre]
		if len(media) < len(suffix) || !bytes.EqualFold(media[len(media)-len(suffix):], []byte(suffix)) {
			return false
		}
		r.state, r.npre = b64Data, 0
		return true
	case b64Pad:
		return c == '=' || isSpace(c)
	}
	return r.data(c)
}

// replay decodes the bytes held while they looked like a data: prefix.
func (r *base64Reader) replay() bool {
	r.state = b64Data
	held := r.npre
	r.npre = 0
	for _, c := range r.pre[:held] {
		if !r.data(c) {
			return false
		}
	}
	return true
}

func (r *base64Reader) data(c byte) bool {
	v := base64Alphabet[c]
	switch {
	case v != 0xFF:
		switch c {
		case '+', '/':
			r.std = true
		case '-', '_':
			r.url = true
		}
		if r.std && r.url {
			return false
		}
		r.quad[r.nq] = v
		r.nq++
		r.sextets++
		if r.nq == 4 {
			r.emit(3)
		}
		return true
	case c == '=':
		r.state = b64Pad
		return true
	case isSpace(c):
		return true
	}
	return false
}

// groups decodes the whole 4-character groups at the start of in that hold
// only the letters and digits both alphabets share, the bulk of any resume,
// and returns how many bytes it consumed. Everything else (the alphabet
// specific characters, padding, whitespace, a short tail) is left to feed,
// byte by byte. It needs state b64Data with no pending sextet, and room for
// len(in)/4*3 bytes in out, which decodeMore's sizes guarantee.
func (r *base64Reader) groups(in []byte) int {
	i := 0
	for ; len(in)-i >= 4; i += 4 {
		a, b, c, d := base64Alphabet[in[i]], base64Alphabet[in[i+1]], base64Alphabet[in[i+2]], base64Alphabet[in[i+3]]
		// 62 and 63 are the characters that tell the alphabets apart; 0xFF
		// is no base64 character at all.
		if a >= 62 || b >= 62 || c >= 62 || d >= 62 {
			break
		}
		q := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
		r.out[r.on], r.out[r.on+1], r.out[r.on+2] = byte(q>>16), byte(q>>8), byte(q)
		r.on += 3
	}
	r.sextets += int64(i)
	return i
}

// emit writes the n bytes (1 to 3) the pending sextets encode. Unused low
// bits of a short final group are ignored, as base64.RawStdEncoding does.
func (r *base64Reader) emit(n int) {
	q := uint32(r.quad[0])<<18 | uint32(r.quad[1])<<12 | uint32(r.quad[2])<<6 | uint32(r.quad[3])
	b := [3]byte{byte(q >> 16), byte(q >> 8), byte(q)}
	r.on += copy(r.out[r.on:], b[:n])
	r.nq = 0
	r.quad = [4]byte{}
}

// finish flushes the last partial group at the end of the input.
func (r *base64Reader) finish() {
	switch r.state {
	case b64Prefix:
		if !r.replay() {
			r.err = errBase64Invalid
			return
		}
	case b64Media:
		r.err = errBase64Invalid
		return
	}
	switch r.nq {
	case 1:
		r.err = errBase64Invalid
		return
	case 2, 3:
		r.emit(r.nq - 1)
	}
	if r.sextets == 0 {
		r.err = errBase64Empty
		return
	}
	r.err = io.EOF
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
