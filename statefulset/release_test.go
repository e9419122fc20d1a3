package statefulset

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/purectl/purectl/api"
)

// Each test here pins one behaviour that differs between releases, and runs
// on both sides of the change.

func gates(version string, g map[api.Gate]bool) *Options {
	o := at(version)
	o.Release.FeatureGates = g
	return &o
}

func withMaxUnavailable(n int32) func(*Set) {
	return func(s *Set) {
		s.UpdateRevision = "rev-2"
		s.Spec.UpdateStrategy = UpdateStrategy{Type: RollingUpdate,
			RollingUpdate: &RollingUpdateStrategy{Partition: i32(0), MaxUnavailable: &IntOrString{IntVal: n}}}
	}
}

// updateStatefulSetAfterInvariantEstablished runs only where
// MaxUnavailableStatefulSet is on: off by default up to 1.36, on in 1.37.
func TestMaxUnavailableDefaultByRelease_MaxUnavailableStatefulSet(t *testing.T) {
	for _, v := range releases {
		want := []string{"DeletePod:web-4"}
		if v == "1.37" {
			want = []string{"DeletePod:web-4", "DeletePod:web-3"}
		}
		for _, policy := range []func(*Set){func(*Set) {}, parallel} {
			o := at(v)
			runCases(t, []planCase{{name: v, set: mkSet(5, withMaxUnavailable(2), policy), pods: readyPods(0, 5, "rev-1"),
				want: want, opts: &o}})
		}
	}
	// The gate set explicitly wins over the release's default.
	runCases(t, []planCase{
		{name: "1.35 with the gate", set: mkSet(5, withMaxUnavailable(2)), pods: readyPods(0, 5, "rev-1"),
			want: []string{"DeletePod:web-4", "DeletePod:web-3"}, opts: gates("1.35", map[api.Gate]bool{api.MaxUnavailableStatefulSet: true})},
		{name: "1.37 without the gate", set: mkSet(5, withMaxUnavailable(2)), pods: readyPods(0, 5, "rev-1"),
			want: []string{"DeletePod:web-4"}, opts: gates("1.37", map[api.Gate]bool{api.MaxUnavailableStatefulSet: false})},
	})
}

// From 1.37 updateStatefulSetAfterInvariantEstablished has a Parallel set
// delete its outdated pods that are already unavailable first, whatever
// the budget, then spend what is left on available ones; before, a spent
// budget stopped it.
func TestParallelBudgetTwoPhases_updateStatefulSetAfterInvariantEstablished(t *testing.T) {
	on := map[api.Gate]bool{api.MaxUnavailableStatefulSet: true}
	twoBad := readyPods(0, 5, "rev-1")
	twoBad[0].Ready, twoBad[1].Ready = false, false
	for _, v := range releases {
		var want []string
		blocked := ReasonMaxUnavailable
		if v == "1.37" {
			want, blocked = []string{"DeletePod:web-1", "DeletePod:web-0"}, ""
		}
		runCases(t, []planCase{{name: v + " Parallel, two unavailable, maxUnavailable 1",
			set: mkSet(5, withMaxUnavailable(1), parallel), pods: twoBad, want: want, blocked: blocked, opts: gates(v, on)}})
	}
	// Phase 2 spends only what is left: 3 - 2 unavailable = 1 more.
	runCases(t, []planCase{{name: "1.37 Parallel, maxUnavailable 3",
		set: mkSet(5, withMaxUnavailable(3), parallel), pods: twoBad, opts: gates("1.37", nil),
		want: []string{"DeletePod:web-1", "DeletePod:web-0", "DeletePod:web-4"}}})
}

func recreateSet(s *Set) {
	s.UpdateRevision = "rev-2"
	s.Spec.UpdateStrategy = UpdateStrategy{Type: Recreate}
}

