package worldfile

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"intake"
)

func TestDecode(t *testing.T) {
	yes := true
	tests := []struct {
		name    string
		in      string
		want    *intake.World
		wantErr string
	}{
		{
			name: "issue example",
			in: `
organizations:
  - name: Acme
    reference: Pg4eV6k
    api_keys:
      - {name: job board, token: wk-api-key, scopes: [candidates_rw]}
    jobs:
      - reference: WTTJ_KmqkD1Y
        id: 3027
        title: Technicien métrologue H/F
        stages:
          - {id: 42, name: Nouveau, reference: new}
          - {id: 14600, name: Refusé, reference: refused}
`,
			want: &intake.World{Organizations: []intake.WorldOrganization{{
				Name: "Acme", Reference: "Pg4eV6k",
				APIKeys: []intake.WorldAPIKey{{Name: "job board", Token: "wk-api-key", Scopes: []string{"candidates_rw"}}},
				Jobs: []intake.WorldJob{{
					Reference: "WTTJ_KmqkD1Y", ID: 3027, Title: "Technicien métrologue H/F",
					Stages: []intake.WorldStage{{ID: 42, Name: "Nouveau", Reference: "new"}, {ID: 14600, Name: "Refusé", Reference: "refused"}},
				}},
			}}},
		},
		{
			name: "flatchr keys and options as a string",
			in: `{"organizations":[{"name":"A","company_key":"G6KzqPnNLyp31m0l","slug":"acme","jobs":[{"title":"T","vacancy_slug":"v-t","published":true,
			"questions":[{"id":"q1","text":"Level?","type":"select","required":true,"options":"Bac;Bac +3"}]}]}]}`,
			want: &intake.World{Organizations: []intake.WorldOrganization{{
				Name: "A", CompanyKey: "G6KzqPnNLyp31m0l", Slug: "acme",
				Jobs: []intake.WorldJob{{Title: "T", VacancySlug: "v-t", Published: &yes,
					Questions: []intake.WorldQuestion{{ID: "q1", Text: "Level?", Type: "select", Required: true, Options: intake.StringList{"Bac", "Bac +3"}}}}},
			}}},
		},
		{name: "unknown key", in: "organizations:\n  - name: A\n    refrence: x\n", wantErr: "refrence"},
		{name: "wrong type", in: "organizations:\n  - name: A\n    jobs:\n      - id: abc\n", wantErr: "world file"},
		{name: "not yaml", in: "organizations: [", wantErr: "world file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("world mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("organizations:\n  - name: Acme\n    reference: Pg4eV6k\n"))
	f.Add([]byte(`{"organizations":[{"name":"A","jobs":[{"title":"T","questions":[{"text":"q","options":"a;b"}]}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := Decode(b)
		if err == nil && w == nil {
			t.Fatal("nil world without error")
		}
	})
}
