package storetest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"intake"
)

// base is the suite's clock origin. It carries milliseconds, the precision
// every store must keep.
var base = time.Date(2024, 3, 4, 5, 6, 7, 89_000_000, time.UTC)

// at returns the suite time n minutes after base.
func at(n int) time.Time { return base.Add(time.Duration(n) * time.Minute) }

func ptr[T any](v T) *T { return &v }

// fix is a saved world: two organizations; A has two keys and two jobs, B
// one key and one job whose reference, vacancy slug and vacancy key are the
// same as A's first job, so lookups that forget the org id find the wrong one.
type fix struct {
	A, B        intake.Org
	KeyA, KeyA2 intake.APIKey
	KeyB        intake.APIKey
	A1, A2, B1  intake.Job
}

// testWorld returns a fresh world every call, so a test can change a copy
// and apply it again.
func testWorld() []intake.WorldOrg {
	return []intake.WorldOrg{
		{
			Org: intake.Org{
				Name: "Acme", Reference: "Pg4eV6k", CompanyKey: "AcmeCompanyKey01", Slug: "acme",
				CreatedAt: at(0), UpdatedAt: at(0),
			},
			Keys: []intake.APIKey{
				{Name: "ats", Hash: intake.HashToken("token-acme-1"), Scopes: []intake.Scope{intake.ScopeCandidatesRW, "jobs_r"}, CreatedAt: at(0)},
				{Name: "board", Hash: intake.HashToken("token-acme-2"), Scopes: []intake.Scope{intake.ScopeMyCandidatesRW}, CreatedAt: at(0)},
			},
			Jobs: []intake.Job{
				testJob("WTTJ_KmqkD1Y", "Backend engineer", "VacKeyA1aaaaaaaa", true),
				testJob("WTTJ_gld0A7L", "Data analyst", "VacKeyA2bbbbbbbb", false),
			},
		},
		{
			Org: intake.Org{
				Name: "Globex", Reference: "2Ob7z5j", CompanyKey: "GlobexCompanyK02", Slug: "globex",
				CreatedAt: at(0), UpdatedAt: at(0),
			},
			Keys: []intake.APIKey{
				{Name: "ats", Hash: intake.HashToken("token-globex-1"), Scopes: []intake.Scope{intake.ScopeCandidatesRW}, CreatedAt: at(0)},
			},
			Jobs: []intake.Job{
				testJob("WTTJ_KmqkD1Y", "Backend engineer", "VacKeyA1aaaaaaaa", true),
			},
		},
	}
}

func testJob(ref, title, vacancyKey string, questions bool) intake.Job {
	j := intake.Job{
		Reference: ref, Title: title, VacancyKey: vacancyKey,
		VacancySlug: intake.VacancySlug(vacancyKey, title),
		Published:   true, CreatedAt: at(0), UpdatedAt: at(0),
	}
	for i, st := range intake.DefaultStages() {
		st.Position = i
		j.Stages = append(j.Stages, st)
	}
	if questions {
		j.Questions = []intake.Question{
			{ID: "q-exp", Text: "Years of Go?", Type: "text", Required: true, Position: 0},
			{ID: "q-remote", Text: "Remote?", Type: "choice", Options: []string{"yes", "no"}, Position: 1},
		}
	}
	return j
}

// seed saves testWorld and returns it with the ids the store filled in.
func seed(t testing.TB, s intake.Store) *fix {
	t.Helper()
	w := testWorld()
	saveWorld(t, s, w)
	return &fix{
		A: w[0].Org, B: w[1].Org,
		KeyA: w[0].Keys[0], KeyA2: w[0].Keys[1], KeyB: w[1].Keys[0],
		A1: w[0].Jobs[0], A2: w[0].Jobs[1], B1: w[1].Jobs[0],
	}
}

