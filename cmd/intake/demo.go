package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"

	"intake"
	"intake/internal/worldfile"
)

//go:embed demo.yaml
var demoWorld []byte

// applyDemo applies the built-in demo world with a fresh random token and
// prints that token once, with a curl command per dialect that works as is.
func (m *Main) applyDemo(ctx context.Context) error {
	token := intake.NewToken()
	w, err := worldfile.Decode(bytes.ReplaceAll(demoWorld, []byte("DEMO_TOKEN"), []byte(token)))
	if err != nil {
		return fmt.Errorf("demo world: %w", err)
	}
	if err := m.service.ApplyWorld(ctx, w); err != nil {
		return fmt.Errorf("demo world: %w", err)
	}
	base := m.baseURL()
	fmt.Fprintf(m.stdout, `intake: fresh data dir %s: applied the demo world (organization Pg4eV6k, jobs WTTJ_KmqkD1Y and WTTJ_gld0A7L).
intake: demo API token (shown once, stored hashed): %s

Create a candidate (WelcomeKit):
  curl -X POST %s/api/v1/external/candidates -H 'Content-Type: application/json' -H 'Authorization: Bearer %s' -d '{"email":"test@example.com","firstname":"Foo","lastname":"Bar","organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","job_stage_id":42}'

Create a candidate (Flatchr):
  curl -X POST %s/vacancy/candidate/json -H 'Content-Type: application/json' -H 'Authorization: Bearer %s' -d '{"vacancy":"vyja39jqrrnlnqwe-technicien-metrologue-h-f","firstname":"john","lastname":"doe","email":"john.doe@example.com","type":"document","resume":{"data":"SGVsbG8h=","fileName":"resume.txt","contentType":"application/octet-stream"}}'

`, m.Config.DataDir, token, base, token, base, token)
	return nil
}
