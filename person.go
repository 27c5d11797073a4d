package intake

// Person is a human applicant within one organization. Applications of the
// same email in one organization share a person.
type Person struct {
	ID        int64
	OrgID     int64
	Email     string // as given; matched case-insensitively
	Firstname string
	Lastname  string
	Civility  string // "Mr", "Ms" or empty
	Phone     string
	Subtitle  string
	// Media holds profile links by network: website, github, linkedin, …
	// Flatchr's urls.other is kept under "other".
	Media map[string]string
}
