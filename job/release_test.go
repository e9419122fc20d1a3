package job

import (
	"time"

	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/api"
)

// releases are the supported releases at their default gates, oldest
// first.
var releases = func() []Release {
	var out []Release
	for _, v := range api.Releases() {
		out = append(out, Release{Version: v})
	}
	return out
}()

func gates(v string, g map[api.Gate]bool) Release { return Release{Version: v, FeatureGates: g} }

// syncJob clears status.startTime when it sets the Suspended condition if
// MutableSchedulingDirectivesForSuspendedJobs is on (alpha in 1.35, beta
// and on from 1.36), so that the Job counts as never started again.
func TestSyncJobClearsStartTimeOnSuspendWithMutableSchedulingDirectives(t *testing.T) {
	on := map[api.Gate]bool{MutableSchedulingDirectivesForSuspendedJobs: true}
	off := map[api.Gate]bool{MutableSchedulingDirectivesForSuspendedJobs: false}
	cases := []struct {
		rel   Release
		clear bool
	}{
		{gates("1.34", nil), false},
		{gates("1.35", nil), false},
		{gates("1.35", on), true},
		{gates("1.36", nil), true},
		{gates("1.36", off), false},
		{gates("1.37", nil), true},
		{gates("1.37", off), false},
	}
	j := mkJob(completions(4), parallelism(2), suspended)
	running := []Pod{pod("a", PodRunning, 0), pod("b", PodRunning, 1)}
	for _, c := range cases {
		r := runAt(t, c.rel, j, Status{StartTime: at(0), Active: 2}, running, at(10))
		if got := r.Status.StartTime.IsZero(); got != c.clear {
			t.Errorf("%s %v: startTime %v, want cleared=%v", c.rel, c.rel.FeatureGates, r.Status.StartTime, c.clear)
		}
		if len(r.Delete) != 2 || len(r.Events) != 1 || r.Events[0].Reason != ReasonSuspendedEvent {
			t.Errorf("%s: deletes %v events %v", c.rel, r.Delete, r.Events)
		}
		// Already suspended: the condition does not change, nor does a
		// start time set since (e.g. by another writer).
		again := runAt(t, c.rel, j, Status{StartTime: at(20), Conditions: r.Status.Conditions}, nil, at(30))
		if !again.Status.StartTime.Equal(at(20)) {
			t.Errorf("%s: a second suspended pass changed startTime to %v", c.rel, again.Status.StartTime)
		}
	}
}

// managedByExternalController honours spec.managedBy only while JobManagedBy
// is on: on by default in 1.34 (beta, may be switched off), locked on from
// 1.35.
func TestManagedByExternalControllerFollowsJobManagedBy(t *testing.T) {
	j := mkJob(completions(2), parallelism(2), func(j *Job) { j.Spec.ManagedBy = "example.com/queue" })
	for _, rel := range releases {
		r := runAt(t, rel, j, Status{}, nil, at(0))
		if r.Skipped != ReasonManagedByOther || len(r.Create) != 0 || !r.Status.StartTime.IsZero() {
			t.Errorf("%s: skipped %q, %d creates, startTime %v", rel, r.Skipped, len(r.Create), r.Status.StartTime)
		}
	}
	r := runAt(t, gates("1.34", map[api.Gate]bool{JobManagedBy: false}), j, Status{}, nil, at(0))
	if r.Skipped != "" || len(r.Create) != 2 || !r.Status.StartTime.Equal(at(0)) {
		t.Errorf("1.34 JobManagedBy=false: skipped %q, %d creates", r.Skipped, len(r.Create))
	}
	// The built-in controller's own name is no reason to step aside.
	own := mkJob(func(j *Job) { j.Spec.ManagedBy = ControllerName })
	if r := run(t, own, Status{}, nil, at(0)); r.Skipped != "" || len(r.Create) != 1 {
		t.Errorf("managedBy %s: skipped %q, %d creates", ControllerName, r.Skipped, len(r.Create))
	}
	_, err := JobProgress(j, Status{}, nil, at(0), Options{Release: gates("1.35", map[api.Gate]bool{JobManagedBy: false})})
	if err == nil || !strings.Contains(err.Error(), "cannot set feature gate JobManagedBy to false, feature is locked to true") {
		t.Errorf("1.35 JobManagedBy=false: %v", err)
	}
}

// With JobManagedBy off the API server drops spec.managedBy on create
// (PrepareForCreate), so Validate does not check it and Default drops it.
func TestManagedByDroppedWhenJobManagedByIsOff(t *testing.T) {
	j := mkJob(func(j *Job) { j.Spec.ManagedBy = "controller" })
	off := gates("1.34", map[api.Gate]bool{JobManagedBy: false})
	if err := Validate(j, off); err != nil {
		t.Errorf("1.34 JobManagedBy=false: %v", err)
	}
	if got := Default(j, off).Spec.ManagedBy; got != "" {
		t.Errorf("Default kept managedBy %q", got)
	}
	for _, rel := range releases {
		err := Validate(j, rel)
		if err == nil || !strings.Contains(err.Error(), "spec.managedBy: Invalid value") {
			t.Errorf("%s: %v", rel, err)
		}
		if got := Default(j, rel).Spec.ManagedBy; got != "controller" {
			t.Errorf("%s: Default dropped managedBy (%q)", rel, got)
		}
	}
}

