package welcomekit

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"intake/internal/testenv"
)

var organizationKeys = []string{
	"reference", "name", "media_website_url", "description", "subsidiaries", "slug", "logo_url",
	"sectors", "default_language", "nb_employees", "average_age", "turnover", "creation_year",
	"parity_men", "parity_women", "revenue", "cover_url", "i18n_covers", "i18n_descriptions",
	"i18n_looking_fors", "i18n_good_to_knows", "websites", "updated_at",
}

func TestOrganizations(t *testing.T) {
	f := newJobFixture(t)
	res := f.do(t, request{path: "/api/v1/external/organizations/" + seedOrg + "?offices=true", token: superToken})
	if res.status != http.StatusOK {
		t.Fatalf("status %d, body %s", res.status, res.body)
	}
	if diff := cmp.Diff(append(append([]string{}, organizationKeys...), "offices"), testenv.ObjectKeys(t, res.body)); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	got := jsonObject(t, res.body)
	for k, want := range map[string]any{
		"reference": seedOrg, "name": "Acme", "media_website_url": "https://acme.example", "slug": "acme",
		"description": "<p>Acme makes everything.</p>", "logo_url": "https://acme.example/logo.png",
		"default_language": "fr", "i18n_descriptions": map[string]any{"fr": "<p>Acme makes everything.</p>"},
	} {
		if diff := cmp.Diff(want, got[k]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
	if s := string(field(t, res.body, "offices")); s != `[{"id":196,"name":"Siège","address":"11b rue Bachaumont","zip_code":"75002","city":"Paris","country_code":"FR","is_headquarter":true}]` {
		t.Errorf("offices = %s", s)
	}

	tests := []struct {
		name  string
		query string
		total string
		refs  []any
	}{
		{"by name, any case", "name=acme", "1", []any{seedOrg}},
		{"by website", "media_website_url=http://ACME.example/", "1", []any{seedOrg}},
		{"unknown name", "name=Initech", "0", nil},
		{"by cms site", "cms_sites_references=wttj_fr", "0", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.do(t, request{path: "/api/v1/external/organizations?" + tt.query, token: superToken})
			if res.status != http.StatusOK || res.header.Get("X-Total") != tt.total {
				t.Fatalf("status %d, X-Total %s, body %s", res.status, res.header.Get("X-Total"), res.body)
			}
			var refs []any
			for _, o := range jsonList(t, res.body) {
				refs = append(refs, o["reference"])
			}
			if diff := cmp.Diff(tt.refs, refs); diff != "" {
				t.Errorf("references (-want +got):\n%s", diff)
			}
		})
	}
	for _, q := range []string{"", "name=Acme&media_website_url=x"} {
		res := f.do(t, request{path: "/api/v1/external/organizations?" + q, token: superToken})
		checkError(t, res, http.StatusBadRequest, "validation_failed",
			"name exactly one of name, media_website_url or cms_sites_references is required")
	}
	missing := f.do(t, request{path: "/api/v1/external/organizations/nope", token: superToken})
	checkError(t, missing, http.StatusNotFound, "not_found", "Organization not found")
}

func TestCurrentUser(t *testing.T) {
	f := newJobFixture(t)
	res := f.do(t, request{path: "/api/v1/external/users/current", token: meToken})
	want := `{"avatar_url":"` + f.srv.URL + f.avatarPath(t) + `","display_name":"Foo Bar"}` + "\n"
	if string(res.body) != want {
		t.Errorf("body = %s\nwant   %s", res.body, want)
	}
	res = f.do(t, request{path: "/api/v1/external/users/current?stages=true", token: meToken})
	var user struct {
		Organizations []struct {
			Reference string
			Jobs      []struct {
				Reference string
				Stages    []struct {
					ID        int64
					Reference *string
				}
			}
		}
	}
	if err := jsonUnmarshal(res.body, &user); err != nil {
		t.Fatal(err)
	}
	if len(user.Organizations) != 1 || user.Organizations[0].Reference != seedOrg || len(user.Organizations[0].Jobs) != 2 {
		t.Fatalf("organizations = %s", res.body)
	}
	if j := user.Organizations[0].Jobs[0]; j.Reference != seedJob || len(j.Stages) != 4 || j.Stages[1].ID != 14600 {
		t.Errorf("first job = %+v", j)
	}
	res = f.do(t, request{path: "/api/v1/external/users/current?organizations=true", token: meToken})
	if got := testenv.ObjectKeys(t, field(t, res.body, "organizations")[1:len(field(t, res.body, "organizations"))-1]); !cmp.Equal(got, organizationKeys) {
		t.Errorf("organization keys = %v", got)
	}
}

func TestEmbed(t *testing.T) {
	f := newJobFixture(t)
	at(f, "2015-11-09 13:26:00")
	job := f.createJob(t, `{"organization_reference":"Pg4eV6k","profession_reference":"dev","name":"CDI - Full Stack Developper",
		"company_description":"c","description":"<p>Hello World…</p>","profile":"<p>Hello World…</p>",
		"recruitment_process":"<p>Hello World…</p>","contract_type":"FULL_TIME","language":"fr","office_id":196,
		"salary_min":30000,"salary_max":40000,"salary_currency":"EUR","salary_period":"yearly","start_date":"2015-12-01",
		"cms_sites_references":"wttj_fr","status":"published"}`)
	f.createJob(t, `{"organization_reference":"Pg4eV6k","profession_reference":"dev","name":"Draft","company_description":"c",
		"description":"d","profile":"p","contract_type":"FULL_TIME","language":"fr","office_city":"Lyon"}`)
	res := f.do(t, request{path: "/api/v1/embed?organization_reference=" + seedOrg})
	if res.status != http.StatusOK || res.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("status %d, headers %v, body %s", res.status, res.header, res.body)
	}
	var embed struct {
		Name  string
		Jobs  []map[string]any
		Sites []any
	}
	if err := jsonUnmarshal(res.body, &embed); err != nil {
		t.Fatal(err)
	}
	// The world's two jobs are published (the default), the draft is not.
	if embed.Name != "Acme" || len(embed.Jobs) != 3 || embed.Sites == nil {
		t.Fatalf("embed = %s", res.body)
	}
	got := embed.Jobs[2]
	var raw []jsonRaw
	if err := jsonUnmarshal(field(t, res.body, "jobs"), &raw); err != nil {
		t.Fatal(err)
	}
	wantKeys := []string{"id", "reference", "name", "slug", "description", "profile", "recruitment_process",
		"salary", "created_at", "start_date", "office", "department", "contract_type", "cms_sites_references"}
	if diff := cmp.Diff(wantKeys, testenv.ObjectKeys(t, raw[2])); diff != "" {
		t.Errorf("embed job keys (-want +got):\n%s", diff)
	}
	want := map[string]any{
		"id": got["id"], "reference": job["reference"], "name": "CDI - Full Stack Developper",
		"slug": "cdi-full-stack-developper_paris", "description": "<p>Hello World…</p>",
		"profile": "<p>Hello World…</p>", "recruitment_process": "<p>Hello World…</p>",
		"salary":               map[string]any{"salary_min": "30000", "salary_max": "40000", "salary_currency": "EUR", "salary_period": "yearly"},
		"created_at":           map[string]any{"fr": "Le 09 Novembre 2015 à 13h26", "en": "09 November 2015 at 13h26"},
		"start_date":           map[string]any{"fr": "01 Décembre 2015", "en": "01 December 2015"},
		"office":               map[string]any{"id": float64(196), "city": "Paris", "country": map[string]any{"fr": "France", "en": "France"}},
		"department":           nil,
		"contract_type":        map[string]any{"fr": "CDI", "en": "Full-Time"},
		"cms_sites_references": []any{"wttj_fr"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("job (-want +got):\n%s", diff)
	}
	missing := f.do(t, request{path: "/api/v1/embed"})
	checkError(t, missing, http.StatusBadRequest, "validation_failed", "organization_reference can't be blank")
	unknown := f.do(t, request{path: "/api/v1/embed?organization_reference=nope"})
	checkError(t, unknown, http.StatusNotFound, "not_found", "Organization not found")
}

type jsonRaw = json.RawMessage

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// avatarPath is the default avatar's path as the handler names it.
func (f *fixture) avatarPath(t testing.TB) string {
	t.Helper()
	return NewHandler(f.env.Service, Options{}).(*handler).avatarPath
}
