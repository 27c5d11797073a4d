package flatchr

import (
	"bytes"
	"encoding/json"
	"net/http"

	"intake"
)

// metaAnswer is the meta information call's answer (spec flatchr §10).
type metaAnswer struct {
	StatusCode int             `json:"statusCode"`
	Message    metaMessageJSON `json:"message"`
}

type metaMessageJSON struct {
	ResourceType string `json:"resource_type"`
	Action       string `json:"action"`
}

// searchCandidate serves POST /company/{companyID}/search/candidate, the
// meta information call: it stores `value` (an object) on the candidate
// named by `reference` (its email, candidate id or an applicant id), under
// app_name, type and name.
func (h *handler) searchCandidate(w http.ResponseWriter, r *http.Request) {
	p, err := h.companyPrincipal(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := p.Allow(intake.ActionWrite); err != nil {
		h.writeError(w, r, err)
		return
	}
	ps, err := readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var m intake.CandidateMeta
	errs := map[string]string{}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"app_name", &m.AppName}, {"type", &m.Type}, {"name", &m.Name}} {
		v, err := ps.text(f.name)
		if err != nil {
			errs[f.name] = "must be a string"
		} else if v != nil {
			*f.dst = *v
		}
	}
	ref, err := ps.text("reference")
	if err != nil || ref == nil || *ref == "" {
		errs["reference"] = "is required: the candidate's email or id"
	}
	m.Value, err = metaValue(ps["value"])
	if err != nil {
		errs["value"] = err.Error()
	}
	if len(errs) > 0 {
		h.writeError(w, r, intake.FieldErrors(errs))
		return
	}
	created, err := h.svc.SetCandidateMeta(r.Context(), p, *ref, m)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	action := "updated"
	if created {
		action = "created"
	}
	h.writeJSON(w, r, http.StatusOK, metaAnswer{StatusCode: http.StatusOK,
		Message: metaMessageJSON{ResourceType: "attribute", Action: action}})
}

// metaValue returns the value's JSON text: an object as the docs require
// (a form sends it as a JSON string, which is parsed).
func metaValue(v any) (string, error) {
	var raw []byte
	switch v := v.(type) {
	case json.RawMessage:
		raw = v
	case string:
		raw = []byte(v)
	case nil:
		return "", errorText("is required")
	default:
		return "", errorText("must be an object")
	}
	raw = bytes.TrimSpace(raw)
	var obj map[string]json.RawMessage
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &obj) != nil {
		return "", errorText("must be an object")
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return "", errorText("must be an object")
	}
	return buf.String(), nil
}

type errorText string

func (e errorText) Error() string { return string(e) }
