package main

import (
	"fmt"
	"io"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"

	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/manifest"
	"github.com/purectl/purectl/statefulset"
)

func init() { reporters["StatefulSet"] = reportStatefulSet }

func reportStatefulSet(c *cluster, o manifest.Object, w io.Writer, rep *report) error {
	ss := o.Obj.(*appsv1.StatefulSet)
	if ss.Namespace == "" {
		ss = ss.DeepCopy()
		ss.Namespace = "default"
	}
	set := adapt.StatefulSet(ss, nil)
	if id, _ := identity(o); ss.Status.UpdateRevision != "" && !c.newTemplate[id] {
		// The cluster named the revision of this template already (the
		// pods' controller-revision-hash labels carry that name); a
		// template that differs from the observed one is a new revision.
		set.UpdateRevision = ss.Status.UpdateRevision
	}
	var pods []statefulset.Pod
	for _, p := range c.pods {
		if namespaceOf(p.Namespace) == ss.Namespace {
			pods = append(pods, adapt.StatefulPod(p))
		}
	}
	var claims []statefulset.Claim
	for _, obj := range c.all() {
		if pvc, ok := obj.Obj.(*v1.PersistentVolumeClaim); ok && namespaceOf(pvc.Namespace) == ss.Namespace {
			claims = append(claims, adapt.StatefulClaim(pvc))
		}
	}
	res, err := statefulset.NextStatefulAction(set, pods, claims, c.now, statefulset.Options{})
	if err != nil {
		return err
	}
	replicas := int32(1)
	if ss.Spec.Replicas != nil {
		replicas = *ss.Spec.Replicas
	}
	r := rep.add("StatefulSet", ss.Namespace, ss.Name)
	r.requeue(res.RequeueAt)
	if res.Blocked != nil {
		r.Waiting = "pod " + res.Blocked.Pod + ": " + res.Blocked.Message
	}
	for _, e := range res.Warnings {
		r.warn(e)
	}
	fmt.Fprintf(w, "statefulset.apps/%s in %s: %d replicas wanted, %d pods observed\n\n", ss.Name, ss.Namespace, replicas, len(pods))
	if len(res.Warnings) > 0 {
		fmt.Fprintln(w, "The API server would reject this StatefulSet; the controller acts on it all the same:")
		for _, e := range res.Warnings {
			fmt.Fprintf(w, "  %s\n", e)
		}
		fmt.Fprintln(w)
	}
	if len(res.Actions) == 0 {
		fmt.Fprintln(w, "Nothing to do.")
	} else {
		fmt.Fprintln(w, "ACTION\tOBJECT\tREASON\tMESSAGE")
		for _, a := range res.Actions {
			obj := "pod/" + a.Pod
			switch a.Type {
			case statefulset.CreateClaim:
				pvc := adapt.StatefulClaimFor(ss, a)
				obj = "persistentvolumeclaim/" + pvc.Name
			case statefulset.UpdateClaim:
				obj = "persistentvolumeclaim/" + a.Claim
			case statefulset.CreatePod:
				obj = "pod/" + adapt.StatefulPodFor(ss, a).Name
			case statefulset.DeleteRevision:
				obj = "controllerrevision/" + a.Revision
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", a.Type, obj, a.Reason, a.Message)
			r.act(string(a.Type), obj, a.Reason, a.Message)
		}
	}
	for _, e := range res.Events {
		fmt.Fprintf(w, "\nWarning event %s on persistentvolumeclaim/%s: %s\n", e.Reason, e.Claim, e.Message)
	}
	if res.Blocked != nil {
		fmt.Fprintf(w, "\nWaiting on pod %s: %s (%s)\n", res.Blocked.Pod, res.Blocked.Message, res.Blocked.Reason)
	}
	s := res.Status
	r.Status = adapt.StatefulSetStatus(ss, s)
	fmt.Fprintf(w, "\nStatus after this pass: replicas %d, ready %d, available %d, current %d, updated %d\n",
		s.Replicas, s.ReadyReplicas, s.AvailableReplicas, s.CurrentReplicas, s.UpdatedReplicas)
	if !res.RequeueAt.IsZero() {
		fmt.Fprintf(w, "Ask again at %s.\n", res.RequeueAt.Format("2006-01-02T15:04:05Z07:00"))
	}
	return nil
}
