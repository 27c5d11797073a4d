package intake

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// QuestionTypes are the screening question types the career site renders
// with their own control; any other type is a text field (spec flatchr §3:
// the vendor's types are free text).
var QuestionTypes = []string{"text", "textarea", "select", "radio", "boolean", "number", "date"}

// Screening question limits.
const (
	MaxQuestions       = 50 // per job
	MaxQuestionChoices = 50 // per select or radio question
)

// QuestionInput is a screening question as an editor sends it. Options
// are `;`-separated, as in the world file and Flatchr's wire format.
type QuestionInput struct {
	Text     string
	Type     string
	Required bool
	Options  string
}

// check validates in and returns the question it describes (without id
// and position). Field names are the form's: text, type, options.
func (in *QuestionInput) check(f fieldErrors) Question {
	text := strings.TrimSpace(in.Text)
	switch {
	case text == "":
		f.add("text", "can't be blank")
	case !utf8.ValidString(text) || strings.ContainsFunc(text, unicode.IsControl):
		f.add("text", "contains invalid characters")
	case utf8.RuneCountInString(text) > MaxShortText:
		f.add("text", "is too long (maximum is 255 characters)")
	}
	typ := strings.TrimSpace(in.Type)
	if typ == "" {
		typ = "text"
	}
	if !slices.Contains(QuestionTypes, typ) {
		f.add("type", "must be one of "+strings.Join(QuestionTypes, ", "))
	}
	var options []string
	for _, o := range strings.Split(in.Options, ";") {
		if o = strings.TrimSpace(o); o != "" && !slices.Contains(options, o) {
			validText(f, "options", o, MaxShortText)
			options = append(options, o)
		}
	}
	switch {
	case (typ == "select" || typ == "radio") && len(options) < 2:
		f.add("options", "needs at least two choices, separated by ;")
	case typ != "select" && typ != "radio" && len(options) > 0:
		f.add("options", "only select and radio questions have choices")
	case len(options) > MaxQuestionChoices:
		f.add("options", fmt.Sprintf("has more than %d choices", MaxQuestionChoices))
	}
	return Question{Text: text, Type: typ, Required: in.Required, Options: options}
}

// editJob changes a job of the principal's organization with fn inside
// the store's transaction and records the update_vacancy event, as
// UpdateJob does. fn reports bad input into f, and returns an error for
// anything else (a stage or question not found).
func (s *Service) editJob(ctx context.Context, p *Principal, ref string, fn func(j *Job, f fieldErrors) error) (*Job, error) {
	if err := p.Require(PermManageJobs); err != nil {
		return nil, err
	}
	org, err := s.store.OrgByReference(ctx, p.Org.Reference)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	var fnErr error
	j, err := s.store.UpdateJob(ctx, p.Org.ID, ref, func(j *Job) error {
		f := fieldErrors{}
		if fnErr = fn(j, f); fnErr != nil {
			return fnErr
		}
		if err := f.err(); err != nil {
			return err
		}
		for i := range j.Stages {
			j.Stages[i].Position = i
		}
		for i := range j.Questions {
			j.Questions[i].Position = i
		}
		j.UpdatedAt = now
		j.Events = nil
		recordVacancy(j, EventUpdateVacancy, org, p, now)
		return nil
	})
	if err != nil && fnErr == nil && ErrorCodeOf(err) == ENotFound {
		return nil, Errorf(ENotFound, "Job not found")
	}
	if err != nil {
		return nil, err
	}
	s.jobs.clear()
	return j, nil
}

// checkStageName validates a stage name for j, skipping the stage at
// index self (-1 for a new stage).
func checkStageName(f fieldErrors, j *Job, name string, self int) string {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		f.add("name", "can't be blank")
	case !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl):
		f.add("name", "contains invalid characters")
	case utf8.RuneCountInString(name) > MaxShortText:
		f.add("name", "is too long (maximum is 255 characters)")
	default:
		for i, st := range j.Stages {
			if i != self && st.Name == name {
				f.add("name", "is already the name of another stage of the job")
			}
		}
	}
	return name
}

// stageIndex finds a stage of j by id. Errors: ENotFound.
func stageIndex(j *Job, id int64) (int, error) {
	i := slices.IndexFunc(j.Stages, func(st Stage) bool { return st.ID == id })
	if i < 0 {
		return -1, Errorf(ENotFound, "Stage not found")
	}
	return i, nil
}

// AddStage appends a stage named name to a job's pipeline; it gets a new
// id, and the stages there keep theirs. Errors: EForbidden, ENotFound,
// EInvalid (name; the pipeline is full).
func (s *Service) AddStage(ctx context.Context, p *Principal, ref, name string) (*Job, error) {
	return s.editJob(ctx, p, ref, func(j *Job, f fieldErrors) error {
		name = checkStageName(f, j, name, -1)
		if len(j.Stages) >= MaxStages {
			f.add("name", fmt.Sprintf("cannot be added: a job has at most %d stages", MaxStages))
		}
		j.Stages = append(j.Stages, Stage{Name: name, Visible: true})
		return nil
	})
}

// RenameStage renames a stage of a job; its id, and the applications in
// it, stay. Errors: EForbidden, ENotFound (job or stage), EInvalid.
func (s *Service) RenameStage(ctx context.Context, p *Principal, ref string, stageID int64, name string) (*Job, error) {
	return s.editJob(ctx, p, ref, func(j *Job, f fieldErrors) error {
		i, err := stageIndex(j, stageID)
		if err != nil {
			return err
		}
		j.Stages[i].Name = checkStageName(f, j, name, i)
		return nil
	})
}

