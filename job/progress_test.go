package job

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func run(t *testing.T, j Job, st Status, pods []Pod, now time.Time) Result {
	t.Helper()
	return runAt(t, Release{}, j, st, pods, now)
}

// runAt is run for one release.
func runAt(t *testing.T, rel Release, j Job, st Status, pods []Pod, now time.Time) Result {
	t.Helper()
	r, err := JobProgress(j, st, pods, now, Options{Release: rel})
	require.NoError(t, err)
	return r
}

// How many pods a pass starts, by completions and parallelism.
func TestWantedActivePods(t *testing.T) {
	running := func(n int) []Pod {
		var ps []Pod
		for i := 0; i < n; i++ {
			ps = append(ps, pod(string(rune('a'+i)), PodRunning, i))
		}
		return ps
	}
	cases := []struct {
		name       string
		job        Job
		status     Status
		pods       []Pod
		wantCreate int
		wantDelete int
		wantActive int32
	}{
		{"defaults: one completion, one pod", mkJob(), Status{}, nil, 1, 0, 1},
		{"completions 6 parallelism 2 starts 2", mkJob(completions(6), parallelism(2)), Status{}, nil, 2, 0, 2},
		{"remaining completions cap parallelism", mkJob(completions(6), parallelism(2)), Status{Succeeded: 5}, nil, 1, 0, 1},
		{"parallelism 0 starts nothing", mkJob(completions(3), parallelism(0)), Status{}, nil, 0, 0, 0},
		{"parallelism 0 stops running pods", mkJob(completions(3), parallelism(0)), Status{}, running(2), 0, 2, 0},
		{"parallelism lowered deletes the excess", mkJob(completions(10), parallelism(1)), Status{}, running(3), 0, 2, 1},
		{"work queue starts parallelism pods", mkJob(parallelism(3)), Status{}, nil, 3, 0, 3},
		{"work queue starts nothing after a success", mkJob(parallelism(3)), Status{Succeeded: 1}, running(1), 0, 0, 1},
		{"tops up to parallelism", mkJob(completions(10), parallelism(4)), Status{}, running(1), 3, 0, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, c.job, c.status, c.pods, at(100))
			assert.Len(t, r.Create, c.wantCreate)
			assert.Len(t, r.Delete, c.wantDelete)
			assert.Equal(t, c.wantActive, r.Status.Active)
			for _, d := range r.Delete {
				assert.True(t, d.RemoveFinalizer, "scale-down deletions strip the finalizer first")
				assert.Equal(t, ReasonTooManyActive, d.Reason)
			}
		})
	}
}

// The least advanced pod is deleted first.
func TestDeletionOrder(t *testing.T) {
	j := mkJob(completions(10), parallelism(1))
	pods := []Pod{
		pod("running-ready-old", PodRunning, 0, ready(10)),
		pod("running-ready-new", PodRunning, 1, ready(20)),
		pod("running-notready", PodRunning, 2),
		pod("pending", PodPending, 3),
		pod("unscheduled", PodPending, 4, func(p *Pod) { p.NodeName = "" }),
		pod("unknown", PodUnknown, 5),
	}
	r := run(t, j, Status{}, pods, at(100))
	assert.Equal(t, []string{"unscheduled", "pending", "unknown", "running-notready", "running-ready-new"}, deletedNames(r))
	assert.Equal(t, int32(1), r.Status.Active)
	assert.Equal(t, int32(5), r.Status.Terminating, "deleted pods are terminating")
	assert.Equal(t, int32(1), r.Status.Ready)
}

// More restarts first, then newer first.
func TestDeletionOrderRestartsAndAge(t *testing.T) {
	j := mkJob(completions(10), parallelism(1))
	pods := []Pod{
		pod("old", PodRunning, 0),
		pod("new", PodRunning, 5),
		pod("crashy", PodRunning, 1, restarts(3)),
	}
	r := run(t, j, Status{}, pods, at(100))
	assert.Equal(t, []string{"crashy", "new"}, deletedNames(r))
}

// Completion writes SuccessCriteriaMet and Complete together when
// nothing is left running.
func TestCompletion(t *testing.T) {
	j := mkJob(completions(2), parallelism(2))
	pods := []Pod{pod("a", PodSucceeded, 0), pod("b", PodSucceeded, 1)}
	r := run(t, j, Status{StartTime: at(0)}, pods, at(50))
	assert.Equal(t, []string{"SuccessCriteriaMet=True/CompletionsReached", "Complete=True/CompletionsReached"}, condSummary(r.Status.Conditions))
	assert.Equal(t, "Reached expected number of succeeded pods", r.Status.Conditions[1].Message)
	assert.Equal(t, at(50), r.Status.CompletionTime)
	assert.Equal(t, int32(2), r.Status.Succeeded)
	assert.Len(t, r.RemoveFinalizers, 2)
	assert.Empty(t, r.Create)
	assert.Equal(t, []Event{{EventNormal, ReasonCompleted, "Job completed"}}, r.Events)

	// A finished Job stays as it is.
	again := run(t, j, r.Status, nil, at(60))
	assert.Empty(t, again.Create)
	assert.Equal(t, r.Status.Conditions, again.Status.Conditions)
}

