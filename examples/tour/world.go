package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/purectl/purectl/sim"
)

// run drives a sim world until it settles (or for at most until on its
// clock) and prints every write of every pass, at its time since t0. The
// loops of the chapters are this one: the world applies each plan as the
// API server would, starts pods as the kubelet does and jumps the clock to
// the next thing that happens.
func run(w io.Writer, world *sim.World, t0 time.Time, until time.Duration, show func(sim.Action) bool) (sim.Timeline, error) {
	tl, err := world.Run(world.Now.Add(until), 10000)
	if err != nil {
		return tl, err
	}
	for _, p := range tl.Passes {
		for _, a := range p.Actions {
			if show != nil && !show(a) {
				continue
			}
			kind, _, _ := strings.Cut(a.Object, "/")
			if k, ok := shortKinds[kind]; ok {
				kind = k
			}
			fmt.Fprintf(w, "  %-7s %-4s %-9s %-12s %-20s %s\n", "+"+p.At.Sub(t0).String(), kind, a.Verb, a.Target, a.Reason, clip(a.Message, 64))
		}
	}
	switch {
	case tl.Finished:
		fmt.Fprintf(w, "  settled at +%v after %d passes\n", tl.End.Sub(t0), len(tl.Passes))
	case tl.Stuck:
		fmt.Fprintf(w, "  stuck at +%v: nothing more will happen\n", tl.End.Sub(t0))
	}
	return tl, nil
}

// shortKinds are kubectl's short names of the kinds in a timeline.
var shortKinds = map[string]string{"daemonset": "ds", "statefulset": "sts", "persistentvolumeclaim": "pvc", "cronjob": "cj"}

// clip shortens a message to n characters.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

// noEvents shows writes only.
func noEvents(a sim.Action) bool { return a.Verb != "event" }
