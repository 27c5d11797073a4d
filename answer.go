package intake

import (
	"strings"
)

// Answer is a reply to a screening question or a candidate tag.
type Answer struct {
	QuestionID string // resolved question id; empty for a free answer
	Question   string // question text or id as sent
	Value      string
}

// resolveAnswers matches answers to the job's questions, by id then by exact
// text (spec flatchr §2 Answers); unmatched answers are kept as free
// answers. With enforceRequired, required questions left unanswered are
// reported.
func resolveAnswers(f fieldErrors, job *Job, in []Answer, enforceRequired bool) []Answer {
	if len(in) > MaxAnswers {
		f.add("answers", "has too many answers")
		return nil
	}
	out := make([]Answer, 0, len(in))
	answered := map[string]bool{}
	for _, a := range in {
		validText(f, "answers", a.Value, MaxAnswerLength)
		validText(f, "answers", a.Question, MaxAnswerLength)
		q, ok := questionFor(job, a.Question)
		if ok {
			a.QuestionID = q.ID
			blank := strings.TrimSpace(a.Value) == ""
			if !blank {
				answered[q.ID] = true
			}
			if !blank && len(q.Options) > 0 && !optionsAllow(q.Options, a.Value) {
				f.add("answers", "value "+quote(a.Value)+" is not an option of question "+quote(q.ID))
			}
		}
		out = append(out, a)
	}
	for _, q := range job.Questions {
		if enforceRequired && q.Required && !answered[q.ID] {
			f.add("answers", "question "+quote(q.ID)+" is required")
		}
	}
	return out
}

func questionFor(job *Job, question string) (Question, bool) {
	for _, q := range job.Questions {
		if q.ID == question {
			return q, true
		}
	}
	for _, q := range job.Questions {
		if q.Text == question {
			return q, true
		}
	}
	return Question{}, false
}

// optionsAllow checks a value, possibly several `;`-separated ones, against
// a question's options.
func optionsAllow(options []string, value string) bool {
	for v := range strings.SplitSeq(value, ";") {
		v = strings.TrimSpace(v)
		found := false
		for _, o := range options {
			if o == v {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func quote(s string) string { return "\"" + s + "\"" }
