package job

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Behaviours of the controller (1.34 to 1.37) found by running syncJob beside
// JobProgress (examples/kube/difftest/job); each test is named after the
// upstream function that shows it.

// getPodsPrefix and the API server's name generator: a NonIndexed pod's
// prefix is "<job>-", cut to 58 characters by the generator, dash and all;
// podGenerateNameWithIndex keeps "-<index>-" whole.
func TestPodGenerateNameLikeGetPodsPrefixAndPodGenerateNameWithIndex(t *testing.T) {
	long58 := strings.Repeat("a", 58)
	long57 := strings.Repeat("b", 57)
	cases := []struct {
		name, index, want string
	}{
		{"pi", "", "pi-"},
		{long57, "", long57 + "-"},
		{long58, "", long58},
		{long58 + "zz", "", long58},
		{"pi", "3", "pi-3-"},
		{long58, "12", long58[:54] + "-12-"},
	}
	for _, c := range cases {
		if got := generateName(c.name, c.index); got != c.want {
			t.Errorf("generateName(%q, %q) = %q, want %q", c.name, c.index, got, c.want)
		}
	}
	// Through JobProgress, for a NonIndexed Job with a 58-character name.
	j := mkJob(completions(1))
	j.Name = long58
	r := run(t, j, Status{}, nil, at(0))
	if len(r.Create) != 1 || r.Create[0].GenerateName != long58 {
		t.Fatalf("creations %+v", r.Create)
	}
}

// removeBackoffRecord runs when syncJob meets a finished Job, not on the
// pass that finishes it: that pass still returns the record it updated.
func TestBackoffRecordKeptUntilSyncJobSeesTheJobFinished(t *testing.T) {
	j := mkJob(completions(1), backoffLimit(0))
	pods := []Pod{pod("a", PodFailed, 0, exited("main", 1, 5))}
	r := run(t, j, Status{StartTime: at(0), Active: 1}, pods, at(6))
	if got := condSummary(r.Status.Conditions); !cmp.Equal(got, []string{"FailureTarget=True/BackoffLimitExceeded", "Failed=True/BackoffLimitExceeded"}) {
		t.Fatalf("conditions %v", got)
	}
	want := BackoffRecord{FailuresAfterLastSuccess: 1, LastFailureTime: at(5)}
	if r.Status.Backoff != want {
		t.Errorf("finishing pass back-off %+v, want %+v", r.Status.Backoff, want)
	}
	r = run(t, j, r.Status, nil, at(7))
	if r.Status.Backoff != (BackoffRecord{}) {
		t.Errorf("pass over the finished Job keeps back-off %+v", r.Status.Backoff)
	}
}

// Before 1.36 manageJob returns 0 active pods when the pod-failure back-off
// holds back a creation; with UpstreamQuirks the status says so too,
// without it the real count stays. From 1.36 manageJob returns the active
// count (the 0 made the API server refuse ready > active).
func TestManageJobReportsNoActivePodsWhileBackingOff(t *testing.T) {
	for _, rel := range releases {
		wantQuirk := int32(0)
		if rel.AtLeast("1.36") {
			wantQuirk = 1
		}
		for _, quirks := range []bool{false, true} {
			j := mkJob(completions(3), parallelism(2))
			j.UpstreamQuirks = quirks
			pods := []Pod{pod("a", PodFailed, 0, exited("main", 1, 100)), pod("b", PodRunning, 0)}
			r := runAt(t, rel, j, Status{StartTime: at(0), Active: 2}, pods, at(104))
			want := int32(1)
			if quirks {
				want = wantQuirk
			}
			if len(r.Create) != 0 || r.Status.Active != want || !r.RequeueAt.Equal(at(110)) {
				t.Errorf("%s quirks=%v: %d creates, active %d (want %d), requeue %v", rel, quirks, len(r.Create), r.Status.Active, want, r.RequeueAt)
			}
		}
		// The same with backoffLimitPerIndex, where the index's own back-off
		// holds it back (getPodCreationInfoForIndependentIndexes).
		j := mkJob(indexed, completions(2), parallelism(2), perIndex(2))
		j.UpstreamQuirks = true
		pods := []Pod{pod("a", PodFailed, 0, idx(0), exited("main", 1, 100)), pod("b", PodRunning, 0, idx(1))}
		r := runAt(t, rel, j, Status{StartTime: at(0), Active: 2}, pods, at(104))
		if len(r.Create) != 0 || r.Status.Active != wantQuirk || !r.RequeueAt.Equal(at(110)) {
			t.Errorf("%s per index: %d creates, active %d (want %d), requeue %v", rel, len(r.Create), r.Status.Active, wantQuirk, r.RequeueAt)
		}
	}
}

