package dashboard

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"intake"
)

// link is a candidate-supplied address: URL is set only when it is safe to
// follow (absolute http or https), else the text is shown as it is.
type link struct {
	Label string
	Text  string
	URL   string
}

// safeLink keeps raw as a link only for http and https: a candidate must not
// be able to plant javascript:, data: or relative links in the dashboard.
func safeLink(label, raw string) link {
	l := link{Label: label, Text: raw}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		l.URL = u.String()
	}
	return l
}

// displayName is how a candidate is named on pages: Flatchr applicants may
// come without a name or without an email.
func displayName(c *intake.Candidate) string {
	if n := strings.TrimSpace(c.Person.Firstname + " " + c.Person.Lastname); n != "" {
		return n
	}
	if c.Person.Email != "" {
		return c.Person.Email
	}
	return c.Reference
}

// sourceLabel names the channel an application came through.
func sourceLabel(s intake.Source) string {
	switch s {
	case intake.SourceWelcomeKit:
		return "WelcomeKit"
	case intake.SourceFlatchr:
		return "Flatchr"
	case intake.SourceDashboard:
		return "Dashboard"
	}
	return string(s)
}

func (h *handler) date(t time.Time) string {
	return t.In(h.loc).Format("2 Jan 2006")
}

func (h *handler) dateTime(t time.Time) string {
	return t.In(h.loc).Format("2 Jan 2006, 15:04 MST")
}

// humanSize renders a byte count in the units people read file sizes in.
func humanSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1000*1000))
}
