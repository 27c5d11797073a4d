package intake

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Tag is a Flatchr tag definition of an organization: a named attribute
// whose values applicants (or vacancies) are given as traits.
type Tag struct {
	ID    int64 // Flatchr tag_id
	OrgID int64
	// Key is the Flatchr encoded id (16 base62).
	Key       string
	Title     string
	Values    []string
	Multiple  bool
	Visible   bool
	Creatable bool
	Folder    bool
	// Type is "candidates" or "vacancies".
	Type string
	// Position orders the list; nil when unset.
	Position *int
}

// Trait is a value of a tag given to an application.
type Trait struct {
	ID            int64
	Key           string // Flatchr encoded id
	OrgID         int64
	ApplicationID int64
	TagID         int64
	TagKey        string
	Value         string
	CreatedAt     time.Time
}

// Limits of tags and traits.
const (
	MaxTagValues  = 500
	MaxTagsPerOrg = 500
)

// WorldTag declares a tag of an organization in the world file.
type WorldTag struct {
	// Key is the Flatchr encoded id; derived from the title when empty.
	Key    string     `json:"key,omitempty"`
	Title  string     `json:"title"`
	Values StringList `json:"values,omitempty"`
	// Multiple lets an applicant hold several values of the tag.
	Multiple bool `json:"multiple,omitempty"`
	// Creatable lets a trait add a value not in Values.
	Creatable bool `json:"creatable,omitempty"`
	// Visible defaults to true.
	Visible *bool `json:"visible,omitempty"`
	Folder  bool  `json:"folder,omitempty"`
	// Type is candidates (default) or vacancies.
	Type     string `json:"type,omitempty"`
	Position *int   `json:"position,omitempty"`
}

// worldTags validates the tags of every organization of w, by index.
func worldTags(w *World) ([][]*Tag, error) {
	f := fieldErrors{}
	out := make([][]*Tag, len(w.Organizations))
	for i, o := range w.Organizations {
		if len(o.Tags) > MaxTagsPerOrg {
			f.add(fmt.Sprintf("organizations[%d].tags", i), "has too many tags (maximum is 500)")
		}
		seen := map[string]string{}
		ref := o.Reference
		if ref == "" {
			ref = DeriveEncodedID("org", o.Name)[:7]
		}
		for j, wt := range o.Tags {
			p := fmt.Sprintf("organizations[%d].tags[%d]", i, j)
			t := &Tag{Key: wt.Key, Title: strings.TrimSpace(wt.Title), Values: wt.Values, Multiple: wt.Multiple,
				Creatable: wt.Creatable, Visible: true, Folder: wt.Folder, Type: wt.Type, Position: wt.Position}
			if wt.Visible != nil {
				t.Visible = *wt.Visible
			}
			if t.Title == "" {
				f.add(p+".title", "can't be blank")
			}
			validText(f, p+".title", t.Title, MaxShortText)
			if t.Key == "" {
				t.Key = DeriveEncodedID("tag", ref, t.Title)
			} else if !isEncodedID(t.Key) {
				f.add(p+".key", "must be 16 letters or digits")
			}
			if prev, dup := seen[t.Key]; dup {
				f.add(p+".key", "duplicates "+prev)
			}
			seen[t.Key] = p
			switch t.Type {
			case "":
				t.Type = "candidates"
			case "candidates", "vacancies":
			default:
				f.add(p+".type", "must be candidates or vacancies")
			}
			if len(t.Values) > MaxTagValues {
				f.add(p+".values", "has too many values (maximum is 500)")
			}
			for _, v := range t.Values {
				validTagValue(f, p+".values", v)
			}
			out[i] = append(out[i], t)
		}
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// validTagValue checks one value: values are stored `;`-separated on the
// Flatchr wire, so a value cannot hold one.
func validTagValue(f fieldErrors, field, v string) {
	switch {
	case strings.TrimSpace(v) == "":
		f.add(field, "can't be blank")
	case strings.Contains(v, ";"):
		f.add(field, "cannot contain ';'")
	default:
		validText(f, field, v, MaxShortText)
	}
}

// saveWorldTags stores the validated tags of each organization of orgs,
// whose ids SaveWorld filled.
func (s *Service) saveWorldTags(ctx context.Context, orgs []WorldOrg, tags [][]*Tag) error {
	for i, o := range orgs {
		if i >= len(tags) || len(tags[i]) == 0 {
			continue
		}
		for _, t := range tags[i] {
			t.OrgID = o.Org.ID
		}
		if err := s.store.SaveTags(ctx, o.Org.ID, tags[i]); err != nil {
			return err
		}
	}
	return nil
}

// Tags lists the principal's organization's tags (any candidates scope).
// Errors: EForbidden.
func (s *Service) Tags(ctx context.Context, p *Principal) ([]*Tag, error) {
	if ok, _ := p.canRead(); !ok {
		return nil, p.Allow(ActionRead)
	}
	return s.store.Tags(ctx, p.Org.ID)
}

// SetTrait gives an application a tag's value (a candidates write scope).
// The value must be one of the tag's values unless the tag is creatable,
// in which case it becomes one. Errors: EForbidden, ENotFound (applicant),
// EInvalid (tag or value).
func (s *Service) SetTrait(ctx context.Context, p *Principal, ref CandidateRef, tagKey, value string) (*Trait, error) {
	if err := p.Require(PermTag); err != nil {
		return nil, err
	}
	cand, err := s.activityTarget(ctx, p, ref, true)
	if err != nil {
		return nil, err
	}
	f := fieldErrors{}
	value = strings.TrimSpace(value)
	if strings.TrimSpace(tagKey) == "" {
		f.add("tag", "can't be blank")
	}
	validTagValue(f, "value", value)
	if err := f.err(); err != nil {
		return nil, err
	}
	tags, err := s.store.Tags(ctx, p.Org.ID)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(tags, func(t *Tag) bool { return t.Key == tagKey || fmt.Sprint(t.ID) == tagKey })
	if i < 0 {
		return nil, FieldErrors(map[string]string{"tag": "is not a tag of this company"})
	}
	tag := tags[i]
	known := slices.Contains(tag.Values, value)
	if !known && !tag.Creatable {
		return nil, FieldErrors(map[string]string{"value": "is not a value of tag " + quote(tag.Title)})
	}
	if !known && len(tag.Values) >= MaxTagValues {
		return nil, FieldErrors(map[string]string{"value": "cannot be added: the tag has 500 values"})
	}
	t := &Trait{OrgID: p.Org.ID, ApplicationID: cand.ID, TagID: tag.ID, TagKey: tag.Key, Value: value,
		Key: NewEncodedID(), CreatedAt: s.Now()}
	if err := s.store.SetTrait(ctx, t, tag.Multiple, !known); err != nil {
		return nil, notFound(err)
	}
	return t, nil
}

// Traits lists an application's traits. Errors: EForbidden, ENotFound.
func (s *Service) Traits(ctx context.Context, p *Principal, ref CandidateRef) ([]*Trait, error) {
	cand, err := s.activityTarget(ctx, p, ref, false)
	if err != nil {
		return nil, err
	}
	return s.store.Traits(ctx, p.Org.ID, cand.ID)
}
