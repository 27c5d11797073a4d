package flatchr

import (
	"net/http"
	"strings"
)

// tagJSON is a tag definition (spec flatchr §3 tag, §9).
type tagJSON struct {
	ID                      string   `json:"id"`
	TagID                   int64    `json:"tag_id"`
	CompanyID               int64    `json:"company_id"`
	Title                   string   `json:"title"`
	Values                  string   `json:"values"`
	Multiple                bool     `json:"multiple"`
	Visible                 bool     `json:"visible"`
	Creatable               bool     `json:"creatable"`
	Folder                  bool     `json:"folder"`
	Type                    string   `json:"type"`
	Position                *int     `json:"position"`
	TagCandidateRestriction []string `json:"tagCandidateRestriction"`
}

// traitJSON is a value of a tag given to an applicant (spec flatchr §9):
// tag_id is the tag's encoded id.
type traitJSON struct {
	ID    string `json:"id"`
	TagID string `json:"tag_id"`
	Value string `json:"value"`
}

// listTags handles GET /company/{companyID}/tags.
func (h *handler) listTags(w http.ResponseWriter, r *http.Request) {
	p, err := h.company(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	tags, err := h.svc.Tags(r.Context(), p)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := make([]tagJSON, len(tags))
	for i, t := range tags {
		out[i] = tagJSON{
			ID: t.Key, TagID: t.ID, CompanyID: p.Org.ID, Title: t.Title, Values: strings.Join(t.Values, ";"),
			Multiple: t.Multiple, Visible: t.Visible, Creatable: t.Creatable, Folder: t.Folder, Type: t.Type,
			Position: t.Position, TagCandidateRestriction: []string{},
		}
	}
	h.writeJSON(w, r, http.StatusOK, out)
}

// createTrait handles POST …/applicant/{applicantID}/trait with tag (the
// tag's encoded id, or its tag_id) and value, both required.
func (h *handler) createTrait(w http.ResponseWriter, r *http.Request) {
	p, err := h.company(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := readValues(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	t, err := h.svc.SetTrait(r.Context(), p, applicantRef(r), v["tag"], v["value"])
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, traitJSON{ID: t.Key, TagID: t.TagKey, Value: t.Value})
}

// listTraits handles GET …/applicant/{applicantID}/traits.
func (h *handler) listTraits(w http.ResponseWriter, r *http.Request) {
	p, err := h.company(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	list, err := h.svc.Traits(r.Context(), p, applicantRef(r))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := make([]traitJSON, len(list))
	for i, t := range list {
		out[i] = traitJSON{ID: t.Key, TagID: t.TagKey, Value: t.Value}
	}
	h.writeJSON(w, r, http.StatusOK, out)
}
