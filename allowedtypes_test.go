package intake_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"intake"
)

// AllowedTypes is the one list of content types a blob store reports: each
// kind's accepted types, nothing else, each once.
func TestAllowedTypes(t *testing.T) {
	want := []string{
		"application/msword",
		"application/pdf",
		"application/vnd.oasis.opendocument.text",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"image/gif",
		"image/jpeg",
		"image/png",
		"image/webp",
		"text/plain",
		"text/rtf",
	}
	got := intake.AllowedTypes()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AllowedTypes (-want +got):\n%s", diff)
	}
	for _, ct := range got {
		accepted := false
		for _, kind := range []intake.DocumentKind{intake.DocResume, intake.DocPortfolio, intake.DocAvatar} {
			accepted = accepted || intake.AllowedType(kind, ct)
		}
		if !accepted {
			t.Errorf("%s is accepted for no kind", ct)
		}
	}
}