// A work-queue Job completes when one pod succeeded and none runs.
func TestWorkQueueCompletion(t *testing.T) {
	j := mkJob(parallelism(2))
	r := run(t, j, Status{StartTime: at(0)}, []Pod{pod("a", PodSucceeded, 0), pod("b", PodRunning, 0)}, at(10))
	assert.Empty(t, condSummary(r.Status.Conditions), "b still runs")
	assert.Empty(t, r.Create)
	r = run(t, j, r.Status, []Pod{pod("b", PodFailed, 0)}, at(20))
	assert.Equal(t, []string{"SuccessCriteriaMet=True/CompletionsReached", "Complete=True/CompletionsReached"}, condSummary(r.Status.Conditions))
	assert.Equal(t, int32(1), r.Status.Failed)
}

// The deadline is reached at equality; before it the pass asks to
// be woken at startTime + activeDeadlineSeconds.
func TestActiveDeadline(t *testing.T) {
	j := mkJob(completions(4), parallelism(2), deadline(30))
	pods := []Pod{pod("a", PodRunning, 0, ready(1)), pod("b", PodRunning, 0)}
	r := run(t, j, Status{StartTime: at(0)}, pods, at(29))
	assert.Equal(t, at(30), r.RequeueAt)
	assert.Empty(t, r.Status.Conditions)

	r = run(t, j, Status{StartTime: at(0)}, pods, at(30))
	assert.Equal(t, []string{"FailureTarget=True/DeadlineExceeded"}, condSummary(r.Status.Conditions))
	assert.Equal(t, []string{"b", "a"}, deletedNames(r), "not-ready pod first")
	for _, d := range r.Delete {
		assert.False(t, d.RemoveFinalizer, "pods of a failing Job keep the finalizer to be counted")
	}
	assert.Equal(t, int32(2), r.Status.Failed, "running pods of a failing Job are counted as failed")
	assert.Equal(t, int32(2), r.Status.Terminating)
	assert.Equal(t, int32(0), r.Status.Ready)
	assert.True(t, r.RequeueAt.IsZero())

	// Once the pods are gone, the Failed condition follows.
	r = run(t, j, r.Status, nil, at(40))
	assert.Equal(t, []string{"FailureTarget=True/DeadlineExceeded", "Failed=True/DeadlineExceeded"}, condSummary(r.Status.Conditions))
	assert.True(t, r.Status.CompletionTime.IsZero(), "no completionTime on failure")
	assert.Equal(t, []Event{{EventWarning, ReasonDeadlineExceeded, "Job was active longer than specified deadline"}}, r.Events)
}

// backoffLimit before activeDeadlineSeconds ("activeDeadlineSeconds with backofflimit reach").
func TestBackoffLimitBeforeDeadline(t *testing.T) {
	j := mkJob(completions(4), backoffLimit(0), deadline(10))
	pods := []Pod{pod("a", PodFailed, 0, exited("main", 1, 5))}
	r := run(t, j, Status{StartTime: at(0)}, pods, at(100))
	assert.Equal(t, []string{"FailureTarget=True/BackoffLimitExceeded", "Failed=True/BackoffLimitExceeded"}, condSummary(r.Status.Conditions),
		"with nothing running both conditions land in one pass")
	assert.Equal(t, "Job has reached the specified backoff limit", r.Status.Conditions[1].Message)
	assert.Equal(t, int32(1), r.Status.Failed)
}

// Failed must exceed backoffLimit.
func TestBackoffLimitBoundary(t *testing.T) {
	j := mkJob(completions(4), backoffLimit(2))
	r := run(t, j, Status{StartTime: at(0), Failed: 1}, []Pod{pod("a", PodFailed, 0, exited("main", 1, 5))}, at(100))
	assert.Empty(t, r.Status.Conditions, "2 failures do not exceed a limit of 2")
	r = run(t, j, Status{StartTime: at(0), Failed: 2}, []Pod{pod("a", PodFailed, 0, exited("main", 1, 5))}, at(100))
	assert.Equal(t, []string{"FailureTarget=True/BackoffLimitExceeded", "Failed=True/BackoffLimitExceeded"}, condSummary(r.Status.Conditions))
}

// With restartPolicy OnFailure, container restarts count.
func TestOnFailureRestarts(t *testing.T) {
	onFailure := func(j *Job) { j.Spec.Template.RestartPolicy = RestartOnFailure }
	cases := []struct {
		name  string
		limit int32
		pods  []Pod
		fail  bool
	}{
		{"restarts reach the limit", 3, []Pod{pod("a", PodRunning, 0, restarts(2)), pod("b", PodPending, 0, restarts(1))}, true},
		{"restarts below the limit", 3, []Pod{pod("a", PodRunning, 0, restarts(2))}, false},
		{"limit 0: any restart", 0, []Pod{pod("a", PodRunning, 0, restarts(1))}, true},
		{"limit 0: no restart", 0, []Pod{pod("a", PodRunning, 0)}, false},
		{"succeeded pods' restarts do not count", 1, []Pod{pod("a", PodSucceeded, 0, restarts(5)), pod("b", PodRunning, 0)}, false},
		{"init container restarts count", 2, []Pod{pod("a", PodRunning, 0, func(p *Pod) {
			p.InitContainerStatuses = []ContainerStatus{{Name: "init", RestartCount: 2}}
		})}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, mkJob(completions(5), parallelism(2), onFailure, backoffLimit(c.limit)), Status{StartTime: at(0)}, c.pods, at(10))
			got := len(r.Status.Conditions) > 0 && r.Status.Conditions[0].Reason == ReasonBackoffLimitExceeded
			assert.Equal(t, c.fail, got)
		})
	}
}

