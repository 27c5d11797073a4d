package storetest

import (
	"testing"

	"intake"
)

func consentTests() []test {
	return []test{
		{"PrivacyRoundTrip", testPrivacyConsentRoundTrip},
		{"PrivacyKeptByUpdate", testPrivacyConsentKept},
	}
}

// testPrivacyConsentRoundTrip checks that the career form's consent time is
// stored with the application, read back by reference and applicant key,
// and absent when no form asked.
func testPrivacyConsentRoundTrip(t *testing.T, s intake.Store) {
	f := seed(t, s)
	app := bareApp(f.A, f.A1, "consent@example.com", 1)
	when := at(3)
	app.PrivacyConsentAt = &when
	create(t, s, app, nil)
	equal(t, "Application", app, getApp(t, s, f.A.ID, app.Reference))
	got, err := s.ApplicationByKey(t.Context(), f.A.ID, app.ApplicantKey)
	noErr(t, "ApplicationByKey", err)
	equal(t, "ApplicationByKey", app, got)

	none := bareApp(f.A, f.A2, "none@example.com", 2)
	create(t, s, none, nil)
	if got := getApp(t, s, f.A.ID, none.Reference); got.PrivacyConsentAt != nil {
		t.Errorf("PrivacyConsentAt = %v for an application no form asked, want nil", got.PrivacyConsentAt)
	}
}

// testPrivacyConsentKept checks that updating an application (a move, an
// archive) leaves its recorded consent as it was.
func testPrivacyConsentKept(t *testing.T, s intake.Store) {
	f := seed(t, s)
	app := bareApp(f.A, f.A1, "kept@example.com", 1)
	when := at(4)
	app.PrivacyConsentAt = &when
	create(t, s, app, nil)
	_, err := s.UpdateApplication(t.Context(), f.A.ID, app.Reference, func(a *intake.Application) error {
		a.Archived = true
		a.UpdatedAt = at(5)
		return nil
	})
	noErr(t, "UpdateApplication", err)
	got := getApp(t, s, f.A.ID, app.Reference)
	if got.PrivacyConsentAt == nil || !got.PrivacyConsentAt.Equal(when) {
		t.Errorf("PrivacyConsentAt after update = %v, want %v", got.PrivacyConsentAt, when)
	}
}
