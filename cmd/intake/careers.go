package main

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"time"

	"intake"
	"intake/internal/httpapi/flatchr"
	"intake/internal/web/careerform"
	"intake/internal/web/careers"
)

// Per-address limit of the career site's form posts (and of any anonymous
// form post to /vacancy/candidate/custom): a burst of careerPostBurst, then
// one every careerPostEvery. A person applies a few times a day at most.
const (
	careerPostBurst = 5
	careerPostEvery = 30 * time.Second
)

// careerSite returns the career site and what /custom needs to take its
// forms. Its form tokens are signed with a key derived from the download-URL
// secret, so processes sharing --file-url-secret accept each other's forms.
func careerSite(svc *intake.Service, secret []byte, publicURL string, log *slog.Logger) (*careers.Handler, *flatchr.Career, error) {
	key, err := hkdf.Key(sha256.New, secret, nil, "intake career form", 32)
	if err != nil {
		return nil, nil, fmt.Errorf("career form key: %w", err)
	}
	signer := careerform.NewSigner(key)
	site := careers.NewHandler(svc, careers.Options{PublicURL: publicURL, Signer: signer, Logger: log})
	return site, &flatchr.Career{
		Signer:  signer,
		Pages:   site,
		Limiter: intake.NewTokenBucket(1/careerPostEvery.Seconds(), careerPostBurst),
	}, nil
}