// 10 s doubling, capped at 10 minutes (Kubernetes' MaxJobPodFailureBackOff).
func TestBackoffDelay(t *testing.T) {
	want := []time.Duration{0, 10, 20, 40, 80, 160, 320, 600, 600, 600}
	for n, w := range want {
		assert.Equal(t, w*time.Second, BackoffDelay(int64(n)), "n=%d", n)
	}
	assert.Equal(t, MaxBackoff, BackoffDelay(1<<40))
}

// A failure delays the replacement; the pass says when to ask again.
func TestFailureBackoffDefersReplacement(t *testing.T) {
	j := mkJob(completions(3), parallelism(2))
	pods := []Pod{pod("a", PodFailed, 0, exited("main", 1, 100)), pod("b", PodRunning, 0)}
	r := run(t, j, Status{StartTime: at(0)}, pods, at(104))
	assert.Empty(t, r.Create)
	assert.Equal(t, at(110), r.RequeueAt)
	assert.Equal(t, BackoffRecord{FailuresAfterLastSuccess: 1, LastFailureTime: at(100)}, r.Status.Backoff)
	assert.Equal(t, int32(1), r.Status.Active, "active stays the real count")

	// The failed pod is counted and released; at 110 the replacement comes.
	r = run(t, j, r.Status, []Pod{pod("b", PodRunning, 0)}, at(110))
	assert.Len(t, r.Create, 1)

	// A second failure doubles the delay.
	r2 := run(t, j, r.Status, []Pod{pod("b", PodRunning, 0), pod("c", PodFailed, 0, exited("main", 1, 200))}, at(201))
	assert.Empty(t, r2.Create)
	assert.Equal(t, at(220), r2.RequeueAt)

	// A success after the failures resets the record.
	r3 := run(t, j, r.Status, []Pod{pod("b", PodSucceeded, 0, exited("main", 0, 300)), pod("c", PodFailed, 0, exited("main", 1, 200))}, at(301))
	assert.Equal(t, BackoffRecord{}, r3.Status.Backoff)
	assert.Len(t, r3.Create, 2, "one completion done, nothing running: two to start")
}

// Failures after the latest success still count.
func TestBackoffRecordAfterSuccess(t *testing.T) {
	var pods []Pod
	mk := func(name string, phase PodPhase, fin int) *podView {
		pods = append(pods, pod(name, phase, 0, exited("main", 1, fin)))
		return &podView{at: int32(len(pods) - 1)}
	}
	succ := []*podView{mk("s", PodSucceeded, 50)}
	failed := []*podView{mk("f1", PodFailed, 40), mk("f2", PodFailed, 50), mk("f3", PodFailed, 60), mk("f4", PodFailed, 70)}
	got := updateBackoff(pods, BackoffRecord{FailuresAfterLastSuccess: 4, LastFailureTime: at(1)}, succ, failed)
	assert.Equal(t, BackoffRecord{FailuresAfterLastSuccess: 2, LastFailureTime: at(70)}, got)
}

