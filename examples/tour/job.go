package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/purectl/purectl/job"
	"github.com/purectl/purectl/ptr"
	"github.com/purectl/purectl/sim"
)

func init() { register(30, "Job: completions, deadlines and clean-up", jobChapter) }

// jobTimeline runs the world and prints one line per pass that changed
// something: what the Job controller did and the Job's pods after it.
func jobTimeline(w io.Writer, world *sim.World, t0 time.Time) (sim.Timeline, error) {
	tl, err := world.Run(t0.Add(time.Hour), 1000)
	if err != nil {
		return tl, err
	}
	var prev sim.JobState
	for _, p := range tl.Passes {
		var acts []string
		starts := 0
		for _, a := range p.Actions {
			switch {
			case a.Verb == "create":
				starts++
			case a.Verb == "delete":
				acts = append(acts, fmt.Sprintf("delete %s (%s)", a.Target, a.Reason))
			case a.Verb == "event":
				acts = append(acts, "event "+a.Reason)
			}
		}
		if starts > 0 {
			acts = append([]string{fmt.Sprintf("start %d", starts)}, acts...)
		}
		if len(p.Jobs) == 0 {
			continue // the Job is gone
		}
		st := p.Jobs[0]
		if len(acts) == 0 && st == prev {
			continue
		}
		prev = st
		if len(acts) == 0 {
			acts = []string{"-"}
		}
		cond := string(st.Condition)
		if st.Reason != "" {
			cond += "/" + string(st.Reason)
		}
		line := fmt.Sprintf("  t=%-6s %-58s running %d, succeeded %d, failed %d  %s",
			p.At.Sub(t0), strings.Join(acts, ", "), st.Running, st.Succeeded, st.Failed, cond)
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	return tl, nil
}

func jobChapter(w io.Writer) error {
	t0 := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	template := job.PodTemplate{RestartPolicy: job.RestartNever, Containers: []string{"worker"}}
	render := func(spec job.Spec) []sim.Job {
		spec.Template = template
		return []sim.Job{{Job: job.Job{Name: "render", Namespace: "batch", Spec: spec}}}
	}

	fmt.Fprintln(w, "6 completions, 2 at a time, ttlSecondsAfterFinished 60; every pod succeeds 10s after it is created:")
	world := &sim.World{Now: t0, Lifecycle: sim.Lifecycle{Run: 10 * time.Second},
		Jobs: render(job.Spec{Completions: ptr.To(int32(6)), Parallelism: ptr.To(int32(2)), TTLSecondsAfterFinished: ptr.To(int32(60))})}
	if _, err := jobTimeline(w, world, t0); err != nil {
		return err
	}
	fmt.Fprintf(w, "  Jobs left: %d, pods left: %d (the TTL removed the Job, and garbage collection its pods)\n", len(world.Jobs), len(world.Pods))

	fmt.Fprintln(w, "\nThe same Job with activeDeadlineSeconds 30, and pods that never finish; they stop 5s after a delete:")
	world = &sim.World{Now: t0, Lifecycle: sim.Lifecycle{Run: 24 * time.Hour, Terminate: 5 * time.Second},
		Jobs: render(job.Spec{Completions: ptr.To(int32(6)), Parallelism: ptr.To(int32(2)), ActiveDeadlineSeconds: ptr.To(int64(30))})}
	tl, err := jobTimeline(w, world, t0)
	if err != nil {
		return err
	}
	if tl.Finished {
		fmt.Fprintf(w, "  finished at t=%s: the deadline woke the controller, which failed the Job and stopped its pods\n", tl.End.Sub(t0))
	}
	return nil
}