// syncJob writes the status only when a tracked field changed
// (needsStatusUpdate, needsFlush): the start time it sets on such a pass,
// and the back-off record, stay in its memory only.
func TestSyncJobSkipsStatusWriteThatOnlySetsStartTime(t *testing.T) {
	// Suspended before it ever started, then resumed while deleted: the
	// pass runs no manageJob and changes nothing it writes.
	j := mkJob(completions(1))
	j.DeletionTimestamp = at(50)
	st := Status{Conditions: []Condition{{Type: ConditionSuspended, Status: ConditionTrue, Reason: ReasonJobSuspended, Message: "Job suspended",
		LastProbeTime: at(0), LastTransitionTime: at(0)}}}
	r := run(t, j, st, nil, at(60))
	if r.Status.StartTime != at(60) {
		t.Errorf("without quirks the start time is reported: %v", r.Status.StartTime)
	}
	j.UpstreamQuirks = true
	r = run(t, j, st, nil, at(60))
	if !r.Status.StartTime.IsZero() {
		t.Errorf("with quirks the unwritten start time is dropped: %v", r.Status.StartTime)
	}
	// A status never written (no start time, no condition) is always
	// written: its ready and terminating counts are still unset.
	j = mkJob(parallelism(0))
	j.UpstreamQuirks = true
	r = run(t, j, Status{}, nil, at(60))
	if r.Status.StartTime != at(60) {
		t.Errorf("first write keeps the start time: %v", r.Status.StartTime)
	}
}

// compareMaxContainerRestarts: with equal regular restarts, the pod whose
// sidecars restarted more is deleted first.
func TestActivePodsOrderBySidecarRestarts(t *testing.T) {
	sidecar := func(n int32) func(*Pod) {
		return func(p *Pod) {
			p.InitContainerStatuses = append(p.InitContainerStatuses, ContainerStatus{Name: "proxy", Sidecar: true, RestartCount: n})
		}
	}
	initRestarts := func(n int32) func(*Pod) {
		return func(p *Pod) {
			p.InitContainerStatuses = append(p.InitContainerStatuses, ContainerStatus{Name: "setup", RestartCount: n})
		}
	}
	j := mkJob(completions(5), parallelism(1))
	pods := []Pod{
		pod("a", PodRunning, 0, restarts(1), sidecar(0), initRestarts(9)),
		pod("b", PodRunning, 0, restarts(1), sidecar(3)),
	}
	r := run(t, j, Status{StartTime: at(0)}, pods, at(10))
	if got := deletedNames(r); !cmp.Equal(got, []string{"b"}) {
		t.Errorf("deleted %v, want [b] (more sidecar restarts; plain init containers do not count)", got)
	}
}

