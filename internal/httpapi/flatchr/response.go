package flatchr

import (
	"net/http"

	"intake"
	"intake/internal/httpapi/download"
)

// defaultResponse is the later docs' `response` (spec flatchr §2 Response).
const defaultResponse = "applicant created"

// createJSON is the create answer, HTTP 200 (spec flatchr §2 Response, §12
// #4): the later docs' {status, response} followed by the seed's diffusion
// fields, which describe the vacancy's career-site diffusion.
//
// Applicant, Reference and CV are our extension within the spec's "superset"
// decision: the applicant's encoded id (the `applicant` of search results,
// §5), its WelcomeKit reference and a signed link to the stored resume, so
// that an integrator can cross-reference and check what was stored. They
// are left out on /test, where nothing is stored for them to name.
type createJSON struct {
	Status   int    `json:"status"`
	Response string `json:"response"`
	diffusionJSON
	// Similarities is sent only when asked for; the domain computes no
	// similar vacancies, so it is empty (§12 #20).
	Similarities *[]vacancyJSON `json:"similarities,omitempty"`
	Applicant    string         `json:"applicant,omitempty"`
	Reference    string         `json:"reference,omitempty"`
	CV           string         `json:"cv,omitempty"`
}

// createBody renders the answer to a create of c.
func (h *handler) createBody(r *http.Request, c *intake.Candidate, in *createInput, dryRun bool) createJSON {
	out := createJSON{
		Status:        http.StatusOK,
		Response:      responseText(in),
		diffusionJSON: diffusion(c.Org, c.Job),
	}
	if in.Similarities != nil && *in.Similarities {
		out.Similarities = &[]vacancyJSON{}
	}
	if !dryRun {
		out.Applicant = c.ApplicantKey
		out.Reference = c.Reference
		if h.files != nil && c.Resume != nil {
			out.CV = download.BaseURL(r, h.public) + h.files.Path(c.Resume)
		}
	}
	return out
}

// responseText is response_text when given (spec flatchr §2: "text to send
// back instead of the configured one").
func responseText(in *createInput) string {
	if s := deref(in.ResponseText); s != "" {
		return s
	}
	return defaultResponse
}
