package worldfile

import (
	"strings"
	"testing"
)

// issueWorld is the world file example of issue 12, with the organization
// keys the career site uses.
const issueWorld = `
organizations:
  - name: Acme
    reference: Pg4eV6k
    description: "<p>Acme</p>"
    website: https://acme.example
    logo_url: https://acme.example/logo.png
    color: "#1a2b3c"
    privacy_url: https://acme.example/privacy
    default_language: fr
    offices:
      - {id: 196, name: Siège, address: 11b rue Bachaumont, zip_code: "75002", city: Paris, country_code: FR, is_headquarter: true}
    jobs:
      - reference: WTTJ_KmqkD1Y
        title: Technicien métrologue H/F
        status: published
        description: "<p>…</p>"
        profile: "…"
        mission: "…"
        company_description: "…"
        recruitment_process: "…"
        contract_type: FULL_TIME
        remote: partial
        salary: {min: 32000, max: 38000, currency: EUR, period: yearly}
        office: {address: 1 rue, zip_code: "13100", city: Aix-en-Provence, country_code: FR}
        language: fr
        start_date: "2027-01-04"
        external_reference: EXT-1
        experience_level: 1_TO_2_YEARS
        education_level: BAC_5
        contract_duration_min: 6
        contract_duration_max: 12
        apply_url: https://acme.example/apply
        profession_reference: sales
        cms_sites_references: [wttj_fr]
      - title: Old style
        published: false
        archived: true
        office_id: 196
`

func TestDecodeContent(t *testing.T) {
	w, err := Decode([]byte(issueWorld))
	if err != nil {
		t.Fatal(err)
	}
	o := w.Organizations[0]
	if o.Website != "https://acme.example" || len(o.Offices) != 1 || o.Offices[0].ZipCode != "75002" || !o.Offices[0].IsHeadquarter {
		t.Errorf("organization = %+v", o.WorldOrgContent)
	}
	j := w.Organizations[0].Jobs[0]
	if j.Status != "published" || j.Salary == nil || *j.Salary.Max != 38000 || j.Office.City != "Aix-en-Provence" ||
		j.StartDate != "2027-01-04" || *j.ContractDurationMax != 12 || j.CMSSitesReferences[0] != "wttj_fr" {
		t.Errorf("job = %+v", j.WorldJobContent)
	}
	if old := w.Organizations[0].Jobs[1]; *old.Published || !old.Archived || *old.OfficeID != 196 {
		t.Errorf("old-style job = %+v", old)
	}
	for _, bad := range []string{"salry", "ofice", "descripton"} {
		in := strings.Replace(issueWorld, "        language: fr", "        "+bad+": x\n        language: fr", 1)
		if _, err := Decode([]byte(in)); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("unknown key %s: err = %v", bad, err)
		}
	}
}