// cleanUncountedPodsWithoutFinalizers counts an uncounted pod only once its
// finalizer is gone; a failed pod whose index awaits its replacement
// (getPodsWithDelayedDeletionPerIndex) keeps it, and so stays uncounted.
func TestUncountedPodKeptWhileItsIndexAwaitsReplacement(t *testing.T) {
	j := mkJob(indexed, completions(2), parallelism(2), perIndex(1), suspended)
	pods := []Pod{pod("b", PodFailed, 0, idx(1), failCount(0), exited("main", 1, 50))}
	st := Status{StartTime: at(0), Failed: 1, UncountedTerminatedPods: UncountedTerminatedPods{Failed: []string{"uid-b", "uid-gone"}},
		FailedIndexes: pstr("")}
	r := run(t, j, st, pods, at(60))
	if len(r.RemoveFinalizers) != 0 {
		t.Errorf("finalizer of the index's last failed pod removed: %+v", r.RemoveFinalizers)
	}
	if got := r.Status.UncountedTerminatedPods.Failed; !cmp.Equal(got, []string{"uid-b"}) {
		t.Errorf("uncounted failed %v, want [uid-b]", got)
	}
	if r.Status.Failed != 2 {
		t.Errorf("failed %d, want 2 (uid-gone counted, uid-b not yet)", r.Status.Failed)
	}
}

// flushUncountedAndRemoveFinalizers stores the new back-off record only
// with the status write made before finalizers are removed; a pass whose
// only status change is counting already-uncounted pods does not store it.
func TestBackoffStoredOnlyWithTheFirstStatusWrite(t *testing.T) {
	j := mkJob(completions(3), parallelism(1), pfp(PodFailurePolicyRule{Action: ActionIgnore,
		OnPodConditions: []OnPodCondition{{Type: PodDisruptionTarget}}}))
	evicted := pod("b", PodFailed, 0, exited("main", 1, 50), condition(PodDisruptionTarget, ConditionTrue))
	pods := []Pod{pod("a", PodFailed, 0, exited("main", 1, 40)), evicted, pod("c", PodRunning, 0)}
	st := Status{StartTime: at(0), Active: 1, UncountedTerminatedPods: UncountedTerminatedPods{Failed: []string{"uid-a"}}}
	for _, quirks := range []bool{false, true} {
		j.UpstreamQuirks = quirks
		r := run(t, j, st, pods, at(60))
		want := BackoffRecord{FailuresAfterLastSuccess: 1, LastFailureTime: at(50)}
		if quirks {
			want = BackoffRecord{}
		}
		if r.Status.Backoff != want || r.Status.Failed != 1 {
			t.Errorf("quirks=%v: back-off %+v (want %+v), failed %d", quirks, r.Status.Backoff, want, r.Status.Failed)
		}
	}
}

// syncJob acts on Jobs validation rejects; JobProgress lists the problems
// as warnings and decides the same, erroring only where syncJob cannot act.
func TestSyncJobActsOnJobsValidationRejects(t *testing.T) {
	failed := []Pod{pod("a", PodFailed, 0, exited("main", 1, 5))}
	cases := []struct {
		name    string
		job     Job
		pods    []Pod
		refused bool
		check   func(t *testing.T, r Result)
	}{
		{"restartPolicy Always still starts pods", mkJob(func(j *Job) { j.Spec.Template.RestartPolicy = RestartAlways }), nil, false,
			func(t *testing.T, r Result) {
				if len(r.Create) != 1 {
					t.Errorf("%d creates", len(r.Create))
				}
			}},
		{"negative backoffLimit fails at once (failed > backoffLimit)", mkJob(backoffLimit(-1)), nil, false,
			func(t *testing.T, r Result) {
				if got := condSummary(r.Status.Conditions); !cmp.Equal(got, []string{"FailureTarget=True/BackoffLimitExceeded", "Failed=True/BackoffLimitExceeded"}) {
					t.Errorf("conditions %v", got)
				}
			}},
		{"backoffLimitPerIndex on NonIndexed switches off the global back-off (hasBackoffLimitPerIndex)", mkJob(completions(3), perIndex(1)), failed, false,
			func(t *testing.T, r Result) {
				if len(r.Create) != 1 || !r.RequeueAt.IsZero() {
					t.Errorf("%d creates, requeue %v", len(r.Create), r.RequeueAt)
				}
			}},
		{"negative parallelism with completions starts nothing", mkJob(completions(3), parallelism(-1)), nil, false,
			func(t *testing.T, r Result) {
				if len(r.Create) != 0 {
					t.Errorf("%d creates", len(r.Create))
				}
			}},
		{"unknown completion mode is skipped with an event", mkJob(func(j *Job) { j.Spec.CompletionMode = "Random" }), nil, false,
			func(t *testing.T, r Result) {
				if len(r.Create) != 0 || len(r.Events) != 1 || r.Events[0].Reason != ReasonUnknownCompletionMode || r.Events[0].Type != EventWarning {
					t.Errorf("creates %d, events %+v", len(r.Create), r.Events)
				}
			}},
		{"Indexed without completions is refused", mkJob(indexed, parallelism(2)), nil, true, nil},
		{"negative parallelism without completions is refused", mkJob(parallelism(-2)), nil, true, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := JobProgress(c.job, Status{StartTime: at(0)}, c.pods, at(10), Options{})
			if (err != nil) != c.refused {
				t.Fatalf("error %v, refused %v", err, c.refused)
			}
			if len(r.Warnings) == 0 {
				t.Error("no warnings")
			}
			if verr := Validate(c.job, Release{}); verr == nil {
				t.Error("Validate accepts the Job")
			}
			if c.check != nil {
				c.check(t, r)
			}
		})
	}
}

