package intake

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// World declares organizations, their API keys and their jobs. It is read
// from the world file (YAML or JSON, keys as in the json tags) and applied at
// every start, idempotently.
type World struct {
	Organizations []WorldOrganization `json:"organizations"`
}

// WorldOrganization is an organization of the world file.
type WorldOrganization struct {
	Name string `json:"name"`
	// Reference is the WelcomeKit organization_reference; derived from the
	// name when empty.
	Reference string `json:"reference,omitempty"`
	// CompanyKey is the Flatchr companyID; derived from the reference when
	// empty.
	CompanyKey string `json:"company_key,omitempty"`
	// Slug is the Flatchr career-site slug; the slugified name when empty.
	Slug    string        `json:"slug,omitempty"`
	APIKeys []WorldAPIKey `json:"api_keys,omitempty"`
	WorldOrgContent
	Jobs  []WorldJob  `json:"jobs,omitempty"`
	Users []WorldUser `json:"users,omitempty"`
	// Webhooks are declared subscriptions, kept in step at every start.
	Webhooks []WorldWebhook `json:"webhooks,omitempty"`
	Tags     []WorldTag     `json:"tags,omitempty"`
}

// WorldAPIKey declares a key by its plain token; only its hash is stored.
type WorldAPIKey struct {
	Name  string `json:"name"`
	Token string `json:"token"`
	// Scopes default to candidates_rw when omitted.
	Scopes []string `json:"scopes,omitempty"`
	// Owner is the email of a user of the organization (declared under
	// users: or created with `intake users create`) the key acts for, as
	// `intake keys create --owner`. Omitted, the stored owner is kept.
	Owner string `json:"owner,omitempty"`
}

// WorldJob is a job of the world file.
type WorldJob struct {
	// Reference is the WelcomeKit job_reference; derived when empty.
	Reference string `json:"reference,omitempty"`
	// ID is the WelcomeKit job_id; assigned when zero.
	ID    int64  `json:"id,omitempty"`
	Title string `json:"title"`
	// VacancySlug is the Flatchr vacancy slug; `<encoded id>-<title slug>`
	// when empty.
	VacancySlug string `json:"vacancy_slug,omitempty"`
	// Published defaults to true.
	Published *bool           `json:"published,omitempty"`
	Archived  bool            `json:"archived,omitempty"`
	Stages    []WorldStage    `json:"stages,omitempty"`
	Questions []WorldQuestion `json:"questions,omitempty"`
	WorldJobContent
}

// WorldStage is a stage of a job, in pipeline order.
type WorldStage struct {
	// ID is the WelcomeKit stage id; assigned when zero, and then matched
	// by name on later starts.
	ID        int64  `json:"id,omitempty"`
	Name      string `json:"name"`
	Reference string `json:"reference,omitempty"`
	Visible   *bool  `json:"visible,omitempty"`
}

// WorldQuestion is a screening question of a job.
type WorldQuestion struct {
	// ID defaults to an id derived from the text.
	ID       string     `json:"id,omitempty"`
	Text     string     `json:"text"`
	Type     string     `json:"type,omitempty"`
	Required bool       `json:"required,omitempty"`
	Options  StringList `json:"options,omitempty"`
}

// StringList decodes from a list of strings or from one `;`-separated string
// (the Flatchr form of question options).
type StringList []string

