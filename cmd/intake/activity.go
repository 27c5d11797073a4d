package main

import (
	"intake"
	"intake/internal/mailer"
	"intake/internal/markdown"
)

// activityConfig wires comment rendering and, with --smtp-url, the mailer.
// The URL was checked when the flags were parsed.
func activityConfig(cfg Config) intake.ActivityConfig {
	md := markdown.New()
	out := intake.ActivityConfig{Markdown: md.Render, MailFrom: cfg.SMTPFrom}
	if cfg.SMTPURL != "" {
		if m, err := mailer.Parse(cfg.SMTPURL); err == nil {
			out.Mailer = m
		}
	}
	return out
}
