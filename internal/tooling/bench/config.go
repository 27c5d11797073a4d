package bench

import (
	"errors"
	"flag"
	"time"
)

// Usage is the head of `intake bench -h`; the flags follow it.
const Usage = `usage: intake bench [flags]

Drives creates (or lists) at a fixed concurrency against intake and, in the
same run, against the ceiling: a bare net/http server answering intake's
bytes. With no --target it starts its own intake (on a temp data dir unless
--data) and its own ceiling, both as child processes on 127.0.0.1.
The last line is machine-readable:
  ratio_to_ceiling=<x> rps=<x> p99_ms=<x> errors=<n>
With --remote-resume-size it ends with fetches=<n> refetches=<n>: the
files the server under test downloaded, and those it downloaded again.

flags:
`

// Config is the `intake bench` command line. Flags registers its flags and
// Check validates them; Exe is set by the caller.
type Config struct {
	Dialect     string
	Op          string
	Concurrency int
	Duration    time.Duration
	Warmup      time.Duration
	Rounds      int
	MaxRequests int64
	Target      string
	Compare     string
	Token       string
	ResumeSize  int
	Upload      string
	// RemoteResumeSize makes each WelcomeKit create name a PDF of this
	// size that the bench serves itself on loopback.
	RemoteResumeSize int
	Org, Job         string
	StageID          int64
	Vacancy          string
	PerPage          int
	Pages            int
	Company          string
	Run              string
	People           int64
	DataDir          string
	WorldFile        string
	Debug            bool
	CPUProfile       string
	MemProfile       string
	Keep             bool
	AllowRemote      bool
	RateLimit        string
	// Exe is the intake binary started as the subject (`serve`, or
	// `bench-serve` with Debug) and as the ceiling (`bench-ceiling`).
	Exe string
}

// Flags registers the bench flags on fs, their defaults into c.
func (c *Config) Flags(fs *flag.FlagSet) {
	fs.StringVar(&c.Dialect, "dialect", "welcomekit", "welcomekit or flatchr")
	fs.StringVar(&c.Op, "op", "create", "create, list (WelcomeKit list of a job's candidates), jobs (WelcomeKit list of an organization's jobs with their stages), search (Flatchr search of applicants by email) or moves (WelcomeKit moves of a job)")
	fs.IntVar(&c.Concurrency, "concurrency", 64, "requests in flight")
	fs.DurationVar(&c.Duration, "duration", 10*time.Second, "measured time per target and round")
	fs.DurationVar(&c.Warmup, "warmup", 2*time.Second, "unmeasured load before each measurement")
	fs.IntVar(&c.Rounds, "rounds", 1, "measure ceiling and intake alternately this many times; the summary takes medians")
	fs.Int64Var(&c.MaxRequests, "max-requests", DefaultMaxRequests, "bound on the requests of one measurement")
	fs.StringVar(&c.Target, "target", "", "base URL of a server to measure instead of starting intake")
	fs.StringVar(&c.Compare, "compare", "", "base URL of another server (e.g. a Prism mock) measured with the same load; prints intake ÷ it")
	fs.StringVar(&c.Token, "token", "", "API token (default: a fresh one in the generated world)")
	fs.IntVar(&c.ResumeSize, "resume-size", 0, "flatchr: size in bytes of the PDF resume sent base64 in each create (0: the seed's 6-byte document)")
	fs.StringVar(&c.Upload, "upload", UploadBase64, "flatchr: how the resume is sent, base64 (JSON) or multipart (a file part)")
	fs.IntVar(&c.RemoteResumeSize, "remote-resume-size", 0, "welcomekit: size in bytes of a PDF the bench serves on 127.0.0.1, named by each create's remote_resume_url (the started intake gets --allow-fetch-from 127.0.0.0/8; a --target must allow it itself)")
	fs.StringVar(&c.Org, "org", DemoOrg, "welcomekit organization_reference")
	fs.StringVar(&c.Job, "job", DemoJob, "welcomekit job_reference")
	fs.Int64Var(&c.StageID, "stage", DemoStageID, "welcomekit job_stage_id (0: none sent)")
	fs.StringVar(&c.Vacancy, "vacancy", DemoVacancy, "flatchr vacancy slug")
	fs.IntVar(&c.PerPage, "per-page", 100, "list: per_page")
	fs.IntVar(&c.Pages, "pages", 1, "list: spread requests over pages 1..N")
	fs.StringVar(&c.Company, "company", DemoCompany, "search: Flatchr companyID")
	fs.StringVar(&c.Run, "run", "", "search: the --run tag `intake generate` gave the emails searched")
	fs.Int64Var(&c.People, "people", 1, "search: how many generated people the searched emails are drawn from")
	fs.StringVar(&c.DataDir, "data", "", "data dir of the started intake, kept afterwards (default: a temp dir, removed)")
	fs.StringVar(&c.WorldFile, "world", "", "world file of the started intake (default: generated; give --token with it)")
	fs.BoolVar(&c.Debug, "debug", false, "start intake with a pprof/expvar listener (bench-serve) and report heap allocated per request")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write a CPU profile of intake during its first measurement to this file (implies --debug)")
	fs.StringVar(&c.MemProfile, "memprofile", "", "write intake's allocation profile (since start) after its first measurement to this file (implies --debug)")
	fs.BoolVar(&c.Keep, "keep", false, "keep the temp dir (data, logs)")
	fs.StringVar(&c.RateLimit, "rate-limit", "0", "the started intake's per-key rate limit, as INTAKE_RATE_LIMIT (0: off, to measure capacity, not the limiter)")
	fs.BoolVar(&c.AllowRemote, "allow-remote", false, "allow --target/--compare URLs that are not loopback addresses")
}

