package main

import (
	"fmt"
	"io"

	batchv1 "k8s.io/api/batch/v1"

	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/manifest"
	"github.com/purectl/purectl/job"
)

func init() { reporters["Job"] = reportJob }

func reportJob(c *cluster, o manifest.Object, w io.Writer, rep *report) error {
	k := o.Obj.(*batchv1.Job)
	if k.Namespace == "" {
		k = k.DeepCopy()
		k.Namespace = "default"
	}
	j, st := adapt.Job(k)
	var pods []job.Pod
	for _, p := range c.pods {
		if namespaceOf(p.Namespace) == k.Namespace && isOwnedBy(p.OwnerReferences, "Job", k.Name) {
			pods = append(pods, adapt.JobPod(p))
		}
	}
	res, err := job.JobProgress(j, st, pods, c.now, job.Options{})
	if err != nil {
		return err
	}
	r := rep.add("Job", k.Namespace, k.Name)
	r.requeue(res.RequeueAt)
	for _, e := range res.Warnings {
		r.warn(e)
	}
	fmt.Fprintf(w, "job.batch/%s in %s: %d pods observed\n\n", k.Name, k.Namespace, len(pods))
	if len(res.Warnings) > 0 {
		fmt.Fprintln(w, "The API server would reject this Job; the controller acts on it all the same:")
		for _, e := range res.Warnings {
			fmt.Fprintf(w, "  %s\n", e)
		}
		fmt.Fprintln(w)
	}
	if res.Skipped == job.ReasonManagedByOther {
		fmt.Fprintf(w, "spec.managedBy is %q: the Job controller leaves this Job alone.\n", j.Spec.ManagedBy)
	}
	if len(res.Create)+len(res.Delete)+len(res.RemoveFinalizers) == 0 {
		fmt.Fprintln(w, "No pod to create or delete.")
	} else {
		fmt.Fprintln(w, "ACTION\tPOD\tINDEX\tREASON\tMESSAGE")
		for _, cr := range res.Create {
			idx := "-"
			if cr.Index >= 0 {
				idx = fmt.Sprint(cr.Index)
			}
			fmt.Fprintf(w, "create\t%s<random>\t%s\t%s\t%s\n", cr.GenerateName, idx, cr.Reason, cr.Message)
			r.act("create", "pod/"+cr.GenerateName, cr.Reason, cr.Message)
		}
		for _, d := range res.Delete {
			fmt.Fprintf(w, "delete\t%s\t-\t%s\t%s\n", d.Name, d.Reason, d.Message)
			r.act("delete", "pod/"+d.Name, d.Reason, d.Message)
		}
		for _, f := range res.RemoveFinalizers {
			fmt.Fprintf(w, "release\t%s\t-\t%s\t%s\n", f.Name, f.Reason, f.Message)
			r.act("release", "pod/"+f.Name, f.Reason, f.Message)
		}
	}
	s := res.Status
	r.Status = adapt.JobStatus(s)
	fmt.Fprintf(w, "\nStatus after this pass: active %d, succeeded %d, failed %d", s.Active, s.Succeeded, s.Failed)
	if s.CompletedIndexes != "" {
		fmt.Fprintf(w, ", completed indexes %s", s.CompletedIndexes)
	}
	fmt.Fprintln(w)
	for _, cond := range s.Conditions {
		fmt.Fprintf(w, "Condition %s=%s (%s): %s\n", cond.Type, cond.Status, cond.Reason, cond.Message)
	}
	for _, e := range res.Events {
		if e.Type == job.EventWarning {
			fmt.Fprintf(w, "Warning %s: %s\n", e.Reason, e.Message)
		}
	}
	if res.DeleteJob != nil {
		fmt.Fprintf(w, "Delete the Job: %s\n", res.DeleteJob.Message)
		r.act("delete", "job/"+k.Name, res.DeleteJob.Reason, res.DeleteJob.Message)
	}
	if !res.RequeueAt.IsZero() {
		fmt.Fprintf(w, "Ask again at %s.\n", res.RequeueAt.Format("2006-01-02T15:04:05Z07:00"))
	}
	return nil
}
