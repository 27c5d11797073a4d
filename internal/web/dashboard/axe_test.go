package dashboard

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource returns axe-core's script from $AXE_CORE_JS (.ci/run installs
// it with npm); without it the accessibility checks are skipped, except
// under CI=true, where they must run.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("AXE_CORE_JS")
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("AXE_CORE_JS is not set: CI must install axe-core (npm install axe-core) and point it at axe.min.js")
		}
		t.Log("AXE_CORE_JS not set: accessibility checks skipped")
		return ""
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	return string(src)
}

// axeViolation is an axe-core finding.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeCheck runs axe (axeSource's script; "" skips) on the open page, or
// on the part of it that within selects when not "", and fails the test on
// any serious or critical violation, naming the page name.
func axeCheck(t *testing.T, ctx context.Context, axe, name, within string) {
	t.Helper()
	if axe == "" {
		return
	}
	target := "document"
	if within != "" {
		target = strconv.Quote(within)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
		t.Fatalf("%s: inject axe-core: %v", name, err)
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(`+target+`, {resultTypes: ['violations']}).then(r =>
		r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
			.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe-core: %v", name, err)
	}
	for _, v := range found {
		t.Errorf("%s: axe-core %s violation %s (%s) at %v", name, v.Impact, v.ID, v.Help, v.Nodes)
	}
}
