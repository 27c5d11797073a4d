package flatchr

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// TestCreateDuplicate re-applies with the same email: success without a
// second applicant, and the resume sent the second time replaces the first
// (spec flatchr §2 validation order, §12 #19).
func TestCreateDuplicate(t *testing.T) {
	s := newServer(t)
	first := s.postJSON(t, "/vacancy/candidate/json", `{"vacancy":"`+seedVacancy+`","firstname":"john","lastname":"doe","email":"john@example.com",`+doc+`}`, "Authorization", "Bearer "+seedToken)
	if first.status != http.StatusOK {
		t.Fatalf("first: %d %s", first.status, first.body)
	}
	applicant, reference, _ := createdIDs(t, first.body)
	second := s.postJSON(t, "/vacancy/candidate/json", `{"vacancy":"`+seedVacancy+`","firstname":"John","lastname":"Doe","email":"JOHN@example.com","resume":{"data":"SGVsbG8gYWdhaW4h","fileName":"cv2.txt"}}`, "Authorization", "Bearer "+seedToken)
	if second.status != http.StatusOK {
		t.Fatalf("second: %d %s", second.status, second.body)
	}
	if a, r, _ := createdIDs(t, second.body); a != applicant || r != reference {
		t.Errorf("re-apply answered applicant %s (%s), want the first, %s (%s)", a, r, applicant, reference)
	}
	// With an idempotency key the answer is rendered before the store
	// finds the duplicate: it must still name the existing applicant.
	third := s.postJSON(t, "/vacancy/candidate/json", `{"vacancy":"`+seedVacancy+`","firstname":"John","lastname":"Doe","email":"john@example.com","type":"json","resume":{}}`,
		"Authorization", "Bearer "+seedToken, "Idempotency-Key", "re-apply-3")
	if third.status != http.StatusOK {
		t.Fatalf("third: %d %s", third.status, third.body)
	}
	if a, r, _ := createdIDs(t, third.body); a != applicant || r != reference {
		t.Errorf("re-apply with a key answered applicant %s (%s), want the first, %s (%s)", a, r, applicant, reference)
	}
	if n := len(s.applications(t, seedVacancy)); n != 1 {
		t.Fatalf("%d applicants, want 1", n)
	}
	t.Run("the second resume replaces the first", func(t *testing.T) {
		c, err := s.env.Service.Application(t.Context(), s.principal(t), reference)
		if err != nil {
			t.Fatal(err)
		}
		if c.Resume == nil || c.Resume.FileName != "cv2.txt" || s.blobSum(t, c.Resume) != sum([]byte("Hello again!")) {
			t.Errorf("resume after re-apply: %+v", c.Resume)
		}
		if n := s.files(t); n != 1 {
			t.Errorf("%d files on disk, want the replacing resume only", n)
		}
	})
}

// TestCreateDryRun posts to /test: the same answer as /json but for the
// identifiers of what would have been stored, and nothing stored.
func TestCreateDryRun(t *testing.T) {
	s := newServer(t)
	res := s.postJSON(t, "/vacancy/candidate/test", vendorJSON, "Authorization", "Bearer "+seedToken)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	golden(t, "create_test.json", res.body, nil)
	real := s.postJSON(t, "/vacancy/candidate/json", vendorJSON)
	var withoutIDs map[string]json.RawMessage
	if err := json.Unmarshal(real.body, &withoutIDs); err != nil {
		t.Fatal(err)
	}
	var dry map[string]json.RawMessage
	if err := json.Unmarshal(res.body, &dry); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"applicant", "reference", "cv"} {
		delete(withoutIDs, k)
	}
	a, _ := json.Marshal(withoutIDs)
	b, _ := json.Marshal(dry)
	if !bytes.Equal(a, b) {
		t.Errorf("/test answered\n%s\n/json answered\n%s", b, a)
	}
	// The /json call above stored one; /test none.
	if n := len(s.applications(t, seedVacancy)); n != 1 {
		t.Errorf("%d applicants, want 1", n)
	}
	if n := s.files(t); n != 1 {
		t.Errorf("%d files on disk, want 1", n)
	}
}

func TestCreateDryRunStoresNothing(t *testing.T) {
	s := newServer(t)
	link := notFoundURL(t)
	for _, body := range []string{vendorJSON, `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","type":"json","resume":{}}`} {
		if res := s.postJSON(t, "/vacancy/candidate/test", body, "Authorization", "Bearer "+seedToken); res.status != http.StatusOK {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
	}
	// A link is downloaded and checked, as a real create would.
	res := s.postJSON(t, "/vacancy/candidate/test", `{"vacancy":"`+seedVacancy+`","firstname":"a","lastname":"b","type":"link","resume":"`+link+`"}`, "Authorization", "Bearer "+seedToken)
	if want := hapi(400, "resume could not be downloaded (HTTP 404)"); string(res.body) != want {
		t.Errorf("got %d %s, want %s", res.status, res.body, want)
	}
	if n := len(s.applications(t, seedVacancy)); n != 0 {
		t.Errorf("%d applicants stored by /test", n)
	}
	if n := s.files(t); n != 0 {
		t.Errorf("%d files left by /test", n)
	}
}

// TestIdempotency retries a create with an Idempotency-Key: the retry gets
// the first answer byte for byte and creates nothing; the key with another
// body is a conflict.
func TestIdempotency(t *testing.T) {
	s := newServer(t)
	key := []string{"Authorization", "Bearer " + seedToken, "Idempotency-Key", "retry-1"}
	body := `{"vacancy":"` + seedVacancy + `","firstname":"john","lastname":"doe",` + doc + `}`
	first := s.postJSON(t, "/vacancy/candidate/json", body, key...)
	if first.status != http.StatusOK {
		t.Fatalf("first: %d %s", first.status, first.body)
	}
	again := s.postJSON(t, "/vacancy/candidate/json", body, key...)
	if again.status != http.StatusOK || !bytes.Equal(again.body, first.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry answered %d %s (replayed %q), want the first answer", again.status, again.body, again.header.Get("Idempotent-Replayed"))
	}
	other := s.postJSON(t, "/vacancy/candidate/json", body+" ", key...)
	if want := hapi(409, "Idempotency-Key was already used with a different request"); other.status != 409 || string(other.body) != want {
		t.Errorf("another body with the key: %d %s, want %s", other.status, other.body, want)
	}
	if n := len(s.applications(t, seedVacancy)); n != 1 {
		t.Errorf("%d applicants, want 1", n)
	}
	if n := s.files(t); n != 1 {
		t.Errorf("%d files on disk, want 1: a retry's resume is discarded", n)
	}
}
