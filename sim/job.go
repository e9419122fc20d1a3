package sim

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/purectl/purectl/job"
)

// Job is a Job in the world: the object and its status, which each pass
// replaces with the status JobProgress computed.
type Job struct {
	job.Job
	Status job.Status
	// Owner is the UID of the CronJob that created it; empty otherwise.
	Owner string
	// Options are passed to every JobProgress call (the Release to
	// follow; Default follows the same release).
	Options job.Options
	// UID identifies the Job; the world assigns one when it is empty.
	UID     string
	Created time.Time
	requeue time.Time
}

// JobState is a Job as the world sees it after a pass.
type JobState struct {
	Name string
	// Running is the Job's pods that are Pending or Running and not being
	// deleted; Succeeded and Failed count its finished pods.
	Running, Succeeded, Failed int
	// Finished is a Complete or Failed condition being True with nothing
	// left to do (no TTL still running); Condition is its type and Reason
	// its reason.
	Finished  bool
	Condition job.ConditionType
	Reason    job.Reason
}

// jobPods is the Job's pods as its controller sees them, and whether one
// it created is not seen yet (Faults.Lag): the controller's expectations
// are then unmet.
func (w *World) jobPods(j *Job) (pods []job.Pod, unseen bool) {
	containers := j.Spec.Template.Containers
	for i := range w.Pods {
		p := &w.Pods[i]
		if p.Owner != j.UID || p.Namespace != j.Namespace {
			continue
		}
		if w.hidden(p) {
			unseen = true
			continue
		}
		jp := job.Pod{Name: p.Name, UID: p.UID, Annotations: p.Annotations, Finalizers: p.Finalizers,
			CreationTimestamp: p.Created, DeletionTimestamp: p.Deleted, NodeName: p.Node, Phase: job.PodPhase(p.Phase)}
		if p.Ready {
			jp.Conditions = []job.PodCondition{{Type: job.PodReady, Status: job.ConditionTrue, LastTransitionTime: p.ReadySince}}
		}
		for k, name := range containers {
			cs := job.ContainerStatus{Name: name}
			if k == 0 {
				cs.RestartCount = p.Restarts
				if !p.Finished.IsZero() {
					cs.Terminated = &job.ContainerTerminated{ExitCode: p.ExitCode, FinishedAt: p.Finished}
				}
			}
			jp.ContainerStatuses = append(jp.ContainerStatuses, cs)
		}
		pods = append(pods, jp)
	}
	return pods, unseen
}

