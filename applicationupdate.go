package intake

import (
	"context"
	"slices"
	"strings"
	"time"
)

// ApplicationUpdate changes an application; nil fields are left as they are.
type ApplicationUpdate struct {
	StageID     *int64
	Email       *string
	Firstname   *string
	Lastname    *string
	Subtitle    *string
	Phone       *string
	CoverLetter *string
	Tags        *[]string
	// AddTags and RemoveTags change the tags as the store's transaction
	// reads them, after Tags: two concurrent edits both apply.
	AddTags    []string
	RemoveTags []string
	Archived   *bool
	// Media sets the given networks; an empty value removes one.
	Media      map[string]string
	ResumeLink *string
	Resume     *FileInput
	Portfolio  *FileInput
	Avatar     *FileInput
}

// UpdateApplication applies upd to an application visible to the principal.
// Errors: EForbidden (scope), ENotFound, EInvalid naming every bad field.
func (s *Service) UpdateApplication(ctx context.Context, p *Principal, reference string, upd *ApplicationUpdate) (*Candidate, error) {
	ok, own := p.canWrite()
	if !ok {
		return nil, p.Allow(ActionWrite)
	}
	current, err := s.Application(ctx, p, reference)
	if err != nil {
		return nil, err
	}
	if own && current.CreatedByKey != p.Key.ID {
		return nil, Errorf(ENotFound, "Candidate not found")
	}
	if err := s.validateUpdate(current.Job, upd); err != nil {
		return nil, err
	}
	files := &Application{}
	if err := s.attachFiles(ctx, files, upd.Resume, upd.Portfolio, upd.Avatar); err != nil {
		return nil, err
	}
	now := s.Now()
	// The replaced documents are those of the row as the store's
	// transaction sees it: a concurrent update may have replaced them since
	// current was read.
	var replaced []*Document
	app, err := s.store.UpdateApplication(ctx, p.Org.ID, reference, func(a *Application) error {
		if own && a.CreatedByKey != p.Key.ID {
			return Errorf(ENotFound, "Candidate not found")
		}
		before := *a
		applyUpdate(a, upd, files, now)
		a.Actor, _ = author(p)
		if err := editTags(a, upd); err != nil {
			return err
		}
		replaced = replacedDocuments(&before, a)
		if a.StageID != before.StageID {
			recordApplicant(a, EventDragApplicant, current.Job, p.Org, p, before.StageID, now)
		}
		if a.Archived && !before.Archived {
			recordApplicant(a, EventArchiveApplicant, current.Job, p.Org, p, 0, now)
		}
		return nil
	})
	if err != nil {
		s.discardDocuments(ctx, files)
		if ErrorCodeOf(err) == EConflict {
			return nil, FieldErrors(map[string]string{"email": "has already been taken"})
		}
		return nil, notFound(err)
	}
	s.commitDocuments(ctx, files)
	for _, d := range replaced {
		s.discardBlob(ctx, d.BlobKey)
	}
	return &Candidate{Application: app, Job: current.Job, Org: p.Org}, nil
}

func (s *Service) validateUpdate(job *Job, upd *ApplicationUpdate) error {
	f := fieldErrors{}
	if upd.StageID != nil {
		if _, ok := job.StageByID(*upd.StageID); !ok {
			f.add("job_stage_id", "is not a stage of this job")
		}
	}
	if upd.Email != nil {
		*upd.Email = strings.TrimSpace(*upd.Email)
		validEmail(f, "email", *upd.Email)
	}
	if upd.Firstname != nil {
		validName(f, "firstname", *upd.Firstname, false)
	}
	if upd.Lastname != nil {
		validName(f, "lastname", *upd.Lastname, false)
	}
	if upd.Subtitle != nil {
		validText(f, "subtitle", *upd.Subtitle, MaxShortText)
	}
	if upd.Phone != nil && len(*upd.Phone) > MaxPhoneLength {
		f.add("phone", "is too long (maximum is 50 characters)")
	}
	if upd.CoverLetter != nil {
		validText(f, "cover_letter", *upd.CoverLetter, MaxLongText)
	}
	if upd.Tags != nil {
		*upd.Tags = NormalizeTags(*upd.Tags)
		validTags(f, "tag_list", *upd.Tags)
	}
	upd.AddTags = NormalizeTags(upd.AddTags)
	validTags(f, "tag_list", upd.AddTags)
	validMedia(f, "media_", upd.Media)
	for field, file := range map[string]*FileInput{"remote_resume_url": upd.Resume, "remote_portfolio_url": upd.Portfolio, "remote_image_url": upd.Avatar} {
		if file != nil && file.Staged == nil {
			validURL(f, field, file.URL)
		}
	}
	return f.err()
}

func applyUpdate(a *Application, upd *ApplicationUpdate, files *Application, now time.Time) {
	setIf(&a.StageID, upd.StageID)
	setIf(&a.Person.Email, upd.Email)
	setIf(&a.Person.Firstname, upd.Firstname)
	setIf(&a.Person.Lastname, upd.Lastname)
	setIf(&a.Person.Subtitle, upd.Subtitle)
	setIf(&a.Person.Phone, upd.Phone)
	setIf(&a.CoverLetter, upd.CoverLetter)
	setIf(&a.Tags, upd.Tags)
	setIf(&a.Archived, upd.Archived)
	setIf(&a.ResumeLink, upd.ResumeLink)
	if len(upd.Media) > 0 {
		media := make(map[string]string, len(a.Person.Media)+len(upd.Media))
		for k, v := range a.Person.Media {
			media[k] = v
		}
		for k, v := range upd.Media {
			if v == "" {
				delete(media, k)
			} else {
				media[k] = v
			}
		}
		a.Person.Media = media
	}
	if files.Resume != nil {
		a.Resume, a.RemoteResumeURL = files.Resume, upd.Resume.URL
	}
	if files.Portfolio != nil {
		a.Portfolio, a.RemotePortfolioURL = files.Portfolio, upd.Portfolio.URL
	}
	if files.Avatar != nil {
		a.Avatar, a.RemoteImageURL = files.Avatar, upd.Avatar.URL
	}
	a.UpdatedAt = now
}

// editTags applies AddTags and RemoveTags to the tags a holds.
// Errors: EInvalid when the result has too many tags.
func editTags(a *Application, upd *ApplicationUpdate) error {
	if len(upd.AddTags) == 0 && len(upd.RemoveTags) == 0 {
		return nil
	}
	tags := NormalizeTags(append(slices.Clone(a.Tags), upd.AddTags...))
	tags = slices.DeleteFunc(tags, func(t string) bool { return slices.Contains(upd.RemoveTags, t) })
	if len(tags) > MaxTags && len(tags) > len(a.Tags) {
		return FieldErrors(map[string]string{"tag_list": "has too many tags (maximum is 50)"})
	}
	a.Tags = tags
	return nil
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
