package intake

import (
	"context"
	"fmt"
	"strconv"
)

// WorldWebhook declares a subscription of an organization in the world
// file. Vacancy names one of the organization's jobs (its reference, id or
// vacancy slug), Column a stage (its id, reference or name; of that job
// when Vacancy is set). Secret may be one string or a list (rotation).
type WorldWebhook struct {
	URL     string     `json:"url"`
	Events  []string   `json:"events"`
	Vacancy string     `json:"vacancy,omitempty"`
	Column  string     `json:"column,omitempty"`
	Secret  StringList `json:"secret,omitempty"`
	// Active defaults to true.
	Active *bool `json:"active,omitempty"`
}

// worldHook is a validated WorldWebhook waiting for its org's and jobs' ids.
type worldHook struct {
	org        *WorldOrg
	sub        Subscription
	vacancy    bool
	job, stage int // indexes in org.Jobs and its Stages; -1 for none
}

// worldWebhooks validates the world's webhooks against the organizations
// about to be saved. Errors: EInvalid naming each problem by path.
func worldWebhooks(w *World, orgs []WorldOrg) ([]worldHook, error) {
	f := fieldErrors{}
	var out []worldHook
	for i, o := range w.Organizations {
		for k, h := range o.Webhooks {
			p := fmt.Sprintf("organizations[%d].webhooks[%d]", i, k)
			wh := worldHook{org: &orgs[i], job: -1, stage: -1}
			wh.sub = Subscription{URL: h.URL, Secrets: h.Secret, Active: h.Active == nil || *h.Active}
			for _, e := range h.Events {
				wh.sub.Events = append(wh.sub.Events, EventName(e))
			}
			if err := wh.sub.Validate(); err != nil {
				for field, msg := range ErrorFields(err) {
					f.add(p+"."+field, msg)
				}
			}
			if h.Vacancy != "" {
				wh.vacancy = true
				wh.job = findWorldJob(orgs[i].Jobs, h.Vacancy)
				if wh.job < 0 {
					f.add(p+".vacancy", "is not a job of the organization")
				}
			}
			if h.Column != "" {
				wh.job, wh.stage = findWorldStage(orgs[i].Jobs, wh.job, h.Column)
				if wh.stage < 0 {
					f.add(p+".column", "is not a stage of the organization's (or the vacancy's) jobs")
				}
			}
			out = append(out, wh)
		}
	}
	return out, f.err()
}

func findWorldJob(jobs []Job, v string) int {
	id, _ := strconv.ParseInt(v, 10, 64)
	for j, job := range jobs {
		if job.Reference == v || job.VacancySlug == v || (id != 0 && job.ID == id) {
			return j
		}
	}
	return -1
}

func findWorldStage(jobs []Job, job int, v string) (int, int) {
	id, _ := strconv.ParseInt(v, 10, 64)
	for j := range jobs {
		if job >= 0 && j != job {
			continue
		}
		for k, st := range jobs[j].Stages {
			if (id != 0 && st.ID == id) || (st.Reference != "" && st.Reference == v) || st.Name == v {
				return j, k
			}
		}
	}
	return job, -1
}

// saveWorldWebhooks stores the validated webhooks once SaveWorld has filled
// the ids of their organizations, jobs and stages.
func (s *Service) saveWorldWebhooks(ctx context.Context, hooks []worldHook) error {
	for _, h := range hooks {
		sub := h.sub
		sub.OrgID, sub.CreatedAt = h.org.Org.ID, s.Now()
		if h.vacancy {
			sub.JobID = h.org.Jobs[h.job].ID
		}
		if h.stage >= 0 {
			sub.StageID = h.org.Jobs[h.job].Stages[h.stage].ID
		}
		if err := s.store.SaveSubscription(ctx, &sub); err != nil {
			return err
		}
	}
	return nil
}