// stepJob runs one pass for Job i and reports whether the pass deleted it
// (its TTL after finishing ran out).
func (w *World) stepJob(i int, pass *Pass) (bool, error) {
	j := &w.Jobs[i]
	if j.UID == "" {
		j.UID = j.Job.UID // the embedded job.Job's, when only that is set
	}
	if j.UID == "" {
		j.UID = w.nextName("job-uid-")
	}
	if j.Created.IsZero() {
		j.Created = w.Now
	}
	// The world's identity for the Job is what the controller sees (its
	// created pods' owner reference names the UID).
	obj := j.Job
	obj.UID, obj.CreationTimestamp = j.UID, j.Created
	pods, unseen := w.jobPods(j)
	obj.OperationsPending = obj.OperationsPending || unseen
	res, err := job.JobProgress(job.Default(obj, j.Options.Release), j.Status, pods, w.Now, j.Options) // stored defaulted, as batch/v1 does
	if err != nil {
		return false, fmt.Errorf("job %s/%s: %w", j.Namespace, j.Name, err)
	}
	object := "job/" + j.Namespace + "/" + j.Name
	for _, d := range res.Delete {
		lost := w.lose(object, "delete", d.Name)
		if !lost {
			w.deletePod(j.Namespace, d.Name)
			if d.RemoveFinalizer {
				w.removeFinalizer(j.Namespace, d.Name)
			}
		}
		pass.Actions = append(pass.Actions, Action{Object: object, Verb: "delete", Target: d.Name, Reason: string(d.Reason), Message: d.Message, Lost: lost})
	}
	// The status is written the way syncJob writes it: the one before
	// removals first, and the final one only once every removal went
	// through. A lost removal keeps the first (or, without one, the
	// status as it was), so the pod is counted once, on a later pass.
	removalLost := false
	for _, r := range res.RemoveFinalizers {
		lost := w.lose(object, "release", r.Name)
		if lost {
			removalLost = true
		} else {
			w.removeFinalizer(j.Namespace, r.Name)
		}
		pass.Actions = append(pass.Actions, Action{Object: object, Verb: "release", Target: r.Name, Reason: string(r.Reason), Message: r.Message, Lost: lost})
	}
	for _, c := range res.Create {
		if w.lose(object, "create", c.GenerateName) {
			pass.Actions = append(pass.Actions, Action{Object: object, Verb: "create", Target: c.GenerateName, Reason: string(c.Reason), Message: c.Message, Lost: true})
			continue
		}
		attempt := 0
		for k := range w.Pods {
			if p := &w.Pods[k]; p.Owner == j.UID && p.Index == c.Index {
				attempt++
			}
		}
		name := w.nextName(c.GenerateName)
		w.Pods = append(w.Pods, Pod{Name: name, Namespace: j.Namespace, UID: "uid-" + name,
			Annotations: maps.Clone(c.Annotations), Finalizers: []string{job.TrackingFinalizer},
			Owner: j.UID, Kind: KindJob, Index: c.Index, Attempt: attempt, Phase: Pending, Created: w.Now, visibleAt: w.lag(object, c.GenerateName),
			restartOnFailure: j.Spec.Template.RestartPolicy == job.RestartOnFailure})
		target := name
		if j.Spec.CompletionMode == job.Indexed {
			target += " (index " + strconv.Itoa(c.Index) + ")"
		}
		pass.Actions = append(pass.Actions, Action{Object: object, Verb: "create", Target: target, Reason: string(c.Reason), Message: c.Message})
	}
	for _, e := range res.Events {
		pass.Actions = append(pass.Actions, Action{Object: object, Verb: "event", Target: string(e.Type), Reason: string(e.Reason), Message: e.Message})
	}
	switch {
	case !removalLost:
		j.Status = res.Status
	case res.StatusBeforeRemovals != nil:
		j.Status = *res.StatusBeforeRemovals
	}
	j.requeue = res.RequeueAt
	if res.DeleteJob != nil {
		pass.Actions = append(pass.Actions, Action{Object: object, Verb: "delete", Target: j.Name, Reason: string(res.DeleteJob.Reason), Message: res.DeleteJob.Message})
		pass.Jobs = append(pass.Jobs, w.jobState(j))
		w.removeJob(i)
		return true, nil
	}
	pass.Jobs = append(pass.Jobs, w.jobState(j))
	return false, nil
}

func (w *World) removeFinalizer(ns, name string) {
	if k := w.find(ns, name); k >= 0 {
		w.Pods[k].Finalizers = slices.DeleteFunc(slices.Clone(w.Pods[k].Finalizers), func(f string) bool { return f == job.TrackingFinalizer })
	}
}

// removeJob deletes Job i and, as garbage collection does, its pods.
func (w *World) removeJob(i int) {
	uid := w.Jobs[i].UID
	w.Pods = slices.DeleteFunc(w.Pods, func(p Pod) bool { return p.Owner == uid })
	w.Jobs = slices.Delete(w.Jobs, i, i+1)
}

// jobState measures a Job from the world's pods; only the condition comes
// from the status the controller wrote.
func (w *World) jobState(j *Job) JobState {
	st := JobState{Name: j.Name}
	for k := range w.Pods {
		p := &w.Pods[k]
		if p.Owner != j.UID {
			continue
		}
		switch {
		case p.Phase == Succeeded:
			st.Succeeded++
		case p.Phase == Failed:
			st.Failed++
		case p.Deleted.IsZero():
			st.Running++
		}
	}
	for _, c := range j.Status.Conditions {
		if (c.Type == job.ConditionComplete || c.Type == job.ConditionFailed) && c.Status == job.ConditionTrue {
			st.Finished, st.Condition, st.Reason = j.requeue.IsZero(), c.Type, c.Reason
		}
	}
	return st
}
