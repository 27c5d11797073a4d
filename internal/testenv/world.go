package testenv

// World is the world file of the tests that need a realistic one, shared
// so that every package speaks of the same organizations, jobs and keys:
// the references and tokens of both vendors' seed examples (their curl
// commands work byte for byte), a key per WelcomeKit scope, a job with
// Flatchr screening questions, a third job, and a second organization to
// check isolation against. Its names are the constants below.
const World = `
organizations:
  - name: Acme Métrologie
    reference: Pg4eV6k
    company_key: G6KzqPnNLyp31m0l
    slug: acme
    api_keys:
      - {name: job board, token: wk-api-key, scopes: [candidates_rw]}
      - {name: reader, token: wk-read-key, scopes: [candidates_r]}
      - {name: mine, token: wk-mine-key, scopes: [my_candidates_rw]}
      - {name: jobs, token: wk-jobs-key, scopes: [jobs_r]}
      - {name: flatchr, token: "8mdGHihkSGTv9JKN3JuS0MTnN2aDjjpbN54Jw5yqBpM=", scopes: [candidates_rw]}
      - {name: careers site, token: acme-careers-key, scopes: [candidates_rw]}
    jobs:
      - reference: WTTJ_KmqkD1Y
        id: 3027
        title: Technicien métrologue H/F
        vacancy_slug: vyja39jqrrnlnqwe-technicien-metrologue-h-f
        stages:
          - {id: 42, name: Nouveau, reference: initial}
          - {id: 14600, name: Refusé, reference: refused}
      - reference: WTTJ_sales01
        id: 3028
        title: Account Executive SaaS H/F
        vacancy_slug: sales-account-executive-saas-h-f
        stages:
          - {id: 50, name: Nouveau, reference: initial}
        questions:
          - {id: why, text: "Pourquoi nous ?", type: text, required: true}
          - {id: level, text: "Niveau d'études", type: select, options: "Bac +3;Bac +5"}
      - reference: WTTJ_list001
        id: 3029
        title: Stagiaire
        stages: [{id: 70, name: Nouveau, reference: initial}]
  - name: Globex
    reference: 2Ob7z5j
    slug: globex
    api_keys:
      - {name: other, token: other-org-key, scopes: [candidates_rw]}
    jobs:
      - reference: WTTJ_gld0A7L
        id: 4000
        title: Other job
        vacancy_slug: globex-other-job
        stages: [{id: 60, name: New, reference: initial}]
`

// References and tokens of World.
const (
	// Org is the first organization, the seeds' company.
	Org = "Pg4eV6k"
	// OtherOrg is the second organization, for isolation checks.
	OtherOrg = "2Ob7z5j"

	// RWToken has candidates_rw: the WelcomeKit seed's key.
	RWToken = "wk-api-key"
	// ReadToken has candidates_r.
	ReadToken = "wk-read-key"
	// MineToken has my_candidates_rw.
	MineToken = "wk-mine-key"
	// JobsToken has jobs_r only.
	JobsToken = "wk-jobs-key"
	// FlatchrToken is the Flatchr seed's token (candidates_rw).
	FlatchrToken = "8mdGHihkSGTv9JKN3JuS0MTnN2aDjjpbN54Jw5yqBpM="
	// CareersToken is a second candidates_rw key, as a careers site has.
	CareersToken = "acme-careers-key"
	// OtherOrgToken is OtherOrg's candidates_rw key.
	OtherOrgToken = "other-org-key"

	// SeedJob is the seeds' job (id 3027, stages 42 and 14600).
	SeedJob = "WTTJ_KmqkD1Y"
	// SalesJob has Flatchr screening questions (id 3028).
	SalesJob = "WTTJ_sales01"
	// ListJob is a third job of Org (id 3029), for lists.
	ListJob = "WTTJ_list001"
	// OtherJob is OtherOrg's job (id 4000).
	OtherJob = "WTTJ_gld0A7L"

	SeedVacancy  = "vyja39jqrrnlnqwe-technicien-metrologue-h-f"
	SalesVacancy = "sales-account-executive-saas-h-f"
	OtherVacancy = "globex-other-job"
)
