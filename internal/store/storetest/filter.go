package storetest

import (
	"testing"

	"intake"
)

func listTests() []test {
	return []test{
		{"Filters", testListFilters},
		{"Paging", testListPaging},
		{"FullRows", testListRows},
	}
}

// listData creates applications whose fields differ one filter at a time.
// Creation times increase with the index, as they do in production.
type listData struct {
	f  *fix
	A  []*intake.Application // a0…a4 in org A
	B0 *intake.Application
}

func seedList(t testing.TB, s intake.Store) *listData {
	t.Helper()
	f := seed(t, s)
	d := &listData{f: f}
	type row struct {
		job              intake.Job
		stage            int
		email            string
		origin, referrer string
		archived         bool
		key              intake.APIKey
		created, updated int
	}
	rows := []row{
		{f.A1, 0, "ann@example.com", "web", "linkedin", false, f.KeyA, 1, 1},
		{f.A1, 1, "bob@example.com", "api", "", true, f.KeyA2, 2, 9},
		{f.A1, 1, "cat@example.com", "web", "indeed", false, f.KeyA, 3, 3},
		{f.A2, 0, "Ann@Example.com", "web", "linkedin", false, f.KeyA, 4, 4},
		{f.A1, 0, "dan@example.com", "", "linkedin", false, f.KeyA2, 5, 5},
	}
	for i, r := range rows {
		app := newApp(f.A, r.key, r.job, r.email, r.created)
		app.StageID = r.job.Stages[r.stage].ID
		app.Origin, app.Referrer, app.Archived = r.origin, r.referrer, r.archived
		app.UpdatedAt = at(r.updated)
		create(t, s, app, nil)
		d.A = append(d.A, app)
		if i == 3 {
			// Person fields are shared: a0 now shows a3's email spelling.
			d.A[0].Person.Email = app.Person.Email
		}
	}
	d.B0 = newApp(f.B, f.KeyB, f.B1, "ann@example.com", 1)
	create(t, s, d.B0, nil)
	return d
}

