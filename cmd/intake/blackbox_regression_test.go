package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestBlackboxMyCandidatesFlatchrReapply: a my_candidates_rw key only sees
// the candidates it created (spec welcomekit §1 Scopes). Applying through
// Flatchr with the email of another key's candidate on the same vacancy
// must not hand it that candidate's reference, nor a link to its resume.
func TestBlackboxMyCandidatesFlatchrReapply(t *testing.T) {
	s, _ := startBB(t, "--allow-fetch-from", "127.0.0.1/32")
	base := s.URL
	pdf := append(append([]byte{}, samplePDF...), "% someone else's resume\n"...)
	srv, _ := fileServer(t, "application/pdf", pdf)
	theirs := wkCreate(t, base, rwKey, wkCreateBody(seedJob, "theirs@example.com", `"remote_resume_url":"`+srv+`/cv.pdf"`))
	if got := send(t, base, call{path: wkCandidates + "/" + theirs, auth: bearer(mineKey)}); got.status != http.StatusNotFound {
		t.Fatalf("my_candidates_rw reads another key's candidate: %s", got)
	}
	for _, resume := range []string{`"type":"json","resume":{}`, doc64([]byte("mine"), "cv.txt", "text/plain")[1:]} {
		got := send(t, base, flatchrCall(bearer(mineKey), flatchrBody(seedVacancy, `,"email":"theirs@example.com",`+resume)))
		if strings.Contains(string(got.body), theirs) || strings.Contains(string(got.body), filesPrefix) {
			t.Errorf("re-apply with %s answered another key's candidate:\n%s", resume, got)
		}
	}
	if _, stored := wkResume(t, base, theirs); sha(stored) != sha(pdf) {
		t.Errorf("another key's re-apply replaced the candidate's resume")
	}
}

// TestBlackboxWelcomeKitCreateOnJobWithQuestions: Flatchr screening
// questions are Flatchr's; a WelcomeKit client has no parameter to answer
// them and must still create candidates on the job with the seed's
// parameters (issue 2: clients work unchanged).
func TestBlackboxWelcomeKitCreateOnJobWithQuestions(t *testing.T) {
	s, _ := startBB(t)
	got := send(t, s.URL, createCall(rwKey, wkCreateBody(salesJob, "sales@example.com", "")))
	if got.status != http.StatusCreated {
		t.Errorf("WelcomeKit create on a job with a required Flatchr question: %s, want 201", got)
	}
}
