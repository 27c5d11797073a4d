package intake

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestWorldContent(t *testing.T) {
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	s := NewService(ServiceConfig{Now: func() time.Time { return now }})
	min, max := int64(32000), int64(38000)
	officeID := int64(196)
	no := false
	orgs, err := s.worldOrgs(&World{Organizations: []WorldOrganization{{
		Name: "Acme", Reference: "Pg4eV6k",
		WorldOrgContent: WorldOrgContent{
			Description: "<p>Acme</p>", Website: "https://acme.example", LogoURL: "https://acme.example/logo.png",
			Color: "#1A2b3c", PrivacyURL: "https://acme.example/privacy", DefaultLanguage: "FR",
			Offices: []WorldOffice{{ID: officeID, Name: "HQ", City: "Paris", CountryCode: "fr"}, {City: "Lyon"}},
		},
		Jobs: []WorldJob{
			{Reference: "WTTJ_KmqkD1Y", Title: "Technicien", WorldJobContent: WorldJobContent{
				Status: "published", Description: "<p>…</p>", Profile: "p", Mission: "m", CompanyDescription: "c",
				RecruitmentProcess: "r", ContractType: "FULL_TIME", Remote: "partial", Language: "fr", StartDate: "2027-01-04",
				Salary: &WorldSalary{Min: &min, Max: &max, Currency: "EUR", Period: "yearly"},
				Office: &WorldOffice{Address: "1 rue", ZipCode: "13100", City: "Aix-en-Provence", CountryCode: "FR"},
			}},
			{Title: "At HQ", WorldJobContent: WorldJobContent{OfficeID: &officeID}},
			{Title: "Old keys", Published: &no},
			{Title: "Archived", Archived: true},
			{Title: "Draft", WorldJobContent: WorldJobContent{Status: "draft"}},
		},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	o := orgs[0]
	wantOrg := OrgContent{Description: "<p>Acme</p>", Website: "https://acme.example", LogoURL: "https://acme.example/logo.png",
		Color: "#1A2b3c", PrivacyURL: "https://acme.example/privacy", DefaultLanguage: "fr",
		Offices: []Office{{ID: 196, Name: "HQ", City: "Paris", CountryCode: "FR"}, {ID: 2, City: "Lyon"}}}
	if diff := cmp.Diff(wantOrg, o.Org.Content); diff != "" {
		t.Errorf("org content (-want +got):\n%s", diff)
	}
	j := o.Jobs[0]
	want := JobContent{Description: "<p>…</p>", Profile: "p", Mission: "m", CompanyDescription: "c", RecruitmentProcess: "r",
		ContractType: "FULL_TIME", Remote: "partial", Language: "fr", StartDate: "2027-01-04",
		Salary: Salary{Min: &min, Max: &max, Currency: "EUR", Period: "yearly"},
		Office: Office{Address: "1 rue", ZipCode: "13100", City: "Aix-en-Provence", CountryCode: "FR"}}
	if diff := cmp.Diff(want, j.Content); diff != "" {
		t.Errorf("job content (-want +got):\n%s", diff)
	}
	if o.Jobs[1].Content.Office.City != "Paris" || o.Jobs[1].Content.Office.ID != 196 {
		t.Errorf("office_id: %+v", o.Jobs[1].Content.Office)
	}
	var statuses []JobStatus
	for _, j := range o.Jobs {
		statuses = append(statuses, j.Status())
	}
	if diff := cmp.Diff([]JobStatus{JobPublished, JobPublished, JobDraft, JobArchived, JobDraft}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if j.PublishedAt == nil || !j.PublishedAt.Equal(now) || o.Jobs[3].ArchivedAt == nil || o.Jobs[2].PublishedAt != nil {
		t.Errorf("status times: %v %v %v", j.PublishedAt, o.Jobs[3].ArchivedAt, o.Jobs[2].PublishedAt)
	}

	bad := func(c WorldJobContent) World {
		return World{Organizations: []WorldOrganization{{Name: "A", Jobs: []WorldJob{{Title: "T", WorldJobContent: c}}}}}
	}
	tests := []struct {
		name  string
		world World
		field string
	}{
		{"bad status", bad(WorldJobContent{Status: "live"}), "organizations[0].jobs[0].status"},
		{"status and published", World{Organizations: []WorldOrganization{{Name: "A", Jobs: []WorldJob{{Title: "T", Published: &no,
			WorldJobContent: WorldJobContent{Status: "draft"}}}}}}, "organizations[0].jobs[0].status"},
		{"bad remote", bad(WorldJobContent{Remote: "sometimes"}), "organizations[0].jobs[0].remote"},
		{"bad salary", bad(WorldJobContent{Salary: &WorldSalary{Min: &max, Max: &min}}), "organizations[0].jobs[0].salary_max"},
		{"bad currency", bad(WorldJobContent{Salary: &WorldSalary{Currency: "GBP"}}), "organizations[0].jobs[0].salary_currency"},
		{"bad office country", bad(WorldJobContent{Office: &WorldOffice{CountryCode: "France"}}), "organizations[0].jobs[0].office.country_code"},
		{"unknown office", bad(WorldJobContent{OfficeID: &min}), "organizations[0].jobs[0].office.id"},
		{"bad start date", bad(WorldJobContent{StartDate: "tomorrow"}), "organizations[0].jobs[0].start_date"},
		{"bad contract", bad(WorldJobContent{ContractType: "CDI"}), "organizations[0].jobs[0].contract_type"},
		{"bad color", World{Organizations: []WorldOrganization{{Name: "A", WorldOrgContent: WorldOrgContent{Color: "red"}}}}, "organizations[0].color"},
		{"bad website", World{Organizations: []WorldOrganization{{Name: "A", WorldOrgContent: WorldOrgContent{Website: "acme"}}}}, "organizations[0].website"},
		{"bad language", World{Organizations: []WorldOrganization{{Name: "A", WorldOrgContent: WorldOrgContent{DefaultLanguage: "french"}}}}, "organizations[0].default_language"},
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
