package flatchr

import (
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris on hosts without a zone database
)

// parseSearchDate reads a search bound (spec flatchr §12 #12): MM/DD/YY as
// the later docs show (`12/25/21`), DD/MM/YY when the first part cannot be
// a month (the seed's JJ/MM/AA), a four-digit year in either, or
// YYYY-MM-DD. It returns the start of that day in loc.
func parseSearchDate(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, true
	}
	parts := strings.Split(s, "/")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || len(p) == 0 || len(p) > 4 {
			return time.Time{}, false
		}
		n[i] = v
	}
	month, day, year := n[0], n[1], n[2]
	if month > 12 {
		month, day = day, month
	}
	switch len(parts[2]) {
	case 2:
		year += 2000
	case 4:
	default:
		return time.Time{}, false
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, loc)
	if t.Day() != day {
		return time.Time{}, false // 31/02: no such day
	}
	return t, true
}

// paris is the vendor's zone; the embedded zone database (time/tzdata)
// makes it available on hosts without one.
func paris() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("flatchr: Europe/Paris: " + err.Error())
	}
	return loc
}