func testListFilters(t *testing.T, s intake.Store) {
	d := seedList(t, s)
	f, a := d.f, d.A
	orgA := func(mod func(*intake.ApplicationFilter)) intake.ApplicationFilter {
		flt := intake.ApplicationFilter{OrgID: f.A.ID, Limit: 100}
		mod(&flt)
		return flt
	}
	tests := []struct {
		name   string
		filter intake.ApplicationFilter
		want   []*intake.Application
	}{
		{"Org", orgA(func(*intake.ApplicationFilter) {}), a},
		{"OtherOrg", intake.ApplicationFilter{OrgID: f.B.ID, Limit: 100}, []*intake.Application{d.B0}},
		{"UnknownOrg", intake.ApplicationFilter{OrgID: f.B.ID + 1000, Limit: 100}, nil},
		{"Job", orgA(func(x *intake.ApplicationFilter) { x.JobID = &f.A1.ID }), []*intake.Application{a[0], a[1], a[2], a[4]}},
		{"OtherJob", orgA(func(x *intake.ApplicationFilter) { x.JobID = &f.A2.ID }), []*intake.Application{a[3]}},
		{"JobOfAnotherOrg", orgA(func(x *intake.ApplicationFilter) { x.JobID = &f.B1.ID }), nil},
		{"EmailAnyCase", orgA(func(x *intake.ApplicationFilter) { x.Email = ptr("ANN@example.COM") }), []*intake.Application{a[0], a[3]}},
		{"EmailAndJob", orgA(func(x *intake.ApplicationFilter) { x.Email, x.JobID = ptr("ann@example.com"), &f.A1.ID }), []*intake.Application{a[0]}},
		{"EmailUnknown", orgA(func(x *intake.ApplicationFilter) { x.Email = ptr("zed@example.com") }), nil},
		{"Origin", orgA(func(x *intake.ApplicationFilter) { x.Origin = ptr("web") }), []*intake.Application{a[0], a[2], a[3]}},
		{"OriginEmpty", orgA(func(x *intake.ApplicationFilter) { x.Origin = ptr("") }), []*intake.Application{a[4]}},
		{"Referrer", orgA(func(x *intake.ApplicationFilter) { x.Referrer = ptr("linkedin") }), []*intake.Application{a[0], a[3], a[4]}},
		{"Stage", orgA(func(x *intake.ApplicationFilter) { x.StageID = &f.A1.Stages[1].ID }), []*intake.Application{a[1], a[2]}},
		{"Archived", orgA(func(x *intake.ApplicationFilter) { x.Archived = ptr(true) }), []*intake.Application{a[1]}},
		{"NotArchived", orgA(func(x *intake.ApplicationFilter) { x.Archived = ptr(false) }), []*intake.Application{a[0], a[2], a[3], a[4]}},
		{"CreatedAfterIsStrict", orgA(func(x *intake.ApplicationFilter) { x.CreatedAfter = ptr(at(2)) }), []*intake.Application{a[2], a[3], a[4]}},
		{"UpdatedAfterIsStrict", orgA(func(x *intake.ApplicationFilter) { x.UpdatedAfter = ptr(at(4)) }), []*intake.Application{a[1], a[4]}},
		{"CreatedByKey", orgA(func(x *intake.ApplicationFilter) { x.CreatedByKey = &f.KeyA2.ID }), []*intake.Application{a[1], a[4]}},
		{"Combined", orgA(func(x *intake.ApplicationFilter) {
			x.JobID, x.Origin, x.Archived, x.CreatedByKey = &f.A1.ID, ptr("web"), ptr(false), &f.KeyA.ID
		}), []*intake.Application{a[0], a[2]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n, err := s.Applications(t.Context(), tt.filter)
			noErr(t, "Applications", err)
			equal(t, "references", refs(tt.want), refs(got))
			if n != len(tt.want) {
				t.Errorf("total %d, want %d", n, len(tt.want))
			}
		})
	}
}

func testListPaging(t *testing.T, s intake.Store) {
	d := seedList(t, s)
	a := d.A
	tests := []struct {
		name          string
		offset, limit int
		want          []*intake.Application
	}{
		{"FirstPage", 0, 2, a[:2]},
		{"MiddlePage", 1, 2, a[1:3]},
		{"LastPartialPage", 4, 10, a[4:]},
		{"PastTheEnd", 10, 10, nil},
		{"OnlyTotal", 0, 0, nil},
		{"OnlyTotalWithOffset", 3, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n, err := s.Applications(t.Context(), intake.ApplicationFilter{OrgID: d.f.A.ID, Offset: tt.offset, Limit: tt.limit})
			noErr(t, "Applications", err)
			equal(t, "references", refs(tt.want), refs(got))
			if n != len(a) {
				t.Errorf("total %d, want %d whatever the page", n, len(a))
			}
		})
	}
	archived := true
	got, n, err := s.Applications(t.Context(), intake.ApplicationFilter{OrgID: d.f.A.ID, Archived: &archived, Limit: 0})
	noErr(t, "Applications", err)
	if len(got) != 0 || n != 1 {
		t.Errorf("Limit 0 with a filter: %d rows, total %d; want 0 rows, total 1", len(got), n)
	}
}

// testListRows checks that listed rows are whole applications, documents
// included, exactly as a single read returns them.
func testListRows(t *testing.T, s intake.Store) {
	d := seedList(t, s)
	got, _, err := s.Applications(t.Context(), intake.ApplicationFilter{OrgID: d.f.A.ID, Limit: 100})
	noErr(t, "Applications", err)
	equal(t, "listed applications", d.A, got)
}

func refs(apps []*intake.Application) []string {
	out := make([]string, len(apps))
	for i, a := range apps {
		out[i] = a.Reference
	}
	return out
}
