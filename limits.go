package intake

import "slices"

// Field limits, enforced by the Service for every dialect. Dialects add body
// limits of their own derived from these.
const (
	MaxNameLength     = 255
	MaxEmailLength    = 254
	MaxPhoneLength    = 50
	MaxShortText      = 255 // subtitle, origin, referrer, tags, file names
	MaxURLLength      = 2048
	MaxLongText       = 64 << 10 // comment, cover letter
	MaxTags           = 50
	MaxAnswers        = 200
	MaxAnswerLength   = 10_000
	MaxIdempotencyKey = 255

	// MaxResumeBytes caps a resume, whatever the dialect: the Flatchr decision
	// (10 MiB decoded) is the larger of the two vendors' limits.
	MaxResumeBytes = 10 << 20
	// MaxRemoteResumeBytes is WelcomeKit's documented 5 MB for
	// remote_resume_url.
	MaxRemoteResumeBytes = 5 << 20
	MaxPortfolioBytes    = 10 << 20
	MaxAvatarBytes       = 5 << 20
)

// allowedTypes lists, per document kind, the sniffed content types accepted.
var allowedTypes = map[DocumentKind]map[string]bool{
	DocResume: {
		"application/pdf":    true,
		"application/msword": true,
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
		"application/vnd.oasis.opendocument.text":                                 true,
		"text/rtf":   true,
		"text/plain": true,
		"image/jpeg": true,
		"image/png":  true,
	},
	DocPortfolio: {"application/pdf": true},
	DocAvatar: {
		"image/jpeg": true,
		"image/png":  true,
		"image/gif":  true,
		"image/webp": true,
	},
}

// AllowedType reports whether a sniffed content type is accepted for kind.
func AllowedType(kind DocumentKind, contentType string) bool {
	return allowedTypes[kind][contentType]
}

// AllowedTypes returns, sorted, every content type some document kind
// accepts: the types a blob store may report when it sniffs a file, any
// other being application/octet-stream, so that this table alone decides
// what can be accepted.
func AllowedTypes() []string {
	var all []string
	for _, types := range allowedTypes {
		for t := range types {
			if !slices.Contains(all, t) {
				all = append(all, t)
			}
		}
	}
	slices.Sort(all)
	return all
}
