package job_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/purectl/purectl/job"
)

func i32(v int32) *int32 { return &v }
func i64(v int64) *int64 { return &v }

var t0 = time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)

// A Job of 6 completions running 2 pods at a time, with a 30 s deadline.
func ExampleJobProgress() {
	j := job.Job{Name: "pi", Namespace: "default", Spec: job.Spec{
		Completions: i32(6), Parallelism: i32(2), ActiveDeadlineSeconds: i64(30),
		Template: job.PodTemplate{RestartPolicy: job.RestartNever, Containers: []string{"pi"}},
	}}
	res, err := job.JobProgress(j, job.Status{}, nil, t0, job.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("create %d pods (%s), active %d, ask again at +%s\n",
		len(res.Create), res.Create[0].Reason, res.Status.Active, res.RequeueAt.Sub(t0))

	// Both pods still run when the deadline passes.
	pods := []job.Pod{
		{Name: "pi-a", UID: "a", Phase: job.PodRunning, Finalizers: []string{job.TrackingFinalizer}, CreationTimestamp: t0},
		{Name: "pi-b", UID: "b", Phase: job.PodRunning, Finalizers: []string{job.TrackingFinalizer}, CreationTimestamp: t0},
	}
	res, _ = job.JobProgress(j, res.Status, pods, t0.Add(30*time.Second), job.Options{})
	for _, d := range res.Delete {
		fmt.Println("delete", d.Name, d.Reason)
	}
	for _, c := range res.Status.Conditions {
		fmt.Println(c.Type, c.Reason, c.Message)
	}
	fmt.Println("failed", res.Status.Failed, "terminating", res.Status.Terminating)
	// Output:
	// create 2 pods (StartPods), active 2, ask again at +30s
	// delete pi-a JobFinishing
	// delete pi-b JobFinishing
	// FailureTarget DeadlineExceeded Job was active longer than specified deadline
	// failed 2 terminating 2
}

// An Indexed Job whose pod failure policy fails the Job on exit code 42 and
// ignores disruptions.
func ExampleJobProgress_indexedPodFailurePolicy() {
	j := job.Job{Name: "sim", Namespace: "ml", Spec: job.Spec{
		Completions: i32(4), Parallelism: i32(2), CompletionMode: job.Indexed,
		Template: job.PodTemplate{RestartPolicy: job.RestartNever, Containers: []string{"main"}},
		PodFailurePolicy: &job.PodFailurePolicy{Rules: []job.PodFailurePolicyRule{
			{Action: job.ActionFailJob, OnExitCodes: &job.OnExitCodes{ContainerName: "main", Operator: job.OpIn, Values: []int32{42}}},
			{Action: job.ActionIgnore, OnPodConditions: []job.OnPodCondition{{Type: job.PodDisruptionTarget}}},
		}},
	}}
	pod := func(name string, ix string, phase job.PodPhase) job.Pod {
		return job.Pod{Name: name, UID: name, Phase: phase, CreationTimestamp: t0,
			Annotations: map[string]string{job.AnnotationCompletionIndex: ix},
			Finalizers:  []string{job.TrackingFinalizer}}
	}
	// Index 0 succeeded, index 1 was evicted (ignored), index 2 still runs.
	evicted := pod("sim-1-x", "1", job.PodFailed)
	evicted.Conditions = []job.PodCondition{{Type: job.PodDisruptionTarget, Status: job.ConditionTrue}}
	pods := []job.Pod{pod("sim-0-x", "0", job.PodSucceeded), evicted, pod("sim-2-x", "2", job.PodRunning)}
	res, _ := job.JobProgress(j, job.Status{StartTime: t0}, pods, t0.Add(time.Minute), job.Options{})
	for _, c := range res.Create {
		fmt.Println("create", c.GenerateName, "hostname", c.Hostname)
	}
	for _, r := range res.RemoveFinalizers {
		fmt.Println("release", r.Name, "counted as", r.CountedAs)
	}
	fmt.Printf("completed %q failed %d\n", res.Status.CompletedIndexes, res.Status.Failed)

	// Index 2 exits with 42: the Job fails.
	failed := pod("sim-2-x", "2", job.PodFailed)
	failed.ContainerStatuses = []job.ContainerStatus{{Name: "main", Terminated: &job.ContainerTerminated{ExitCode: 42, FinishedAt: t0.Add(2 * time.Minute)}}}
	pods = []job.Pod{failed, pod("sim-1-y", "1", job.PodRunning)}
	res, _ = job.JobProgress(j, res.Status, pods, t0.Add(2*time.Minute), job.Options{})
	for _, c := range res.Status.Conditions {
		fmt.Println(c.Type, c.Reason+":", c.Message)
	}
	// Output:
	// create sim-1- hostname sim-1
	// release sim-0-x counted as Succeeded
	// release sim-1-x counted as Ignored
	// completed "0" failed 0
	// FailureTarget PodFailurePolicy: Container main for pod ml/sim-2-x failed with exit code 42 matching FailJob rule at index 0
}

// Validation names the API fields, as the API server does.
func ExampleValidate() {
	err := job.Validate(job.Job{Name: "bad", Spec: job.Spec{
		CompletionMode: job.Indexed, Parallelism: i32(3),
		Template: job.PodTemplate{RestartPolicy: job.RestartAlways},
	}}, job.Release{})
	var all *job.FieldErrors
	if errors.As(err, &all) {
		for _, e := range all.Unwrap() {
			fmt.Println(e)
		}
	}
	// Output:
	// spec.completions: Required value: when completion mode is Indexed
	// spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"
}

// The pod-failure back-off doubles from 10 s up to 10 minutes.
func ExampleBackoffDelay() {
	for _, n := range []int64{1, 2, 3, 6, 7, 8} {
		fmt.Print(job.BackoffDelay(n), " ")
	}
	fmt.Println()
	// Output:
	// 10s 20s 40s 5m20s 10m0s 10m0s
}

// Default fills in what the API server would: here parallelism and
// completions 1, backoffLimit 6, NonIndexed, and podReplacementPolicy
// TerminatingOrFailed.
func ExampleDefault() {
	j := job.Default(job.Job{Name: "pi", Spec: job.Spec{Template: job.PodTemplate{RestartPolicy: job.RestartNever}}}, job.Release{})
	s := j.Spec
	fmt.Println(*s.Parallelism, *s.Completions, *s.BackoffLimit, s.CompletionMode, s.PodReplacementPolicy)
	// Output:
	// 1 1 6 NonIndexed TerminatingOrFailed
}

// A Job the API server would reject (restartPolicy Always, stored before
// validation tightened) still runs as the controller runs it; the result
// says what validation would reject.
func ExampleJobProgress_warnings() {
	j := job.Job{Name: "legacy", Namespace: "default", Spec: job.Spec{
		Template: job.PodTemplate{RestartPolicy: job.RestartAlways, Containers: []string{"main"}},
	}}
	res, err := job.JobProgress(j, job.Status{}, nil, t0, job.Options{})
	fmt.Println("error:", err, "creates:", len(res.Create))
	for _, w := range res.Warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// error: <nil> creates: 1
	// warning: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"
}

// A creation carries everything the controller puts on the pod. Copy all of
// it: a pod created without its finalizer is never counted, and the next
// pass says so.
func ExampleJobProgress_podCreation() {
	j := job.Job{Name: "sim", Namespace: "ml", UID: "0b6c", Spec: job.Spec{
		Completions: i32(2), Parallelism: i32(1), CompletionMode: job.Indexed,
		Template: job.PodTemplate{RestartPolicy: job.RestartNever, Containers: []string{"main"}},
	}}
	res, _ := job.JobProgress(j, job.Status{}, nil, t0, job.Options{})
	c := res.Create[0]
	fmt.Println(c.GenerateName, c.Hostname, c.Labels, c.Annotations)
	fmt.Println(c.Finalizers, c.Owner.Kind, c.Owner.Name, c.Owner.UID, c.Owner.Controller)
	fmt.Println(c.Env[0].Name, "from", c.Env[0].FieldPath)

	// The caller forgot the finalizer.
	pod := job.Pod{Name: "sim-0-abcde", UID: "p0", Phase: job.PodRunning, CreationTimestamp: t0, Annotations: c.Annotations}
	res, _ = job.JobProgress(j, res.Status, []job.Pod{pod}, t0.Add(time.Second), job.Options{})
	for _, e := range res.Events {
		fmt.Println(e.Type, e.Reason)
	}
	// Output:
	// sim-0- sim-0 map[batch.kubernetes.io/job-completion-index:0] map[batch.kubernetes.io/job-completion-index:0]
	// [batch.kubernetes.io/job-tracking] Job sim 0b6c true
	// JOB_COMPLETION_INDEX from metadata.labels['batch.kubernetes.io/job-completion-index']
	// Warning TrackingFinalizerMissing
}

// Suspending a running Job stops its pods in every release; from 1.36
// (MutableSchedulingDirectivesForSuspendedJobs on) the controller also
// clears the start time, so the Job counts as never started and its
// scheduling directives may be changed before it resumes.
func ExampleJobProgress_releases() {
	j := job.Job{Name: "train", Namespace: "ml", Spec: job.Spec{
		Completions: i32(2), Parallelism: i32(2), Suspend: true,
		Template: job.PodTemplate{RestartPolicy: job.RestartNever, Containers: []string{"train"}},
	}}
	running := []job.Pod{
		{Name: "train-a", UID: "a", Phase: job.PodRunning, Finalizers: []string{job.TrackingFinalizer}, CreationTimestamp: t0},
		{Name: "train-b", UID: "b", Phase: job.PodRunning, Finalizers: []string{job.TrackingFinalizer}, CreationTimestamp: t0},
	}
	st := job.Status{StartTime: t0, Active: 2}
	for _, v := range []string{"1.34", "1.35", "1.36", "1.37"} {
		res, err := job.JobProgress(j, st, running, t0.Add(time.Minute), job.Options{Release: job.Release{Version: v}})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: delete %d pods, start time kept: %v\n", v, len(res.Delete), !res.Status.StartTime.IsZero())
	}
	// Output:
	// 1.34: delete 2 pods, start time kept: true
	// 1.35: delete 2 pods, start time kept: true
	// 1.36: delete 2 pods, start time kept: false
	// 1.37: delete 2 pods, start time kept: false
}

// Whether a suspended Job's pod template may be edited depends on the
// release: from 1.36 a Job paused after running (Suspended condition
// True, no active pods) may get new scheduling directives and resources;
// before, only a Job that never started may change its scheduling
// directives.
func ExampleMutableTemplate() {
	j := job.Job{Name: "train", Namespace: "ml", Spec: job.Spec{Suspend: true,
		Template: job.PodTemplate{RestartPolicy: job.RestartNever, Containers: []string{"train"}}}}
	paused := job.Status{StartTime: t0, Conditions: []job.Condition{{Type: job.ConditionSuspended,
		Status: job.ConditionTrue, Reason: job.ReasonJobSuspended}}}
	for _, v := range []string{"1.34", "1.35", "1.36", "1.37"} {
		m, err := job.MutableTemplate(j, paused, job.Release{Version: v})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: scheduling directives %v, resources %v\n", v, m.SchedulingDirectives, m.PodResources)
	}
	// Output:
	// 1.34: scheduling directives false, resources false
	// 1.35: scheduling directives false, resources false
	// 1.36: scheduling directives true, resources true
	// 1.37: scheduling directives true, resources true
}

// An update may change an Indexed Job's completions only together with its
// parallelism.
func ExampleValidateUpdate() {
	old := job.Job{Name: "shards", Spec: job.Spec{CompletionMode: job.Indexed, Completions: i32(4), Parallelism: i32(4),
		Template: job.PodTemplate{RestartPolicy: job.RestartNever, Containers: []string{"w"}}}}
	grown := old
	grown.Spec.Completions = i32(8)
	fmt.Println(job.ValidateUpdate(old, grown, job.Release{}))
	grown.Spec.Parallelism = i32(8)
	fmt.Println(job.ValidateUpdate(old, grown, job.Release{}))
	// Output:
	// spec.completions: Invalid value: 8: can only be modified in tandem with spec.parallelism
	// <nil>
}

// The order of a pass's writes when it counts a finished pod: the status
// before removals, the finalizer removals, then the final status. Here the
// removal fails, so only the first write is kept, and the next pass counts
// the pod once.
func ExampleResult_statusBeforeRemovals() {
	j := job.Job{Name: "pi", Namespace: "default", UID: "job-uid", Spec: job.Spec{
		Completions: i32(2), Parallelism: i32(2),
		Template: job.PodTemplate{RestartPolicy: job.RestartNever, Containers: []string{"pi"}}}}
	done := job.Pod{Name: "pi-a", UID: "uid-a", Phase: job.PodSucceeded, Finalizers: []string{job.TrackingFinalizer},
		CreationTimestamp: t0, ContainerStatuses: []job.ContainerStatus{{Name: "pi", Terminated: &job.ContainerTerminated{FinishedAt: t0.Add(time.Minute)}}}}
	running := job.Pod{Name: "pi-b", UID: "uid-b", Phase: job.PodRunning, Finalizers: []string{job.TrackingFinalizer}, CreationTimestamp: t0}
	pods := []job.Pod{done, running}

	res, _ := job.JobProgress(j, job.Status{StartTime: t0, Active: 2}, pods, t0.Add(2*time.Minute), job.Options{})
	before := res.StatusBeforeRemovals
	fmt.Println("1. write: succeeded", before.Succeeded, "uncounted", before.UncountedTerminatedPods.Succeeded)
	fmt.Println("2. remove the finalizer of", res.RemoveFinalizers[0].Name)
	fmt.Println("3. write: succeeded", res.Status.Succeeded)

	// Step 2 failed: the pod keeps its finalizer and the status stays at 1.
	res, _ = job.JobProgress(j, *before, pods, t0.Add(3*time.Minute), job.Options{})
	fmt.Println("next pass: succeeded", res.Status.Succeeded, "after removing", res.RemoveFinalizers[0].Name, "again")
	// Output:
	// 1. write: succeeded 0 uncounted [uid-a]
	// 2. remove the finalizer of pi-a
	// 3. write: succeeded 1
	// next pass: succeeded 1 after removing pi-a again
}

// A caller issues a pass's pod creates in the controller's slow-start
// batches and stops after a batch with a failure; asked again with the
// failed positions, JobProgress gives the status to write.
func ExampleCreateBatches() {
	j := job.Job{Name: "render", Namespace: "default", Spec: job.Spec{
		Completions: i32(10), Parallelism: i32(10), CompletionMode: job.Indexed,
		Template: job.PodTemplate{RestartPolicy: job.RestartNever, Containers: []string{"render"}},
	}}
	res, err := job.JobProgress(j, job.Status{}, nil, t0, job.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("batches:", job.CreateBatches(len(res.Create)))
	// The API server refuses the create at position 2 (index 2, in the
	// second batch): the third and fourth batches are not sent.
	res, err = job.JobProgress(j, job.Status{}, nil, t0, job.Options{FailedCreates: []int{2}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("issued:", len(res.Create), "active:", res.Status.Active)
	// Output:
	// batches: [1 2 4 3]
	// issued: 3 active: 2
}