// A running pod without the tracking finalizer would never be counted (the
// controller only removes it from pods it counts or deletes); the pass says
// so with a warning event, but not while the Job is being deleted or the
// caller's writes are not yet observed.
func TestTrackingFinalizerMissingWarns(t *testing.T) {
	pods := []Pod{pod("a", PodRunning, 0, untracked), pod("b", PodRunning, 0), pod("c", PodSucceeded, 0, untracked)}
	j := mkJob(completions(3), parallelism(2))
	r := run(t, j, Status{StartTime: at(0)}, pods, at(10))
	if len(r.Events) != 1 || r.Events[0].Reason != ReasonTrackingFinalizerMissing || !strings.Contains(r.Events[0].Message, "1 running pod(s)") ||
		!strings.Contains(r.Events[0].Message, "(a)") {
		t.Errorf("events %+v", r.Events)
	}
	// Five such pods, listed in reverse: the warning names the first three
	// by name, whatever the order of pods.
	var many []Pod
	for _, n := range []string{"e", "d", "c", "b", "a"} {
		many = append(many, pod(n, PodRunning, 0, untracked))
	}
	if r := run(t, mkJob(completions(5), parallelism(5)), Status{StartTime: at(0)}, many, at(10)); len(r.Events) != 1 ||
		!strings.Contains(r.Events[0].Message, "5 running pod(s)") || !strings.Contains(r.Events[0].Message, "(a, b, c and 2 more)") {
		t.Errorf("five untracked pods: events %+v", r.Events)
	}
	j.OperationsPending = true
	if r := run(t, j, Status{StartTime: at(0)}, pods, at(10)); len(r.Events) != 0 {
		t.Errorf("pending: events %+v", r.Events)
	}
	j.OperationsPending, j.DeletionTimestamp = false, at(5)
	if r := run(t, j, Status{StartTime: at(0)}, pods, at(10)); len(r.Events) != 0 {
		t.Errorf("deleting: events %+v", r.Events)
	}
}

// getPodsWithDelayedDeletionPerIndex keeps, per index, the failed pod with
// at least the failure count and a finish time no earlier than the one kept
// so far, walking pods in list order. The two measures can disagree: an
// older pod that finished later, and a newer one with a higher count that
// was deleted (counted failed, podReplacementPolicy TerminatingOrFailed)
// with a grace period putting its finish earlier. Then the order decides;
// JobProgress walks by creation time, so the older pod is kept and the
// replacement counts from it.
func TestGetPodsWithDelayedDeletionPerIndexWalksPodsInListOrder(t *testing.T) {
	for _, rel := range releases {
		j := mkJob(indexed, completions(2), parallelism(2), perIndex(2))
		older := pod("a", PodFailed, 0, idx(0), failCount(0), exited("main", 3, 85))
		newer := pod("b", PodPending, 100, idx(0), failCount(1), deleting(105), func(p *Pod) {
			p.DeletionGracePeriodSeconds = p64(30)
			p.NodeName = ""
		})
		running := pod("c", PodRunning, 0, idx(1))
		r := runAt(t, rel, j, Status{StartTime: at(0), Active: 2}, []Pod{newer, running, older}, at(200))
		if len(r.Create) != 1 || r.Create[0].Index != 0 || r.Create[0].Annotations[AnnotationIndexFailureCount] != "1" {
			t.Fatalf("%s: creates %+v", rel, r.Create)
		}
		var removed []string
		for _, f := range r.RemoveFinalizers {
			removed = append(removed, f.Name)
		}
		if !slices.Equal(removed, []string{"b"}) {
			t.Errorf("%s: finalizers removed from %v, want the newer pod's only (the older one waits for its replacement)", rel, removed)
		}
	}
}

