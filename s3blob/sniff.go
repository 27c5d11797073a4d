package s3blob

import (
	"mime"
	"sync"

	"github.com/gabriel-vasile/mimetype"

	"intake"
)

// sniffLen and the use of mimetype.SetLimit must stay equal to those of the
// local blob package: the limit is process-wide, and mimetype's text
// detectors treat an input as cut short when it reaches the limit. 1 MiB
// lets DOCX and DOC files be told apart from other ZIP and OLE containers.
const sniffLen = 1 << 20

var limitOnce sync.Once

const octetStream = "application/octet-stream"

var kinds = []intake.DocumentKind{intake.DocResume, intake.DocPortfolio, intake.DocAvatar}

// sniff returns the content type of a blob from its first bytes: the
// nearest detected type that some document kind accepts, else
// octetStream, so a new mimetype detector cannot widen what is accepted.
func sniff(prefix []byte) string {
	limitOnce.Do(func() { mimetype.SetLimit(sniffLen) })
	for m := mimetype.Detect(prefix); m != nil; m = m.Parent() {
		t, _, err := mime.ParseMediaType(m.String())
		if err != nil {
			continue
		}
		for _, k := range kinds {
			if intake.AllowedType(k, t) {
				return t
			}
		}
	}
	return octetStream
}
