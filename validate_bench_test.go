package intake

import (
	"testing"
	"time"
)

// BenchmarkNewApplication measures a create's validation and the building
// of its row: names, email, texts, tags, stage, answers, new ids.
func BenchmarkNewApplication(b *testing.B) {
	now := time.Date(2026, 11, 29, 18, 4, 5, 0, time.UTC)
	s := NewService(ServiceConfig{Now: func() time.Time { return now }})
	p := &Principal{Org: &Org{ID: 1}, Key: &APIKey{ID: 1, OrgID: 1}}
	job := &Job{ID: 7, OrgID: 1, Stages: []Stage{{ID: 42, JobID: 7, Name: "To meet"}},
		Questions: []Question{{ID: "q1", Text: "Why?"}}}
	stage := int64(42)
	for _, c := range []struct {
		name string
		in   NewApplication
	}{
		{"welcomekit", NewApplication{Job: job, StageID: &stage, Application: Application{Source: SourceWelcomeKit,
			Person: Person{Email: "camille.martin.1@example.com", Firstname: "Camille", Lastname: "Martin",
				Phone: "+33 6 12 34 56 78", Subtitle: "Développeuse backend Go"},
			Tags: []string{"go", "backend"}, Origin: "bench"}}},
		{"flatchr", NewApplication{Job: job, Application: Application{Source: SourceFlatchr,
			Person:  Person{Email: "lea.dubois.2@example.com", Firstname: "Léa", Lastname: "Dubois"},
			Answers: []Answer{{QuestionID: "q1", Value: "Because"}}}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.newApplication(p, &c.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