func saveWorld(t testing.TB, s intake.Store, w []intake.WorldOrg) {
	t.Helper()
	if err := s.SaveWorld(t.Context(), w); err != nil {
		t.Fatalf("SaveWorld: %v", err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newApp returns an application of org to job with every field set to a
// distinctive value, created at at(n).
func newApp(org intake.Org, key intake.APIKey, job intake.Job, email string, n int) *intake.Application {
	return &intake.Application{
		Reference:    intake.NewCandidateReference(),
		ApplicantKey: intake.NewApplicantKey(),
		OrgID:        org.ID,
		JobID:        job.ID,
		StageID:      job.Stages[0].ID,
		Person: intake.Person{
			OrgID: org.ID, Email: email, Firstname: "Jane", Lastname: "Doe-Émile",
			Civility: "Ms", Phone: "+33 6 12 34 56 78", Subtitle: "Gopher",
			Media: map[string]string{"github": "https://github.com/jane", "linkedin": "in/jane"},
		},
		Tags:         []string{"go", "remote", "ünïcode"},
		Origin:       "website:cms:wttj_fr",
		Referrer:     "www.linkedin.com",
		CoverLetter:  "Dear team,\nI would like to join.",
		Comment:      "Sent from the career site",
		Source:       intake.SourceWelcomeKit,
		CreatedByKey: key.ID,
		OffererID:    77,
		Answers: []intake.Answer{
			{QuestionID: "q-exp", Question: "Years of Go?", Value: "5"},
			{Question: "free question", Value: "free answer"},
		},
		Newsletter:         &intake.Consent{Given: true, At: at(n)},
		ResumeLink:         "https://example.com/cv",
		RemoteResumeURL:    "https://example.com/cv.pdf",
		RemotePortfolioURL: "https://example.com/portfolio.pdf",
		RemoteImageURL:     "https://example.com/me.png",
		Resume:             newDoc(intake.DocResume, n),
		Portfolio:          newDoc(intake.DocPortfolio, n),
		Avatar:             newDoc(intake.DocAvatar, n),
		CreatedAt:          at(n),
		UpdatedAt:          at(n),
	}
}

// bareApp is an application with only the required fields set.
func bareApp(org intake.Org, job intake.Job, email string, n int) *intake.Application {
	return &intake.Application{
		Reference:    intake.NewCandidateReference(),
		ApplicantKey: intake.NewApplicantKey(),
		OrgID:        org.ID,
		JobID:        job.ID,
		StageID:      job.Stages[0].ID,
		Person:       intake.Person{OrgID: org.ID, Email: email, Firstname: "Bare", Lastname: "Minimum"},
		Source:       intake.SourceFlatchr,
		CreatedAt:    at(n),
		UpdatedAt:    at(n),
	}
}

func newDoc(kind intake.DocumentKind, n int) *intake.Document {
	return &intake.Document{
		Kind:        kind,
		BlobKey:     randomHex(16),
		FileName:    fmt.Sprintf("%s-%d.pdf", kind, n),
		ContentType: "application/pdf",
		Size:        int64(1000 + n),
		SHA256:      randomHex(32),
		SourceURL:   "https://example.com/" + string(kind),
		CreatedAt:   at(n),
	}
}

func create(t testing.TB, s intake.Store, app *intake.Application, idem *intake.IdempotencyRecord) {
	t.Helper()
	if err := s.CreateApplication(t.Context(), app, idem); err != nil {
		t.Fatalf("CreateApplication(%s): %v", app.Person.Email, err)
	}
}

func idemRecord(app *intake.Application, key intake.APIKey, idemKey string, n int) *intake.IdempotencyRecord {
	return &intake.IdempotencyRecord{
		OrgID: app.OrgID, KeyID: key.ID, Key: idemKey, RequestHash: randomHex(32),
		Status: 201, Body: []byte(`{"reference":"` + app.Reference + `"}`),
		Reference: app.Reference, CreatedAt: at(n),
	}
}

// clone returns a deep copy of app, so a test can keep what it created
// while the store or an update function changes the original.
func clone(app *intake.Application) *intake.Application {
	c := *app
	c.Person.Media = cloneMap(app.Person.Media)
	c.Tags = append([]string(nil), app.Tags...)
	c.Answers = append([]intake.Answer(nil), app.Answers...)
	if app.Newsletter != nil {
		n := *app.Newsletter
		c.Newsletter = &n
	}
	for _, d := range []**intake.Document{&c.Resume, &c.Portfolio, &c.Avatar} {
		if *d != nil {
			doc := **d
			*d = &doc
		}
	}
	return &c
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
