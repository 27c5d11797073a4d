package intake

import (
	"sort"
	"strings"
)

// fieldErrors accumulates validation failures so a client learns about every
// invalid field in one answer instead of one per round trip.
type fieldErrors map[string]string

func (f fieldErrors) add(field, reason string) {
	if _, dup := f[field]; !dup {
		f[field] = reason
	}
}

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return FieldErrors(map[string]string(f))
}

func joinFieldErrors(fields map[string]string) string {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = name + " " + fields[name]
	}
	return strings.Join(parts, ", ")
}
