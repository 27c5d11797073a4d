package intake_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"intake"
	"intake/internal/testenv"
)

// TestUpdateTagsEdit adds and removes tags on the tags as stored: concurrent
// edits all apply, duplicates and blanks are dropped, and the limit holds
// on the result.
func TestUpdateTagsEdit(t *testing.T) {
	env := testenv.New(t, eventWorld)
	ctx := t.Context()
	p := authenticate(t, env.Service, "wk-api-key")
	job, err := env.Store.JobByReference(ctx, p.Org.ID, "WTTJ_KmqkD1Y")
	if err != nil {
		t.Fatal(err)
	}
	res, err := env.Service.CreateApplication(ctx, p, &intake.NewApplication{Application: intake.Application{Source: intake.SourceWelcomeKit,
		Person: intake.Person{Firstname: "Jane", Lastname: "Doe", Email: "jane@example.com"}, Tags: []string{"go"}}, Job: job})
	if err != nil {
		t.Fatal(err)
	}
	ref := res.Candidate.Reference
	tags := func() []string {
		t.Helper()
		c, err := env.Service.Application(ctx, p, ref)
		if err != nil {
			t.Fatal(err)
		}
		return c.Tags
	}

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if _, err := env.Service.UpdateApplication(ctx, p, ref, &intake.ApplicationUpdate{AddTags: []string{fmt.Sprintf("t%d", i)}}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got := tags()
	slices.Sort(got)
	if want := []string{"go", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"}; !slices.Equal(got, want) {
		t.Errorf("after 8 concurrent additions: %q, want %q", got, want)
	}

	if _, err := env.Service.UpdateApplication(ctx, p, ref, &intake.ApplicationUpdate{AddTags: []string{" go", "", "new "}, RemoveTags: []string{"t0", "absent"}}); err != nil {
		t.Fatal(err)
	}
	if got := tags(); slices.Contains(got, "t0") || !slices.Contains(got, "new") || len(got) != 9 {
		t.Errorf("after adding and removing: %q", got)
	}

	many := make([]string, intake.MaxTags)
	for i := range many {
		many[i] = fmt.Sprintf("m%d", i)
	}
	_, err = env.Service.UpdateApplication(ctx, p, ref, &intake.ApplicationUpdate{AddTags: many[:intake.MaxTags-5]})
	if intake.ErrorCodeOf(err) != intake.EInvalid || intake.ErrorFields(err)["tag_list"] == "" {
		t.Errorf("adding past %d tags: %v, want invalid tag_list", intake.MaxTags, err)
	}
	if got := tags(); len(got) != 9 {
		t.Errorf("a refused addition changed the tags: %q", got)
	}
}
