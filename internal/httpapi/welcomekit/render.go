package welcomekit

import (
	"net/http"
	"net/url"
	"time"

	"intake"
	"intake/internal/httpapi/download"
)

// candidateJSON is the vendor's candidate object. Field order is the seed's
// key order, then the later `archived`, then the GET-only extras (spec
// welcomekit §2 Response). Pointers are the keys the seed shows as null.
type candidateJSON struct {
	Reference         string      `json:"reference"`
	CoverLetter       string      `json:"cover_letter"`
	CreatedAt         string      `json:"created_at"`
	JobID             int64       `json:"job_id"`
	JobReference      string      `json:"job_reference"`
	ModalPath         string      `json:"modal_path"`
	Origin            *string     `json:"origin"`
	PortfolioSize     *int64      `json:"portfolio_size"`
	PortfolioURL      *string     `json:"portfolio_url"`
	ResumeContentType *string     `json:"resume_content_type"`
	ResumeSize        *int64      `json:"resume_size"`
	ResumeURL         *string     `json:"resume_url"`
	StageID           int64       `json:"stage_id"`
	UpdatedAt         string      `json:"updated_at"`
	Profile           profileJSON `json:"profile"`
	Archived          bool        `json:"archived"`
	Stage             *stageJSON  `json:"stage,omitempty"`
	// Tags is nil unless asked for; an empty list is then still sent.
	Tags []string `json:"tags,omitzero"`
}

// profileJSON is the candidate's profile, keys in the vendor's alphabetical
// order. No param fills the address keys; the seed shows them null.
type profileJSON struct {
	Address     *string `json:"address"`
	AvatarURL   string  `json:"avatar_url"`
	City        *string `json:"city"`
	Civility    *string `json:"civility"`
	CountryCode *string `json:"country_code"`
	CountryName *string `json:"country_name"`
	Email       string  `json:"email"`
	Firstname   string  `json:"firstname"`
	Lastname    string  `json:"lastname"`
	Phone       *string `json:"phone"`
	Subtitle    *string `json:"subtitle"`
	ZipCode     *string `json:"zip_code"`
}

// stageJSON is the vendor's stage object (spec welcomekit §3 Stage object).
type stageJSON struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Reference *string `json:"reference"`
	Visible   bool    `json:"visible"`
}

// timeLayout is the vendor's timestamp: milliseconds and a numeric offset,
// never Z (spec welcomekit §9 #12).
const timeLayout = "2006-01-02T15:04:05.000-07:00"

// candidate renders c; r supplies the base of absolute URLs when
// Options.PublicURL is empty.
func (h *handler) candidate(r *http.Request, c *intake.Candidate, v view) candidateJSON {
	base := download.BaseURL(r, h.public)
	// A new candidate's two times are one: formatted once.
	created := h.timestamp(c.CreatedAt)
	updated := created
	if !c.UpdatedAt.Equal(c.CreatedAt) {
		updated = h.timestamp(c.UpdatedAt)
	}
	out := candidateJSON{
		Reference:    c.Reference,
		CoverLetter:  c.CoverLetter,
		CreatedAt:    created,
		JobID:        c.Job.ID,
		JobReference: c.Job.Reference,
		ModalPath: "/dashboard/o/" + url.PathEscape(c.Org.Reference) + "/jobs/" +
			url.PathEscape(c.Job.Reference) + "/card/" + url.PathEscape(c.Reference),
		Origin:    nullable(c.Origin),
		StageID:   c.StageID,
		UpdatedAt: updated,
		Profile: profileJSON{
			AvatarURL: base + h.avatarPath,
			Civility:  nullable(c.Person.Civility),
			Email:     c.Person.Email,
			Firstname: c.Person.Firstname,
			Lastname:  c.Person.Lastname,
			Phone:     nullable(c.Person.Phone),
			Subtitle:  nullable(c.Person.Subtitle),
		},
		Archived: c.Archived,
	}
	if d := c.Resume; d != nil {
		out.ResumeURL = h.fileURL(base, d)
		out.ResumeSize = &d.Size
		out.ResumeContentType = &d.ContentType
	}
	if d := c.Portfolio; d != nil {
		out.PortfolioURL = h.fileURL(base, d)
		out.PortfolioSize = &d.Size
	}
	if u := h.fileURL(base, c.Avatar); u != nil {
		out.Profile.AvatarURL = *u
	}
	if v.Stage {
		if st, ok := c.Stage(); ok {
			out.Stage = &stageJSON{ID: st.ID, Name: st.Name, Reference: nullable(st.Reference), Visible: st.Visible}
		}
	}
	if v.Tags {
		out.Tags = append([]string{}, c.Tags...)
	}
	return out
}

// fileURL is the absolute signed URL of a stored document; nil without a
// document or without a signer.
func (h *handler) fileURL(base string, d *intake.Document) *string {
	if d == nil || h.files == nil {
		return nil
	}
	u := base + h.files.Path(d)
	return &u
}

func (h *handler) timestamp(t time.Time) string { return t.In(h.loc).Format(timeLayout) }

// nullable is nil for "", which the vendor sends as null.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
