package dashboard

import (
	"net/http"
	"net/url"
	"strconv"

	"intake"
)

// stagesView is a job's pipeline: its stages in order, each with the
// forms that rename, move and remove it, and the form adding one.
type stagesView struct {
	layout
	Nav     jobNav
	CanEdit bool
	Notice  string
	// Alert explains a refused change; AlertURL, when set, opens the
	// candidates in the way on the board.
	Alert    string
	AlertURL string
	// ShowCounts is false for keys that cannot read candidates.
	ShowCounts bool
	Stages     []stageRow
	AddURL     string
	NewName    string
	NewError   string
}

// stageRow is one stage with its forms.
type stageRow struct {
	ID        int64
	Number    int
	Name      string
	Reference string
	Count     int
	BoardURL  string
	// Value and Error are the rename field's, after a refused rename.
	Value     string
	Error     string
	RenameURL string
	MoveURL   string
	RemoveURL string
	// Up and Down are the positions (0-based) the arrows move it to;
	// First and Last hide the arrow that would not move it.
	Up, Down    int
	First, Last bool
}

// stagesProblem is a refused change to show on the pipeline page: next
// to the add form or the renamed row when the name was refused, else
// above the list.
type stagesProblem struct {
	err error
	// named says the error is about the name typed: value, into the add
	// form (stageID 0) or the rename form of stageID.
	named   bool
	stageID int64
	value   string
	// inWay is the stage whose candidates stop its removal.
	inWay int64
}

func (h *handler) showStages(w http.ResponseWriter, r *http.Request, s *session) {
	j, err := h.jobOf(r, s)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	h.renderStages(w, r, s, j, http.StatusOK, nil)
}

func (h *handler) renderStages(w http.ResponseWriter, r *http.Request, s *session, j *intake.Job, status int, pb *stagesProblem) {
	o := s.p.Org.Reference
	v := stagesView{
		layout:     h.layout("Stages · "+j.Title, s),
		Nav:        h.jobNav(s, j, "stages"),
		CanEdit:    canEditJobs(s),
		Notice:     noticeOf(r),
		ShowCounts: s.p.Allow(intake.ActionRead) == nil,
		AddURL:     stagesPath(o, j.Reference),
	}
	var counts map[int64]int
	if v.ShowCounts {
		var err error
		if counts, err = h.svc.StageCounts(r.Context(), s.p, j); err != nil {
			h.writeError(w, r, s, err)
			return
		}
	}
	for i, st := range j.Stages {
		row := stageRow{
			ID: st.ID, Number: i + 1, Name: st.Name, Reference: st.Reference, Count: counts[st.ID],
			BoardURL:  boardPath(o, j.Reference) + "?" + url.Values{"stage": {strconv.FormatInt(st.ID, 10)}, "archived": {"all"}}.Encode(),
			Value:     st.Name,
			RenameURL: stagePath(o, j.Reference, st.ID) + "/rename",
			MoveURL:   stagePath(o, j.Reference, st.ID) + "/move",
			RemoveURL: stagePath(o, j.Reference, st.ID) + "/remove",
			Up:        i - 1, Down: i + 1,
			First: i == 0, Last: i == len(j.Stages)-1,
		}
		if pb != nil && pb.named && pb.stageID == st.ID {
			row.Value, row.Error = pb.value, fieldOrMessage(pb.err, "name")
		}
		if pb != nil && pb.inWay == st.ID {
			v.AlertURL = row.BoardURL
		}
		v.Stages = append(v.Stages, row)
	}
	switch {
	case pb == nil:
	case pb.named && pb.stageID == 0:
		v.NewName, v.NewError = pb.value, fieldOrMessage(pb.err, "name")
	case !pb.named:
		v.Alert = intake.ErrorMessage(pb.err)
	}
	render(h, w, r, status, h.pages.stages, v)
}

// fieldOrMessage is err's error for field, else its message.
func fieldOrMessage(err error, field string) string {
	if e := intake.ErrorFields(err)[field]; e != "" {
		return e
	}
	return intake.ErrorMessage(err)
}

// stageChange runs a change to the pipeline of the job the URL names, then
// redirects to the pipeline with notice; refused input shows the page
// again with the error where it belongs.
func (h *handler) stageChange(w http.ResponseWriter, r *http.Request, s *session, notice string,
	change func(form url.Values, ref string, stageID int64) (*intake.Job, error), pb func(form url.Values, stageID int64, err error) *stagesProblem) {
	form, ok := h.readJobForm(w, r, s, maxFormBytes)
	if !ok {
		return
	}
	var stageID int64
	if raw := r.PathValue("stage"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			h.writeError(w, r, s, errPageNotFound)
			return
		}
		stageID = id
	}
	ref := r.PathValue("job")
	_, err := change(form, ref, stageID)
	if intake.ErrorCodeOf(err) == intake.EInvalid {
		j, jerr := h.jobOf(r, s)
		if jerr != nil {
			h.writeError(w, r, s, jerr)
			return
		}
		h.renderStages(w, r, s, j, http.StatusUnprocessableEntity, pb(form, stageID, err))
		return
	}
	h.afterJobChange(w, r, s, err, stagesPath(s.p.Org.Reference, ref), notice)
}

func (h *handler) addJobStage(w http.ResponseWriter, r *http.Request, s *session) {
	h.stageChange(w, r, s, "stage-added",
		func(form url.Values, ref string, _ int64) (*intake.Job, error) {
			return h.svc.AddStage(r.Context(), s.p, ref, form.Get("name"))
		},
		func(form url.Values, _ int64, err error) *stagesProblem {
			return &stagesProblem{err: err, named: intake.ErrorFields(err)["name"] != "", value: form.Get("name")}
		})
}

func (h *handler) renameJobStage(w http.ResponseWriter, r *http.Request, s *session) {
	h.stageChange(w, r, s, "stage-renamed",
		func(form url.Values, ref string, id int64) (*intake.Job, error) {
			return h.svc.RenameStage(r.Context(), s.p, ref, id, form.Get("name"))
		},
		func(form url.Values, id int64, err error) *stagesProblem {
			return &stagesProblem{err: err, named: intake.ErrorFields(err)["name"] != "", stageID: id, value: form.Get("name")}
		})
}

func (h *handler) moveJobStage(w http.ResponseWriter, r *http.Request, s *session) {
	h.stageChange(w, r, s, "stage-moved",
		func(form url.Values, ref string, id int64) (*intake.Job, error) {
			to, err := strconv.Atoi(form.Get("to"))
			if err != nil {
				return nil, intake.Errorf(intake.EInvalid, "Say where to move the stage.")
			}
			return h.svc.MoveStage(r.Context(), s.p, ref, id, to)
		},
		func(_ url.Values, _ int64, err error) *stagesProblem {
			return &stagesProblem{err: err}
		})
}

func (h *handler) removeJobStage(w http.ResponseWriter, r *http.Request, s *session) {
	h.stageChange(w, r, s, "stage-removed",
		func(_ url.Values, ref string, id int64) (*intake.Job, error) {
			return h.svc.RemoveStage(r.Context(), s.p, ref, id)
		},
		func(_ url.Values, id int64, err error) *stagesProblem {
			return &stagesProblem{err: err, inWay: id}
		})
}
