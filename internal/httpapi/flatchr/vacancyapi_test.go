package flatchr

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"intake/internal/testenv"
)

// contentWorld gives the seed's vacancy and its company their content;
// applied after world, it leaves the other vacancies as they are.
const contentWorld = `
organizations:
  - name: Acme Métrologie
    reference: acme
    slug: acme
    company_key: G6KzqPnNLyp31m0l
    description: "<div>Acme mesure tout.</div>"
    website: https://acme.example
    logo_url: https://acme.example/logo.png
    jobs:
      - id: 84512
        reference: WTTJ_metro
        title: Technicien métrologue H/F
        vacancy_slug: ` + seedVacancy + `
        status: published
        description: "<p>Mesurer.</p>"
        profile: "<p>Rigoureux.</p>"
        mission: "<p>Étalonner les instruments.</p>"
        contract_type: FULL_TIME
        education_level: BAC_5
        experience_level: 2_TO_3_YEARS
        remote: partial
        salary: {min: 32000, max: 38000, currency: EUR, period: yearly}
        office: {address: 58 Boulevard Exelmans, zip_code: "75016", city: Paris, country_code: FR}
        language: fr
        start_date: "2027-01-04"
`

const companyKey = "G6KzqPnNLyp31m0l"

// newVacancyServer is newServer with the content world and the
// referential paths mounted as the binary mounts them.
func newVacancyServer(t testing.TB) *server {
	t.Helper()
	env := testenv.New(t, world)
	env.Apply(t, contentWorld)
	h := NewHandler(env.Service, Options{Files: env.Signer})
	mux := http.NewServeMux()
	mux.Handle("/vacancy/", h)
	mux.Handle("/company/", h)
	for _, p := range ReferentialPaths {
		mux.Handle(p, h)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &server{env: env, url: srv.URL}
}

func (s *server) get(t testing.TB, path string) response {
	t.Helper()
	return s.do(t, http.MethodGet, path, "", nil, "Authorization", "Bearer "+seedToken)
}

func checkHapi(t testing.TB, res response, status int, message string) {
	t.Helper()
	want := `{"statusCode":` + jsonInt(status) + `,"error":"` + http.StatusText(status) + `","message":"` + message + `"}`
	if res.status != status || string(res.body) != want {
		t.Errorf("got %d %s, want %d %s", res.status, res.body, status, want)
	}
}

func jsonInt(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestVacancyContent(t *testing.T) {
	s := newVacancyServer(t)
	res := s.do(t, http.MethodGet, "/company/acme.json", "", nil)
	var feed struct {
		Items []struct {
			Vacancy map[string]any
		}
	}
	if err := json.Unmarshal(res.body, &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Items) != 2 {
		t.Fatalf("items = %s", res.body)
	}
	v := feed.Items[0].Vacancy
	want := map[string]any{
		"description": "<p>Mesurer.</p>", "mission": "<p>Étalonner les instruments.</p>", "profile": "<p>Rigoureux.</p>",
		"salary": "32000", "experience": float64(2), "language": "fr_FR", "contract_type_id": float64(1),
		"contract_type": "CDI", "education_level_id": float64(6), "education_level": "Bac +5", "mensuality": "y",
		"currency": "EUR", "remote": "partial", "start_date": "2027-01-04T00:00:00.000Z",
		"addressFormatted": "58 Boulevard Exelmans, 75016 Paris, France",
		"address": map[string]any{
			"address": "58 Boulevard Exelmans", "zip_code": "75016", "city": "Paris", "country_code": "FR",
			"locality": "Paris", "location_lat": "", "location_lng": "", "postal_code": "75016",
			"route": "Boulevard Exelmans", "street_number": "58", "administrative_area_level_1": "",
			"administrative_area_level_2": "", "formatted_address": "58 Boulevard Exelmans, 75016 Paris, France",
			"country": "France",
		},
	}
	for k, w := range want {
		if diff := cmp.Diff(w, v[k]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
	company := v["company"].(map[string]any)
	if company["description"] != "<div>Acme mesure tout.</div>" || company["web"] != "https://acme.example" || company["logo"] != "https://acme.example/logo.png" {
		t.Errorf("company = %v", company)
	}
	// A vacancy without content shows strings, never null.
	empty := feed.Items[1].Vacancy
	for _, k := range []string{"description", "mission", "profile", "salary", "remote", "contract_type", "education_level", "addressFormatted"} {
		if empty[k] != "" {
			t.Errorf("empty vacancy %s = %#v, want \"\"", k, empty[k])
		}
	}
}

func TestCompanyVacancies(t *testing.T) {
	s := newVacancyServer(t)
	res := s.get(t, "/company/"+companyKey+"/vacancies")
	var list []map[string]any
	if err := json.Unmarshal(res.body, &list); err != nil || res.status != http.StatusOK {
		t.Fatalf("status %d, body %s", res.status, res.body)
	}
	var ids []any
	var statuses []any
	for _, v := range list {
		ids, statuses = append(ids, v["vacancy_id"]), append(statuses, v["status"])
	}
	if diff := cmp.Diff([]any{84512.0, 84513.0, 84514.0, 84515.0}, ids); diff != "" {
		t.Errorf("vacancy ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{1.0, 1.0, 1.0, 0.0}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	for _, id := range []string{"vyja39jqrrnlnqwe", "VYJA39JQRRNLNQWE", "84512", seedVacancy} {
		res := s.get(t, "/company/"+companyKey+"/vacancy/"+id)
		var v map[string]any
		if err := json.Unmarshal(res.body, &v); err != nil || v["vacancy_id"] != 84512.0 {
			t.Errorf("vacancy %s: status %d, body %.200s", id, res.status, res.body)
		}
	}
	checkHapi(t, s.get(t, "/company/"+companyKey+"/vacancy/90001"), http.StatusNotFound, "vacancy not found")
	checkHapi(t, s.get(t, "/company/"+companyKey+"/vacancy/nope"), http.StatusNotFound, "vacancy not found")
	checkHapi(t, s.get(t, "/company/2zNDRr9BMnYqQyEK/vacancies"), http.StatusNotFound, "company not found")
	foreign := s.do(t, http.MethodGet, "/company/"+companyKey+"/vacancies", "", nil, "Authorization", "Bearer "+foreignToken)
	checkHapi(t, foreign, http.StatusNotFound, "company not found")
	anonymous := s.do(t, http.MethodGet, "/company/"+companyKey+"/vacancies", "", nil)
	checkHapi(t, anonymous, http.StatusUnauthorized, "missing API key: send it as token, ?token= or Authorization: Bearer")
	query := s.do(t, http.MethodGet, "/company/"+companyKey+"/columns?token="+strings.ReplaceAll(seedToken, "=", "%3D"), "", nil)
	if query.status != http.StatusOK {
		t.Errorf("columns with ?token=: %d %s", query.status, query.body)
	}
}

func TestColumns(t *testing.T) {
	s := newVacancyServer(t)
	res := s.get(t, "/company/"+companyKey+"/columns")
	var cols []map[string]any
	if err := json.Unmarshal(res.body, &cols); err != nil {
		t.Fatal(err)
	}
	// Four vacancies of the default pipeline of six stages.
	if len(cols) != 24 {
		t.Fatalf("%d columns: %s", len(cols), res.body)
	}
	wantKeys := []string{"id", "title", "company_id", "vacancy_id", "position", "created_at", "updated_at", "visible", "hired"}
	var raw []json.RawMessage
	_ = json.Unmarshal(res.body, &raw)
	if diff := cmp.Diff(wantKeys, testenv.ObjectKeys(t, raw[0])); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if cols[0]["title"] != "New" || cols[0]["company_id"] != companyKey || cols[0]["vacancy_id"] != "vyja39jqrrnlnqwe" || cols[4]["hired"] != true {
		t.Errorf("columns = %v", cols[:5])
	}
}

func TestReferentials(t *testing.T) {
	s := newVacancyServer(t)
	tests := []struct {
		path string
		want string
	}{
		{"/contracts", `{"id":1,"text":"CDI"}`},
		{"/contracts?lang=en", `{"id":1,"text":"Permanent contract"}`},
		{"/educationLevels?lang=fr", `{"id":6,"text":"Bac +5"}`},
		{"/activities", `{"id":25,"text":"Internet"}`},
		{"/channels", `{"id":2,"text":"Commerce / Vente"}`},
		{"/channels/2/metiers", `{"id":49,"text":"Commercial conseil"}`},
		{"/channels/2/metiers?lang=en", `{"id":54,"text":"Technical sales engineer"}`},
	}
	for _, tt := range tests {
		res := s.get(t, tt.path)
		if res.status != http.StatusOK || !strings.Contains(string(res.body), tt.want) {
			t.Errorf("%s: %d %s, want it to hold %s", tt.path, res.status, res.body, tt.want)
		}
	}
	checkHapi(t, s.get(t, "/contracts?lang=de"), http.StatusBadRequest, "lang must be fr or en")
	checkHapi(t, s.get(t, "/channels/999/metiers"), http.StatusNotFound, "channel not found")
	checkHapi(t, s.do(t, http.MethodGet, "/activities", "", nil), http.StatusUnauthorized,
		"missing API key: send it as token, ?token= or Authorization: Bearer")
}

func TestCreateNamesVacancyByID(t *testing.T) {
	s := newVacancyServer(t)
	for i, vacancy := range []string{`84512`, `"84512"`, `"VYJA39JQRRNLNQWE"`, `"vyja39jqrrnlnqwe"`} {
		body := `{"vacancy":` + vacancy + `,"firstname":"a","lastname":"b","email":"v` + string(rune('a'+i)) + `@example.com",` + doc + `}`
		res := s.postJSON(t, "/vacancy/candidate/json", body, "Authorization", "Bearer "+seedToken)
		var got struct {
			VacancyID int64 `json:"vacancy_id"`
			Vacancy   struct {
				Remote  string `json:"remote"`
				Company struct {
					Description string `json:"description"`
				} `json:"company"`
			} `json:"vacancy"`
		}
		if err := json.Unmarshal(res.body, &got); err != nil || res.status != http.StatusOK || got.VacancyID != 84512 || got.Vacancy.Remote != "partial" ||
			got.Vacancy.Company.Description != "<div>Acme mesure tout.</div>" {
			t.Errorf("vacancy %s: %d %s", vacancy, res.status, res.body)
		}
	}
}
