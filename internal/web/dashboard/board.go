package dashboard

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"intake"
)

// boardPageSize is how many candidates each column shows per page.
const boardPageSize = 20

// maxPage bounds the page number, so an absurd one is an error rather than
// a huge offset.
const maxPage = 100_000

// boardView is a job's board: its candidates in one column per stage.
type boardView struct {
	layout
	JobTitle string
	HomeURL  string
	BoardURL string
	// StatsURL is the job's charts.
	StatsURL string
	Filter   boardFilter
	// StageOptions and ArchivedOptions fill the filter form.
	StageOptions    []option
	ArchivedOptions []option
	Columns         []column
	Page, Pages     int
	PrevURL         string
	NextURL         string
	// Filtered says some filter is set, so the page offers to clear them.
	Filtered bool
	// MoveStages fill each card's move form; nil when the visitor may not
	// move candidates, and then the cards have no form.
	MoveStages []option
	// Notice confirms a move made with a card's form.
	Notice string
	// ScriptPath is the board's script, which turns the move forms into
	// drag and drop.
	ScriptPath string
}

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// column is the candidates of one stage on the current page.
type column struct {
	StageID string
	Name    string
	Total   int
	Cards   []cardSummary
}

// cardSummary is a candidate as a board column shows them.
type cardSummary struct {
	Name  string
	Email string
	URL   string
	// Ref names the card's move form fields; MoveURL is where it posts.
	Ref      string
	MoveURL  string
	Source   string
	Tags     []string
	Archived bool
	Applied  string
}

// boardFilter is the board's query: which stage, archived or not, which
// email, which page. Values are kept as typed, to refill the form.
type boardFilter struct {
	Stage    string
	Archived string
	Email    string
	page     int
	stageID  *int64
	archived *bool
}

// archivedChoices are the values of the archived filter; the first is the
// default.
var archivedChoices = []option{
	{Value: "active", Label: "Active"},
	{Value: "archived", Label: "Archived"},
	{Value: "all", Label: "All"},
}

// parseBoardFilter reads the board's query string.
// Errors: EInvalid for a value no form of ours would send.
func parseBoardFilter(q url.Values, job *intake.Job) (boardFilter, error) {
	f := boardFilter{Stage: q.Get("stage"), Archived: q.Get("archived"), Email: strings.TrimSpace(q.Get("email")), page: 1}
	if f.Stage != "" {
		id, err := strconv.ParseInt(f.Stage, 10, 64)
		if _, ok := job.StageByID(id); err != nil || !ok {
			return f, intake.Errorf(intake.EInvalid, "The stage filter does not name a stage of this job.")
		}
		f.stageID = &id
	}
	switch f.Archived {
	case "", "active":
		f.Archived = "active"
		no := false
		f.archived = &no
	case "archived":
		yes := true
		f.archived = &yes
	case "all":
	default:
		return f, intake.Errorf(intake.EInvalid, "The archived filter must be active, archived or all.")
	}
	if len(f.Email) > intake.MaxEmailLength {
		return f, intake.Errorf(intake.EInvalid, "The email searched for is too long.")
	}
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > maxPage {
			return f, intake.Errorf(intake.EInvalid, "The page number must be a whole number from 1 to %d.", maxPage)
		}
		f.page = n
	}
	return f, nil
}

// query returns the filter as a query string for page n.
func (f boardFilter) query(n int) string {
	q := url.Values{}
	if f.Stage != "" {
		q.Set("stage", f.Stage)
	}
	if f.Archived != "active" {
		q.Set("archived", f.Archived)
	}
	if f.Email != "" {
		q.Set("email", f.Email)
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// showBoard shows a job's candidates in one column per stage. Pages go
// through every column at once: page n shows the n-th slice of each.
func (h *handler) showBoard(w http.ResponseWriter, r *http.Request, s *session) {
	if s.p.Allow(intake.ActionRead) != nil {
		h.writeError(w, r, s, intake.Errorf(intake.EForbidden, readDeniedText))
		return
	}
	job, err := h.svc.JobByReference(r.Context(), s.p, s.p.Org.Reference, r.PathValue("job"))
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	f, err := parseBoardFilter(r.URL.Query(), job)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	board := boardPath(s.p.Org.Reference, job.Reference)
	v := boardView{
		layout:     h.layout(job.Title, s),
		JobTitle:   job.Title,
		HomeURL:    homePath(s.p.Org.Reference),
		BoardURL:   board,
		StatsURL:   jobStatsPath(s.p.Org.Reference, job.Reference),
		Filter:     f,
		Page:       f.page,
		Pages:      1,
		Filtered:   f.query(1) != "",
		ScriptPath: h.pages.jsPath,
	}
	if r.URL.Query().Get("done") == "moved" {
		v.Notice = "Candidate moved."
	}
	if s.p.Allow(intake.ActionWrite) == nil {
		for _, st := range job.Stages {
			v.MoveStages = append(v.MoveStages, option{Value: strconv.FormatInt(st.ID, 10), Label: st.Name})
		}
	}
	v.StageOptions = append(v.StageOptions, option{Value: "", Label: "All stages", Selected: f.Stage == ""})
	for _, st := range job.Stages {
		id := strconv.FormatInt(st.ID, 10)
		v.StageOptions = append(v.StageOptions, option{Value: id, Label: st.Name, Selected: id == f.Stage})
	}
	for _, o := range archivedChoices {
		o.Selected = o.Value == f.Archived
		v.ArchivedOptions = append(v.ArchivedOptions, o)
	}
	var email *string
	if f.Email != "" {
		email = &f.Email
	}
	for _, st := range job.Stages {
		if f.stageID != nil && *f.stageID != st.ID {
			continue
		}
		q := intake.ApplicationQuery{
			Job: job, StageID: &st.ID, Archived: f.archived, Email: email,
			Offset: (f.page - 1) * boardPageSize, Limit: boardPageSize,
		}
		cands, total, err := h.svc.Applications(r.Context(), s.p, q)
		if err != nil {
			h.writeError(w, r, s, err)
			return
		}
		col := column{StageID: strconv.FormatInt(st.ID, 10), Name: st.Name, Total: total}
		for _, c := range cands {
			col.Cards = append(col.Cards, h.cardSummary(c))
		}
		v.Columns = append(v.Columns, col)
		v.Pages = max(v.Pages, (total+boardPageSize-1)/boardPageSize)
	}
	if f.page > 1 {
		v.PrevURL = board + f.query(f.page-1)
	}
	if f.page < v.Pages {
		v.NextURL = board + f.query(f.page+1)
	}
	render(h, w, r, http.StatusOK, h.pages.board, v)
}

func (h *handler) cardSummary(c *intake.Candidate) cardSummary {
	return cardSummary{
		Name:     displayName(c),
		Email:    c.Person.Email,
		URL:      cardPath(c.Org.Reference, c.Job.Reference, c.Reference),
		Ref:      c.Reference,
		MoveURL:  cardPath(c.Org.Reference, c.Job.Reference, c.Reference) + "/stage",
		Source:   sourceLabel(c.Source),
		Tags:     c.Tags,
		Archived: c.Archived,
		Applied:  h.date(c.CreatedAt),
	}
}
