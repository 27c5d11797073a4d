package welcomekit

import (
	"testing"
	"time"

	"intake"
)

// jobSeeds are the vendor's job create and update examples.
var jobSeeds = []string{
	fullJob,
	`{"organization_reference":"Pg4eV6k","profession_reference":"sales","name":"Fake Job","description":"Fake Job Description.",
	  "profile":"Fake Job Profile","contract_type":"UNLIMITED","salary_min":"45000","salary_max":"50000","salary_currency":"EUR",
	  "salary_period":"yearly","is_remote":"true","is_full_time":"true","office_zip_code":"75002","education_level":"BAC_5",
	  "experience_level":"1_TO_2_YEARS","apply_url":"http://company.com/jobs/superjob/apply/","start_date":"2016-09-01",
	  "external_origin":"PROVIDER_NAME","external_reference":"PROVIDER_REFERENCE","cms_sites_references":"wttj_fr,smgo_fr"}`,
	`{"stages":[{"id":42,"name":"Nouveau","reference":"initial"},{"name":"Screening","visible":false}],"salary_max":null}`,
	`{"status":"archived","contract_duration_min":"6","contract_duration_max":3,"office_id":196}`,
}

var fuzzOrg = &intake.Org{Content: intake.OrgContent{Offices: []intake.Office{{ID: 196, City: "Paris", CountryCode: "FR"}}}}

// FuzzDecodeJob feeds job create and update bodies through the decoder and
// the Service's checks: never a panic, and either a job input or an
// invalid error.
func FuzzDecodeJob(f *testing.F) {
	for _, s := range jobSeeds {
		f.Add(false, "", []byte(s))
	}
	f.Add(true, "status=published", []byte("name=Job&stages[]=x&salary_min=12&remote=partial"))
	f.Fuzz(func(t *testing.T, form bool, query string, body []byte) {
		p, ok := fuzzParams(t, form, query, body)
		if !ok {
			return
		}
		in, err := decodeJob(p)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		for _, create := range []bool{true, false} {
			if err := in.Validate(fuzzOrg, create); err != nil {
				checkInvalid(t, err)
			}
		}
	})
}

// FuzzDecodeJobList feeds GET /jobs and /jobs/all query strings.
func FuzzDecodeJobList(f *testing.F) {
	f.Add("organization_reference=Pg4eV6k&status=published&created_after=2017-10-30&page=2&per_page=10&stages=true")
	f.Add("status=draft&contract_type=FULL_TIME&published_after=2015-11-26&websites=1")
	f.Fuzz(func(t *testing.T, query string) {
		p, ok := fuzzParams(t, false, query, nil)
		if !ok {
			return
		}
		for _, all := range []bool{false, true} {
			req, err := decodeJobList(p, time.UTC, all)
			if err != nil {
				checkInvalid(t, err)
				continue
			}
			if req.PerPage < 1 || req.PerPage > maxPerPage || req.Page < 1 || req.Filter.Offset < 0 || req.Filter.Limit != int(req.PerPage) {
				t.Errorf("page window %+v", req)
			}
			if !all && req.OrganizationReference == "" {
				t.Error("accepted a list without organization_reference")
			}
		}
	})
}
