package main

import (
	"fmt"
	"io"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/manifest"
)

func init() { reporters["DaemonSet"] = reportDaemonSet }

func reportDaemonSet(c *cluster, o manifest.Object, w io.Writer, rep *report) error {
	k8sDS := o.Obj.(*appsv1.DaemonSet)
	if k8sDS.Namespace == "" {
		k8sDS = k8sDS.DeepCopy()
		k8sDS.Namespace = "default"
	}
	ds := adapt.DaemonSet(k8sDS)
	var pods []daemonset.Pod
	for _, p := range c.pods {
		if namespaceOf(p.Namespace) == k8sDS.Namespace {
			pods = append(pods, adapt.DaemonPod(p))
		}
	}
	nodes := make([]daemonset.Node, 0, len(c.nodes))
	for _, n := range c.nodes {
		nodes = append(nodes, adapt.Node(n))
	}
	// A manifest the API server would reject never reaches the controller
	// (PlanDaemonSet itself acts on such an object, with warnings).
	if err := daemonset.Validate(ds.Spec, daemonset.Release{}); err != nil {
		return err
	}
	plan, err := daemonset.PlanDaemonSet(nodes, pods, ds, c.now, daemonset.Options{})
	if err != nil {
		return err
	}
	r := rep.add("DaemonSet", k8sDS.Namespace, k8sDS.Name)
	r.requeue(plan.RequeueAt)
	for _, e := range plan.Warnings {
		r.warn(e)
	}
	if plan.Skipped != "" {
		r.Waiting = "not synced: " + plan.Skipped
		fmt.Fprintf(w, "daemonset.apps/%s in %s: not synced: %s\n", k8sDS.Name, k8sDS.Namespace, plan.Skipped)
		return nil
	}
	fmt.Fprintf(w, "daemonset.apps/%s in %s: %d nodes, %d should run a pod\n\n", k8sDS.Name, k8sDS.Namespace, len(nodes), plan.Status.DesiredNumberScheduled)
	fmt.Fprintln(w, "NODE\tDAEMON POD\tWHY")
	for _, n := range c.nodes {
		e := daemonset.ExplainNode(adapt.Node(n), ds, daemonset.Options{})
		verdict := "no"
		switch {
		case e.ShouldRun:
			verdict = "yes"
		case e.ShouldContinueRunning:
			verdict = "keeps existing"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", n.Name, verdict, e.Message)
	}
	fmt.Fprintln(w)
	if len(plan.Creates)+len(plan.Deletes) == 0 {
		fmt.Fprintln(w, "Nothing to create or delete.")
	} else {
		fmt.Fprintln(w, "ACTION\tNODE\tPOD\tREASON\tMESSAGE")
		for _, cr := range plan.Creates {
			pod := adapt.DaemonPodFor(k8sDS, &plan, cr)
			fmt.Fprintf(w, "create\t%s\t%s<random>\t%s\t%s\n", cr.Node, pod.GenerateName, cr.Reason, cr.Message)
			r.act("create", "node/"+cr.Node, cr.Reason, cr.Message)
		}
		for _, d := range plan.Deletes {
			fmt.Fprintf(w, "delete\t%s\t%s\t%s\t%s\n", d.Node, d.Pod, d.Reason, d.Message)
			r.act("delete", "pod/"+d.Pod, d.Reason, d.Message)
		}
	}
	s := adapt.DaemonSetStatus(k8sDS, plan.Status)
	r.Status = s
	fmt.Fprintf(w, "\nStatus after this pass: desired %d, current %d, ready %d, up-to-date %d, available %d, misscheduled %d\n",
		s.DesiredNumberScheduled, s.CurrentNumberScheduled, s.NumberReady, s.UpdatedNumberScheduled, s.NumberAvailable, s.NumberMisscheduled)
	if !plan.RequeueAt.IsZero() {
		fmt.Fprintf(w, "Ask again at %s.\n", plan.RequeueAt.Format("2006-01-02T15:04:05Z07:00"))
	}
	return nil
}
