package job

import (
	"fmt"
	"time"
)

var base = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

func at(sec int) time.Time { return base.Add(time.Duration(sec) * time.Second) }

func p32(v int32) *int32    { return &v }
func p64(v int64) *int64    { return &v }
func pstr(s string) *string { return &s }

// mkJob is a valid NonIndexed Job; opts adjust it.
func mkJob(opts ...func(*Job)) Job {
	j := Job{Name: "work", Namespace: "ns", Spec: Spec{
		Template: PodTemplate{RestartPolicy: RestartNever, Containers: []string{"main"}},
	}}
	for _, o := range opts {
		o(&j)
	}
	return j
}

func completions(c int32) func(*Job) { return func(j *Job) { j.Spec.Completions = p32(c) } }
func parallelism(p int32) func(*Job) { return func(j *Job) { j.Spec.Parallelism = p32(p) } }
func indexed(j *Job)                 { j.Spec.CompletionMode = Indexed }
func suspended(j *Job)               { j.Spec.Suspend = true }
func backoffLimit(b int32) func(*Job) {
	return func(j *Job) { j.Spec.BackoffLimit = p32(b) }
}
func perIndex(b int32) func(*Job) {
	return func(j *Job) { j.Spec.BackoffLimitPerIndex = p32(b) }
}
func deadline(s int64) func(*Job) { return func(j *Job) { j.Spec.ActiveDeadlineSeconds = p64(s) } }
func pfp(rules ...PodFailurePolicyRule) func(*Job) {
	return func(j *Job) { j.Spec.PodFailurePolicy = &PodFailurePolicy{Rules: rules} }
}

// pod is a tracked pod created at creation seconds after base.
func pod(name string, phase PodPhase, created int, opts ...func(*Pod)) Pod {
	p := Pod{Name: name, UID: "uid-" + name, Phase: phase, CreationTimestamp: at(created),
		Finalizers: []string{TrackingFinalizer}, NodeName: "node"}
	for _, o := range opts {
		o(&p)
	}
	return p
}

func idx(i int) func(*Pod) {
	return func(p *Pod) {
		if p.Annotations == nil {
			p.Annotations = map[string]string{}
		}
		p.Annotations[AnnotationCompletionIndex] = fmt.Sprint(i)
	}
}
func failCount(n int) func(*Pod) {
	return func(p *Pod) {
		if p.Annotations == nil {
			p.Annotations = map[string]string{}
		}
		p.Annotations[AnnotationIndexFailureCount] = fmt.Sprint(n)
	}
}
func untracked(p *Pod)            { p.Finalizers = nil }
func deleting(sec int) func(*Pod) { return func(p *Pod) { p.DeletionTimestamp = at(sec) } }
func ready(sec int) func(*Pod) {
	return func(p *Pod) {
		p.Conditions = append(p.Conditions, PodCondition{Type: PodReady, Status: ConditionTrue, LastTransitionTime: at(sec)})
	}
}
func exited(container string, code int32, sec int) func(*Pod) {
	return func(p *Pod) {
		p.ContainerStatuses = append(p.ContainerStatuses, ContainerStatus{Name: container,
			Terminated: &ContainerTerminated{ExitCode: code, FinishedAt: at(sec)}})
	}
}
func condition(t string, s ConditionStatus) func(*Pod) {
	return func(p *Pod) { p.Conditions = append(p.Conditions, PodCondition{Type: t, Status: s}) }
}
func restarts(n int32) func(*Pod) {
	return func(p *Pod) {
		p.ContainerStatuses = append(p.ContainerStatuses, ContainerStatus{Name: "main", RestartCount: n})
	}
}

func names[T any](xs []T, name func(T) string) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, name(x))
	}
	return out
}

func deletedNames(r Result) []string {
	return names(r.Delete, func(d PodDeletion) string { return d.Name })
}
func createdIndexes(r Result) []int {
	out := []int{}
	for _, c := range r.Create {
		out = append(out, c.Index)
	}
	return out
}
func condSummary(cs []Condition) []string {
	return names(cs, func(c Condition) string { return fmt.Sprintf("%s=%s/%s", c.Type, c.Status, c.Reason) })
}
