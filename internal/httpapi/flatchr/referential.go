package flatchr

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"intake"
)

// The referentials (spec flatchr §10) ship as data in the binary. The
// vendor's docs name the endpoints but show no lists; the ids its
// examples use are kept (contract 1 "CDI", education levels 5 "Bac +3" and
// 6 "Bac +5", activity 25 "Internet", channel 2 "Commerce / Vente",
// metiers 49 and 54), the rest is ours. codes ties an entry to the
// WelcomeKit codes a job stores.
//
//go:embed referentials/*.json
var referentialFiles embed.FS

// refEntry is one entry of a referential, in both languages.
type refEntry struct {
	ID      int64      `json:"id"`
	FR      string     `json:"fr"`
	EN      string     `json:"en"`
	Codes   []string   `json:"codes"`
	Metiers []refEntry `json:"metiers"`
}

func (e refEntry) text(lang string) string {
	if lang == "en" {
		return e.EN
	}
	return e.FR
}

// refJSON is an entry as the API shows it (spec flatchr §3 activity).
type refJSON struct {
	ID   int64  `json:"id"`
	Text string `json:"text"`
}

// referentials holds the parsed lists and the entries by WelcomeKit code.
type referentials struct {
	activities, channels, contracts, educationLevels []refEntry
	contractByCode, educationByCode                  map[string]refEntry
}

// refs are the referentials: constant data, parsed once. A parse error is
// a build mistake, which every test of the package reports.
var refs = func() *referentials {
	r, err := loadReferentials()
	if err != nil {
		panic("flatchr: " + err.Error())
	}
	return r
}()

// loadReferentials parses the embedded lists.
func loadReferentials() (*referentials, error) {
	r := &referentials{contractByCode: map[string]refEntry{}, educationByCode: map[string]refEntry{}}
	for name, dst := range map[string]*[]refEntry{
		"activities": &r.activities, "channels": &r.channels,
		"contracts": &r.contracts, "educationLevels": &r.educationLevels,
	} {
		b, err := referentialFiles.ReadFile("referentials/" + name + ".json")
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, dst); err != nil {
			return nil, fmt.Errorf("referential %s: %w", name, err)
		}
	}
	for _, e := range r.contracts {
		for _, c := range e.Codes {
			r.contractByCode[c] = e
		}
	}
	for _, e := range r.educationLevels {
		for _, c := range e.Codes {
			r.educationByCode[c] = e
		}
	}
	return r, nil
}

func render(list []refEntry, lang string) []refJSON {
	out := make([]refJSON, len(list))
	for i, e := range list {
		out[i] = refJSON{ID: e.ID, Text: e.text(lang)}
	}
	return out
}

// referentialLang reads ?lang=fr|en; French when absent, as the vendor's
// examples.
func referentialLang(r *http.Request) (string, error) {
	switch lang := r.URL.Query().Get("lang"); lang {
	case "", "fr":
		return "fr", nil
	case "en":
		return "en", nil
	default:
		return "", intake.FieldErrors(map[string]string{"lang": "must be fr or en"})
	}
}

// getReferential serves one of the flat referentials to any valid key.
func (h *handler) getReferential(list func(*referentials) []refEntry) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := h.keyHolder(w, r); err != nil {
			h.writeError(w, r, err)
			return
		}
		lang, err := referentialLang(r)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		h.writeJSON(w, r, http.StatusOK, render(list(refs), lang))
	}
}

// getMetiers handles GET /channels/{channelID}/metiers.
func (h *handler) getMetiers(w http.ResponseWriter, r *http.Request) {
	if _, err := h.keyHolder(w, r); err != nil {
		h.writeError(w, r, err)
		return
	}
	lang, err := referentialLang(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("channelID"), 10, 64)
	if err != nil {
		h.writeError(w, r, intake.Errorf(intake.ENotFound, "channel not found"))
		return
	}
	for _, c := range refs.channels {
		if c.ID == id {
			h.writeJSON(w, r, http.StatusOK, render(c.Metiers, lang))
			return
		}
	}
	h.writeError(w, r, intake.Errorf(intake.ENotFound, "channel not found"))
}

// ReferentialPaths are the patterns to mount the handler on, besides
// /vacancy/ and /company/, for the referentials to be served.
var ReferentialPaths = []string{"/activities", "/channels", "/channels/", "/contracts", "/educationLevels"}