// The Recreate strategy: unknown before 1.37 (any type but OnDelete is a
// rolling update there); refused by a 1.37 controller with the gate off
// (updateStatefulSet's UnknownStrategy warning, no status); with the gate
// on, recreateDeleteAndWait deletes every old pod and creation waits until
// all are gone.
func TestRecreateByRelease_recreateDeleteAndWait(t *testing.T) {
	on := map[api.Gate]bool{api.StatefulSetRecreateStrategy: true}
	for _, v := range []string{"1.34", "1.35", "1.36"} {
		runCases(t, []planCase{{name: v + " rolling update", set: mkSet(3, recreateSet), pods: readyPods(0, 3, "rev-1"),
			want: []string{"DeletePod:web-2"}, opts: gates(v, nil)}})
	}
	runCases(t, []planCase{
		{name: "1.37 gate off", set: mkSet(3, recreateSet), pods: readyPods(0, 3, "rev-1"), blocked: ReasonUnknownStrategy,
			opts: gates("1.37", nil), check: func(t *testing.T, r Result) {
				if r.StatusChanged || len(r.Events) != 1 || r.Events[0].Reason != ReasonUnknownStrategy ||
					!strings.Contains(r.Events[0].Message, "feature gate StatefulSetRecreateStrategy is disabled") {
					t.Errorf("status changed %v, events %+v", r.StatusChanged, r.Events)
				}
			}},
		{name: "1.37 gate on deletes every old pod, scale-down ones too",
			set:  mkSet(2, recreateSet),
			pods: []Pod{mkPod(0, "rev-1", ready), mkPod(1, "rev-2", ready), mkPod(2, "rev-1", notReady), mkPod(3, "rev-1", deleting)},
			want: []string{"DeletePod:web-0", "DeletePod:web-2"}, blocked: ReasonRecreateWaiting, opts: gates("1.37", on),
			check: func(t *testing.T, r Result) {
				c := r.Status.Conditions
				if len(c) != 1 || c[0].Type != ConditionProgressing || c[0].Status != "True" || c[0].Reason != "RecreateInProgress" ||
					c[0].Message != "Deleting old revision pods" || !c[0].LastTransitionTime.Equal(t0) || !r.StatusChanged {
					t.Errorf("conditions %+v, changed %v", c, r.StatusChanged)
				}
			}},
		{name: "1.37 gate on waits for a terminating old pod",
			set:  mkSet(2, recreateSet),
			pods: []Pod{mkPod(0, "rev-2", ready), mkPod(1, "rev-1", deleting)}, blocked: ReasonRecreateWaiting, opts: gates("1.37", on)},
		{name: "1.37 gate on creates at the update revision once the old pods are gone",
			set:  mkSet(2, recreateSet, parallel),
			pods: []Pod{mkPod(1, "rev-2", notReady)}, want: []string{"CreatePod:web-0"}, opts: gates("1.37", on),
			check: func(t *testing.T, r Result) {
				if r.Actions[0].Revision != "rev-2" {
					t.Errorf("created at %s", r.Actions[0].Revision)
				}
				if c := r.Status.Conditions; len(c) != 1 || c[0].Message != "Waiting for new-revision pods to be created" {
					t.Errorf("conditions %+v", c)
				}
			}},
	})
}

// completeUpdate (1.37) ends any update whose pods are all updated and
// ready, and turns a Recreate's Progressing condition False; before 1.37
// completeRollingUpdate ends only a RollingUpdate.
func TestCompletionByRelease_completeUpdate(t *testing.T) {
	onDelete := func(s *Set) {
		s.UpdateRevision = "rev-2"
		s.Spec.UpdateStrategy = UpdateStrategy{Type: OnDelete}
	}
	for _, v := range releases {
		want := "rev-1"
		if v == "1.37" {
			want = "rev-2"
		}
		runCases(t, []planCase{{name: v + " OnDelete", set: mkSet(2, onDelete), pods: readyPods(0, 2, "rev-2"), opts: gates(v, nil),
			check: func(t *testing.T, r Result) {
				if r.Status.CurrentRevision != want {
					t.Errorf("currentRevision %s, want %s", r.Status.CurrentRevision, want)
				}
			}}})
	}
	set := mkSet(2, recreateSet)
	since := t0.Add(-time.Minute)
	set.Status.Conditions = []Condition{{Type: ConditionProgressing, Status: "True", Reason: "RecreateInProgress",
		Message: "Waiting for new-revision pods to be created", LastTransitionTime: since}}
	runCases(t, []planCase{{name: "1.37 Recreate completes", set: set, pods: readyPods(0, 2, "rev-2"),
		opts: gates("1.37", map[api.Gate]bool{api.StatefulSetRecreateStrategy: true}),
		check: func(t *testing.T, r Result) {
			want := []Condition{{Type: ConditionProgressing, Status: "False", Reason: "RecreateCompleted",
				Message: "All pods recreated successfully", LastTransitionTime: t0}}
			if d := cmp.Diff(want, r.Status.Conditions); d != "" || r.Status.CurrentRevision != "rev-2" {
				t.Errorf("conditions (-want +got):\n%s\ncurrent %s", d, r.Status.CurrentRevision)
			}
		}}})
}