// A pod's finish time.
func TestFinishTime(t *testing.T) {
	fin := func(sec int) *ContainerTerminated { return &ContainerTerminated{ExitCode: 1, FinishedAt: at(sec)} }
	cases := []struct {
		name string
		pod  Pod
		want time.Time
	}{
		{"latest container", Pod{ContainerStatuses: []ContainerStatus{{Terminated: fin(5)}, {Terminated: fin(9)}}}, at(9)},
		{"sidecar finishing later counts", Pod{ContainerStatuses: []ContainerStatus{{Terminated: fin(5)}},
			InitContainerStatuses: []ContainerStatus{{Sidecar: true, Terminated: fin(12)}}}, at(12)},
		{"ordinary init container ignored", Pod{ContainerStatuses: []ContainerStatus{{Terminated: fin(5)}},
			InitContainerStatuses: []ContainerStatus{{Terminated: fin(12)}}}, at(5)},
		{"unfinished container falls back to Ready=False", Pod{ContainerStatuses: []ContainerStatus{{Terminated: fin(5)}, {}},
			Conditions: []PodCondition{{Type: PodReady, Status: ConditionFalse, LastTransitionTime: at(7)}}}, at(7)},
		{"quirk: unfinished regular, finished sidecar", Pod{ContainerStatuses: []ContainerStatus{{}},
			InitContainerStatuses: []ContainerStatus{{Sidecar: true, Terminated: fin(3)}}}, at(3)},
		{"deletion minus grace", Pod{DeletionTimestamp: at(100), DeletionGracePeriodSeconds: p64(30)}, at(70)},
		{"creation as last resort", Pod{CreationTimestamp: at(1)}, at(1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { assert.Equal(t, c.want, finishTime(&c.pod)) })
	}
}

// Suspend and resume.
func TestSuspendResume(t *testing.T) {
	j := mkJob(completions(4), parallelism(2), suspended, deadline(60))
	r := run(t, j, Status{}, nil, at(0))
	assert.True(t, r.Status.StartTime.IsZero(), "a suspended Job gets no startTime")
	assert.Equal(t, []string{"Suspended=True/JobSuspended"}, condSummary(r.Status.Conditions))
	assert.Empty(t, r.Create)
	assert.True(t, r.RequeueAt.IsZero(), "the deadline clock does not run")

	// Suspending a running Job stops its pods without counting them.
	running := []Pod{pod("a", PodRunning, 0), pod("b", PodRunning, 1)}
	r = run(t, j, Status{StartTime: at(0)}, running, at(10))
	assert.Equal(t, []string{"b", "a"}, deletedNames(r))
	for _, d := range r.Delete {
		assert.True(t, d.RemoveFinalizer)
		assert.Equal(t, ReasonJobSuspendedPods, d.Reason)
	}
	assert.Equal(t, int32(0), r.Status.Failed)
	assert.True(t, r.Status.StartTime.IsZero(), "from 1.36 suspending clears startTime")
	assert.Equal(t, []Event{{EventNormal, ReasonSuspendedEvent, "Job suspended"}}, r.Events)

	// Resume: condition flips to False, startTime restarts, pods start.
	j.Spec.Suspend = false
	j.Spec.ActiveDeadlineSeconds = nil
	r = run(t, j, r.Status, nil, at(500))
	assert.Equal(t, []string{"Suspended=False/JobResumed"}, condSummary(r.Status.Conditions))
	assert.Equal(t, at(500), r.Status.StartTime)
	assert.Len(t, r.Create, 2)

	// A Job never suspended gets no Suspended condition (absent → False is a no-op).
	r = run(t, mkJob(), Status{}, nil, at(0))
	assert.Empty(t, r.Status.Conditions)
}

// A Job being deleted releases every pod and manages nothing.
func TestDeletingJob(t *testing.T) {
	j := mkJob(completions(4), parallelism(2), suspended)
	j.DeletionTimestamp = at(5)
	pods := []Pod{pod("a", PodRunning, 0), pod("b", PodSucceeded, 0), pod("c", PodFailed, 0)}
	r := run(t, j, Status{}, pods, at(10))
	assert.Empty(t, r.Delete)
	assert.Empty(t, r.Create)
	assert.Empty(t, r.Status.Conditions, "no Suspended condition")
	got := map[string]Counted{}
	for _, f := range r.RemoveFinalizers {
		got[f.Name] = f.CountedAs
		assert.Equal(t, ReasonJobDeleting, f.Reason)
	}
	assert.Equal(t, map[string]Counted{"a": CountedNone, "b": CountedSucceeded, "c": CountedFailed}, got)
	assert.Equal(t, int32(1), r.Status.Succeeded)
	assert.Equal(t, int32(1), r.Status.Failed)
}

// Other controllers' Jobs and finished Jobs are left alone.
func TestEntryGates(t *testing.T) {
	j := mkJob(completions(2))
	j.Spec.ManagedBy = "example.com/other"
	r := run(t, j, Status{}, nil, at(0))
	assert.Empty(t, r.Create)
	assert.True(t, r.Status.StartTime.IsZero())

	done := Status{Conditions: []Condition{{Type: ConditionComplete, Status: ConditionTrue}}, Backoff: BackoffRecord{FailuresAfterLastSuccess: 3}}
	r = run(t, mkJob(completions(5)), done, []Pod{pod("a", PodSucceeded, 0)}, at(0))
	assert.Empty(t, r.Create)
	assert.Empty(t, r.RemoveFinalizers)
	assert.Equal(t, BackoffRecord{}, r.Status.Backoff, "the back-off record is dropped")
}

// What a terminating pod means depends on podReplacementPolicy.
func TestPodReplacementPolicy(t *testing.T) {
	pods := []Pod{pod("a", PodRunning, 0, deleting(5)), pod("b", PodRunning, 0)}

	r := run(t, mkJob(completions(4), parallelism(2)), Status{StartTime: at(0)}, pods, at(10))
	assert.Equal(t, int32(1), r.Status.Failed, "a terminating pod counts as failed at once")
	assert.Empty(t, r.Create, "its failure starts the back-off")
	assert.Equal(t, int32(1), r.Status.Terminating)
	assert.Equal(t, []string{"a"}, names(r.RemoveFinalizers, func(f FinalizerRemoval) string { return f.Name }))

	onlyFailed := func(j *Job) { j.Spec.PodReplacementPolicy = Failed }
	r = run(t, mkJob(completions(4), parallelism(2), onlyFailed), Status{StartTime: at(0)}, pods, at(100))
	assert.Equal(t, int32(0), r.Status.Failed, "not failed until phase Failed")
	assert.Empty(t, r.Create, "the terminating pod keeps its slot")
	assert.Empty(t, r.RemoveFinalizers)

	// Any podFailurePolicy implies Failed.
	r = run(t, mkJob(completions(4), parallelism(2), pfp()), Status{StartTime: at(0)}, pods, at(100))
	assert.Empty(t, r.Create)
	assert.Equal(t, int32(0), r.Status.Failed)
}

// Upstream case "indexed job with some pods deleted, podReplacementPolicy Failed".
func TestIndexedTerminatingWithoutIndex(t *testing.T) {
	j := mkJob(completions(5), parallelism(2), indexed, func(j *Job) { j.Spec.PodReplacementPolicy = Failed })
	r := run(t, j, Status{StartTime: at(0)}, []Pod{pod("x", PodRunning, 0, deleting(1))}, at(10))
	assert.Equal(t, []int{0}, createdIndexes(r))
}

// Indexed jobs start the lowest pending indexes.
func TestIndexedPendingIndexes(t *testing.T) {
	j := mkJob(completions(8), parallelism(4), indexed)
	pods := []Pod{pod("p1", PodRunning, 0, idx(1)), pod("p4", PodSucceeded, 0, idx(4))}
	r := run(t, j, Status{StartTime: at(0), CompletedIndexes: "0,2"}, pods, at(10))
	assert.Equal(t, []int{3, 5, 6}, createdIndexes(r))
	assert.Equal(t, "0,2,4", r.Status.CompletedIndexes)
	assert.Equal(t, int32(3), r.Status.Succeeded)
	c := r.Create[0]
	assert.Equal(t, "work-3-", c.GenerateName)
	assert.Equal(t, "work-3", c.Hostname)
	assert.Equal(t, map[string]string{AnnotationCompletionIndex: "3"}, c.Annotations)
}

// An index succeeded twice counts once; completions scaled down drop
// higher indexes.
func TestIndexedSucceededCountedOnce(t *testing.T) {
	j := mkJob(completions(3), parallelism(1), indexed)
	pods := []Pod{pod("a", PodSucceeded, 0, idx(1)), pod("b", PodSucceeded, 1, idx(1)), pod("c", PodSucceeded, 2, idx(7))}
	r := run(t, j, Status{StartTime: at(0), CompletedIndexes: "0-1,5"}, pods, at(10))
	assert.Equal(t, "0,1", r.Status.CompletedIndexes)
	assert.Equal(t, int32(2), r.Status.Succeeded)
	assert.Equal(t, []int{2}, createdIndexes(r))
}

// Pods with a bad or duplicate index are removed, and the pass does
// not create in the same go.
func TestIndexedDuplicatesAndInvalid(t *testing.T) {
	j := mkJob(completions(4), parallelism(4), indexed)
	pods := []Pod{
		pod("dup-old", PodRunning, 0, idx(0), ready(5)),
		pod("dup-new", PodRunning, 1, idx(0)),
		pod("none", PodRunning, 2),
		pod("out", PodRunning, 3, idx(9)),
	}
	r := run(t, j, Status{StartTime: at(0)}, pods, at(10))
	got := map[string]Reason{}
	for _, d := range r.Delete {
		got[d.Name] = d.Reason
	}
	assert.Equal(t, map[string]Reason{"none": ReasonInvalidIndex, "dup-new": ReasonDuplicateIndex, "out": ReasonInvalidIndex}, got)
	assert.Empty(t, r.Create)
}

// The controller's interval form writes a run of two as "a,b".
func TestFormatIndexes(t *testing.T) {
	cases := map[string][]int{
		"":            nil,
		"1,3-5,7":     {1, 3, 4, 5, 7},
		"2,3":         {2, 3},
		"0,1,3,4,6-8": {0, 1, 3, 4, 6, 7, 8},
		"0-99999":     seq(0, 99999),
	}
	for want, xs := range cases {
		assert.Equal(t, want, fromSorted(xs).String())
	}
}

func seq(a, b int) []int {
	var out []int
	for i := a; i <= b; i++ {
		out = append(out, i)
	}
	return out
}

// Pod failure policy matching.
func TestPodFailurePolicyMatching(t *testing.T) {
	rules := []PodFailurePolicyRule{
		{Action: ActionIgnore, OnPodConditions: []OnPodCondition{{Type: PodDisruptionTarget}}},
		{Action: ActionFailJob, OnExitCodes: &OnExitCodes{ContainerName: "main", Operator: OpIn, Values: []int32{42}}},
		{Action: ActionCount, OnExitCodes: &OnExitCodes{Operator: OpNotIn, Values: []int32{0}}},
	}
	cases := []struct {
		name    string
		pod     Pod
		action  PodFailurePolicyAction
		counts  bool
		message string
	}{
		{"disruption ignored", pod("a", PodFailed, 0, condition(PodDisruptionTarget, ConditionTrue), exited("main", 42, 1)), ActionIgnore, false, ""},
		{"condition status must match", pod("a", PodFailed, 0, condition(PodDisruptionTarget, ConditionFalse), exited("main", 3, 1)), ActionCount, true, ""},
		{"exit 42 in main fails the job", pod("a", PodFailed, 0, exited("main", 42, 1)), ActionFailJob, true,
			"Container main for pod ns/a failed with exit code 42 matching FailJob rule at index 1"},
		{"exit 42 in another container only counts", pod("a", PodFailed, 0, exited("side", 42, 1)), ActionCount, true, ""},
		{"exit 0 never matches", pod("a", PodFailed, 0, exited("main", 0, 1)), "", true, ""},
		{"init container checked after regular", pod("a", PodFailed, 0, func(p *Pod) {
			p.InitContainerStatuses = []ContainerStatus{{Name: "main", Terminated: &ContainerTerminated{ExitCode: 42}}}
		}), ActionFailJob, true, "Container main for pod ns/a failed with exit code 42 matching FailJob rule at index 1"},
		{"running container never matches", pod("a", PodFailed, 0, func(p *Pod) { p.ContainerStatuses = []ContainerStatus{{Name: "main"}} }), "", true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, counts, msg := matchPolicy(&PodFailurePolicy{Rules: rules}, "ns", &c.pod)
			assert.Equal(t, c.action, a)
			assert.Equal(t, c.counts, counts)
			assert.Equal(t, c.message, msg)
		})
	}
	msgRules := []PodFailurePolicyRule{{Action: "Unknown", OnPodConditions: []OnPodCondition{{Type: "X"}}},
		{Action: ActionFailJob, OnPodConditions: []OnPodCondition{{Type: "X"}}}}
	p := pod("b", PodFailed, 0, condition("X", ConditionTrue))
	a, _, msg := matchPolicy(&PodFailurePolicy{Rules: msgRules}, "ns", &p)
	assert.Equal(t, ActionFailJob, a, "rules with an unknown action are skipped")
	assert.Equal(t, "Pod ns/b has condition X matching FailJob rule at index 1", msg)
}

