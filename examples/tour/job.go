package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/purectl/purectl/job"
)

func init() { register(30, "Job: completions, deadlines and clean-up", jobChapter) }

// jobCluster is the smallest cluster a Job needs: pods, applied plans and
// a clock.
type jobCluster struct {
	j      job.Job
	status job.Status
	pods   []job.Pod
	now    time.Time
	next   int
}

// pass runs the controller once and applies its result.
func (c *jobCluster) pass() (job.Result, error) {
	res, err := job.JobProgress(c.j, c.status, c.pods, c.now, job.Options{})
	if err != nil {
		return res, err
	}
	for _, d := range res.Delete {
		for i := range c.pods {
			if c.pods[i].UID == d.UID {
				c.pods[i].DeletionTimestamp = c.now
			}
		}
	}
	for _, f := range res.RemoveFinalizers {
		for i := range c.pods {
			if c.pods[i].UID == f.UID {
				c.pods[i].Finalizers = nil
			}
		}
	}
	for _, cr := range res.Create {
		c.next++
		name := fmt.Sprintf("%s%c", cr.GenerateName, 'a'+c.next-1)
		// The finalizers come from the creation: without them the
		// pod's completion would never be counted.
		c.pods = append(c.pods, job.Pod{Name: name, UID: name, Phase: job.PodRunning, NodeName: "node-1",
			CreationTimestamp: c.now, Annotations: cr.Annotations, Finalizers: cr.Finalizers})
	}
	c.status = res.Status
	return res, nil
}

// settle lets finished or deleted pods without a finalizer disappear.
func (c *jobCluster) settle() {
	kept := c.pods[:0]
	for _, p := range c.pods {
		gone := len(p.Finalizers) == 0 && (!p.DeletionTimestamp.IsZero() || p.Phase == job.PodSucceeded || p.Phase == job.PodFailed)
		if !gone {
			kept = append(kept, p)
		}
	}
	c.pods = kept
}

func (c *jobCluster) line(w io.Writer, t0 time.Time, res job.Result) {
	var acts []string
	if n := len(res.Create); n > 0 {
		acts = append(acts, fmt.Sprintf("start %d", n))
	}
	for _, d := range res.Delete {
		acts = append(acts, fmt.Sprintf("stop %s (%s)", d.Name, d.Reason))
	}
	var conds []string
	for _, cd := range res.Status.Conditions {
		conds = append(conds, fmt.Sprintf("%s/%s", cd.Type, cd.Reason))
	}
	if len(acts) == 0 {
		acts = []string{"-"}
	}
	fmt.Fprintf(w, "  t=%-4s %-44s active %d, succeeded %d, failed %d, terminating %d  %s\n",
		c.now.Sub(t0), strings.Join(acts, ", "), res.Status.Active, res.Status.Succeeded,
		res.Status.Failed, res.Status.Terminating, strings.Join(conds, " "))
}

func jobChapter(w io.Writer) error {
	t0 := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	six, two, thirty, sixty := int32(6), int32(2), int64(30), int32(60)
	template := job.PodTemplate{RestartPolicy: job.RestartNever, Containers: []string{"worker"}}

	fmt.Fprintln(w, "6 completions, 2 at a time, ttlSecondsAfterFinished 60; every pod succeeds after 10s:")
	c := &jobCluster{now: t0, j: job.Job{Name: "render", Namespace: "batch", Spec: job.Spec{
		Completions: &six, Parallelism: &two, TTLSecondsAfterFinished: &sixty, Template: template}}}
	var res job.Result
	for step := 0; step < 10; step++ {
		var err error
		if res, err = c.pass(); err != nil {
			return err
		}
		c.line(w, t0, res)
		if res.DeleteJob != nil || !res.Status.CompletionTime.IsZero() {
			break
		}
		c.now = c.now.Add(10 * time.Second)
		c.settle()
		for i := range c.pods {
			if c.pods[i].Phase == job.PodRunning {
				c.pods[i].Phase = job.PodSucceeded
			}
		}
	}
	fmt.Fprintf(w, "  finished at t=%s; the TTL controller asks again at t=%s\n",
		res.Status.CompletionTime.Sub(t0), res.RequeueAt.Sub(t0))
	c.now = res.RequeueAt
	if res, err := c.pass(); err != nil {
		return err
	} else if res.DeleteJob != nil {
		fmt.Fprintf(w, "  t=%s delete the Job: %s\n", c.now.Sub(t0), res.DeleteJob.Message)
	}

	fmt.Fprintln(w, "\nThe same Job with activeDeadlineSeconds 30, and pods that never finish:")
	c = &jobCluster{now: t0, j: job.Job{Name: "render", Namespace: "batch", Spec: job.Spec{
		Completions: &six, Parallelism: &two, ActiveDeadlineSeconds: &thirty, Template: template}}}
	for step := 0; step < 4; step++ {
		res, err := c.pass()
		if err != nil {
			return err
		}
		c.line(w, t0, res)
		if res.Status.Conditions != nil && res.Status.Terminating == 0 {
			break
		}
		switch {
		case !res.RequeueAt.IsZero():
			fmt.Fprintf(w, "         (the deadline wakes the controller at t=%s)\n", res.RequeueAt.Sub(t0))
			c.now = res.RequeueAt
		default:
			c.now = c.now.Add(5 * time.Second)
			c.settle()
		}
	}
	return nil
}