// The status write keeps the set's conditions from 1.37 (and compares
// them); before, the controller writes a status without any.
func TestConditionsKeptByRelease_updateStatefulSet(t *testing.T) {
	set := mkSet(1)
	set.Status.Conditions = []Condition{{Type: "Custom", Status: "True", LastTransitionTime: t0}}
	for _, v := range releases {
		r, err := NextStatefulAction(set, readyPods(0, 1, "rev-1"), nil, t0, at(v))
		if err != nil {
			t.Fatal(err)
		}
		if kept := len(r.Status.Conditions) == 1; kept != (v == "1.37") {
			t.Errorf("%s: conditions %+v", v, r.Status.Conditions)
		}
	}
}

// StaleControllerConsistencyStatefulSet (beta, on from 1.36): sync skips
// a set whose informers are behind the controller's own writes
// (ConsistencyStore.EnsureReady).
func TestStaleObservationByRelease_EnsureReady(t *testing.T) {
	behind := Options{Wrote: map[string]string{ResourcePods: "120"}, Read: map[string]string{ResourcePods: "99"}}
	for _, v := range releases {
		o := behind
		o.Release = Release{Version: v}
		r, err := NextStatefulAction(mkSet(2), nil, nil, t0, o)
		if err != nil {
			t.Fatal(err)
		}
		skipped := r.Blocked != nil && r.Blocked.Reason == ReasonStaleObservation
		if skipped != (v >= "1.36") {
			t.Errorf("%s: skipped %v, %v", v, skipped, summary(r))
		}
		if skipped && (len(r.Actions) != 0 || r.StatusChanged) {
			t.Errorf("%s: a skipped pass acts: %v", v, summary(r))
		}
	}
	for name, o := range map[string]Options{
		"caught up":         {Wrote: map[string]string{ResourcePods: "120"}, Read: map[string]string{ResourcePods: "120"}},
		"not comparable":    {Wrote: map[string]string{ResourcePods: "0120"}, Read: map[string]string{ResourcePods: "99"}},
		"read not recorded": {Wrote: map[string]string{ResourceClaims: "5"}},
		"gate off":          {Wrote: behind.Wrote, Read: behind.Read, Release: Release{Version: "1.36", FeatureGates: map[api.Gate]bool{api.StaleControllerConsistencyStatefulSet: false}}},
	} {
		r, err := NextStatefulAction(mkSet(2), nil, nil, t0, o)
		if err != nil || len(r.Actions) != 1 {
			t.Errorf("%s: %v %v", name, err, summary(r))
		}
	}
}

// From 1.35 updateStatefulSetStatus scales maxUnavailable (for a metric)
// before it writes, so with the gate on a value it cannot scale fails the
// status write; in 1.34 only the rolling update fails.
func TestInvalidMaxUnavailableStatusByRelease_updateStatefulSetStatus(t *testing.T) {
	bad := func(s *Set) {
		s.Generation = 2
		s.Spec.UpdateStrategy = UpdateStrategy{Type: RollingUpdate,
			RollingUpdate: &RollingUpdateStrategy{MaxUnavailable: &IntOrString{IsString: true, StrVal: "lots"}}}
	}
	for _, v := range releases {
		r, err := NextStatefulAction(mkSet(1, bad), readyPods(0, 1, "rev-1"), nil, t0, *gates(v, map[api.Gate]bool{api.MaxUnavailableStatefulSet: true}))
		if err != nil {
			t.Fatal(err)
		}
		if r.StatusChanged != (v == "1.34") || r.Blocked == nil || r.Blocked.Reason != ReasonInvalidMaxUnavailable {
			t.Errorf("%s: status changed %v, blocked %+v", v, r.StatusChanged, r.Blocked)
		}
	}
}