// Ignore does not count towards backoffLimit; FailJob fails at once.
func TestPodFailurePolicyInPass(t *testing.T) {
	j := mkJob(completions(2), parallelism(1), backoffLimit(0), pfp(
		PodFailurePolicyRule{Action: ActionIgnore, OnPodConditions: []OnPodCondition{{Type: PodDisruptionTarget}}},
		PodFailurePolicyRule{Action: ActionFailJob, OnExitCodes: &OnExitCodes{Operator: OpIn, Values: []int32{42}}},
	))
	evicted := pod("a", PodFailed, 0, condition(PodDisruptionTarget, ConditionTrue))
	r := run(t, j, Status{StartTime: at(0)}, []Pod{evicted}, at(10))
	assert.Empty(t, r.Status.Conditions)
	assert.Equal(t, int32(0), r.Status.Failed)
	assert.Equal(t, CountedIgnored, r.RemoveFinalizers[0].CountedAs)
	assert.Equal(t, BackoffRecord{FailuresAfterLastSuccess: 1, LastFailureTime: at(0)}, r.Status.Backoff,
		"ignored failures still feed the back-off")

	fatal := pod("b", PodFailed, 0, exited("main", 42, 5))
	r = run(t, j, Status{StartTime: at(0)}, []Pod{fatal, pod("c", PodRunning, 1)}, at(10))
	assert.Equal(t, []string{"FailureTarget=True/PodFailurePolicy"}, condSummary(r.Status.Conditions))
	assert.Equal(t, []string{"c"}, deletedNames(r))
}

