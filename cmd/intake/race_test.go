//go:build race

package main

// raceEnabled reports a -race build: the servers the tests start are this
// binary, so they run under the race detector too, whose shadow memory
// multiplies a process's resident memory.
const raceEnabled = true