// Check validates a parsed command line and applies what its flags imply:
// a profile needs the debug listener; base URLs lose trailing slashes.
func (c *Config) Check() error {
	if c.Dialect != string(WelcomeKit) && c.Dialect != string(Flatchr) {
		return errors.New("--dialect must be welcomekit or flatchr")
	}
	if c.Op != "create" && c.Op != "list" && c.Op != "jobs" && c.Op != "search" && c.Op != "moves" {
		return errors.New("--op must be create, list, jobs, search or moves")
	}
	if c.Op == "search" && (c.Dialect != string(Flatchr) || c.People < 1) {
		return errors.New("--op search is a Flatchr search: give --dialect flatchr and a positive --people")
	}
	if (c.Op == "list" || c.Op == "jobs" || c.Op == "moves") && c.Dialect != string(WelcomeKit) {
		return errors.New("--op " + c.Op + " is a WelcomeKit list")
	}
	if c.Concurrency < 1 || c.Rounds < 1 || c.Duration <= 0 || c.Warmup < 0 || c.ResumeSize < 0 {
		return errors.New("--concurrency, --rounds and --duration must be positive")
	}
	if c.Upload != UploadBase64 && c.Upload != UploadMultipart {
		return errors.New("--upload must be base64 or multipart")
	}
	if c.Upload == UploadMultipart && c.Dialect != string(Flatchr) {
		return errors.New("--upload is a flatchr create option")
	}
	if c.RemoteResumeSize < 0 || (c.RemoteResumeSize > 0 && (c.Dialect != string(WelcomeKit) || c.Op != "create")) {
		return errors.New("--remote-resume-size is a positive size for welcomekit creates")
	}
	if c.Target != "" && (c.DataDir != "" || c.WorldFile != "") {
		return errors.New("--data and --world configure the started intake; not with --target")
	}
	if c.WorldFile != "" && c.Token == "" {
		return errors.New("--world needs the --token of one of its keys")
	}
	if c.CPUProfile != "" || c.MemProfile != "" {
		c.Debug = true
	}
	if c.Debug && c.Target != "" {
		return errors.New("--debug, --cpuprofile and --memprofile need the started intake, not --target")
	}
	c.Target, c.Compare = TrimBase(c.Target), TrimBase(c.Compare)
	return nil
}