// backoffLimitPerIndex.
func TestBackoffLimitPerIndex(t *testing.T) {
	j := mkJob(completions(4), parallelism(4), indexed, perIndex(1))
	pods := []Pod{
		pod("i0", PodFailed, 0, idx(0), exited("main", 1, 100)),
		pod("i1", PodFailed, 0, idx(1), failCount(1), exited("main", 1, 100)),
		pod("i2", PodRunning, 0, idx(2)),
		pod("i3", PodSucceeded, 0, idx(3)),
	}
	r := run(t, j, Status{StartTime: at(0)}, pods, at(105))
	require.NotNil(t, r.Status.FailedIndexes)
	assert.Equal(t, "1", *r.Status.FailedIndexes, "index 1 reached its limit")
	assert.Empty(t, r.Create, "index 0 waits for its own back-off")
	assert.Equal(t, at(110), r.RequeueAt)
	released := names(r.RemoveFinalizers, func(f FinalizerRemoval) string { return f.Name })
	assert.Equal(t, []string{"i1", "i3"}, released, "i0 keeps its finalizer until replaced")
	assert.Equal(t, int32(1), r.Status.Failed)

	r = run(t, j, r.Status, pods, at(110))
	require.Equal(t, []int{0}, createdIndexes(r))
	assert.Equal(t, map[string]string{AnnotationCompletionIndex: "0", AnnotationIndexFailureCount: "1"}, r.Create[0].Annotations)

	// The replacement exists: the old pod is released and counted.
	withNew := append([]Pod{pod("i0b", PodRunning, 110, idx(0), failCount(1))}, pods...)
	r = run(t, j, r.Status, withNew, at(111))
	assert.Contains(t, names(r.RemoveFinalizers, func(f FinalizerRemoval) string { return f.Name }), "i0")
}

// maxFailedIndexes and failed indexes finishing the Job.
func TestFailedIndexesTerminal(t *testing.T) {
	pods := []Pod{
		pod("i0", PodFailed, 0, idx(0), exited("main", 1, 1)),
		pod("i1", PodFailed, 0, idx(1), exited("main", 1, 1)),
		pod("i2", PodSucceeded, 0, idx(2)),
	}
	j := mkJob(completions(3), parallelism(3), indexed, perIndex(0), func(j *Job) { j.Spec.MaxFailedIndexes = p32(1) })
	r := run(t, j, Status{StartTime: at(0)}, pods, at(10))
	assert.Equal(t, []string{"FailureTarget=True/MaxFailedIndexesExceeded", "Failed=True/MaxFailedIndexesExceeded"}, condSummary(r.Status.Conditions))
	assert.Equal(t, "0,1", *r.Status.FailedIndexes)

	j.Spec.MaxFailedIndexes = nil
	r = run(t, j, Status{StartTime: at(0)}, pods, at(10))
	assert.Equal(t, []string{"FailureTarget=True/FailedIndexes", "Failed=True/FailedIndexes"}, condSummary(r.Status.Conditions))
	assert.Equal(t, "Job has failed indexes", r.Status.Conditions[1].Message)
}

// FailIndex fails the index whatever its count.
func TestFailIndexAction(t *testing.T) {
	j := mkJob(completions(3), parallelism(1), indexed, perIndex(5), pfp(
		PodFailurePolicyRule{Action: ActionFailIndex, OnExitCodes: &OnExitCodes{Operator: OpIn, Values: []int32{3}}}))
	r := run(t, j, Status{StartTime: at(0)}, []Pod{pod("a", PodFailed, 0, idx(0), exited("main", 3, 1))}, at(100))
	assert.Equal(t, "0", *r.Status.FailedIndexes)
	assert.Equal(t, []int{1}, createdIndexes(r))
}

