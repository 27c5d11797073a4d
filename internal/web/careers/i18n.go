package careers

import (
	"net/http"

	"golang.org/x/text/language"
)

// The site speaks French and English; each organization picks the default
// for visitors whose browser prefers neither.
var (
	frFirst = language.NewMatcher([]language.Tag{language.French, language.English})
	enFirst = language.NewMatcher([]language.Tag{language.English, language.French})
)

// pageLanguage picks "fr" or "en" from Accept-Language, falling back to the
// organization's default.
func pageLanguage(r *http.Request, orgDefault string) string {
	m := frFirst
	if orgDefault == "en" {
		m = enFirst
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		if orgDefault == "en" {
			return "en"
		}
		return "fr"
	}
	tag, _, conf := m.Match(tags...)
	if conf == language.No {
		tag, _, _ = m.Match()
	}
	if base, _ := tag.Base(); base.String() == "en" {
		return "en"
	}
	return "fr"
}

// text is the wording of the site in one language.
type text struct {
	Lang, Locale                                           string
	Jobs, NoJobs, OneJob, ManyJobs, Filter, AllContracts   string
	AllCities, AllRemote, Contract, City, Remote, Apply    string
	Salary, Office, StartDate, Posted, Description         string
	Profile, Mission, Company, Process, BackToJobs         string
	ApplyTitle, Firstname, Lastname, Email, Phone, Resume  string
	ResumeHelp, CoverLetter, Questions, Consent, Privacy   string
	Send, Required, Optional, Yes, No, Choose, Honeypot    string
	ThanksTitle, Thanks, ErrorTitle, ErrorsAbove, Feed     string
	TooFast, Expired, Forged, Spam, TooLarge, TooMany      string
	NotFound, Internal, FieldRequired, FieldInvalid, Skip  string
	RemoteFull, RemotePartial, RemotePunctual, RemoteNo    string
	ErrorPrefix, Menu, PoweredBy, AnswerRequired, FileType string
	// Colon ends a label: French sets a no-break space before it.
	Colon string
}

var texts = map[string]*text{
	"fr": {
		Lang: "fr", Locale: "fr_FR", Colon: "\u00a0:",
		Jobs: "Offres d'emploi", NoJobs: "Aucune offre ne correspond.", OneJob: "1 offre", ManyJobs: "%d offres",
		Filter: "Filtrer", AllContracts: "Tous les contrats", AllCities: "Toutes les villes", AllRemote: "Tous",
		Contract: "Contrat", City: "Ville", Remote: "Télétravail", Apply: "Postuler",
		Salary: "Salaire", Office: "Lieu", StartDate: "Début", Posted: "Publiée le", Description: "Le poste",
		Profile: "Profil recherché", Mission: "Missions", Company: "L'entreprise", Process: "Processus de recrutement",
		BackToJobs: "Toutes les offres",
		ApplyTitle: "Postuler à cette offre", Firstname: "Prénom", Lastname: "Nom", Email: "E-mail", Phone: "Téléphone",
		Resume: "CV", ResumeHelp: "PDF, DOC, DOCX, ODT, RTF ou texte, 10 Mo au plus.", CoverLetter: "Lettre de motivation",
		Questions: "Questions", Consent: "J'accepte que mes données soient traitées pour ma candidature, selon",
		Privacy: "la politique de confidentialité", Send: "Envoyer ma candidature", Required: "obligatoire",
		Optional: "facultatif", Yes: "Oui", No: "Non", Choose: "Choisir…", Honeypot: "Ne pas remplir ce champ",
		ThanksTitle: "Merci !", Thanks: "Votre candidature a bien été envoyée.",
		ErrorTitle: "Votre candidature n'a pas pu être envoyée", ErrorsAbove: "Corrigez les champs signalés ci-dessous.",
		Feed:     "Flux Atom des offres",
		TooFast:  "Le formulaire a été envoyé trop vite. Patientez quelques secondes et renvoyez-le.",
		Expired:  "Le formulaire a expiré. Rechargez la page et renvoyez-le.",
		Forged:   "Le formulaire n'est pas valide. Rechargez la page et renvoyez-le.",
		Spam:     "Votre candidature n'a pas pu être envoyée.",
		TooLarge: "Le fichier envoyé est trop volumineux : 10 Mo au plus.",
		TooMany:  "Trop de candidatures envoyées depuis votre adresse. Patientez un moment et réessayez.",
		NotFound: "Cette page n'existe pas ou l'offre n'est plus publiée.", Internal: "Une erreur est survenue. Réessayez plus tard.",
		FieldRequired: "Ce champ est obligatoire.", FieldInvalid: "Cette valeur n'est pas valide.", Skip: "Aller au contenu",
		RemoteFull: "Télétravail complet", RemotePartial: "Télétravail partiel", RemotePunctual: "Télétravail ponctuel", RemoteNo: "Sur site",
		ErrorPrefix: "Erreur : ", Menu: "Navigation", PoweredBy: "Propulsé par intake",
		AnswerRequired: "Cette question demande une réponse.", FileType: "Ce type de fichier n'est pas accepté : PDF, DOC, DOCX, ODT, RTF ou texte.",
	},
	"en": {
		Lang: "en", Locale: "en_US", Colon: ":",
		Jobs: "Jobs", NoJobs: "No job matches.", OneJob: "1 job", ManyJobs: "%d jobs",
		Filter: "Filter", AllContracts: "All contracts", AllCities: "All cities", AllRemote: "Any",
		Contract: "Contract", City: "City", Remote: "Remote", Apply: "Apply",
		Salary: "Salary", Office: "Location", StartDate: "Start", Posted: "Posted on", Description: "The job",
		Profile: "Your profile", Mission: "Missions", Company: "The company", Process: "Recruitment process",
		BackToJobs: "All jobs",
		ApplyTitle: "Apply for this job", Firstname: "First name", Lastname: "Last name", Email: "Email", Phone: "Phone",
		Resume: "Résumé", ResumeHelp: "PDF, DOC, DOCX, ODT, RTF or text, 10 MB at most.", CoverLetter: "Cover letter",
		Questions: "Questions", Consent: "I agree that my data is processed for my application, as described in",
		Privacy: "the privacy notice", Send: "Send my application", Required: "required",
		Optional: "optional", Yes: "Yes", No: "No", Choose: "Choose…", Honeypot: "Leave this field empty",
		ThanksTitle: "Thank you!", Thanks: "Your application has been sent.",
		ErrorTitle: "Your application could not be sent", ErrorsAbove: "Please correct the fields marked below.",
		Feed:     "Atom feed of the jobs",
		TooFast:  "The form was sent too quickly. Wait a few seconds and send it again.",
		Expired:  "The form has expired. Reload the page and send it again.",
		Forged:   "The form is not valid. Reload the page and send it again.",
		Spam:     "Your application could not be sent.",
		TooLarge: "The file is too large: 10 MB at most.",
		TooMany:  "Too many applications were sent from your address. Wait a moment and try again.",
		NotFound: "This page does not exist or the job is no longer published.", Internal: "Something went wrong. Please try again later.",
		FieldRequired: "This field is required.", FieldInvalid: "This value is not valid.", Skip: "Skip to content",
		RemoteFull: "Fully remote", RemotePartial: "Partly remote", RemotePunctual: "Occasional remote", RemoteNo: "On site",
		ErrorPrefix: "Error: ", Menu: "Navigation", PoweredBy: "Powered by intake",
		AnswerRequired: "This question needs an answer.", FileType: "This file type is not accepted: PDF, DOC, DOCX, ODT, RTF or text.",
	},
}
