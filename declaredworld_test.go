package intake

import (
	"testing"
)

func TestWorldOrgsDefaultsAndValidation(t *testing.T) {
	s := NewService(ServiceConfig{})
	orgs, err := s.worldOrgs(&World{Organizations: []WorldOrganization{{
		Name:    "Acme Corp",
		APIKeys: []WorldAPIKey{{Name: "k", Token: "wk-api-key"}},
		Jobs:    []WorldJob{{Title: "Technicien métrologue H/F"}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	o := orgs[0]
	if o.Org.Slug != "acme-corp" || len(o.Org.Reference) != 7 || len(o.Org.CompanyKey) != 16 {
		t.Errorf("org defaults = %+v", o.Org)
	}
	if got := o.Keys[0]; got.Hash != HashToken("wk-api-key") || len(got.Scopes) != 1 || got.Scopes[0] != ScopeCandidatesRW {
		t.Errorf("key = %+v, want hashed token and default candidates_rw scope", got)
	}
	j := o.Jobs[0]
	if len(j.Stages) != len(DefaultStages()) || j.Stages[0].Reference != "initial" || !j.Published {
		t.Errorf("job defaults = %+v", j)
	}
	if want := VacancySlug(j.VacancyKey, j.Title); j.VacancySlug != want {
		t.Errorf("vacancy slug = %q, want %q", j.VacancySlug, want)
	}

	tests := []struct {
		name  string
		world World
		field string
	}{
		{"blank org name", World{Organizations: []WorldOrganization{{Name: " "}}}, "organizations[0].name"},
		{"short token", World{Organizations: []WorldOrganization{{Name: "A", APIKeys: []WorldAPIKey{{Token: "x"}}}}}, "organizations[0].api_keys[0].token"},
		{"unknown scope", World{Organizations: []WorldOrganization{{Name: "A", APIKeys: []WorldAPIKey{{Token: "12345678", Scopes: []string{"root"}}}}}}, "organizations[0].api_keys[0].scopes"},
		{"duplicate token", World{Organizations: []WorldOrganization{
			{Name: "A", APIKeys: []WorldAPIKey{{Token: "12345678"}}},
			{Name: "B", APIKeys: []WorldAPIKey{{Token: "12345678"}}},
		}}, "organizations[1].api_keys[0].token"},
		{"duplicate org reference", World{Organizations: []WorldOrganization{{Name: "A", Reference: "r"}, {Name: "B", Reference: "r"}}}, "organizations[1].reference"},
		{"duplicate stage id across orgs", World{Organizations: []WorldOrganization{
			{Name: "A", Jobs: []WorldJob{{Title: "T", Stages: []WorldStage{{ID: 1, Name: "a"}}}}},
			{Name: "B", Jobs: []WorldJob{{Title: "T", Stages: []WorldStage{{ID: 1, Name: "a"}}}}},
		}}, "organizations[1].jobs[0].stages[0].id"},
		{"blank job title", World{Organizations: []WorldOrganization{{Name: "A", Jobs: []WorldJob{{Reference: "x"}}}}}, "organizations[0].jobs[0].title"},
		{"reference with slash", World{Organizations: []WorldOrganization{{Name: "A", Reference: "a/b"}}}, "organizations[0].reference"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.worldOrgs(&tt.world)
			if _, ok := ErrorFields(err)[tt.field]; !ok {
				t.Fatalf("err = %v, want a problem at %s", err, tt.field)
			}
		})
	}
}
