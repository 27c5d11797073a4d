package bench

import (
	"strconv"
	"strings"
)

// Person is a made-up applicant, derived from a run id and a sequence number
// alone: the same inputs give the same person, distinct sequence numbers
// distinct emails.
type Person struct {
	Firstname string
	Lastname  string
	Email     string
	Phone     string
	Subtitle  string
	// Tags is a comma-separated tag list, WelcomeKit's tag_list form.
	Tags string
	// FileStem names the person's files: Firstname_Lastname in ASCII.
	FileStem string
}

// name is a first or last name and its ASCII spelling for emails and file
// names.
type name struct{ display, ascii string }

var firstnames = []name{
	{"Camille", "camille"}, {"Léa", "lea"}, {"Manon", "manon"}, {"Chloé", "chloe"}, {"Inès", "ines"},
	{"Sarah", "sarah"}, {"Emma", "emma"}, {"Jade", "jade"}, {"Louise", "louise"}, {"Zoé", "zoe"},
	{"Hélène", "helene"}, {"Aïcha", "aicha"}, {"Nadia", "nadia"}, {"Sophie", "sophie"}, {"Julie", "julie"},
	{"Thomas", "thomas"}, {"Lucas", "lucas"}, {"Hugo", "hugo"}, {"Théo", "theo"}, {"Nathan", "nathan"},
	{"Maxime", "maxime"}, {"Antoine", "antoine"}, {"Julien", "julien"}, {"Karim", "karim"}, {"Mehdi", "mehdi"},
	{"Nicolas", "nicolas"}, {"François", "francois"}, {"Jérôme", "jerome"}, {"Yann", "yann"}, {"Pierre-Louis", "pierre-louis"},
	{"Olivia", "olivia"}, {"James", "james"}, {"Priya", "priya"}, {"Wei", "wei"}, {"Ana", "ana"},
	{"João", "joao"}, {"Lukas", "lukas"}, {"Fatou", "fatou"}, {"Mamadou", "mamadou"}, {"Élise", "elise"},
}

var lastnames = []name{
	{"Martin", "martin"}, {"Bernard", "bernard"}, {"Dubois", "dubois"}, {"Thomas", "thomas"}, {"Robert", "robert"},
	{"Richard", "richard"}, {"Petit", "petit"}, {"Durand", "durand"}, {"Leroy", "leroy"}, {"Moreau", "moreau"},
	{"Simon", "simon"}, {"Laurent", "laurent"}, {"Lefèvre", "lefevre"}, {"Michel", "michel"}, {"Garcia", "garcia"},
	{"David", "david"}, {"Bertrand", "bertrand"}, {"Roux", "roux"}, {"Vincent", "vincent"}, {"Fournier", "fournier"},
	{"Morel", "morel"}, {"Girard", "girard"}, {"André", "andre"}, {"Mercier", "mercier"}, {"Dupont", "dupont"},
	{"Lambert", "lambert"}, {"Bonnet", "bonnet"}, {"François", "francois"}, {"Martinez", "martinez"}, {"Benali", "benali"},
	{"Nguyen", "nguyen"}, {"Diallo", "diallo"}, {"Da Silva", "dasilva"}, {"Müller", "muller"}, {"Smith", "smith"},
	{"Kowalski", "kowalski"}, {"Haddad", "haddad"}, {"Le Gall", "legall"}, {"Chevalier", "chevalier"}, {"Gauthier", "gauthier"},
}

var subtitles = []string{
	"Développeuse backend Go", "Technicien métrologue", "Account Executive SaaS", "Chef de projet digital",
	"Data analyst", "Ingénieur DevOps", "UX designer", "Commercial terrain", "Comptable", "Infirmière",
	"Product manager", "Responsable RH", "Assistant administratif", "Ingénieure qualité", "Développeur front-end React",
}

var tagSets = []string{
	"", "senior", "junior,remote", "cooptation", "go,backend", "salon,2024", "remote", "relance", "anglais,mobilité", "stage",
}

var domains = []string{"example.com", "example.org", "example.net", "mail.example", "test.example"}

// NewPerson returns the person numbered seq of run.
func NewPerson(run string, seq uint64) Person {
	// Spread neighbours over the lists with a multiplicative hash, so that
	// consecutive people do not share first and last names.
	h := seq*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
	f := firstnames[h%uint64(len(firstnames))]
	l := lastnames[(h>>16)%uint64(len(lastnames))]
	var email strings.Builder
	email.Grow(64)
	email.WriteString(f.ascii)
	email.WriteByte('.')
	email.WriteString(l.ascii)
	email.WriteByte('.')
	if run != "" {
		email.WriteString(run)
		email.WriteByte('-')
	}
	email.WriteString(strconv.FormatUint(seq, 10))
	email.WriteByte('@')
	email.WriteString(domains[(h>>24)%uint64(len(domains))])
	phone := make([]byte, 0, 14)
	phone = append(phone, "06 "...)
	digits := h >> 32
	for i := range 4 {
		if i > 0 {
			phone = append(phone, ' ')
		}
		phone = append(phone, byte('0'+digits%10), byte('0'+digits/10%10))
		digits /= 100
	}
	return Person{
		Firstname: f.display,
		Lastname:  l.display,
		Email:     email.String(),
		Phone:     string(phone),
		Subtitle:  subtitles[(h>>40)%uint64(len(subtitles))],
		Tags:      tagSets[(h>>48)%uint64(len(tagSets))],
		FileStem:  strings.ToUpper(f.ascii[:1]) + f.ascii[1:] + "_" + strings.ToUpper(l.ascii[:1]) + l.ascii[1:],
	}
}
