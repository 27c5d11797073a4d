package bench

import (
	"encoding/json"
	"fmt"
	"os"

	"intake"
)

// World returns the world the bench and the generator serve: the demo
// organization and its first job (so bench's default references work), a
// key with token, and jobs-1 more jobs with the default pipeline.
func World(token string, jobs int) *intake.World {
	published := true
	demo := intake.WorldJob{
		Reference:   DemoJob,
		ID:          3027,
		Title:       "Technicien métrologue H/F",
		VacancySlug: DemoVacancy,
		Published:   &published,
		Stages: []intake.WorldStage{
			{ID: DemoStageID, Name: "Nouveau", Reference: "initial"},
			{ID: 43, Name: "À rencontrer", Reference: "to_meet"},
			{ID: 44, Name: "Entretien", Reference: "interviewed"},
			{ID: 45, Name: "Offre", Reference: "made_offer"},
			{ID: 46, Name: "Recruté", Reference: "hired"},
			{ID: 14600, Name: "Refusé", Reference: "refused"},
		},
	}
	org := intake.WorldOrganization{
		Name:       "Acme Bench",
		Reference:  DemoOrg,
		CompanyKey: "G6KzqPnNLyp31m0l",
		Slug:       "acme-bench",
		APIKeys:    []intake.WorldAPIKey{{Name: "bench", Token: token, Scopes: []string{string(intake.ScopeCandidatesRW), string(intake.ScopeJobsR)}}},
		Jobs:       []intake.WorldJob{demo},
	}
	for i := 2; i <= jobs; i++ {
		org.Jobs = append(org.Jobs, intake.WorldJob{
			Reference: fmt.Sprintf("BENCH_job%04d", i),
			Title:     benchJobTitles[i%len(benchJobTitles)],
			Published: &published,
		})
	}
	return &intake.World{Organizations: []intake.WorldOrganization{org}}
}

var benchJobTitles = []string{
	"Account Executive SaaS H/F", "Développeur Go senior", "Infirmier de nuit", "Chef de projet digital",
	"Comptable fournisseurs", "Data analyst junior", "Technicien de maintenance", "UX designer",
}

// WriteWorldFile writes w as a JSON world file (the world file accepts JSON).
func WriteWorldFile(path string, w *intake.World) error {
	b, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}
