package flatchr

import (
	"embed"
	"html/template"
	"net/http"

	"intake/internal/httpapi/plumbing"
)

//go:embed templates/*.html
var templateFS embed.FS

// parsePages parses the embedded pages of /custom once, at start.
func parsePages() *template.Template {
	return template.Must(template.ParseFS(templateFS, "templates/*.html"))
}

// thanksView is the page /custom shows a browser after an application.
type thanksView struct {
	Lang    string
	Title   string
	Message string
	Vacancy string
	Company string
}

// errorView is the page /custom shows a browser when a post fails.
type errorView struct {
	Lang       string
	Title      string
	Message    string
	Status     int
	StatusText string
}

// pageText holds the default wording of the pages, French first like the
// vendor, English for browsers that prefer it.
var pageText = map[string]struct{ thanksTitle, thanks, errorTitle string }{
	"fr": {"Merci !", "Votre candidature a bien été envoyée.", "Votre candidature n'a pas pu être envoyée"},
	"en": {"Thank you!", "Your application has been sent.", "Your application could not be sent"},
}

// writeThanks answers a browser's successful post to /custom, showing
// response_text when the form gave one.
func (h *handler) writeThanks(w http.ResponseWriter, r *http.Request, c *created) {
	lang := pageLanguage(r)
	v := thanksView{
		Lang:    lang,
		Title:   pageText[lang].thanksTitle,
		Message: pageText[lang].thanks,
		Vacancy: c.job.Title,
		Company: c.org.Name,
	}
	if c.responseText != "" {
		v.Message = c.responseText
	}
	h.writePage(w, r, http.StatusOK, "thanks.html", v)
}

// writeErrorPage answers a browser's failed post to /custom with the status
// the JSON error would have.
func (h *handler) writeErrorPage(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := h.describe(r, err)
	h.errorHeaders(w, err, status)
	lang := pageLanguage(r)
	h.writePage(w, r, status, "error.html", errorView{
		Lang:       lang,
		Title:      pageText[lang].errorTitle,
		Message:    msg,
		Status:     status,
		StatusText: http.StatusText(status),
	})
}

// writePage renders a page fully before sending it.
func (h *handler) writePage(w http.ResponseWriter, r *http.Request, status int, name string, view any) {
	body, err := plumbing.HTML(h.pages.Lookup(name), view)
	plumbing.Respond(w, r, status, plumbing.ContentTypeHTML, body, err, h.writeError)
}
