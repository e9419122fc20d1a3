package main

import (
	"fmt"
	"io"
	"time"

	batchv1 "k8s.io/api/batch/v1"

	"github.com/purectl/purectl/cronjob"
	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/manifest"
)

func init() { reporters["CronJob"] = reportCronJob }

func reportCronJob(c *cluster, o manifest.Object, w io.Writer, rep *report) error {
	k := o.Obj.(*batchv1.CronJob)
	if k.Namespace == "" || k.CreationTimestamp.IsZero() {
		k = k.DeepCopy()
		if k.Namespace == "" {
			k.Namespace = "default"
		}
		if k.CreationTimestamp.IsZero() {
			// A manifest not yet applied: created when --created says, by
			// default now, so that a fresh CronJob has missed nothing.
			k.CreationTimestamp.Time = c.created
		}
	}
	assumed := o.Obj.(*batchv1.CronJob).CreationTimestamp.IsZero()
	var jobs []cronjob.Job
	for _, obj := range c.all() {
		if j, ok := obj.Obj.(*batchv1.Job); ok && namespaceOf(j.Namespace) == k.Namespace && isOwnedBy(j.OwnerReferences, "CronJob", k.Name) {
			jobs = append(jobs, adapt.CronJobJob(j))
		}
	}
	// The API server defaults what a manifest leaves out (history limits,
	// concurrencyPolicy) before the controller sees it.
	res, err := cronjob.CronDue(cronjob.Default(adapt.CronJob(k), cronjob.Release{}), jobs, c.now, cronjob.Options{Zone: time.UTC, Exact: true})
	if err != nil {
		return err
	}
	out := rep.add("CronJob", k.Namespace, k.Name)
	out.requeue(res.RequeueAt)
	out.Status = adapt.CronJobStatus(res.Status)
	if res.Create == nil && len(res.Deletions) == 0 {
		out.Waiting = string(res.Outcome) + ": " + res.Message
	}
	for _, e := range res.Warnings {
		out.warn(e)
	}
	fmt.Fprintf(w, "cronjob.batch/%s in %s: schedule %q, %d jobs observed\n", k.Name, k.Namespace, k.Spec.Schedule, len(jobs))
	if assumed {
		fmt.Fprintf(w, "The manifest has no creationTimestamp: assumed created at %s (set it with --created).\n", k.CreationTimestamp.Format(time.RFC3339))
	}
	fmt.Fprintln(w)
	r := res.Runs
	fmt.Fprintf(w, "Runs since %s: %d due (Kubernetes estimates %d)", r.Since.Format(time.RFC3339), r.Due, r.Estimated)
	if !r.Latest.IsZero() {
		fmt.Fprintf(w, ", latest %s", r.Latest.Format(time.RFC3339))
	}
	fmt.Fprintf(w, "\nDecision: %s: %s\n", res.Outcome, res.Message)
	for _, e := range res.Warnings {
		fmt.Fprintf(w, "Warning: the API server would reject %s\n", e)
	}
	if res.Create != nil || len(res.Deletions) > 0 {
		fmt.Fprintln(w, "\nACTION\tJOB\tREASON\tMESSAGE")
		if cr := res.Create; cr != nil {
			j := adapt.CronJobJobFor(k, cr)
			fmt.Fprintf(w, "create\t%s\t%s\t%s\n", j.Name, cr.Reason, cr.Message)
			out.act("create", "job/"+j.Name, cr.Reason, cr.Message)
		}
		for _, d := range res.Deletions {
			fmt.Fprintf(w, "delete\t%s\t%s\t%s\n", d.Name, d.Reason, d.Message)
			out.act("delete", "job/"+d.Name, d.Reason, d.Message)
		}
	}
	if !res.RequeueAt.IsZero() {
		fmt.Fprintf(w, "\nAsk again at %s.\n", res.RequeueAt.Format(time.RFC3339))
	}
	return nil
}