// Success policy.
func TestSuccessPolicy(t *testing.T) {
	sp := func(rules ...SuccessPolicyRule) func(*Job) {
		return func(j *Job) { j.Spec.SuccessPolicy = &SuccessPolicy{Rules: rules} }
	}
	pods := []Pod{pod("a", PodSucceeded, 0, idx(0)), pod("b", PodSucceeded, 0, idx(2)), pod("c", PodRunning, 0, idx(1), ready(1))}
	cases := []struct {
		name string
		rule []SuccessPolicyRule
		want string
	}{
		{"all listed indexes", []SuccessPolicyRule{{SucceededIndexes: pstr("0-1")}, {SucceededIndexes: pstr("0,2")}}, "Matched rules at index 1"},
		{"count among listed", []SuccessPolicyRule{{SucceededIndexes: pstr("1-3"), SucceededCount: p32(1)}}, "Matched rules at index 0"},
		{"count alone", []SuccessPolicyRule{{SucceededCount: p32(2)}}, "Matched rules at index 0"},
		{"not met", []SuccessPolicyRule{{SucceededIndexes: pstr("1-3")}, {SucceededCount: p32(3)}}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, mkJob(completions(4), parallelism(3), indexed, sp(c.rule...)), Status{StartTime: at(0)}, pods, at(10))
			if c.want == "" {
				assert.Empty(t, r.Status.Conditions)
				return
			}
			require.Equal(t, []string{"SuccessCriteriaMet=True/SuccessPolicy"}, condSummary(r.Status.Conditions))
			assert.Equal(t, c.want, r.Status.Conditions[0].Message)
			assert.Equal(t, []string{"c"}, deletedNames(r))
			assert.Equal(t, int32(0), r.Status.Failed, "pods stopped on success are not failures")
			// Once c is gone, Complete follows with the same reason.
			r = run(t, mkJob(completions(4), parallelism(3), indexed, sp(c.rule...)), r.Status, pods[:2], at(20))
			assert.Equal(t, []string{"SuccessCriteriaMet=True/SuccessPolicy", "Complete=True/SuccessPolicy"}, condSummary(r.Status.Conditions))
		})
	}
}

// ensureCondition.
func TestEnsureCondition(t *testing.T) {
	conds, changed := ensureCondition(nil, ConditionSuspended, ConditionFalse, ReasonJobResumed, "Job resumed", at(1))
	assert.False(t, changed)
	assert.Empty(t, conds)
	conds, changed = ensureCondition([]Condition{{Type: ConditionFailed, Status: ConditionFalse}}, ConditionFailed, ConditionTrue, "R", "m", at(2))
	assert.True(t, changed)
	assert.Equal(t, []Condition{{Type: ConditionFailed, Status: ConditionTrue, Reason: "R", Message: "m", LastProbeTime: at(2), LastTransitionTime: at(2)}}, conds)
	_, changed = ensureCondition(conds, ConditionFailed, ConditionTrue, "R", "m", at(3))
	assert.False(t, changed)
}

// ttlSecondsAfterFinished.
func TestTTLAfterFinished(t *testing.T) {
	j := mkJob(func(j *Job) { j.Spec.TTLSecondsAfterFinished = p32(60) })
	done := Status{Conditions: []Condition{{Type: ConditionComplete, Status: ConditionTrue, LastTransitionTime: at(100)}}}
	r := run(t, j, done, nil, at(159))
	assert.Nil(t, r.DeleteJob)
	assert.Equal(t, at(160), r.RequeueAt)
	r = run(t, j, done, nil, at(160))
	require.NotNil(t, r.DeleteJob)
	assert.Equal(t, ReasonTTLExpired, r.DeleteJob.Reason)

	j.DeletionTimestamp = at(150)
	r = run(t, j, done, nil, at(200))
	assert.Nil(t, r.DeleteJob, "not for a Job already being deleted")

	// ttl 0 deletes the Job in the pass that finishes it.
	j = mkJob(func(j *Job) { j.Spec.TTLSecondsAfterFinished = p32(0) })
	r = run(t, j, Status{StartTime: at(0)}, []Pod{pod("a", PodSucceeded, 0)}, at(5))
	assert.NotNil(t, r.DeleteJob)
}

// Uncounted UIDs from an earlier pass are folded into the counters.
func TestUncountedTerminatedPods(t *testing.T) {
	st := Status{StartTime: at(0), Succeeded: 1, UncountedTerminatedPods: UncountedTerminatedPods{Succeeded: []string{"uid-a"}, Failed: []string{"uid-x"}}}
	r := run(t, mkJob(completions(5), parallelism(1)), st, []Pod{pod("a", PodSucceeded, 0)}, at(10))
	assert.Equal(t, int32(2), r.Status.Succeeded)
	assert.Equal(t, int32(1), r.Status.Failed)
	assert.Empty(t, r.Status.UncountedTerminatedPods.Succeeded)
	assert.Len(t, r.RemoveFinalizers, 1)
}

func TestGenerateName(t *testing.T) {
	long := "a123456789b123456789c123456789d123456789e123456789f1234567"
	assert.Equal(t, "x-", generateName("x", ""))
	assert.Equal(t, "x-7-", generateName("x", "7"))
	got := generateName(long, "12345")
	assert.Len(t, got, 58)
	assert.Equal(t, "-12345-", got[len(got)-7:])
	if diff := cmp.Diff(long[:51], got[:51]); diff != "" {
		t.Error(diff)
	}
}

