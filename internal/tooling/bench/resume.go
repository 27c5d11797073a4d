package bench

import (
	"fmt"
	"math/rand/v2"
)

// pdfHead and pdfTail frame the resume payload: a one-page PDF whose content
// stream is incompressible filler, as a scanned or image-heavy CV is. The
// stream length is written with a fixed width so the frame's size does not
// depend on the payload's.
const (
	pdfHead = "%%PDF-1.7\n%%\xe2\xe3\xcf\xd3\n" +
		"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
		"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
		"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n" +
		"4 0 obj\n<< /Length %010d /Filter /FlateDecode >>\nstream\n"
	pdfTail = "\nendstream\nendobj\ntrailer\n<< /Size 5 /Root 1 0 R >>\n%%EOF\n"
)

// Resume returns a PDF-looking file of exactly size bytes: a PDF header and
// trailer around pseudo-random stream bytes, the same for the same size. A
// size smaller than the frame gives the frame's first size bytes, which
// still start with the PDF magic when size ≥ 5.
func Resume(size int) []byte {
	if size <= 0 {
		return []byte{}
	}
	frame := len(fmt.Sprintf(pdfHead, 0)) + len(pdfTail)
	fill := max(0, size-frame)
	out := make([]byte, 0, max(size, frame))
	out = fmt.Appendf(out, pdfHead, fill)
	rng := rand.New(rand.NewChaCha8([32]byte{'i', 'n', 't', 'a', 'k', 'e'}))
	for range fill / 8 {
		v := rng.Uint64()
		out = append(out, byte(v), byte(v>>8), byte(v>>16), byte(v>>24), byte(v>>32), byte(v>>40), byte(v>>48), byte(v>>56))
	}
	for range fill % 8 {
		out = append(out, byte(rng.Uint32()))
	}
	out = append(out, pdfTail...)
	return out[:size]
}
