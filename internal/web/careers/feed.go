package careers

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"slices"
	"time"

	"intake"
)

// urlSet is a sitemaps.org 0.9 sitemap.
type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemap serves GET /careers/{slug}/sitemap.xml: the job list and every
// published job's page.
func (h *Handler) sitemap(w http.ResponseWriter, r *http.Request) {
	org, jobs, err := h.svc.CareerJobs(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.writeError(w, r, nil, err)
		return
	}
	base := h.base(r)
	set := urlSet{URLs: []sitemapURL{{Loc: base + "/careers/" + org.Slug + "/", LastMod: w3c(latest(jobs, org))}}}
	for _, j := range jobs {
		v := jobSummary(org, j)
		set.URLs = append(set.URLs, sitemapURL{Loc: base + v.Path, LastMod: w3c(v.Updated)})
	}
	h.writeXML(w, r, "application/xml; charset=utf-8", set)
}

// atomFeed is an RFC 4287 feed.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID        string    `xml:"id"`
	Title     string    `xml:"title"`
	Updated   string    `xml:"updated"`
	Published string    `xml:"published"`
	Link      atomLink  `xml:"link"`
	Summary   atomText  `xml:"summary"`
	Category  []atomCat `xml:"category"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomCat struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// feed serves GET /careers/{slug}/feed.atom: the published jobs, newest
// first.
func (h *Handler) feed(w http.ResponseWriter, r *http.Request) {
	org, jobs, err := h.svc.CareerJobs(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.writeError(w, r, nil, err)
		return
	}
	b := brand(org)
	t := texts[pageLanguage(r, b.Language)]
	base := h.base(r)
	home := base + "/careers/" + org.Slug + "/"
	f := atomFeed{
		Lang: t.Lang, ID: home, Title: t.Jobs + " · " + org.Name, Updated: w3c(latest(jobs, org)),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: home + "feed.atom"},
			{Rel: "alternate", Type: "text/html", Href: home},
		},
		Author: atomPerson{Name: org.Name},
	}
	views := make([]jobView, 0, len(jobs))
	for _, j := range jobs {
		v := jobSummary(org, j)
		localize(&v, t)
		views = append(views, v)
	}
	slices.SortStableFunc(views, func(a, b jobView) int { return b.Posted.Compare(a.Posted) })
	for _, v := range views {
		e := atomEntry{
			ID: base + v.Path, Title: v.Title, Updated: w3c(v.Updated), Published: w3c(v.Posted),
			Link:    atomLink{Rel: "alternate", Type: "text/html", Href: base + v.Path},
			Summary: atomText{Type: "text", Text: summary(v)},
		}
		if v.ContractType != "" {
			e.Category = append(e.Category, atomCat{Term: v.ContractType, Label: v.Contract})
		}
		f.Entries = append(f.Entries, e)
	}
	h.writeXML(w, r, "application/atom+xml; charset=utf-8", f)
}

// latest is when the organization or the newest of its jobs last changed:
// the sitemap's and the feed's own date.
func latest(jobs []*intake.Job, org *intake.Org) time.Time {
	t := org.UpdatedAt
	for _, j := range jobs {
		if j.UpdatedAt.After(t) {
			t = j.UpdatedAt
		}
	}
	return t
}

func w3c(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// writeXML encodes v fully before sending it.
func (h *Handler) writeXML(w http.ResponseWriter, r *http.Request, contentType string, v any) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		h.writeError(w, r, nil, intake.WrapError(intake.EInternal, err, "encode xml"))
		return
	}
	buf.WriteByte('\n')
	writeBody(w, http.StatusOK, contentType, buf.Bytes())
}