// From 1.36 syncJob returns before reading the Job when the informers have
// not caught up with the controller's own writes (EnsureReady of the
// consistency store, StaleControllerConsistencyJob); before, it acts on
// the stale view.
func TestSyncJobWaitsForOwnWritesWithStaleControllerConsistency(t *testing.T) {
	j := mkJob(completions(3), parallelism(2))
	j.WritesUnobserved = true
	st := Status{StartTime: at(0), Active: 1}
	pods := []Pod{pod("a", PodRunning, 0)}
	for _, c := range []struct {
		rel  Release
		skip bool
	}{
		{gates("1.34", nil), false},
		{gates("1.35", nil), false},
		{gates("1.36", nil), true},
		{gates("1.36", map[api.Gate]bool{StaleControllerConsistencyJob: false}), false},
		{gates("1.37", nil), true},
	} {
		r := runAt(t, c.rel, j, st, pods, at(5))
		if c.skip {
			if r.Skipped != ReasonStaleCache || len(r.Create)+len(r.Delete)+len(r.RemoveFinalizers)+len(r.Events) != 0 ||
				r.Status.Active != 1 || !r.RequeueAt.IsZero() {
				t.Errorf("%s: not skipped: %+v", c.rel, r)
			}
			continue
		}
		if r.Skipped != "" || len(r.Create) != 1 {
			t.Errorf("%s %v: skipped %q, %d creates", c.rel, c.rel.FeatureGates, r.Skipped, len(r.Create))
		}
	}
	// The TTL-after-finished controller does not wait.
	done := mkJob(func(j *Job) { j.Spec.TTLSecondsAfterFinished = p32(10); j.WritesUnobserved = true })
	fin := Status{Conditions: []Condition{newCondition(ConditionComplete, ReasonCompletionsReached, "", at(0))}}
	if r := run(t, done, fin, nil, at(10)); r.Skipped != ReasonStaleCache || r.DeleteJob == nil {
		t.Errorf("TTL on a skipped pass: %+v", r)
	}
}

// onlyReplaceFailedPods: before 1.37 a podFailurePolicy alone makes the
// controller wait for terminating pods to fail; from 1.37 only
// podReplacementPolicy Failed does. Only a Job stored invalid (a
// podFailurePolicy with TerminatingOrFailed) tells the two apart.
func TestOnlyReplaceFailedPodsFollowsPodReplacementPolicyFrom137(t *testing.T) {
	j := mkJob(completions(2), parallelism(1), pfp(PodFailurePolicyRule{Action: ActionIgnore,
		OnPodConditions: []OnPodCondition{{Type: PodDisruptionTarget}}}), func(j *Job) { j.Spec.PodReplacementPolicy = TerminatingOrFailed })
	term := pod("a", PodRunning, 0, func(p *Pod) { p.DeletionTimestamp = at(5) })
	for _, rel := range releases {
		// At 20 s the pod-failure back-off of a pod counted failed at 5 s
		// has passed.
		r := runAt(t, rel, j, Status{StartTime: at(0), Active: 1}, []Pod{term}, at(20))
		want := 0
		if rel.AtLeast("1.37") {
			want = 1
		}
		if len(r.Create) != want || r.Status.Terminating != 1 {
			t.Errorf("%s: %d creates (want %d), terminating %d", rel, len(r.Create), want, r.Status.Terminating)
		}
		if len(r.Warnings) == 0 {
			t.Errorf("%s: the invalid policy pair is not warned about", rel)
		}
	}
}

