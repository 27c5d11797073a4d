package crashtest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
)

// minResume is the smallest resume made: room for a PDF's header and
// trailer around some content.
const minResume = 64

// Resume is what the harness knows of a resume it sent: enough to check the
// stored copy without keeping the bytes.
type Resume struct {
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
	PDF    bool   `json:"pdf"`
}

// FileName is the name the resume is sent under.
func (r *Resume) FileName() string {
	if r.PDF {
		return "resume.pdf"
	}
	return "resume.txt"
}

// ContentType is the type the resume is declared as; the server sniffs its
// own.
func (r *Resume) ContentType() string {
	if r.PDF {
		return "application/pdf"
	}
	return "text/plain"
}

// resumeBytes makes request id's resume, the same bytes every time for the
// same seed and id, so that the file server can serve a WelcomeKit fetch
// without keeping them: a PDF (header, random binary body, trailer) or
// plain text of random words, of a size drawn log-uniformly in
// [minResume, max] so that most are small and some large.
func resumeBytes(seed uint64, id int, max int) ([]byte, *Resume) {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:8], seed)
	binary.LittleEndian.PutUint64(key[8:16], uint64(id))
	copy(key[16:], "intake-crashtest")
	rng := rand.New(rand.NewChaCha8(key))
	max = int(math.Max(float64(max), minResume))
	size := int(math.Exp(rng.Float64()*math.Log(float64(max)/minResume)) * minResume)
	size = min(max, size)
	b := make([]byte, size)
	pdf := rng.IntN(2) == 0
	if pdf {
		head, tail := "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "\n%%EOF\n"
		copy(b, head)
		for i := len(head); i < size-len(tail); i++ {
			b[i] = byte(rng.Uint32())
		}
		copy(b[size-len(tail):], tail)
	} else {
		i := 0
		for i < size {
			w := words[rng.IntN(len(words))]
			i += copy(b[i:], w)
			if i < size {
				sep := byte(' ')
				if rng.IntN(12) == 0 {
					sep = '\n'
				}
				b[i] = sep
				i++
			}
		}
	}
	sum := sha256.Sum256(b)
	return b, &Resume{Size: size, SHA256: hex.EncodeToString(sum[:]), PDF: pdf}
}

var words = []string{
	"experience", "engineer", "project", "team", "lead", "python", "go", "sql",
	"metrology", "quality", "customer", "delivery", "design", "testing", "years",
	"skills", "languages", "french", "english", "education", "master", "degree",
	"internship", "paris", "lyon", "remote", "contract", "manager", "support",
}
