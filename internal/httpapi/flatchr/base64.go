package flatchr

import (
	"bufio"
	"bytes"
	"encoding/base64"
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

// base64Block is how much encoded input is decoded at once: large enough
// that encoding/base64 runs at its own speed, small enough to pool.
const base64Block = 32 << 10

// base64Reader decodes a base64 resume as a stream, leniently as spec
// flatchr §2 decides: surrounding whitespace, an optional
// `data:<mime>;base64,` prefix and any trailing '=' are dropped, padding is
// optional (the seed's `SGVsbG8h=` is over-padded, §12 #7), and the URL-safe
// alphabet is accepted when the standard one is not used. Line breaks and
// blanks inside the data, which MIME encoders insert, are skipped.
//
// The decoding is encoding/base64's, a block at a time. A block the
// library refuses as it stands (blanks, padding, the URL-safe alphabet)
// goes through filter first, and so do the blocks after it: only input
// that needs the lenient rules pays for them.
type base64Reader struct {
	src *bufio.Reader
	// in[:nin] is encoded input not decoded yet: fewer than four
	// characters carried over from the previous block, then a new read.
	in  [base64Block + 4]byte
	nin int
	// in[:nclean] passed filter already: the carry of a filtered block.
	nclean int
	out    [base64Block/4*3 + 3]byte
	// out[oi:on] is decoded and not yet delivered.
	oi, on int
	// std and url record which alphabet-specific characters were seen:
	// mixing both is neither encoding.
	std, url bool
	// dirty is set once a block needed filter; padded once a '=' was seen,
	// after which only '=' and blanks may follow.
	dirty, padded bool
	started       bool
	sextets       int64
	eof           bool
	err           error
}

// base64Readers keeps the readers and their 56 KiB of buffers between
// resumes.
var base64Readers = sync.Pool{New: func() any {
	return &base64Reader{src: bufio.NewReaderSize(nil, 2*maxDataURLPrefix)}
}}

// newBase64Reader decodes src with a pooled reader; release gives it back.
func newBase64Reader(src io.Reader) *base64Reader {
	r := base64Readers.Get().(*base64Reader)
	r.src.Reset(src)
	// The buffers need no clearing: nothing is read from in or out before
	// it is written.
	r.nin, r.nclean, r.oi, r.on = 0, 0, 0, 0
	r.std, r.url, r.dirty, r.padded, r.started = false, false, false, false, false
	r.sextets, r.eof, r.err = 0, false, nil
	return r
}

// release returns r to the pool; r must not be used afterwards.
func (r *base64Reader) release() {
	r.src.Reset(nil)
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

// decodeMore decodes the next block of input into out, or finishes at the
// end of the input. It sets err when the stream is over or broken.
func (r *base64Reader) decodeMore() {
	if !r.started {
		r.started = true
		if !r.skipPrefix() {
			return
		}
	}
	if r.eof {
		r.finish()
		return
	}
	n, err := io.ReadAtLeast(r.src, r.in[r.nin:base64Block], 1)
	switch {
	case err == io.EOF:
		r.eof = true
	case err != nil:
		r.err = err
		return
	}
	r.nin += n
	if !r.decodeBlock() {
		r.err = errBase64Invalid
	}
}

// skipPrefix consumes leading blanks and a `data:<mime>;base64,` prefix.
func (r *base64Reader) skipPrefix() bool {
	for {
		c, err := r.src.ReadByte()
		if err != nil {
			if err != io.EOF {
				r.err = err
				return false
			}
			r.eof = true
			return true
		}
		if !isSpace(c) {
			_ = r.src.UnreadByte()
			break
		}
	}
	const scheme = "data:"
	head, err := r.src.Peek(len(scheme))
	if err != nil && err != io.EOF {
		r.err = err
		return false
	}
	if !bytes.EqualFold(head, []byte(scheme)) {
		return true
	}
	media, err := r.src.Peek(maxDataURLPrefix + 1)
	if err != nil && err != io.EOF {
		r.err = err
		return false
	}
	i := bytes.IndexByte(media, ',')
	const suffix = ";base64"
	if i < 0 || len(media[:i]) < len(suffix) || !bytes.EqualFold(media[i-len(suffix):i], []byte(suffix)) {
		r.err = errBase64Invalid
		return false
	}
	_, _ = r.src.Discard(i + 1)
	return true
}

// decodeBlock decodes the whole groups of in[:nin] into out and carries the
// remaining characters over; false means the input is not base64.
func (r *base64Reader) decodeBlock() bool {
	block := r.in[:r.nin]
	if !r.dirty && !r.padded {
		whole := len(block) &^ 3
		n, err := r.encoding().Decode(r.out[:], block[:whole])
		// encoding/base64 skips '\r' and '\n' itself, which shifts the
		// groups: only a block decoded to the full length was clean.
		if err == nil && n == whole/4*3 {
			if !r.std && !r.url && bytes.ContainsAny(block[:whole], "+/") {
				r.std = true
			}
			r.on, r.sextets = n, r.sextets+int64(whole)
			r.nin, r.nclean = copy(r.in[:], block[whole:]), 0
			return true
		}
		r.dirty = true
	}
	clean, ok := r.filter(block)
	if !ok {
		return false
	}
	whole := len(clean) &^ 3
	n, err := r.encoding().Decode(r.out[:], clean[:whole])
	if err != nil {
		return false
	}
	r.on, r.sextets = n, r.sextets+int64(len(clean))
	// The carried characters are counted again when they are decoded.
	r.sextets -= int64(len(clean) - whole)
	r.nin = copy(r.in[:], clean[whole:])
	r.nclean = r.nin
	return true
}

// filter compacts b in place to its base64 characters, dropping blanks
// and trailing padding, and notes the alphabet; false means b holds
// something else, mixes the alphabets, or data after padding. The first
// nclean bytes of b passed filter before.
func (r *base64Reader) filter(b []byte) ([]byte, bool) {
	w := r.nclean
	for _, c := range b[r.nclean:] {
		switch {
		case isSpace(c):
			continue
		case c == '=':
			r.padded = true
			continue
		case r.padded:
			return nil, false
		case c == '+' || c == '/':
			r.std = true
		case c == '-' || c == '_':
			r.url = true
		case !isAlnum(c):
			return nil, false
		}
		b[w] = c
		w++
	}
	return b[:w], !(r.std && r.url)
}

// encoding is the alphabet the input uses so far: the standard one unless
// a URL-safe character was seen.
func (r *base64Reader) encoding() *base64.Encoding {
	if r.url {
		return base64.RawURLEncoding
	}
	return base64.RawStdEncoding
}

// finish decodes the last, partial group at the end of the input. Unused
// low bits of a short final group are ignored, as base64.RawStdEncoding
// does.
func (r *base64Reader) finish() {
	tail := r.in[:r.nin]
	if clean, ok := r.filter(tail); !ok || len(clean) == 1 {
		r.err = errBase64Invalid
		return
	} else if len(clean) > 0 {
		n, err := r.encoding().Decode(r.out[:], clean)
		if err != nil {
			r.err = errBase64Invalid
			return
		}
		r.on, r.sextets, r.nin, r.nclean = n, r.sextets+int64(len(clean)), 0, 0
		return
	}
	if r.sextets == 0 {
		r.err = errBase64Empty
		return
	}
	r.err = io.EOF
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isAlnum(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}
