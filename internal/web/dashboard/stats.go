package dashboard

import (
	"net/http"
	"strconv"

	"intake"
)

// statsWeeks is how many weeks a job's chart of applications shows.
const statsWeeks = 12

// statsRanges are the spans the organization's chart offers, in days; the
// first is the default.
var statsRanges = []int{30, 90}

// statsView is a page of charts: a job's (funnel and applications per
// week) or the organization's (applications per day).
type statsView struct {
	layout
	HomeURL  string
	JobTitle string
	BoardURL string
	Heading  string
	Funnel   *funnelChart
	// Columns is applications per period, stacked by source.
	Columns      *columnChart
	ColumnsTitle string
	// Ranges switch the organization's chart between spans.
	Ranges []rangeLink
}

// rangeLink is one span the organization's chart offers.
type rangeLink struct {
	Label   string
	URL     string
	Current bool
}

func jobStatsPath(org, job string) string { return boardPath(org, job) + "/stats" }

func orgStatsPath(org string) string { return homePath(org) + "/stats" }

// showJobStats shows a job's funnel and its applications per week by
// source.
func (h *handler) showJobStats(w http.ResponseWriter, r *http.Request, s *session) {
	job, err := h.svc.JobByReference(r.Context(), s.p, s.p.Org.Reference, r.PathValue("job"))
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	counts, err := h.svc.JobFunnel(r.Context(), s.p, job)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	today := intake.UTCDay(h.svc.Now())
	from := weekStart(today).AddDate(0, 0, -7*(statsWeeks-1))
	days, f, err := h.svc.ApplicationDays(r.Context(), s.p, job, int(today.Sub(from).Hours()/24)+1)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	v := statsView{
		layout:       h.layout(job.Title+" · charts", s),
		HomeURL:      homePath(s.p.Org.Reference),
		JobTitle:     job.Title,
		BoardURL:     boardPath(s.p.Org.Reference, job.Reference),
		Heading:      job.Title,
		Funnel:       newFunnel(job, counts),
		Columns:      newColumns(days, f.From, 7, statsWeeks, "Week of", shortDay),
		ColumnsTitle: "Applications per week by source, last " + strconv.Itoa(statsWeeks) + " weeks (UTC)",
	}
	render(h, w, r, http.StatusOK, h.pages.stats, v)
}

// showOrgStats shows the organization's applications per day by source,
// over ?days= (one of statsRanges).
func (h *handler) showOrgStats(w http.ResponseWriter, r *http.Request, s *session) {
	span := statsRanges[0]
	if d := r.URL.Query().Get("days"); d != "" {
		span = 0
		for _, n := range statsRanges {
			if d == strconv.Itoa(n) {
				span = n
			}
		}
		if span == 0 {
			h.writeError(w, r, s, intake.Errorf(intake.EInvalid, "The chart spans 30 or 90 days."))
			return
		}
	}
	days, f, err := h.svc.ApplicationDays(r.Context(), s.p, nil, span)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	v := statsView{
		layout:       h.layout(s.p.Org.Name+" · charts", s),
		HomeURL:      homePath(s.p.Org.Reference),
		Heading:      s.p.Org.Name,
		Columns:      newColumns(days, f.From, 1, span, "Day", shortDay),
		ColumnsTitle: "Applications per day by source, last " + strconv.Itoa(span) + " days (UTC)",
	}
	for _, n := range statsRanges {
		v.Ranges = append(v.Ranges, rangeLink{
			Label: "Last " + strconv.Itoa(n) + " days", URL: orgStatsPath(s.p.Org.Reference) + "?days=" + strconv.Itoa(n),
			Current: n == span,
		})
	}
	render(h, w, r, http.StatusOK, h.pages.stats, v)
}
