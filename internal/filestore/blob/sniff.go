package blob

import (
	"sync"

	"github.com/gabriel-vasile/mimetype"

	"intake"
)

// SniffLen bounds the prefix of each blob kept in memory for type detection.
// The detectors need more than mimetype's 4 KiB default: a DOCX is only
// recognised once an entry under word/ is seen, and writers may put
// [Content_Types].xml, _rels/ and docProps/ (with a thumbnail image) before
// it; a DOC is only told apart from other OLE files by its directory and
// summary streams, which Word writes after the document streams. 1 MiB
// covers both for the resumes we expect while keeping memory bounded per
// upload (the buffer grows with the data, so small files cost little). An
// ODT needs only its first 30+ bytes.
const SniffLen = 1 << 20

// limitOnce sets mimetype's read limit, a process-wide setting: mimetype
// truncates every input to it, and its text detectors treat an input as cut
// short when it reaches it, so it must equal the prefix length we pass.
var limitOnce sync.Once

// octetStream is the type of any content not recognised as a known type.
const octetStream = "application/octet-stream"

// knownTypes are the names under which sniffed types are reported: those
// intake.AllowedType accepts for some kind. Anything else is reported as
// octetStream, so a new detector in mimetype cannot widen what is accepted.
var knownTypes = intake.AllowedTypes()

// Sniff returns the bare content type of a blob from its first bytes (at
// most SniffLen). A more specific detection falls back to its nearest
// known ancestor: a resume that happens to parse as CSV or HTML is still
// text/plain, while a generic OLE or ZIP container, whose ancestors are not
// known, is octetStream.
func Sniff(prefix []byte) string {
	limitOnce.Do(func() { mimetype.SetLimit(SniffLen) })
	for m := mimetype.Detect(prefix); m != nil; m = m.Parent() {
		for _, t := range knownTypes {
			if m.Is(t) {
				return t
			}
		}
	}
	return octetStream
}
