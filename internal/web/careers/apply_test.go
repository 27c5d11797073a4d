package careers

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"intake"
)

// TestApply posts the apply form as a browser does, and checks each answer:
// the thank-you page and a stored candidate with its résumé and consent, or
// the job page with the right message next to the right field, the values
// kept, and nothing stored.
func TestApply(t *testing.T) {
	big := bytes.Repeat([]byte("%PDF-1.4\n"), 20<<20/9)
	tests := []struct {
		name string
		// edit changes the complete application.
		edit func(fields [][2]string) [][2]string
		// wait is the time between serving the form and posting it.
		wait       time.Duration
		resumeName string
		resume     []byte
		status     int
		wantInPage []string
		stored     bool
	}{
		{name: "complete", status: http.StatusOK, stored: true,
			wantInPage: []string{`<h1 id="message">Merci !</h1>`, "Technicien métrologue H/F · Acme"}},
		{name: "missing required answer", edit: func(f [][2]string) [][2]string { return with(f, "answers[0][value]", "") },
			status:     http.StatusBadRequest,
			wantInPage: []string{`id="f-q0-error">Erreur : Cette question demande une réponse.`, `value="Éloïse"`, `value="eloise@example.com"`, ">Parce que.</textarea>", "Corrigez les champs"}},
		{name: "answer not an option", edit: func(f [][2]string) [][2]string { return with(f, "answers[0][value]", "Doctorat") },
			status: http.StatusBadRequest, wantInPage: []string{`id="f-q0-error">Erreur : Cette valeur n&#39;est pas valide.`}},
		{name: "exe renamed pdf", resumeName: "cv.pdf", resume: exe, status: http.StatusBadRequest,
			wantInPage: []string{`id="f-resume-error">Erreur : Ce type de fichier n&#39;est pas accepté`, `value="N&#39;Diaye"`}},
		{name: "20 MB file", resumeName: "cv.pdf", resume: big, status: http.StatusRequestEntityTooLarge,
			wantInPage: []string{"Le fichier envoyé est trop volumineux : 10 Mo au plus.", `<h1>Technicien métrologue H/F</h1>`}},
		{name: "honeypot filled", edit: func(f [][2]string) [][2]string { return with(f, "website_url", "http://spam.example") },
			status: http.StatusBadRequest, wantInPage: []string{`role="alert"`, "Votre candidature n&#39;a pas pu être envoyée."}},
		{name: "too fast", wait: time.Second, status: http.StatusBadRequest,
			wantInPage: []string{"Le formulaire a été envoyé trop vite."}},
		{name: "expired", wait: 25 * time.Hour, status: http.StatusBadRequest,
			wantInPage: []string{"Le formulaire a expiré."}},
		{name: "forged token", edit: func(f [][2]string) [][2]string {
			return with(f, "career_token", "mxb3i9ho.2c4.YWNtZQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
		}, status: http.StatusBadRequest, wantInPage: []string{"Le formulaire n&#39;est pas valide."}},
		{name: "token of another job", edit: func(f [][2]string) [][2]string {
			return with(f, "vacancy", "3028")
		}, status: http.StatusBadRequest, wantInPage: []string{"Le formulaire n&#39;est pas valide."}},
		{name: "no consent", edit: func(f [][2]string) [][2]string { return without(f, "privacy_consent") },
			status: http.StatusBadRequest, wantInPage: []string{`id="f-consent-error">Erreur : Ce champ est obligatoire.`}},
		{name: "no résumé", resume: []byte{}, resumeName: "",
			status: http.StatusBadRequest, wantInPage: []string{`id="f-resume-error">Erreur : Ce champ est obligatoire.`}},
		{name: "missing email", edit: func(f [][2]string) [][2]string { return with(f, "email", "") },
			status: http.StatusBadRequest, wantInPage: []string{`id="f-email-error">Erreur : `}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, testWorld, nil)
			path := s.jobPath(t)
			_, page := s.get(t, path, "fr")
			wait := tt.wait
			if wait == 0 {
				wait = 5 * time.Second
			}
			s.env.Clock.Advance(wait)
			fields := validFields(formToken(t, page), vacancyOf(path))
			if tt.edit != nil {
				fields = tt.edit(fields)
			}
			a := application{fields: fields, resumeName: "cv.pdf", resume: pdf}
			switch {
			case tt.resume != nil && len(tt.resume) == 0:
				a.resume = nil
			case tt.resume != nil:
				a.resumeName, a.resume = tt.resumeName, tt.resume
			}
			resp, body := s.post(t, a)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d; body:\n%s", resp.StatusCode, tt.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			for _, want := range tt.wantInPage {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q:\n%s", want, body)
				}
			}
			list := s.candidates(t, "WTTJ_KmqkD1Y")
			if !tt.stored {
				if len(list) != 0 {
					t.Fatalf("%d candidates stored, want none", len(list))
				}
				return
			}
			if len(list) != 1 {
				t.Fatalf("%d candidates stored, want 1", len(list))
			}
			c := list[0]
			if c.Person.Firstname != "Éloïse" || c.Source != intake.SourceFlatchr || c.CreatedByKey != 0 {
				t.Errorf("candidate %+v", c.Application)
			}
			if c.PrivacyConsentAt == nil || !c.PrivacyConsentAt.Equal(s.env.Clock.Now().Truncate(time.Millisecond)) {
				t.Errorf("PrivacyConsentAt = %v, want %v", c.PrivacyConsentAt, s.env.Clock.Now())
			}
			if c.Resume == nil || c.Resume.ContentType != "application/pdf" || c.Resume.Size != int64(len(pdf)) {
				t.Fatalf("resume %+v", c.Resume)
			}
			if len(c.Answers) != 2 || c.Answers[0].Value != "Bac +3" {
				t.Errorf("answers %+v", c.Answers)
			}
		})
	}
}

// TestApplyRateLimited checks that the per-address limit answers the
// form's post with the job's page and a 429, before reading it.
func TestApplyRateLimited(t *testing.T) {
	s := newSite(t, testWorld, intake.NewTokenBucket(0.001, 1))
	path := s.jobPath(t)
	_, page := s.get(t, path, "fr")
	s.env.Clock.Advance(5 * time.Second)
	tok := formToken(t, page)
	first := application{fields: validFields(tok, vacancyOf(path)), resumeName: "cv.pdf", resume: pdf}
	if resp, body := s.post(t, first); resp.StatusCode != http.StatusOK {
		t.Fatalf("first post: %d\n%s", resp.StatusCode, body)
	}
	second := application{fields: with(validFields(tok, vacancyOf(path)), "email", "other@example.com"), resumeName: "cv.pdf", resume: pdf}
	resp, body := s.post(t, second)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("second post: %d\n%s", resp.StatusCode, body)
	}
	if resp.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if !strings.Contains(body, "Trop de candidatures envoyées depuis votre adresse.") {
		t.Errorf("429 page:\n%s", body)
	}
	if n := len(s.candidates(t, "WTTJ_KmqkD1Y")); n != 1 {
		t.Errorf("%d candidates, want 1", n)
	}
}