// matchSucceededIndexesRule is met when every listed index succeeded,
// whatever succeededCount says: a count above the list's length (which
// validation rejects) does not keep a stored Job from meeting the rule
// (found by the differential suite).
func TestMatchSucceededIndexesRuleMetByTheWholeList(t *testing.T) {
	for _, rel := range releases {
		j := mkJob(indexed, completions(1), parallelism(1), func(j *Job) {
			j.Spec.SuccessPolicy = &SuccessPolicy{Rules: []SuccessPolicyRule{{SucceededIndexes: pstr("0-1"), SucceededCount: p32(2)}}}
		})
		pods := []Pod{pod("a", PodSucceeded, 0, idx(0), exited("main", 0, 4))}
		r := runAt(t, rel, j, Status{StartTime: at(0), Active: 1}, pods, at(4))
		got := condSummary(r.Status.Conditions)
		want := []string{"SuccessCriteriaMet=True/SuccessPolicy", "Complete=True/SuccessPolicy"}
		if !slices.Equal(got, want) {
			t.Errorf("%s: conditions %v, want %v", rel, got, want)
		}
		if len(r.Warnings) == 0 {
			t.Errorf("%s: the invalid rule is not warned about", rel)
		}
	}
}

// An Indexed pod of a long-named Job: the generate name is cut so that
// "-<index>-" survives (podGenerateNameWithIndex), while the hostname
// keeps the whole "<job>-<index>" (the controller sets spec.hostname from
// the full name).
func TestPodGenerateNameWithIndexCutsTheNameButNotTheHostname(t *testing.T) {
	long58 := strings.Repeat("a", 58)
	for _, name := range []string{"pi", strings.Repeat("c", 54), strings.Repeat("d", 55), long58} {
		j := mkJob(indexed, completions(200), parallelism(200))
		j.Name = name
		r := run(t, j, Status{}, nil, at(0))
		if len(r.Create) != 200 {
			t.Fatalf("%s: %d creations", name, len(r.Create))
		}
		for _, c := range r.Create {
			ix := strconv.Itoa(c.Index)
			if want := generateName(name, ix); c.GenerateName != want {
				t.Errorf("%s index %d: generate name %q, want %q", name, c.Index, c.GenerateName, want)
			}
			if want := name + "-" + ix; c.Hostname != want {
				t.Errorf("%s index %d: hostname %q, want %q", name, c.Index, c.Hostname, want)
			}
			if c.Labels[AnnotationCompletionIndex] != ix || c.Annotations[AnnotationCompletionIndex] != ix {
				t.Errorf("%s index %d: labels %v, annotations %v", name, c.Index, c.Labels, c.Annotations)
			}
			if want := "Job " + j.Namespace + "/" + name + ": start pod for index " + ix; c.Message != want {
				t.Errorf("%s index %d: message %q, want %q", name, c.Index, c.Message, want)
			}
		}
	}
}

