package storetest

import (
	"testing"

	"intake"
)

func searchTests() []test {
	return []test{
		{"Filters", testSearchFilters},
		{"Meta", testCandidateMeta},
	}
}

func testSearchFilters(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	a1 := newApp(f.A, f.KeyA, f.A1, "Jane@Example.com", 1)
	a2 := bareApp(f.A, f.A2, "jane@example.com", 2) // same person, other job
	a2.StageID = f.A2.Stages[1].ID
	a3 := bareApp(f.A, f.A1, "", 3)
	a3.Person.Firstname, a3.Person.Lastname = "Juliette", "Larfoillou"
	b1 := bareApp(f.B, f.B1, "jane@example.com", 1)
	for _, a := range []*intake.Application{a1, a2, a3, b1} {
		create(t, s, a, nil)
	}
	search := func(name string, sf intake.SearchFilter, want ...*intake.Application) {
		t.Helper()
		if sf.OrgID == 0 {
			sf.OrgID = f.A.ID
		}
		if sf.Limit == 0 {
			sf.Limit = 100
		}
		got, err := s.SearchApplications(ctx, sf)
		noErr(t, name, err)
		equal(t, name, refs(want), refs(got))
	}
	search("all of A, oldest first", intake.SearchFilter{}, a1, a2, a3)
	search("all of B", intake.SearchFilter{OrgID: f.B.ID}, b1)
	search("email, any case", intake.SearchFilter{Email: ptr("JANE@example.com")}, a1, a2)
	search("empty email matches no one", intake.SearchFilter{Email: ptr("")})
	search("firstname", intake.SearchFilter{Firstname: ptr("juliette")}, a3)
	search("lastname", intake.SearchFilter{Lastname: ptr("LARFOILLOU")}, a3)
	search("job", intake.SearchFilter{JobID: &f.A2.ID}, a2)
	search("stages", intake.SearchFilter{StageIDs: []int64{f.A2.Stages[1].ID, f.B1.Stages[0].ID}}, a2)
	search("no stages", intake.SearchFilter{StageIDs: []int64{}})
	search("created from (inclusive)", intake.SearchFilter{CreatedFrom: ptr(at(2))}, a2, a3)
	search("created before (exclusive)", intake.SearchFilter{CreatedBefore: ptr(at(2))}, a1)
	search("creator", intake.SearchFilter{CreatedByKey: &f.KeyA.ID}, a1)
	search("limit", intake.SearchFilter{Limit: 2}, a1, a2)
	got, err := s.SearchApplications(ctx, intake.SearchFilter{OrgID: f.A.ID, Email: ptr("jane@example.com"), Limit: 1})
	noErr(t, "SearchApplications", err)
	equal(t, "whole application", getApp(t, s, f.A.ID, a1.Reference), got[0])
}

func testCandidateMeta(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	a := newApp(f.A, f.KeyA, f.A1, "jane@example.com", 1)
	create(t, s, a, nil)
	personID := getApp(t, s, f.A.ID, a.Reference).Person.ID
	m := &intake.CandidateMeta{OrgID: f.A.ID, PersonID: personID, AppName: "parser", Type: "applicants",
		Name: "parsing", Value: `{"skills":["go"]}`, CreatedAt: at(2), UpdatedAt: at(2)}
	created, err := s.SetCandidateMeta(ctx, m)
	noErr(t, "SetCandidateMeta", err)
	equal(t, "created", true, created)
	m2 := *m
	m2.Value, m2.CreatedAt, m2.UpdatedAt = `{"skills":["go","sql"]}`, at(3), at(3)
	created, err = s.SetCandidateMeta(ctx, &m2)
	noErr(t, "SetCandidateMeta(again)", err)
	equal(t, "created again", false, created)
	list, err := s.CandidateMeta(ctx, f.A.ID, personID)
	noErr(t, "CandidateMeta", err)
	want := m2
	want.CreatedAt = at(2)
	equal(t, "CandidateMeta", []intake.CandidateMeta{want}, list)

	foreign := *m
	foreign.OrgID = f.B.ID
	_, err = s.SetCandidateMeta(ctx, &foreign)
	wantCode(t, "SetCandidateMeta(other org)", err, intake.ENotFound)
	list, err = s.CandidateMeta(ctx, f.B.ID, personID)
	noErr(t, "CandidateMeta(other org)", err)
	equal(t, "CandidateMeta(other org)", []intake.CandidateMeta{}, list)
}