// Gates a release no longer registers, because the feature graduated, are
// refused in FeatureGates as the command line refuses them, and so are
// gates locked to their default.
func TestRemovedAndLockedJobGatesAreRefused(t *testing.T) {
	for _, c := range []struct {
		rel  Release
		want string
	}{
		{gates("1.37", map[api.Gate]bool{api.JobPodReplacementPolicy: true}), "unrecognized feature gate: JobPodReplacementPolicy"},
		{gates("1.37", map[api.Gate]bool{api.JobBackoffLimitPerIndex: true}), "unrecognized feature gate: JobBackoffLimitPerIndex"},
		{gates("1.37", map[api.Gate]bool{api.JobSuccessPolicy: false}), "unrecognized feature gate: JobSuccessPolicy"},
		{gates("1.35", map[api.Gate]bool{api.PodIndexLabel: true}), "unrecognized feature gate: PodIndexLabel"},
		{gates("1.34", map[api.Gate]bool{api.PodIndexLabel: false}), "cannot set feature gate PodIndexLabel to false, feature is locked to true"},
		{gates("1.36", map[api.Gate]bool{api.JobPodReplacementPolicy: false}), "cannot set feature gate JobPodReplacementPolicy to false, feature is locked to true"},
	} {
		_, err := JobProgress(mkJob(), Status{}, nil, at(0), Options{Release: c.rel})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: JobProgress %v, want %q", c.rel, c.rel.FeatureGates, err, c.want)
		}
		verr := Validate(mkJob(), c.rel)
		var fe *FieldError
		if !errors.As(verr, &fe) || !strings.Contains(verr.Error(), c.want) {
			t.Errorf("%s %v: Validate %v, want %q", c.rel, c.rel.FeatureGates, verr, c.want)
		}
	}
	// The same gates at a release that still registers them are fine.
	if _, err := JobProgress(mkJob(), Status{}, nil, at(0), Options{Release: gates("1.36", map[api.Gate]bool{api.JobSuccessPolicy: true})}); err != nil {
		t.Errorf("1.36 JobSuccessPolicy=true: %v", err)
	}
	if _, err := JobProgress(mkJob(), Status{}, nil, at(0), Options{Release: Release{Version: "1.33"}}); err == nil {
		t.Error("1.33 accepted")
	}
}

// Indexed pods carry the index label in every release: PodIndexLabel is
// locked on in 1.34 and gone from 1.35, and JOB_COMPLETION_INDEX reads it.
func TestIndexLabelInEveryRelease(t *testing.T) {
	for _, rel := range releases {
		r := runAt(t, rel, mkJob(indexed, completions(1)), Status{}, nil, at(0))
		if len(r.Create) != 1 || r.Create[0].Labels[AnnotationCompletionIndex] != "0" ||
			r.Create[0].Env[0].FieldPath != CompletionIndexFieldPath {
			t.Errorf("%s: %+v", rel, r.Create)
		}
	}
}

// Apart from the differences the package doc lists, every release decides
// alike: a valid Job managed by the built-in controller, with no
// unobserved writes and without UpstreamQuirks, gets the same result from
// each release, except for the start time a suspending pass clears from
// 1.36.
func TestPropertyReleasesDifferOnlyWhereDocumented(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		j, st, pods := genJob(t), genStatus(t), genPods(t)
		j.Spec.ManagedBy = rapid.SampledFrom([]string{"", ControllerName}).Draw(t, "managedBy")
		now := at(rapid.IntRange(0, 700).Draw(t, "now"))
		if err := Validate(j, Release{}); err != nil {
			t.Fatalf("generated job is invalid: %v", err)
		}
		var first Result
		for i, rel := range releases {
			res, err := JobProgress(j, st, pods, now, Options{Release: rel})
			if err != nil {
				t.Fatalf("%s: %v", rel, err)
			}
			suspending := slices.ContainsFunc(res.Events, func(e Event) bool { return e.Reason == ReasonSuspendedEvent })
			if suspending && rel.AtLeast("1.36") {
				if !res.Status.StartTime.IsZero() {
					t.Fatalf("%s: suspending kept startTime %v", rel, res.Status.StartTime)
				}
				res.Status.StartTime = first.Status.StartTime
				if b := res.StatusBeforeRemovals; b != nil && first.StatusBeforeRemovals != nil {
					if !b.StartTime.IsZero() {
						t.Fatalf("%s: suspending kept startTime %v in the status before removals", rel, b.StartTime)
					}
					b.StartTime = first.StatusBeforeRemovals.StartTime
				}
			}
			if i == 0 {
				first = res
				continue
			}
			if d := cmp.Diff(first, res); d != "" {
				t.Fatalf("%s differs from %s (-%s +%s):\n%s", rel, releases[0], releases[0], rel, d)
			}
		}
	})
}

// WorkloadWithJob (alpha, 1.36+) makes the controller create objects
// purectl does not model: a pass asked to follow it is refused, never
// answered as if the gate were off.
func TestWorkloadWithJobRefused(t *testing.T) {
	j := Job{Name: "pi", Namespace: "default", UID: "u", Spec: Spec{Template: PodTemplate{RestartPolicy: RestartNever, Containers: []string{"pi"}}}}
	on := Release{Version: "1.36", FeatureGates: map[api.Gate]bool{WorkloadWithJob: true, api.GenericWorkload: true}}
	_, err := JobProgress(j, Status{}, nil, time.Unix(0, 0), Options{Release: on})
	want := "release.featureGates[WorkloadWithJob]: Forbidden: JobProgress does not model the Workload and PodGroup objects the Job controller creates with this gate on"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if _, err := JobProgress(j, Status{}, nil, time.Unix(0, 0), Options{Release: Release{Version: "1.36"}}); err != nil {
		t.Fatalf("gate at its default (off): %v", err)
	}
}
