package dashboard

import (
	"math"
	"strconv"
	"time"

	"intake"
)

// Charts are drawn here as numbers (positions and sizes in the SVG's own
// units) and rendered by stats.html: the templates hold every element.

// funnelChart is a job's candidates per stage, one horizontal bar each.
type funnelChart struct {
	Width, Height int
	Rows          []funnelRow
	Total         int
}

// funnelRow is one stage: its bar and its numbers.
type funnelRow struct {
	Stage    string
	Active   int
	Archived int
	// Y is the top of the row; BarWidth the bar's length for Active.
	Y, TextY int
	BarWidth float64
	// ValueX is where the count is written, just past the bar.
	ValueX float64
}

// Funnel geometry, in SVG units.
const (
	funnelWidth    = 640
	funnelRowH     = 34
	funnelBarH     = 22
	funnelBarX     = 190
	funnelBarSpace = 390
)

func newFunnel(job *intake.Job, counts []intake.StageCount) *funnelChart {
	c := &funnelChart{Width: funnelWidth, Height: len(counts)*funnelRowH + 8}
	peak := 0
	for _, n := range counts {
		peak = max(peak, n.Active)
	}
	for i, n := range counts {
		st, _ := job.StageByID(n.StageID)
		row := funnelRow{Stage: st.Name, Active: n.Active, Archived: n.Archived, Y: 4 + i*funnelRowH}
		row.TextY = row.Y + funnelBarH/2 + 5
		if peak > 0 {
			row.BarWidth = round1(float64(n.Active) / float64(peak) * funnelBarSpace)
		}
		row.ValueX = funnelBarX + row.BarWidth + 6
		c.Rows = append(c.Rows, row)
		c.Total += n.Active
	}
	return c
}

// columnChart is applications per period, each column stacked by source.
type columnChart struct {
	Width, Height int
	// PlotTop and PlotBottom bound the bars vertically; PlotLeft and
	// PlotRight horizontally.
	PlotTop, PlotBottom, PlotLeft, PlotRight int
	Columns                                  []chartColumn
	Series                                   []chartSeries
	Ticks                                    []chartTick
	// Period names one column in the table's header: "Week of", "Day".
	Period string
	Total  int
}

// chartColumn is one period.
type chartColumn struct {
	Label string
	// ShowLabel is false for columns too narrow to carry their label
	// under the axis; the table still names them.
	ShowLabel bool
	LabelX    float64
	Segments  []chartSegment
	// Counts are the period's numbers per series, in Series order.
	Counts []int
	Total  int
}

// chartSegment is one source's part of a column.
type chartSegment struct {
	Series        string
	Class         string
	Value         int
	X, Y          float64
	Width, Height float64
}

// chartSeries is one source, as the legend and the table show it.
type chartSeries struct {
	Name    string
	Class   string
	LegendX int
}

// chartTick is a horizontal guide with its value.
type chartTick struct {
	Value int
	Y     float64
}

// Column chart geometry, in SVG units.
const (
	columnWidth  = 720
	columnHeight = 280
	plotTop      = 30
	plotBottom   = 236
	plotLeft     = 44
	plotRight    = 712
)

// sourceOrder lists the sources in the order charts stack and name them.
var sourceOrder = []intake.Source{intake.SourceWelcomeKit, intake.SourceFlatchr, intake.SourceDashboard}

// newColumns lays out counts, grouped into periods of days days starting at
// from, n periods; label names a period by its first day.
func newColumns(counts []intake.DayCount, from time.Time, days, n int, period string, label func(time.Time) string) *columnChart {
	c := &columnChart{
		Width: columnWidth, Height: columnHeight,
		PlotTop: plotTop, PlotBottom: plotBottom, PlotLeft: plotLeft, PlotRight: plotRight,
		Period: period,
	}
	seen := map[intake.Source]bool{}
	for _, d := range counts {
		seen[d.Source] = true
	}
	var sources []intake.Source
	for _, s := range sourceOrder {
		if seen[s] {
			sources = append(sources, s)
			delete(seen, s)
		}
	}
	for _, d := range counts {
		if seen[d.Source] {
			sources = append(sources, d.Source)
			delete(seen, d.Source)
		}
	}
	index := map[intake.Source]int{}
	for i, s := range sources {
		index[s] = i
		c.Series = append(c.Series, chartSeries{Name: sourceLabel(s), Class: sourceClass(s), LegendX: plotLeft + i*130})
	}
	cols := make([][]int, n)
	for i := range cols {
		cols[i] = make([]int, len(sources))
	}
	for _, d := range counts {
		i := int(d.Day.Sub(from).Hours()/24) / days
		if i >= 0 && i < n {
			cols[i][index[d.Source]] += d.Count
		}
	}
	peak := 0
	for _, col := range cols {
		t := 0
		for _, v := range col {
			t += v
		}
		peak = max(peak, t)
	}
	top := niceCeil(peak)
	scale := float64(plotBottom-plotTop) / float64(top)
	// A middle guide only where it falls on a whole number, so the three
	// guides are evenly spaced.
	guides := []int{0, top}
	if top%2 == 0 {
		guides = []int{0, top / 2, top}
	}
	for _, v := range guides {
		c.Ticks = append(c.Ticks, chartTick{Value: v, Y: round1(plotBottom - float64(v)*scale)})
	}
	slot := float64(plotRight-plotLeft) / float64(n)
	barW := round1(max(1, slot*0.72))
	every := max(1, int(math.Ceil(56/slot)))
	for i, col := range cols {
		x := round1(plotLeft + float64(i)*slot + (slot-barW)/2)
		cc := chartColumn{
			Label:     label(from.AddDate(0, 0, i*days)),
			ShowLabel: (n-1-i)%every == 0,
			LabelX:    round1(x + barW/2),
			Counts:    col,
		}
		y := float64(plotBottom)
		for s, v := range col {
			cc.Total += v
			if v == 0 {
				continue
			}
			h := round1(float64(v) * scale)
			y = round1(y - h)
			cc.Segments = append(cc.Segments, chartSegment{
				Series: c.Series[s].Name, Class: c.Series[s].Class, Value: v,
				X: x, Y: y, Width: barW, Height: h,
			})
		}
		c.Total += cc.Total
		c.Columns = append(c.Columns, cc)
	}
	return c
}

// niceCeil is the axis maximum for a peak: 1, 2, 4, 6 or 8 times a power of ten,
// at least 1.
func niceCeil(peak int) int {
	if peak <= 1 {
		return 1
	}
	for p := 1; ; p *= 10 {
		// Even steps (but 1), so that the middle guide is a whole number.
		for _, m := range []int{1, 2, 4, 6, 8} {
			if m*p >= peak {
				return m * p
			}
		}
	}
}

func sourceClass(s intake.Source) string {
	switch s {
	case intake.SourceWelcomeKit, intake.SourceFlatchr, intake.SourceDashboard:
		return "src-" + string(s)
	}
	return "src-other"
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// weekStart is the Monday (UTC) starting t's week.
func weekStart(t time.Time) time.Time {
	d := intake.UTCDay(t)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

func shortDay(t time.Time) string { return strconv.Itoa(t.Day()) + " " + t.Format("Jan") }