// ValidateStatefulSetSpec accepts Recreate (without rollingUpdate) from
// 1.37 with StatefulSetRecreateStrategy, and then names it among the
// allowed types.
func TestValidateRecreateByRelease_ValidateStatefulSetSpec(t *testing.T) {
	on := Release{Version: "1.37", FeatureGates: map[api.Gate]bool{api.StatefulSetRecreateStrategy: true}}
	errsOf := func(mod func(*Set), rel Release) []string {
		set := mkSet(1, mod)
		var out []string
		for _, e := range AsFieldErrors(Validate(&set, rel)) {
			out = append(out, e.Error())
		}
		return out
	}
	recreate := func(s *Set) { s.Spec.UpdateStrategy = UpdateStrategy{Type: Recreate} }
	unknown := func(s *Set) { s.Spec.UpdateStrategy = UpdateStrategy{Type: "Burst"} }
	withRU := func(s *Set) {
		s.Spec.UpdateStrategy = UpdateStrategy{Type: Recreate, RollingUpdate: &RollingUpdateStrategy{Partition: i32(1)}}
	}
	old := []string{`spec.updateStrategy: Invalid value: {"Type":"Recreate","RollingUpdate":null}: must be 'RollingUpdate' or 'OnDelete'`}
	for _, rel := range []Release{{Version: "1.34"}, {Version: "1.36"}, {Version: "1.37"}} {
		if d := cmp.Diff(old, errsOf(recreate, rel)); d != "" {
			t.Errorf("%s: (-want +got)\n%s", rel.Version, d)
		}
	}
	if got := errsOf(recreate, on); got != nil {
		t.Errorf("gate on: %v", got)
	}
	want := []string{`spec.updateStrategy: Invalid value: {"Type":"Burst","RollingUpdate":null}: must be 'RollingUpdate', 'OnDelete', or 'Recreate'`}
	if d := cmp.Diff(want, errsOf(unknown, on)); d != "" {
		t.Errorf("unknown type, gate on (-want +got)\n%s", d)
	}
	want = []string{`spec.updateStrategy.rollingUpdate: Invalid value: {"Partition":1,"MaxUnavailable":null}: only allowed for updateStrategy 'RollingUpdate'`}
	if d := cmp.Diff(want, errsOf(withRU, on)); d != "" {
		t.Errorf("Recreate with rollingUpdate (-want +got)\n%s", d)
	}
}

// SetDefaults_StatefulSet gives rollingUpdate maxUnavailable 1 where
// MaxUnavailableStatefulSet is on.
func TestDefaultMaxUnavailableByRelease_SetDefaults_StatefulSet(t *testing.T) {
	for _, rel := range []Release{{Version: "1.34"}, {Version: "1.36"}, {Version: "1.37"},
		{Version: "1.34", FeatureGates: map[api.Gate]bool{api.MaxUnavailableStatefulSet: true}}} {
		s := Default(Set{Name: "web"}, rel).Spec.UpdateStrategy.RollingUpdate
		if got, want := s.MaxUnavailable != nil, rel.Enabled(api.MaxUnavailableStatefulSet); got != want {
			t.Errorf("%v: maxUnavailable set %v", rel, got)
		} else if got && (s.MaxUnavailable.IsString || s.MaxUnavailable.IntVal != 1) {
			t.Errorf("%v: maxUnavailable %v", rel, s.MaxUnavailable)
		}
	}
}

// From 1.35 syncStatefulSet re-queues at FindMinNextPodAvailabilityCheck
// over every pod it claimed, a pod no slot holds included; purectl's 1.34
// RequeueAt looks at the replicas it counts.
func TestRequeueByRelease_FindMinNextPodAvailabilityCheck(t *testing.T) {
	set := mkSet(1, func(s *Set) { s.Spec.MinReadySeconds = 60 })
	fresh := mkPod(0, "rev-1", ready)
	fresh.ReadySince = t0.Add(-10 * time.Second)
	stray := mkPod(0, "rev-1", ready)
	stray.Name, stray.ReadySince = "web-99999999999", t0.Add(-50*time.Second)
	for _, v := range releases {
		r, err := NextStatefulAction(set, []Pod{fresh, stray}, nil, t0, at(v))
		if err != nil {
			t.Fatal(err)
		}
		want := t0.Add(50*time.Second + time.Nanosecond)
		if v != "1.34" {
			want = t0.Add(10*time.Second + time.Nanosecond)
		}
		if !r.RequeueAt.Equal(want) {
			t.Errorf("%s: RequeueAt %v, want %v", v, r.RequeueAt, want)
		}
	}
}
