package crashtest

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
)

// World is the organization, key and job the harness writes its world file
// with; the server applies it at every start.
type World struct {
	Path    string // the world file
	Token   string // an API key with candidates_rw
	OrgRef  string // WelcomeKit organization_reference
	JobRef  string // WelcomeKit job_reference
	Vacancy string // Flatchr vacancy slug of the same job
}

// WriteWorld writes a world file with a fresh random token into dir.
func WriteWorld(dir string) (*World, error) {
	w := &World{
		Path:    filepath.Join(dir, "crashtest-world.yaml"),
		Token:   "crash-" + rand.Text(),
		OrgRef:  "CrashOr",
		JobRef:  "WTTJ_Crash01",
		Vacancy: "crash-test-job",
	}
	yaml := fmt.Sprintf(`organizations:
  - name: Crash Test
    reference: %s
    slug: crash-test
    api_keys:
      - {name: crashtest, token: %q, scopes: [candidates_rw]}
    jobs:
      - reference: %s
        title: Crash test
        vacancy_slug: %s
`, w.OrgRef, w.Token, w.JobRef, w.Vacancy)
	if err := os.WriteFile(w.Path, []byte(yaml), 0o600); err != nil {
		return nil, err
	}
	return w, nil
}
