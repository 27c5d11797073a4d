package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"

	"intake"
	"intake/internal/auth"
	"intake/internal/worldfile"
)

//go:embed demo.yaml
var demoWorld []byte

// demoEmail is the demo world's user, an owner of its organization.
const demoEmail = "demo@acme.example"

// applyDemo applies the built-in demo world with a fresh random token and
// password, and prints them once: the token with a curl command per dialect
// that works as is, the password with the dashboard's address.
func (m *Main) applyDemo(ctx context.Context) error {
	token, password := intake.NewToken(), intake.NewPassword()
	// The world gets the hash, so the password is never logged as a world
	// file's clear password would be.
	hash, err := auth.Bcrypt{}.Hash(password)
	if err != nil {
		return fmt.Errorf("demo world: %w", err)
	}
	world := bytes.ReplaceAll(demoWorld, []byte("DEMO_TOKEN"), []byte(token))
	world = bytes.ReplaceAll(world, []byte("DEMO_PASSWORD_HASH"), []byte(hash))
	w, err := worldfile.Decode(world)
	if err != nil {
		return fmt.Errorf("demo world: %w", err)
	}
	if err := m.service.ApplyWorld(ctx, w); err != nil {
		return fmt.Errorf("demo world: %w", err)
	}
	base := m.baseURL()
	fmt.Fprintf(m.stdout, `intake: fresh data dir %s: applied the demo world (organization Pg4eV6k, jobs WTTJ_KmqkD1Y and WTTJ_gld0A7L).
intake: demo API token (shown once, stored hashed): %s
intake: demo dashboard sign-in (shown once, stored hashed): %s/dashboard/ as %s, password %s

Create a candidate (WelcomeKit):
  curl -X POST %s/api/v1/external/candidates -H 'Content-Type: application/json' -H 'Authorization: Bearer %s' -d '{"email":"test@example.com","firstname":"Foo","lastname":"Bar","organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","job_stage_id":42}'

Create a candidate (Flatchr):
  curl -X POST %s/vacancy/candidate/json -H 'Content-Type: application/json' -H 'Authorization: Bearer %s' -d '{"vacancy":"vyja39jqrrnlnqwe-technicien-metrologue-h-f","firstname":"john","lastname":"doe","email":"john.doe@example.com","type":"document","resume":{"data":"SGVsbG8h=","fileName":"resume.txt","contentType":"application/octet-stream"}}'

`, m.Config.DataDir, token, base, demoEmail, password, base, token, base, token)
	return nil
}
