package main

import (
	"os"
	"runtime/debug"
)

// serveGCPercent is the server's GOGC unless the environment sets one. A
// create allocates ~14 KiB that dies with its request, while the live heap
// stays at a few MiB: at Go's default of 100 the collector ran ~40 times a
// second under load and took a tenth of the CPU. 400 lets the heap grow to
// five times the live one, a few tens of MiB, between collections.
const serveGCPercent = 400

// tuneGC applies serveGCPercent, leaving GOGC and GOMEMLIMIT, when set, to
// the operator.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(serveGCPercent)
	}
}
