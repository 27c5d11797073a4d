// Package markdown renders comment text (plain text, Markdown or HTML) to
// HTML that is safe to show: raw HTML in the input is escaped and shown as
// text, never passed through, and links keep only safe schemes.
package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// Renderer turns Markdown into safe HTML. It is safe for concurrent use.
type Renderer struct{ md goldmark.Markdown }

// New returns a Renderer for GitHub-flavoured Markdown (tables,
// strikethrough, autolinks).
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(escaper{}, 0))),
	)
	return &Renderer{md: md}
}

// Render returns the HTML of src: paragraphs wrapped in <p>…</p> and a
// newline, as the WelcomeKit comment example shows.
func (r *Renderer) Render(src string) (string, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// escaper renders raw HTML nodes as escaped text. goldmark's default
// (without WithUnsafe) drops them as "raw HTML omitted", which would lose
// what the author wrote; escaping keeps it visible and inert.
type escaper struct{}

func (escaper) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
	reg.Register(ast.KindImage, renderImage)
}

// renderImage shows an image as a link to it, its alt text as the link's
// text: a comment must not make every reader's browser fetch a URL the
// author chose (a tracking pixel, a request to an internal host).
func renderImage(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	img := n.(*ast.Image)
	_, _ = w.WriteString(`<a href="`)
	if !html.IsDangerousURL(img.Destination) {
		_, _ = w.Write(util.EscapeHTML(util.URLEscape(img.Destination, true)))
	}
	_, _ = w.WriteString(`">`)
	return ast.WalkContinue, nil
}

func renderRawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	segs := n.(*ast.RawHTML).Segments
	for i := 0; i < segs.Len(); i++ {
		seg := segs.At(i)
		_, _ = w.Write(util.EscapeHTML(seg.Value(src)))
	}
	return ast.WalkSkipChildren, nil
}

func renderHTMLBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	b := n.(*ast.HTMLBlock)
	if entering {
		_, _ = w.WriteString("<p>")
		lines := b.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			_, _ = w.Write(util.EscapeHTML(seg.Value(src)))
		}
		if b.HasClosure() {
			_, _ = w.Write(util.EscapeHTML(b.ClosureLine.Value(src)))
		}
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}