// Only pods that still carry the tracking finalizer are counted; the
// FailJob test still looks at every failed pod.
func TestUntrackedPods(t *testing.T) {
	j := mkJob(completions(3), parallelism(1))
	r := run(t, j, Status{StartTime: at(0), Succeeded: 1}, []Pod{pod("a", PodSucceeded, 0, untracked), pod("b", PodFailed, 0, untracked)}, at(10))
	assert.Equal(t, int32(1), r.Status.Succeeded)
	assert.Equal(t, int32(0), r.Status.Failed)
	assert.Empty(t, r.RemoveFinalizers)
	assert.Len(t, r.Create, 1)

	j = mkJob(completions(3), pfp(PodFailurePolicyRule{Action: ActionFailJob, OnExitCodes: &OnExitCodes{Operator: OpIn, Values: []int32{9}}}))
	r = run(t, j, Status{StartTime: at(0), Failed: 1}, []Pod{pod("a", PodFailed, 0, untracked, exited("main", 9, 3))}, at(10))
	assert.Equal(t, []string{"FailureTarget=True/PodFailurePolicy", "Failed=True/PodFailurePolicy"}, condSummary(r.Status.Conditions))
}

// Under podReplacementPolicy Failed, an index whose pod is still
// terminating is not started again; under TerminatingOrFailed it is.
func TestIndexedTerminatingIndexBusy(t *testing.T) {
	pods := []Pod{pod("x", PodRunning, 0, idx(0), deleting(1))}
	onlyFailed := func(j *Job) { j.Spec.PodReplacementPolicy = Failed }
	r := run(t, mkJob(completions(3), parallelism(2), indexed, onlyFailed), Status{StartTime: at(0)}, pods, at(100))
	assert.Equal(t, []int{1}, createdIndexes(r), "one slot is held by the terminating pod, index 0 stays busy")

	r = run(t, mkJob(completions(3), parallelism(2), indexed, backoffLimit(5)), Status{StartTime: at(0)}, pods, at(100))
	assert.Equal(t, []int{0, 1}, createdIndexes(r))
	assert.Equal(t, int32(1), r.Status.Failed)
}

// Among failed pods of one index, the one with the highest failure
// count that finished last keeps its finalizer for the replacement.
func TestDelayedFinalizerPicksLastFailure(t *testing.T) {
	j := mkJob(completions(2), parallelism(1), indexed, perIndex(5))
	pods := []Pod{
		pod("first", PodFailed, 0, idx(0), failCount(0), exited("main", 1, 10)),
		pod("second", PodFailed, 20, idx(0), failCount(1), exited("main", 1, 30)),
		pod("stale", PodFailed, 40, idx(0), failCount(1), exited("main", 1, 25)),
	}
	r := run(t, j, Status{StartTime: at(0)}, pods, at(31))
	assert.Equal(t, []string{"first", "stale"}, names(r.RemoveFinalizers, func(f FinalizerRemoval) string { return f.Name }))
	assert.Empty(t, r.Create, "k = 1+1 failures → 20 s from t=30")
	assert.Equal(t, at(50), r.RequeueAt)

	r = run(t, j, r.Status, pods, at(50))
	require.Equal(t, []int{0}, createdIndexes(r))
	assert.Equal(t, "2", r.Create[0].Annotations[AnnotationIndexFailureCount])
}

// An ignored failure raises the ignored count of the replacement.
func TestIgnoredFailureCountCarriedOver(t *testing.T) {
	j := mkJob(completions(1), parallelism(1), indexed, perIndex(1), pfp(
		PodFailurePolicyRule{Action: ActionIgnore, OnPodConditions: []OnPodCondition{{Type: PodDisruptionTarget}}}))
	p := pod("a", PodFailed, 0, idx(0), failCount(1), exited("main", 1, 10), condition(PodDisruptionTarget, ConditionTrue))
	p.Annotations[AnnotationIndexIgnoredFailureCount] = "2"
	r := run(t, j, Status{StartTime: at(0)}, []Pod{p}, at(1000))
	require.Equal(t, []int{0}, createdIndexes(r))
	assert.Equal(t, map[string]string{AnnotationCompletionIndex: "0", AnnotationIndexFailureCount: "1", AnnotationIndexIgnoredFailureCount: "3"},
		r.Create[0].Annotations)
	assert.Equal(t, "", *r.Status.FailedIndexes, "an ignored failure never fails the index")
}

// While earlier operations are unobserved, nothing is created and
// no terminal condition is declared, but a finishing Job's pods are stopped.
func TestOperationsPending(t *testing.T) {
	j := mkJob(completions(4), parallelism(2), deadline(10), suspended)
	j.OperationsPending = true
	r := run(t, j, Status{}, []Pod{pod("a", PodRunning, 0)}, at(5))
	assert.Empty(t, r.Delete, "no suspension deletions")
	assert.Empty(t, r.Status.Conditions, "no Suspended condition")

	j.Spec.Suspend = false
	r = run(t, j, Status{StartTime: at(0)}, []Pod{pod("a", PodRunning, 0)}, at(5))
	assert.Empty(t, r.Create)

	r = run(t, j, Status{StartTime: at(0)}, []Pod{pod("a", PodRunning, 0)}, at(10))
	assert.Equal(t, []string{"a"}, deletedNames(r))
	assert.Empty(t, r.Status.Conditions, "the deadline is declared by a later pass")
	assert.Equal(t, int32(0), r.Status.Failed)
}
