package intake

import (
	"context"
	"strconv"
	"strings"
)

// lookupVacancy finds a job of the organization the way Flatchr clients
// name it (spec flatchr §12 #9, #22): slug, else encoded id as given, else
// the integer vacancy_id, else the encoded id in any case.
// Errors: ENotFound.
func (s *Service) lookupVacancy(ctx context.Context, orgID int64, vacancy string) (*Job, error) {
	j, err := s.store.JobByVacancy(ctx, orgID, vacancy)
	if ErrorCodeOf(err) != ENotFound {
		return j, err
	}
	if id, perr := strconv.ParseInt(vacancy, 10, 64); perr == nil && id > 0 {
		return s.store.Job(ctx, orgID, id)
	}
	if !isEncodedID(vacancy) {
		return nil, err
	}
	jobs, lerr := s.store.Jobs(ctx, orgID)
	if lerr != nil {
		return nil, lerr
	}
	for _, j := range jobs {
		if strings.EqualFold(j.VacancyKey, vacancy) {
			return j, nil
		}
	}
	return nil, err
}

// Vacancies lists every job of the principal's company, archived ones
// included (Flatchr's GET /company/{companyID}/vacancies).
func (s *Service) Vacancies(ctx context.Context, p *Principal) ([]*Job, error) {
	return s.store.Jobs(ctx, p.Org.ID)
}

// Vacancy finds a job of the principal's company as Flatchr clients name
// it, archived or not. Errors: ENotFound.
func (s *Service) Vacancy(ctx context.Context, p *Principal, vacancy string) (*Job, error) {
	j, err := s.lookupVacancy(ctx, p.Org.ID, vacancy)
	if ErrorCodeOf(err) == ENotFound {
		return nil, Errorf(ENotFound, "vacancy not found")
	}
	return j, err
}