// MoveStage puts a stage of a job at position to (0-based, clamped to the
// pipeline). New applications land in the first stage.
// Errors: EForbidden, ENotFound (job or stage).
func (s *Service) MoveStage(ctx context.Context, p *Principal, ref string, stageID int64, to int) (*Job, error) {
	return s.editJob(ctx, p, ref, func(j *Job, f fieldErrors) error {
		i, err := stageIndex(j, stageID)
		if err != nil {
			return err
		}
		j.Stages = moveTo(j.Stages, i, to)
		return nil
	})
}

// RemoveStage removes a stage from a job's pipeline. A stage that
// applications sit in, archived ones included, cannot be removed until
// they are moved; nor can the last stage.
// Errors: EForbidden, ENotFound (job or stage), EInvalid naming how many
// candidates are in the way.
func (s *Service) RemoveStage(ctx context.Context, p *Principal, ref string, stageID int64) (*Job, error) {
	if err := p.Require(PermManageJobs); err != nil {
		return nil, err
	}
	cur, err := s.Job(ctx, p, ref)
	if err != nil {
		return nil, err
	}
	counts, err := s.store.StageCounts(ctx, p.Org.ID, cur.ID)
	if err != nil {
		return nil, err
	}
	if i, err := stageIndex(cur, stageID); err != nil {
		return nil, err
	} else if n := counts[stageID]; n > 0 {
		return nil, stageInUse(cur.Stages[i].Name, n)
	}
	return s.editJob(ctx, p, ref, func(j *Job, f fieldErrors) error {
		i, err := stageIndex(j, stageID)
		if err != nil {
			return err
		}
		if len(j.Stages) == 1 {
			f.add("stage", "is the job's only stage: add another one before removing it")
			return nil
		}
		// Applications may have moved in since the count: the store
		// refuses to remove a stage that holds any, in its own words.
		j.Stages = slices.Delete(j.Stages, i, i+1)
		return nil
	})
}

// stageInUse is the refusal to remove a stage that n applications sit in.
func stageInUse(name string, n int) error {
	who := "1 candidate is"
	if n != 1 {
		who = fmt.Sprintf("%d candidates are", n)
	}
	msg := fmt.Sprintf("The stage %q cannot be removed: %s in it (archived ones count). Move them to another stage first.", name, who)
	return &Error{Code: EInvalid, Message: msg, Fields: map[string]string{"stage": msg}}
}

// moveTo moves the element at i of list to position to, clamped.
func moveTo[T any](list []T, i, to int) []T {
	to = max(0, min(to, len(list)-1))
	if to == i {
		return list
	}
	v := list[i]
	list = slices.Delete(list, i, i+1)
	return slices.Insert(list, to, v)
}

// questionIndex finds a question of j by id. Errors: ENotFound.
func questionIndex(j *Job, id string) (int, error) {
	i := slices.IndexFunc(j.Questions, func(q Question) bool { return q.ID == id })
	if i < 0 {
		return -1, Errorf(ENotFound, "Question not found")
	}
	return i, nil
}

// AddQuestion appends a screening question to a job; it gets a new id.
// Errors: EForbidden, ENotFound, EInvalid (text, type, options).
func (s *Service) AddQuestion(ctx context.Context, p *Principal, ref string, in *QuestionInput) (*Job, error) {
	return s.editJob(ctx, p, ref, func(j *Job, f fieldErrors) error {
		q := in.check(f)
		if len(j.Questions) >= MaxQuestions {
			f.add("text", fmt.Sprintf("cannot be added: a job has at most %d questions", MaxQuestions))
		}
		q.ID = NewEncodedID()
		j.Questions = append(j.Questions, q)
		return nil
	})
}

// UpdateQuestion changes a screening question of a job; its id stays, so
// answers already given still name it.
// Errors: EForbidden, ENotFound (job or question), EInvalid.
func (s *Service) UpdateQuestion(ctx context.Context, p *Principal, ref, id string, in *QuestionInput) (*Job, error) {
	return s.editJob(ctx, p, ref, func(j *Job, f fieldErrors) error {
		i, err := questionIndex(j, id)
		if err != nil {
			return err
		}
		q := in.check(f)
		q.ID = id
		j.Questions[i] = q
		return nil
	})
}

// MoveQuestion puts a question of a job at position to (0-based, clamped).
// Errors: EForbidden, ENotFound (job or question).
func (s *Service) MoveQuestion(ctx context.Context, p *Principal, ref, id string, to int) (*Job, error) {
	return s.editJob(ctx, p, ref, func(j *Job, f fieldErrors) error {
		i, err := questionIndex(j, id)
		if err != nil {
			return err
		}
		j.Questions = moveTo(j.Questions, i, to)
		return nil
	})
}

// RemoveQuestion removes a screening question from a job. Answers already
// given keep the question's text. Errors: EForbidden, ENotFound.
func (s *Service) RemoveQuestion(ctx context.Context, p *Principal, ref, id string) (*Job, error) {
	return s.editJob(ctx, p, ref, func(j *Job, f fieldErrors) error {
		i, err := questionIndex(j, id)
		if err != nil {
			return err
		}
		j.Questions = slices.Delete(j.Questions, i, i+1)
		return nil
	})
}
