package welcomekit

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"intake"
	"intake/internal/httpapi/plumbing"
)

// jobDependenciesJSON is the answer of GET /jobs/dependencies: the
// vendor's vocabularies, shipped as data (spec welcomekit §4).
//
//go:embed assets/job-dependencies.json
var jobDependenciesJSON []byte

// jobDependencies is jobDependenciesJSON compacted once; checkDependencies
// keeps it in step with the codes the Service accepts.
var jobDependencies = compactJSON(jobDependenciesJSON)

func compactJSON(b []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		panic("welcomekit: embedded job dependencies: " + err.Error())
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}

// checkDependencies reports a code listed in the embedded dependencies
// that the Service would refuse, or the reverse.
func checkDependencies() error {
	var deps struct {
		ContractTypes    []struct{ ID string } `json:"contract_types"`
		EducationLevels  []struct{ ID string } `json:"education_levels"`
		ExperienceLevels []struct{ ID string } `json:"experience_levels"`
		RemoteLevels     []struct{ ID string } `json:"remote_levels"`
		SalaryCurrencies []string              `json:"salary_currencies"`
		SalaryPeriods    []string              `json:"salary_periods"`
	}
	if err := json.Unmarshal(jobDependenciesJSON, &deps); err != nil {
		return err
	}
	ids := func(list []struct{ ID string }) []string {
		out := make([]string, len(list))
		for i, e := range list {
			out[i] = e.ID
		}
		return out
	}
	for name, pair := range map[string][2][]string{
		"contract_types":    {ids(deps.ContractTypes), intake.ContractTypes},
		"education_levels":  {ids(deps.EducationLevels), intake.EducationLevels},
		"experience_levels": {ids(deps.ExperienceLevels), intake.ExperienceLevels},
		"remote_levels":     {ids(deps.RemoteLevels), intake.RemoteLevels},
		"salary_currencies": {deps.SalaryCurrencies, intake.SalaryCurrencies},
		"salary_periods":    {deps.SalaryPeriods, intake.SalaryPeriods},
	} {
		if !slices.Equal(pair[0], pair[1]) {
			return fmt.Errorf("%s: dependencies list %v, the Service accepts %v", name, pair[0], pair[1])
		}
	}
	return nil
}

// getJobDependencies handles GET /jobs/dependencies.
func (h *handler) getJobDependencies(w http.ResponseWriter, r *http.Request) {
	if _, err := h.authorizeScopes(w, r, intake.ScopeJobsR, intake.ScopeJobsRW); err != nil {
		h.writeError(w, r, err)
		return
	}
	plumbing.WriteBody(w, http.StatusOK, plumbing.ContentTypeJSON, jobDependencies)
}