// The creations of one pass share blocks of memory; a caller that appends
// to one pod's finalizers or env, or edits them in place, must not change
// another's.
func TestCreationsOfOnePassAreIndependent(t *testing.T) {
	for _, j := range []Job{mkJob(indexed, completions(50), parallelism(50)), mkJob(completions(50), parallelism(50))} {
		r := run(t, j, Status{}, nil, at(0))
		if len(r.Create) != 50 {
			t.Fatalf("%d creations", len(r.Create))
		}
		first := &r.Create[0]
		first.Finalizers = append(first.Finalizers, "mine")
		first.Finalizers[0] = "edited"
		if j.Spec.CompletionMode == Indexed {
			first.Env = append(first.Env, EnvVar{Name: "X"})
			first.Env[0].Name = "edited"
		}
		for _, c := range r.Create[1:] {
			if len(c.Finalizers) != 1 || c.Finalizers[0] != TrackingFinalizer {
				t.Fatalf("index %d: finalizers %q after editing another pod's", c.Index, c.Finalizers)
			}
			if j.Spec.CompletionMode == Indexed && (len(c.Env) != 1 || c.Env[0].Name != CompletionIndexEnv) {
				t.Fatalf("index %d: env %+v after editing another pod's", c.Index, c.Env)
			}
		}
	}
}

// flushUncountedAndRemoveFinalizers writes the newly finished pods as
// uncounted before it removes their finalizers, so a removal that fails
// never makes the pod count twice. A caller that writes
// StatusBeforeRemovals first and stops when a removal fails gets the same.
func TestFlushUncountedAndRemoveFinalizersCountsAPodOnceWhenItsRemovalFails(t *testing.T) {
	for _, indexedJob := range []bool{false, true} {
		j := mkJob(completions(3), parallelism(3))
		pods := []Pod{pod("a", PodSucceeded, 0, exited("main", 0, 5)), pod("b", PodRunning, 0), pod("c", PodFailed, 0, exited("main", 1, 6))}
		if indexedJob {
			j = mkJob(indexed, completions(3), parallelism(3), backoffLimit(5))
			for i := range pods {
				pods[i].Annotations = map[string]string{AnnotationCompletionIndex: strconv.Itoa(i)}
			}
		}
		r1 := run(t, j, Status{StartTime: at(0), Active: 3}, pods, at(10))
		b := r1.StatusBeforeRemovals
		if len(r1.RemoveFinalizers) != 2 || b == nil {
			t.Fatalf("indexed %v: removals %+v, status before removals %+v", indexedJob, r1.RemoveFinalizers, b)
		}
		// Nothing is counted yet: the pods are listed as uncounted (an
		// Indexed Job's success goes to completedIndexes at once).
		wantUncounted := UncountedTerminatedPods{Succeeded: []string{"uid-a"}, Failed: []string{"uid-c"}}
		wantSucceeded := int32(0)
		if indexedJob {
			wantUncounted.Succeeded, wantSucceeded = nil, 1
		}
		if d := cmp.Diff(wantUncounted, b.UncountedTerminatedPods); d != "" || b.Failed != 0 || b.Succeeded != wantSucceeded {
			t.Fatalf("indexed %v: before removals: failed %d succeeded %d, uncounted (-want +got):\n%s", indexedJob, b.Failed, b.Succeeded, d)
		}
		if r1.Status.Succeeded != 1 || r1.Status.Failed != 1 || len(r1.Status.UncountedTerminatedPods.Succeeded)+len(r1.Status.UncountedTerminatedPods.Failed) != 0 {
			t.Fatalf("indexed %v: final status %+v", indexedJob, r1.Status)
		}
		// Every removal fails: the caller keeps the first write, and the
		// pods keep their finalizers. The next pass counts each pod once.
		r2 := run(t, j, *b, pods, at(11))
		if r2.Status.Succeeded != 1 || r2.Status.Failed != 1 {
			t.Errorf("indexed %v: after a failed removal: succeeded %d, failed %d, want 1 and 1", indexedJob, r2.Status.Succeeded, r2.Status.Failed)
		}
		if len(r2.RemoveFinalizers) != 2 {
			t.Errorf("indexed %v: the removals are not asked again: %+v", indexedJob, r2.RemoveFinalizers)
		}
	}
}