// UnmarshalJSON accepts ["a","b"] or "a;b".
func (l *StringList) UnmarshalJSON(b []byte) error {
	var list []string
	if err := json.Unmarshal(b, &list); err == nil {
		*l = list
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("options: want a list of strings or a ;-separated string")
	}
	*l = nil
	for part := range strings.SplitSeq(s, ";") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

// ApplyWorld validates w as a whole and saves it in one transaction, so a
// bad world file changes nothing. Errors: EInvalid naming the first problems
// by path (organizations[0].jobs[1].title), EConflict from the store.
func (s *Service) ApplyWorld(ctx context.Context, w *World) error {
	orgs, err := s.worldOrgs(w)
	if err != nil {
		return err
	}
	tags, err := worldTags(w)
	if err != nil {
		return err
	}
	users, err := s.worldUsers(w)
	if err != nil {
		return err
	}
	hooks, err := worldWebhooks(w, orgs)
	if err != nil {
		return err
	}
	if err := s.store.SaveWorld(ctx, orgs); err != nil {
		return err
	}
	if err := s.saveWorldTags(ctx, orgs, tags); err != nil {
		return err
	}
	// Users are saved after their organizations have ids; validation above
	// leaves only store failures (an email of another organization) to
	// fail here.
	if err := s.saveWorldUsers(ctx, w, orgs, users); err != nil {
		return err
	}
	if err := s.saveWorldKeyOwners(ctx, w, orgs); err != nil {
		return err
	}
	if err := s.saveWorldWebhooks(ctx, hooks); err != nil {
		return err
	}
	s.jobs.clear()
	s.keys.clear()
	return nil
}

func (s *Service) worldOrgs(w *World) ([]WorldOrg, error) {
	f := fieldErrors{}
	now := s.Now()
	seen := map[string]string{}
	unique := func(kind, value, path string) {
		if value == "" {
			return
		}
		if prev, dup := seen[kind+"\x00"+value]; dup {
			f.add(path, fmt.Sprintf("duplicates %s", prev))
			return
		}
		seen[kind+"\x00"+value] = path
	}
	var out []WorldOrg
	for i, o := range w.Organizations {
		p := fmt.Sprintf("organizations[%d]", i)
		if strings.TrimSpace(o.Name) == "" {
			f.add(p+".name", "can't be blank")
		}
		org := Org{Name: o.Name, Reference: o.Reference, CompanyKey: o.CompanyKey, Slug: o.Slug, CreatedAt: now, UpdatedAt: now}
		if org.Reference == "" {
			org.Reference = DeriveEncodedID("org", o.Name)[:7]
		}
		if org.CompanyKey == "" {
			org.CompanyKey = DeriveEncodedID("company", org.Reference)
		}
		if org.Slug == "" {
			org.Slug = Slugify(o.Name)
		}
		org.Content = o.WorldOrgContent.content(f, p)
		checkRef(f, p+".reference", org.Reference)
		checkRef(f, p+".company_key", org.CompanyKey)
		checkRef(f, p+".slug", org.Slug)
		unique("org", org.Reference, p+".reference")
		unique("company", org.CompanyKey, p+".company_key")
		unique("slug", org.Slug, p+".slug")
		wo := WorldOrg{Org: org}
		for k, key := range o.APIKeys {
			kp := fmt.Sprintf("%s.api_keys[%d]", p, k)
			wo.Keys = append(wo.Keys, worldKey(f, kp, key, now))
			unique("token", key.Token, kp+".token")
		}
		for j, job := range o.Jobs {
			jp := fmt.Sprintf("%s.jobs[%d]", p, j)
			wj := worldJob(f, jp, org, job, now)
			unique("job:"+org.Reference, wj.Reference, jp+".reference")
			unique("vacancy:"+org.Reference, wj.VacancySlug, jp+".vacancy_slug")
			if wj.ID != 0 {
				unique("jobid", fmt.Sprint(wj.ID), jp+".id")
			}
			for k, st := range wj.Stages {
				if st.ID != 0 {
					unique("stage", fmt.Sprint(st.ID), fmt.Sprintf("%s.stages[%d].id", jp, k))
				}
			}
			wo.Jobs = append(wo.Jobs, wj)
		}
		out = append(out, wo)
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	return out, nil
}

func checkRef(f fieldErrors, path, v string) {
	if len(v) > MaxShortText || strings.ContainsAny(v, " /?#\t\r\n") {
		f.add(path, "must be at most 255 characters without spaces, '/', '?' or '#'")
	}
}

func worldKey(f fieldErrors, path string, k WorldAPIKey, now time.Time) APIKey {
	if len(k.Token) < 8 {
		f.add(path+".token", "must be at least 8 characters")
	}
	scopes := k.Scopes
	if len(scopes) == 0 {
		scopes = []string{string(ScopeCandidatesRW)}
	}
	key := APIKey{Name: k.Name, Hash: HashToken(k.Token), CreatedAt: now}
	if k.Owner != "" {
		validEmail(f, path+".owner", k.Owner)
	}
	for _, sc := range scopes {
		if !slices.Contains(KnownScopes, Scope(sc)) {
			f.add(path+".scopes", fmt.Sprintf("has an unknown scope %q", sc))
		}
		key.Scopes = append(key.Scopes, Scope(sc))
	}
	return key
}

func worldJob(f fieldErrors, path string, org Org, wj WorldJob, now time.Time) Job {
	if strings.TrimSpace(wj.Title) == "" {
		f.add(path+".title", "can't be blank")
	}
	if wj.ID < 0 {
		f.add(path+".id", "must be positive")
	}
	job := Job{
		ID: wj.ID, Reference: wj.Reference, Title: wj.Title, Published: true,
		Archived: wj.Archived, CreatedAt: now, UpdatedAt: now,
	}
	if wj.Published != nil {
		job.Published = *wj.Published
	}
	if job.Reference == "" {
		job.Reference = "WTTJ_" + DeriveEncodedID("job", org.Reference, wj.Title)[:7]
	}
	checkRef(f, path+".reference", job.Reference)
	job.VacancyKey = DeriveEncodedID("vacancy", org.Reference, job.Reference)
	job.VacancySlug = wj.VacancySlug
	if key, _, ok := strings.Cut(wj.VacancySlug, "-"); ok && isEncodedID(key) {
		// A slug copied from Flatchr starts with the vacancy's encoded id
		// (spec flatchr §1 Identifiers): keep the two consistent.
		job.VacancyKey = key
	}
	if job.VacancySlug == "" {
		job.VacancySlug = VacancySlug(job.VacancyKey, wj.Title)
	}
	checkRef(f, path+".vacancy_slug", job.VacancySlug)
	stages := wj.Stages
	if len(stages) == 0 {
		for _, d := range DefaultStages() {
			stages = append(stages, WorldStage{Name: d.Name, Reference: d.Reference})
		}
	}
	names := map[string]bool{}
	for i, st := range stages {
		sp := fmt.Sprintf("%s.stages[%d]", path, i)
		if strings.TrimSpace(st.Name) == "" {
			f.add(sp+".name", "can't be blank")
		}
		if st.ID < 0 {
			f.add(sp+".id", "must be positive")
		}
		if names[st.Name] {
			f.add(sp+".name", "duplicates another stage of the job")
		}
		names[st.Name] = true
		visible := true
		if st.Visible != nil {
			visible = *st.Visible
		}
		job.Stages = append(job.Stages, Stage{ID: st.ID, Position: i, Name: st.Name, Reference: st.Reference, Visible: visible})
	}
	wj.WorldJobContent.apply(f, path, &wj, &job, &org, now)
	ids := map[string]bool{}
	for i, q := range wj.Questions {
		qp := fmt.Sprintf("%s.questions[%d]", path, i)
		if strings.TrimSpace(q.Text) == "" {
			f.add(qp+".text", "can't be blank")
		}
		id := q.ID
		if id == "" {
			id = DeriveEncodedID("question", org.Reference, job.Reference, q.Text)
		}
		if ids[id] {
			f.add(qp+".id", "duplicates another question of the job")
		}
		ids[id] = true
		typ := q.Type
		if typ == "" {
			typ = "text"
		}
		job.Questions = append(job.Questions, Question{ID: id, Text: q.Text, Type: typ, Required: q.Required, Options: q.Options, Position: i})
	}
	return job
}

func isEncodedID(s string) bool {
	if len(s) != 16 {
		return false
	}
	for i := range len(s) {
		if !strings.ContainsRune(base62, rune(s[i])) {
			return false
		}
	}
	return true
}

// WorldOrg is one organization of a validated world, ready to be saved: the
// org, its keys (hashed) and its jobs with stages and questions.
type WorldOrg struct {
	Org  Org
	Keys []APIKey
	Jobs []Job
}
