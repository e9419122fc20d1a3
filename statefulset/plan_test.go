package statefulset

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/purectl/purectl/api"
)

type planCase struct {
	name    string
	set     Set
	pods    []Pod
	claims  []Claim
	want    []string // summary of actions
	blocked Reason   // "" means none
	blockOn string   // pod named by Blocked, if any
	check   func(t *testing.T, r Result)
	// opts is the release to plan at; zero means 1.34.
	opts *Options
}

func runCases(t *testing.T, cases []planCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := opts134
			if tc.opts != nil {
				opts = *tc.opts
			}
			r, err := NextStatefulAction(tc.set, tc.pods, tc.claims, t0, opts)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, summary(r)); d != "" {
				t.Errorf("actions (-want +got):\n%s", d)
			}
			switch {
			case tc.blocked == "" && r.Blocked != nil:
				t.Errorf("unexpected Blocked %+v", *r.Blocked)
			case tc.blocked != "" && r.Blocked == nil:
				t.Errorf("want Blocked %s, got none", tc.blocked)
			case tc.blocked != "":
				if r.Blocked.Reason != tc.blocked || (tc.blockOn != "" && r.Blocked.Pod != tc.blockOn) {
					t.Errorf("Blocked = %+v, want %s on %q", *r.Blocked, tc.blocked, tc.blockOn)
				}
			}
			for _, a := range r.Actions {
				if a.Reason == "" || a.Message == "" {
					t.Errorf("action without reason or message: %+v", a)
				}
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

func TestScaling(t *testing.T) {
	unready1 := readyPods(0, 5, "rev-1")
	unready1[1].Ready = false
	twoBad := readyPods(0, 5, "rev-1")
	twoBad[3].Ready, twoBad[4].Ready = false, false
	topBad := readyPods(0, 5, "rev-1")
	topBad[4].Ready = false
	runCases(t, []planCase{
		{name: "OrderedReady creates the lowest missing ordinal first and waits for it",
			set: mkSet(3), want: []string{"CreatePod:web-0"}, blocked: ReasonWaitingForRunningReady, blockOn: "web-0"},
		{name: "OrderedReady fills a hole below live pods first",
			set: mkSet(3), pods: []Pod{mkPod(0, "rev-1", ready), mkPod(2, "rev-1", ready)},
			want: []string{"CreatePod:web-1"}, blocked: ReasonWaitingForRunningReady, blockOn: "web-1"},
		{name: "OrderedReady does not create ordinal i+1 while i is not Ready",
			set: mkSet(3), pods: []Pod{mkPod(0, "rev-1", notReady)}, blocked: ReasonWaitingForRunningReady, blockOn: "web-0"},
		{name: "OrderedReady waits for a Pending pod",
			set: mkSet(3), pods: []Pod{mkPod(0, "rev-1", pending)}, blocked: ReasonWaitingForRunningReady, blockOn: "web-0"},
		{name: "ordinals.start shifts the identities",
			set:  mkSet(2, func(s *Set) { s.Spec.Ordinals = &Ordinals{Start: 5} }),
			pods: []Pod{mkPod(5, "rev-1", ready)}, want: []string{"CreatePod:web-6"}, blocked: ReasonWaitingForRunningReady},
		{name: "pods below ordinals.start are condemned",
			set:  mkSet(2, func(s *Set) { s.Spec.Ordinals = &Ordinals{Start: 1} }),
			pods: readyPods(0, 3, "rev-1"), want: []string{"DeletePod:web-0"}},
		{name: "Parallel creates every missing pod at once",
			set: mkSet(4, parallel), pods: []Pod{mkPod(1, "rev-1", pending)},
			want: []string{"CreatePod:web-0", "CreatePod:web-2", "CreatePod:web-3"}},
		{name: "OrderedReady scales down highest first, one per pass",
			set: mkSet(3), pods: readyPods(0, 5, "rev-1"), want: []string{"DeletePod:web-4"}},
		{name: "no scale-down while a lower in-range pod is unhealthy",
			set: mkSet(3), pods: unready1, blocked: ReasonWaitingForRunningReady, blockOn: "web-1"},
		{name: "the first unhealthy pod may be deleted while unhealthy",
			set: mkSet(3), pods: topBad, want: []string{"DeletePod:web-4"}},
		{name: "an unhealthy condemned pod that is not the first unhealthy blocks",
			set: mkSet(3), pods: twoBad, blocked: ReasonWaitingForRunningReady, blockOn: "web-4"},
		{name: "OrderedReady waits for a terminating condemned pod",
			set:  mkSet(3),
			pods: append(readyPods(0, 4, "rev-1"), mkPod(4, "rev-1", deleting)), blocked: ReasonWaitingForTermination, blockOn: "web-4"},
		{name: "Parallel deletes every condemned pod",
			set: mkSet(2, parallel), pods: readyPods(0, 5, "rev-1"),
			want: []string{"DeletePod:web-4", "DeletePod:web-3", "DeletePod:web-2"}},
		{name: "Parallel neither waits for nor recreates a terminating pod",
			set: mkSet(2, parallel), pods: []Pod{mkPod(0, "rev-1", deleting)}, want: []string{"CreatePod:web-1"}},
		{name: "AV1 OrderedReady waits minReadySeconds before the next pod",
			set: mkSet(3, func(s *Set) { s.Spec.MinReadySeconds = 10 }),
			pods: func() []Pod {
				p := mkPod(0, "rev-1", ready)
				p.ReadySince = t0.Add(-4 * time.Second)
				return []Pod{p}
			}(),
			blocked: ReasonWaitingForAvailable, blockOn: "web-0",
			check: func(t *testing.T, r Result) {
				if want := t0.Add(6*time.Second + time.Nanosecond); !r.RequeueAt.Equal(want) {
					t.Errorf("RequeueAt = %v, want %v", r.RequeueAt, want)
				}
				if r.Status.ReadyReplicas != 1 || r.Status.AvailableReplicas != 0 {
					t.Errorf("status %+v", r.Status)
				}
			}},
		{name: "AV1 exactly minReadySeconds ready is not yet available",
			set: mkSet(2, func(s *Set) { s.Spec.MinReadySeconds = 10 }),
			pods: func() []Pod {
				p := mkPod(0, "rev-1", ready)
				p.ReadySince = t0.Add(-10 * time.Second)
				return []Pod{p}
			}(),
			blocked: ReasonWaitingForAvailable},
		{name: "AV1 after minReadySeconds the next pod is created",
			set: mkSet(2, func(s *Set) { s.Spec.MinReadySeconds = 10 }),
			pods: func() []Pod {
				p := mkPod(0, "rev-1", ready)
				p.ReadySince = t0.Add(-11 * time.Second)
				return []Pod{p}
			}(),
			want: []string{"CreatePod:web-1"}, blocked: ReasonWaitingForRunningReady,
			check: func(t *testing.T, r Result) {
				if !r.RequeueAt.IsZero() {
					t.Errorf("RequeueAt = %v, want zero", r.RequeueAt)
				}
			}},
		{name: "a Failed pod is deleted and OrderedReady stops",
			set: mkSet(3), pods: []Pod{mkPod(0, "rev-1", failed), mkPod(1, "rev-1", ready)},
			want: []string{"DeletePod:web-0"}, blocked: ReasonWaitingForReplacement, blockOn: "web-0"},
		{name: "a Succeeded pod is replaced too",
			set: mkSet(1), pods: func() []Pod { p := mkPod(0, "rev-1", ready); p.Phase, p.Ready = PodSucceeded, false; return []Pod{p} }(),
			want: []string{"DeletePod:web-0"}, blocked: ReasonWaitingForReplacement},
		{name: "a Failed pod already terminating is not deleted again",
			set: mkSet(1), pods: func() []Pod { p := mkPod(0, "rev-1", failed); p.Deleting = true; return []Pod{p} }(),
			blocked: ReasonWaitingForReplacement},
		{name: "Parallel deletes a Failed pod and goes on",
			set: mkSet(3, parallel), pods: []Pod{mkPod(0, "rev-1", failed)},
			want: []string{"DeletePod:web-0", "CreatePod:web-1", "CreatePod:web-2"}},
		{name: "OrderedReady waits for a terminating in-range pod",
			set: mkSet(3), pods: []Pod{mkPod(0, "rev-1", deleting)}, blocked: ReasonWaitingForTermination, blockOn: "web-0"},
		{name: "a pod without a phase is waited for",
			set: mkSet(2), pods: func() []Pod { p := mkPod(0, "rev-1", ready); p.Phase, p.Ready = "", false; return []Pod{p} }(),
			blocked: ReasonWaitingForStatus},
		{name: "a set being deleted gets status only",
			set: mkSet(3, deletingSet), pods: readyPods(0, 5, "rev-1"), blocked: ReasonSetDeleting,
			check: func(t *testing.T, r Result) {
				if r.Status.Replicas != 5 {
					t.Errorf("replicas = %d, want 5", r.Status.Replicas)
				}
			}},
		{name: "scaled to zero, OrderedReady removes the highest pod",
			set: mkSet(0), pods: readyPods(0, 2, "rev-1"), want: []string{"DeletePod:web-1"}},
	})
}

func TestRollingUpdate(t *testing.T) {
	mixed := append(readyPods(0, 4, "rev-1"), mkPod(4, "rev-2", ready))
	brokenNew := append(readyPods(0, 4, "rev-1"), mkPod(4, "rev-2", notReady))
	runCases(t, []planCase{
		{name: "deletes the highest outdated pod first",
			set: mkSet(5, withUpdate("rev-2", 0)), pods: readyPods(0, 5, "rev-1"), want: []string{"DeletePod:web-4"},
			check: func(t *testing.T, r Result) {
				if r.Status.CurrentReplicas != 4 {
					t.Errorf("currentReplicas = %d, want 5-1", r.Status.CurrentReplicas)
				}
				if r.Status.CurrentRevision != "rev-1" || r.Status.UpdateRevision != "rev-2" {
					t.Errorf("revisions %+v", r.Status)
				}
			}},
		{name: "then the next one down once the updated pod is ready",
			set: mkSet(5, withUpdate("rev-2", 0)), pods: mixed, want: []string{"DeletePod:web-3"}},
		{name: "partition 3 of 5 leaves slots 0-2 alone",
			set:  mkSet(5, withUpdate("rev-2", 3)),
			pods: append(readyPods(0, 3, "rev-1"), mkPod(3, "rev-2", ready), mkPod(4, "rev-2", ready)),
			check: func(t *testing.T, r Result) {
				if r.Status.CurrentRevision != "rev-1" || r.Status.UpdatedReplicas != 2 || r.Status.CurrentReplicas != 3 {
					t.Errorf("status %+v", r.Status)
				}
			}},
		{name: "§9 partition counts from ordinals.start",
			set:  mkSet(3, withUpdate("rev-2", 1), func(s *Set) { s.Spec.Ordinals = &Ordinals{Start: 2} }),
			pods: append(readyPods(2, 3, "rev-1"), mkPod(3, "rev-2", ready), mkPod(4, "rev-2", ready))},
		{name: "partition beyond replicas updates nothing",
			set: mkSet(3, withUpdate("rev-2", 7)), pods: readyPods(0, 3, "rev-1")},
		{name: "the update waits for an unhealthy updated pod and says it may be stuck",
			set: mkSet(5, withUpdate("rev-2", 0), parallel), pods: brokenNew,
			blocked: ReasonWaitingForUpdatedPod, blockOn: "web-4"},
		{name: "OrderedReady reports the stuck update on the updated pod too",
			set: mkSet(5, withUpdate("rev-2", 0)), pods: brokenNew, blocked: ReasonWaitingForUpdatedPod, blockOn: "web-4"},
		{name: "kubernetes#67250 an unhealthy outdated pod blocks OrderedReady forever and is named",
			set:  mkSet(3, withUpdate("rev-1", 0), func(s *Set) { s.Status.CurrentRevision = "rev-1" }),
			pods: append(readyPods(0, 2, "rev-1"), mkPod(2, "rev-2", notReady)), blocked: ReasonOutdatedPodUnhealthy, blockOn: "web-2"},
		{name: "one pod at a time also under Parallel",
			set: mkSet(5, withUpdate("rev-2", 0), parallel), pods: readyPods(0, 5, "rev-1"), want: []string{"DeletePod:web-4"}},
		{name: "a terminating outdated pod is waited for, not deleted again",
			set:  mkSet(3, withUpdate("rev-2", 0), parallel),
			pods: append(readyPods(0, 2, "rev-1"), mkPod(2, "rev-1", deleting)), blocked: ReasonWaitingForTermination, blockOn: "web-2"},
		{name: "a missing pod below the partition comes back at the current revision",
			set: mkSet(3, withUpdate("rev-2", 2)), pods: readyPods(1, 3, "rev-1"), want: []string{"CreatePod:web-0"},
			blocked: ReasonWaitingForRunningReady,
			check: func(t *testing.T, r Result) {
				if r.Actions[0].Revision != "rev-1" || r.Actions[0].NewPod.Labels[RevisionLabel] != "rev-1" {
					t.Errorf("created at %q", r.Actions[0].Revision)
				}
			}},
		{name: "a missing pod at or above the partition comes back at the update revision",
			set: mkSet(3, withUpdate("rev-2", 2)), pods: readyPods(0, 2, "rev-1"), want: []string{"CreatePod:web-2"},
			blocked: ReasonWaitingForRunningReady,
			check: func(t *testing.T, r Result) {
				if r.Actions[0].Revision != "rev-2" {
					t.Errorf("created at %q", r.Actions[0].Revision)
				}
			}},
		{name: "OnDelete never deletes outdated pods",
			set:  mkSet(3, func(s *Set) { s.UpdateRevision = "rev-2"; s.Spec.UpdateStrategy.Type = OnDelete }),
			pods: readyPods(0, 3, "rev-1"),
			check: func(t *testing.T, r Result) {
				if r.Status.CurrentRevision != "rev-1" {
					t.Errorf("OnDelete advanced currentRevision: %+v", r.Status)
				}
			}},
		{name: "§9 OnDelete recreates a deleted pod at the update revision",
			set:  mkSet(3, func(s *Set) { s.UpdateRevision = "rev-2"; s.Spec.UpdateStrategy.Type = OnDelete }),
			pods: readyPods(1, 3, "rev-1"), want: []string{"CreatePod:web-0"}, blocked: ReasonWaitingForRunningReady,
			check: func(t *testing.T, r Result) {
				if r.Actions[0].Revision != "rev-2" {
					t.Errorf("created at %q", r.Actions[0].Revision)
				}
			}},
		{name: "the update completes when every pod is updated and ready",
			set: mkSet(3, withUpdate("rev-2", 0)), pods: readyPods(0, 3, "rev-2"),
			check: func(t *testing.T, r Result) {
				want := Status{ObservedGeneration: 1, Replicas: 3, ReadyReplicas: 3, AvailableReplicas: 3, CurrentReplicas: 3,
					UpdatedReplicas: 3, CurrentRevision: "rev-2", UpdateRevision: "rev-2"}
				if d := cmp.Diff(want, r.Status); d != "" {
					t.Errorf("status (-want +got):\n%s", d)
				}
				if !r.StatusChanged {
					t.Error("status changed but StatusChanged is false")
				}
			}},
		{name: "not while an updated pod is unready",
			set: mkSet(2, withUpdate("rev-2", 0), parallel), pods: []Pod{mkPod(0, "rev-2", ready), mkPod(1, "rev-2", notReady)},
			blocked: ReasonWaitingForUpdatedPod,
			check: func(t *testing.T, r Result) {
				if r.Status.CurrentRevision != "rev-1" {
					t.Errorf("completed too early: %+v", r.Status)
				}
			}},
	})
}

func maxUnavail(v IntOrString) func(*Set) {
	return func(s *Set) {
		s.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable = &v
	}
}

func TestMaxUnavailable(t *testing.T) {
	oneBadLow := readyPods(0, 5, "rev-1")
	oneBadLow[0].Ready = false
	cases := []planCase{
		{name: "gate on: maxUnavailable 2 replaces the two highest pods",
			set: mkSet(5, withUpdate("rev-2", 0), parallel, maxUnavail(IntOrString{IntVal: 2})), pods: readyPods(0, 5, "rev-1"),
			want: []string{"DeletePod:web-4", "DeletePod:web-3"},
			check: func(t *testing.T, r Result) {
				if r.Status.CurrentReplicas != 3 {
					t.Errorf("currentReplicas %d, want 3", r.Status.CurrentReplicas)
				}
			}},
		{name: "gate off (v1.34 default): maxUnavailable is ignored",
			set: mkSet(5, withUpdate("rev-2", 0), parallel, maxUnavail(IntOrString{IntVal: 2})), opts: &opts134,
			pods: readyPods(0, 5, "rev-1"), want: []string{"DeletePod:web-4"}},
		{name: "§9 unhealthy pods below the partition use up the budget",
			set:  mkSet(5, withUpdate("rev-2", 3), parallel, maxUnavail(IntOrString{IntVal: 2})),
			pods: oneBadLow, want: []string{"DeletePod:web-4"}},
		{name: "budget exhausted blocks and names the pod",
			set:  mkSet(5, withUpdate("rev-2", 0), parallel, maxUnavail(IntOrString{IntVal: 1})),
			pods: oneBadLow, blocked: ReasonMaxUnavailable, blockOn: "web-0", opts: &on134},
		{name: "§9 a percentage rounds down: 50% of 5 is 2",
			set: mkSet(5, withUpdate("rev-2", 0), parallel, maxUnavail(IntOrString{IsString: true, StrVal: "50%"})), pods: readyPods(0, 5, "rev-1"),
			want: []string{"DeletePod:web-4", "DeletePod:web-3"}},
		{name: "§9 a percentage has a floor of 1: 10% of 5",
			set: mkSet(5, withUpdate("rev-2", 0), parallel, maxUnavail(IntOrString{IsString: true, StrVal: "10%"})), pods: readyPods(0, 5, "rev-1"),
			want: []string{"DeletePod:web-4"}},
		{name: "updated pods are skipped, not counted against the budget",
			set:  mkSet(5, withUpdate("rev-2", 0), parallel, maxUnavail(IntOrString{IntVal: 2})),
			pods: append(readyPods(0, 3, "rev-1"), mkPod(3, "rev-2", ready), mkPod(4, "rev-2", ready)),
			want: []string{"DeletePod:web-2", "DeletePod:web-1"}},
	}
	// The cases without a release run with the gate on in every release:
	// 1.34 to 1.36 with it set, 1.37 by default; the OrderedReady and
	// Parallel budget loops agree on all of them.
	for _, v := range releases {
		opts := at(v)
		if v != "1.37" {
			opts.Release.FeatureGates = map[api.Gate]bool{api.MaxUnavailableStatefulSet: true}
		}
		var run []planCase
		for _, tc := range cases {
			if tc.opts == nil {
				tc.opts = &opts
			} else if v != "1.34" {
				continue
			}
			tc.name = v + ": " + tc.name
			run = append(run, tc)
		}
		runCases(t, run)
	}
}

func claimOf(tmpl string, ord int32, refs ...OwnerRef) Claim {
	n := ClaimName(tmpl, "web", ord)
	return Claim{Name: n, Namespace: "ns", UID: "uid-" + n, OwnerRefs: refs}
}

var (
	setRef = OwnerRef{APIVersion: "apps/v1", Kind: "StatefulSet", Name: "web", UID: "set-uid", Controller: true}
)

func podRef(ord int32) OwnerRef {
	n := PodName("web", ord)
	return OwnerRef{APIVersion: "v1", Kind: "Pod", Name: n, UID: "uid-" + n, Controller: true}
}

func retention(whenDeleted, whenScaled RetentionPolicyType) func(*Set) {
	return func(s *Set) {
		s.Spec.PersistentVolumeClaimRetentionPolicy = &RetentionPolicy{WhenDeleted: whenDeleted, WhenScaled: whenScaled}
	}
}

func TestClaims(t *testing.T) {
	sel := func(s *Set) {
		s.Spec.Selector.MatchLabels["tier"] = "db"
		s.Spec.Template.Labels["tier"] = "db"
		s.Spec.VolumeClaimTemplates = []ClaimTemplate{{Name: "data", Labels: map[string]string{"tier": "x", "disk": "ssd"}}, {Name: "logs"}}
	}
	runCases(t, []planCase{
		{name: "claims are created before their pod, named <template>-<set>-<ordinal>",
			set: mkSet(1, sel), want: []string{"CreateClaim:data-web-0", "CreateClaim:logs-web-0", "CreatePod:web-0"},
			blocked: ReasonWaitingForRunningReady,
			check: func(t *testing.T, r Result) {
				want := map[string]string{"tier": "db", "disk": "ssd", "app": "web"}
				if d := cmp.Diff(want, r.Actions[0].NewClaim.Labels); d != "" {
					t.Errorf("claim labels (-want +got):\n%s", d)
				}
				// newStatefulSetPod: the template's labels under the identity
				// labels, and the set as controller.
				wantPod := &NewPod{Name: "web-0", Namespace: "ns", Hostname: "web-0", Subdomain: "web",
					Labels:    map[string]string{"app": "web", "tier": "db", PodNameLabel: "web-0", PodIndexLabel: "0", RevisionLabel: "rev-1"},
					OwnerRefs: []OwnerRef{{APIVersion: "apps/v1", Kind: "StatefulSet", Name: "web", UID: "set-uid", Controller: true}},
					Volumes:   []Volume{{"data", "data-web-0"}, {"logs", "logs-web-0"}}}
				if d := cmp.Diff(wantPod, r.Actions[2].NewPod); d != "" {
					t.Errorf("new pod (-want +got):\n%s", d)
				}
				if r.Actions[0].NewClaim.OwnerRefs != nil {
					t.Errorf("Retain/Retain claim has owners %v", r.Actions[0].NewClaim.OwnerRefs)
				}
			}},
		{name: "an existing claim is reused",
			set: mkSet(1, withTemplates("data")), claims: []Claim{claimOf("data", 0)},
			want: []string{"CreatePod:web-0"}, blocked: ReasonWaitingForRunningReady},
		{name: "with many templates (more than a scan serves) only the missing claim is created",
			set: mkSet(1, withTemplates("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9")),
			claims: []Claim{claimOf("t0", 0), claimOf("t1", 0), claimOf("t2", 0), claimOf("t3", 0), claimOf("t4", 0),
				claimOf("t5", 0), claimOf("t6", 0), claimOf("t8", 0), claimOf("t9", 0)},
			want: []string{"CreateClaim:t7-web-0", "CreatePod:web-0"}, blocked: ReasonWaitingForRunningReady},
		{name: "a Pending pod gets its missing claims",
			set: mkSet(1, withTemplates("data")), pods: []Pod{mkPod(0, "rev-1", pending, "data")},
			want: []string{"CreateClaim:data-web-0"}, blocked: ReasonWaitingForRunningReady},
		{name: "a claim being deleted stops the pod's creation",
			set: mkSet(1, withTemplates("data", "logs")), claims: []Claim{func() Claim { c := claimOf("data", 0); c.Deleting = true; return c }()},
			want: []string{"CreateClaim:logs-web-0"}, blocked: ReasonClaimTerminating, blockOn: "web-0"},
		{name: "Parallel: a terminating claim ends the pass after its slow-start batch",
			set: mkSet(4, parallel, withTemplates("data")),
			claims: []Claim{claimOf("data", 0), func() Claim { c := claimOf("data", 1); c.Deleting = true; return c }(),
				claimOf("data", 2), claimOf("data", 3)},
			want: []string{"CreatePod:web-0", "CreatePod:web-2"}, blocked: ReasonClaimTerminating, blockOn: "web-1"},
		{name: "createPersistentVolumeClaims creates claims without owners, even with whenDeleted=Delete",
			set: mkSet(1, withTemplates("data"), retention(Delete, Retain)), want: []string{"CreateClaim:data-web-0", "CreatePod:web-0"},
			blocked: ReasonWaitingForRunningReady,
			check: func(t *testing.T, r Result) {
				if r.Actions[0].NewClaim.OwnerRefs != nil {
					t.Errorf("new claim has owners %v", r.Actions[0].NewClaim.OwnerRefs)
				}
			}},
		{name: "createMissingPersistentVolumeClaims gives a Pending pod's observed claims their owners",
			set: mkSet(1, withTemplates("data"), retention(Delete, Retain)), pods: []Pod{mkPod(0, "rev-1", pending, "data")},
			claims: []Claim{claimOf("data", 0)}, want: []string{"UpdateClaim:data-web-0"}, blocked: ReasonWaitingForRunningReady,
			check: func(t *testing.T, r Result) {
				if d := cmp.Diff([]OwnerRef{setRef}, r.Actions[0].OwnerRefs); d != "" {
					t.Errorf("owners (-want +got):\n%s", d)
				}
			}},
		{name: "CreateStatefulPod fixes the owners of the new pod's observed claims",
			set: mkSet(1, withTemplates("data"), retention(Delete, Retain)), claims: []Claim{claimOf("data", 0)},
			want: []string{"CreatePod:web-0", "UpdateClaim:data-web-0"}, blocked: ReasonWaitingForRunningReady},
		{name: "whenScaled=Delete points a condemned pod's claim at the pod before deleting it",
			set:    mkSet(1, withTemplates("data"), retention(Retain, Delete)),
			pods:   readyPods(0, 2, "rev-1", "data"),
			claims: []Claim{claimOf("data", 0), claimOf("data", 1)},
			want:   []string{"UpdateClaim:data-web-1", "DeletePod:web-1"},
			check: func(t *testing.T, r Result) {
				if d := cmp.Diff([]OwnerRef{podRef(1)}, r.Actions[0].OwnerRefs); d != "" {
					t.Errorf("owners (-want +got):\n%s", d)
				}
			}},
		{name: "Delete/Delete: in-range claim owned by the set, condemned by the pod only",
			set:    mkSet(1, withTemplates("data"), retention(Delete, Delete)),
			pods:   readyPods(0, 2, "rev-1", "data"),
			claims: []Claim{claimOf("data", 0), claimOf("data", 1, setRef)},
			want:   []string{"UpdateClaim:data-web-0", "UpdatePod:web-0", "UpdateClaim:data-web-1", "DeletePod:web-1"},
			check: func(t *testing.T, r Result) {
				if d := cmp.Diff([]OwnerRef{setRef}, r.Actions[0].OwnerRefs); d != "" {
					t.Errorf("in-range owners (-want +got):\n%s", d)
				}
				if d := cmp.Diff([]OwnerRef{podRef(1)}, r.Actions[2].OwnerRefs); d != "" {
					t.Errorf("condemned owners (-want +got):\n%s", d)
				}
			}},
		{name: "UpdateStatefulPod: Retain/Retain removes the set's references, then writes the pod",
			set: mkSet(1, withTemplates("data")), pods: readyPods(0, 1, "rev-1", "data"),
			claims: []Claim{claimOf("data", 0, setRef)}, want: []string{"UpdateClaim:data-web-0", "UpdatePod:web-0"}},
		{name: "a non-controller reference to the set is fixed",
			set: mkSet(1, withTemplates("data"), retention(Delete, Retain)), pods: readyPods(0, 1, "rev-1", "data"),
			claims: []Claim{claimOf("data", 0, OwnerRef{APIVersion: "apps/v1", Kind: "StatefulSet", Name: "web", UID: "set-uid"})},
			want:   []string{"UpdateClaim:data-web-0", "UpdatePod:web-0"}},
		{name: "a stale reference (another UID) leaves the claim alone",
			set: mkSet(1, withTemplates("data"), retention(Delete, Retain)), pods: readyPods(0, 1, "rev-1", "data"),
			claims: []Claim{claimOf("data", 0, OwnerRef{APIVersion: "apps/v1", Kind: "StatefulSet", Name: "web", UID: "old-uid", Controller: true})}},
		{name: "another controller: our references go, a ConflictingController warning is emitted",
			set: mkSet(1, withTemplates("data"), retention(Delete, Retain)), pods: readyPods(0, 1, "rev-1", "data"),
			claims: []Claim{claimOf("data", 0, setRef, OwnerRef{Kind: "Thing", Name: "x", UID: "x", Controller: true})},
			want:   []string{"UpdateClaim:data-web-0", "UpdatePod:web-0"},
			check: func(t *testing.T, r Result) {
				if d := cmp.Diff([]OwnerRef{{Kind: "Thing", Name: "x", UID: "x", Controller: true}}, r.Actions[0].OwnerRefs); d != "" {
					t.Errorf("owners (-want +got):\n%s", d)
				}
				if len(r.Events) != 1 || r.Events[0].Reason != ReasonConflictingController {
					t.Errorf("warnings %+v", r.Events)
				}
			}},
		{name: "another controller and no references of ours: untouched",
			set: mkSet(1, withTemplates("data"), retention(Delete, Retain)), pods: readyPods(0, 1, "rev-1", "data"),
			claims: []Claim{claimOf("data", 0, OwnerRef{Kind: "Thing", Name: "x", UID: "x", Controller: true})}},
		{name: "whenScaled=Delete: a claim still owned by the previous pod delays creation",
			set:    mkSet(1, withTemplates("data"), retention(Retain, Delete)),
			claims: []Claim{claimOf("data", 0, podRef(0))}, blocked: ReasonStaleClaim, blockOn: "web-0"},
		{name: "the guard is off with whenScaled=Retain",
			set:    mkSet(1, withTemplates("data")),
			claims: []Claim{claimOf("data", 0, podRef(0))}, want: []string{"CreatePod:web-0"}, blocked: ReasonWaitingForRunningReady},
		{name: "a pod without its identity label is updated in place",
			set: mkSet(1, withTemplates("data")),
			pods: func() []Pod {
				p := mkPod(0, "rev-1", ready)
				delete(p.Labels, PodNameLabel)
				p.Volumes = []Volume{{Name: "cache"}}
				return []Pod{p}
			}(),
			claims: []Claim{claimOf("data", 0)},
			want:   []string{"UpdatePod:web-0"},
			check: func(t *testing.T, r Result) {
				np := r.Actions[0].NewPod
				if np.Labels[PodNameLabel] != "web-0" || np.Labels[PodIndexLabel] != "0" || len(np.Labels) != 2 {
					t.Errorf("labels %v", np.Labels)
				}
				if d := cmp.Diff([]Volume{{"data", "data-web-0"}}, np.Volumes); d != "" {
					t.Errorf("volumes (-want +got):\n%s", d)
				}
			}},
		{name: "storage repair creates the missing claim first",
			set: mkSet(1, withTemplates("data")), pods: readyPods(0, 1, "rev-1"),
			want: []string{"CreateClaim:data-web-0", "UpdatePod:web-0"}},
		{name: "claims of other sets and templates are ignored",
			set: mkSet(1, withTemplates("data")),
			claims: []Claim{{Name: "data-webx-0", Namespace: "ns"}, {Name: "other-web-0", Namespace: "ns"},
				{Name: "data-web-0", Namespace: "elsewhere"}},
			want: []string{"CreateClaim:data-web-0", "CreatePod:web-0"}, blocked: ReasonWaitingForRunningReady},
	})
}

func TestOwnership(t *testing.T) {
	orphan := mkPod(1, "rev-1", ready)
	orphan.ControllerUID = ""
	foreign := mkPod(1, "rev-1", ready)
	foreign.ControllerUID = "other"
	stray := mkPod(1, "rev-1", ready)
	stray.Labels["app"] = "other"
	otherName := mkPod(1, "rev-1", ready)
	otherName.Name = "db-1"
	runCases(t, []planCase{
		{name: "an orphan that matches is adopted and counted",
			set: mkSet(2), pods: []Pod{mkPod(0, "rev-1", ready), orphan}, want: []string{"AdoptPod:web-1"}},
		{name: "a pod of another controller is ignored, and creating its name fails (AlreadyExists)",
			set: mkSet(2), pods: []Pod{mkPod(0, "rev-1", ready), foreign}, want: []string{"CreatePod:web-1"},
			blocked: ReasonPodNameTaken, blockOn: "web-1"},
		{name: "an owned pod that no longer matches the selector is released, and creating its name fails",
			set: mkSet(2), pods: []Pod{mkPod(0, "rev-1", ready), stray}, want: []string{"ReleasePod:web-1", "CreatePod:web-1"},
			blocked: ReasonPodNameTaken, blockOn: "web-1"},
		{name: "an owned pod of another name is released",
			set: mkSet(1), pods: []Pod{mkPod(0, "rev-1", ready), otherName}, want: []string{"ReleasePod:db-1"}},
		{name: "a set being deleted adopts nothing",
			set: mkSet(2, deletingSet), pods: []Pod{orphan}, blocked: ReasonSetDeleting},
	})
}

func TestStatusCounts(t *testing.T) {
	// in-range and condemned pods count; terminating pods count as
	// replicas and ready but not as current or updated.
	set := mkSet(3, withUpdate("rev-2", 0), func(s *Set) { s.Spec.MinReadySeconds = 30 })
	young := mkPod(1, "rev-2", ready)
	young.ReadySince = t0.Add(-time.Second)
	pods := []Pod{mkPod(0, "rev-1", ready), young, mkPod(2, "rev-2", deleting), mkPod(3, "rev-1", pending),
		func() Pod { p := mkPod(4, "rev-1", ready); p.Phase = ""; return p }()}
	r, err := NextStatefulAction(set, pods, nil, t0, opts134)
	if err != nil {
		t.Fatal(err)
	}
	want := Status{ObservedGeneration: 1, Replicas: 4, ReadyReplicas: 3, AvailableReplicas: 2, CurrentReplicas: 2,
		UpdatedReplicas: 1, CurrentRevision: "rev-1", UpdateRevision: "rev-2"}
	if d := cmp.Diff(want, r.Status); d != "" {
		t.Errorf("status (-want +got):\n%s", d)
	}
	if want := t0.Add(29*time.Second + time.Nanosecond); !r.RequeueAt.Equal(want) {
		t.Errorf("RequeueAt %v, want %v", r.RequeueAt, want)
	}
}

func TestStatusUnchanged(t *testing.T) {
	set := mkSet(2)
	set.Status = Status{ObservedGeneration: 1, Replicas: 2, ReadyReplicas: 2, AvailableReplicas: 2, CurrentReplicas: 2,
		UpdatedReplicas: 2, CurrentRevision: "rev-1", UpdateRevision: "rev-1"}
	r, err := NextStatefulAction(set, readyPods(0, 2, "rev-1"), nil, t0, opts134)
	if err != nil {
		t.Fatal(err)
	}
	if r.StatusChanged || len(r.Actions) != 0 || r.Blocked != nil {
		t.Errorf("steady state: %+v", r)
	}
	set.Generation = 2
	if r, _ = NextStatefulAction(set, readyPods(0, 2, "rev-1"), nil, t0, opts134); !r.StatusChanged {
		t.Error("a new generation must be written")
	}
}

func TestValidation(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*Set)
		want []string
	}{
		{"negative replicas", func(s *Set) { s.Spec.Replicas = i32(-1) },
			[]string{"spec.replicas: Invalid value: -1: must be greater than or equal to 0"}},
		{"negative minReadySeconds and start", func(s *Set) {
			s.Spec.MinReadySeconds = -1
			s.Spec.Ordinals = &Ordinals{Start: -2}
		}, []string{"spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
			"spec.ordinals.start: Invalid value: -2: must be greater than or equal to 0"}},
		{"unknown policy", func(s *Set) { s.Spec.PodManagementPolicy = "Random" },
			[]string{`spec.podManagementPolicy: Invalid value: "Random": must be 'OrderedReady' or 'Parallel'`}},
		{"unknown strategy", func(s *Set) { s.Spec.UpdateStrategy.Type = "Recreate" },
			[]string{`spec.updateStrategy: Invalid value: {"Type":"Recreate","RollingUpdate":null}: must be 'RollingUpdate' or 'OnDelete'`}},
		{"rollingUpdate with OnDelete", func(s *Set) {
			s.Spec.UpdateStrategy = UpdateStrategy{Type: OnDelete, RollingUpdate: &RollingUpdateStrategy{}}
		}, []string{`spec.updateStrategy.rollingUpdate: Invalid value: {"Partition":0,"MaxUnavailable":null}: only allowed for updateStrategy 'RollingUpdate'`}},
		{"negative partition", withUpdate("rev-2", -1),
			[]string{"spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0"}},
		{"maxUnavailable 0", func(s *Set) {
			withUpdate("rev-2", 0)(s)
			s.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable = &IntOrString{}
		}, []string{"spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0"}},
		{"maxUnavailable 101%", func(s *Set) {
			withUpdate("rev-2", 0)(s)
			s.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable = &IntOrString{IsString: true, StrVal: "101%"}
		}, []string{`spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%`}},
		{"retention policy values", retention("Keep", Delete),
			[]string{`spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"`}},
		{"selector required", func(s *Set) { s.Spec.Selector = nil }, []string{"spec.selector: Required value"}},
		{"empty selector", func(s *Set) { s.Spec.Selector = &LabelSelector{} },
			[]string{`spec.selector: Invalid value: {}: empty selector is invalid for statefulset`}},
		{"selector must match the template", func(s *Set) { s.Spec.Template.Labels = map[string]string{"app": "db"} },
			[]string{"spec.template.metadata.labels: Invalid value: {\"app\":\"db\"}: `selector` does not match template `labels`"}},
		{"restartPolicy Always", func(s *Set) { s.Spec.Template.RestartPolicy = "Never" },
			[]string{`spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"`}},
		{"activeDeadlineSeconds forbidden", func(s *Set) { v := int64(5); s.Spec.Template.ActiveDeadlineSeconds = &v },
			[]string{"spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported"}},
		{"name is a DNS label", func(s *Set) { s.Name = "Web" },
			[]string{`metadata.name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`}},
		// ValidateStatefulSetSpec turns the claim templates into pod volumes
		// through a map keyed by name, so a duplicate name is not reported.
		{"duplicate claim template names pass ValidateStatefulSetSpec", withTemplates("data", "data"), nil},
		{"a claim template name must be a volume name (DNS label)", withTemplates("Data"),
			[]string{`spec.template.spec.volumes[0].name: Invalid value: "Data": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`}},
		{"update revision required", func(s *Set) { s.UpdateRevision = "" },
			[]string{"status.updateRevision: Required value: the name of the revision of the current template is required"}},
	}
	// What the controller itself refuses (or this package cannot plan):
	// NextStatefulAction errs; everything else it plans, with warnings.
	refused := map[string]bool{"negative replicas": true, "negative partition": true, "selector required": true,
		"update revision required": true}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			set := mkSet(1, tc.mod)
			var got []string
			for _, e := range AsFieldErrors(Validate(&set, Release{Version: "1.34"})) {
				got = append(got, e.Error())
			}
			want := tc.want
			if tc.name == "update revision required" {
				want = nil // an input of this package, not an API field
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("Validate (-want +got):\n%s", d)
			}
			res, err := NextStatefulAction(set, nil, nil, t0, opts134)
			if refused[tc.name] || tc.name == "negative minReadySeconds and start" {
				var fe *FieldError
				if !errors.As(err, &fe) {
					t.Fatalf("errors.As(%v, *FieldError) failed", err)
				}
				if !strings.Contains(err.Error(), strings.SplitN(tc.want[len(tc.want)-1], ":", 2)[0]) {
					t.Errorf("error %v does not name %s", err, tc.want[len(tc.want)-1])
				}
				return
			}
			if err != nil {
				t.Fatalf("the controller plans this set, NextStatefulAction erred: %v", err)
			}
			got = nil
			for _, e := range res.Warnings {
				got = append(got, e.Error())
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("Warnings (-want +got):\n%s", d)
			}
		})
	}
	if _, err := NextStatefulAction(mkSet(3), nil, nil, t0, opts134); err != nil {
		t.Errorf("valid set rejected: %v", err)
	}
}

func TestStatusWriteRule(t *testing.T) {
	// an older observedGeneration in the result (a stale spec read) or a
	// collisionCount difference alone does not cause a write.
	set := mkSet(1)
	set.Status = Status{ObservedGeneration: 5, Replicas: 1, ReadyReplicas: 1, AvailableReplicas: 1, CurrentReplicas: 1,
		UpdatedReplicas: 1, CurrentRevision: "rev-1", UpdateRevision: "rev-1", CollisionCount: 2}
	r, err := NextStatefulAction(set, readyPods(0, 1, "rev-1"), nil, t0, opts134)
	if err != nil {
		t.Fatal(err)
	}
	if r.StatusChanged {
		t.Errorf("status written: %+v", r.Status)
	}
	if r.Status.CollisionCount != 2 {
		t.Errorf("collisionCount %d, want it carried", r.Status.CollisionCount)
	}
}

func TestClaimCreatedOnce(t *testing.T) {
	// A Pending pod with a missing claim and wrong volumes: the claim is
	// created once, then the pod's volumes are repaired.
	p := mkPod(0, "rev-1", pending)
	r, err := NextStatefulAction(mkSet(1, parallel, withTemplates("data")), []Pod{p}, nil, t0, opts134)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"CreateClaim:data-web-0", "UpdatePod:web-0"}, summary(r)); d != "" {
		t.Errorf("actions (-want +got):\n%s", d)
	}
}

func TestSlowStartBatches(t *testing.T) {
	// Parallel: batches of 1, 2, 4, … 256, then 500: a failing slot ends
	// the pass at the end of its batch.
	cases := map[int64]int64{0: 1, 1: 3, 2: 3, 3: 7, 6: 7, 7: 15, 254: 255, 255: 511, 510: 511, 511: 1011, 1010: 1011, 1011: 1511}
	for slot, want := range cases {
		if got := batchEnd(slot); got != want {
			t.Errorf("batchEnd(%d) = %d, want %d", slot, got, want)
		}
	}
	// A terminating claim in slot 3 (batch 3-6): slots 4-6 are still
	// created, slot 7 onwards is not.
	set := mkSet(10, parallel, withTemplates("data"))
	var claims []Claim
	for o := int32(0); o < 10; o++ {
		c := claimOf("data", o)
		c.Deleting = o == 3
		claims = append(claims, c)
	}
	r, err := NextStatefulAction(set, nil, claims, t0, opts134)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"CreatePod:web-0", "CreatePod:web-1", "CreatePod:web-2", "CreatePod:web-4", "CreatePod:web-5", "CreatePod:web-6"}
	if d := cmp.Diff(want, summary(r)); d != "" {
		t.Errorf("actions (-want +got):\n%s", d)
	}
}

func TestPodWithoutPhase(t *testing.T) {
	// Kubernetes takes a pod without a phase for one not yet created: its
	// missing claims are created, and the pod's own creation fails.
	p := mkPod(0, "rev-1", ready, "data")
	p.Phase, p.Ready = "", false
	r, err := NextStatefulAction(mkSet(2, withTemplates("data")), []Pod{p}, nil, t0, opts134)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"CreateClaim:data-web-0"}, summary(r)); d != "" {
		t.Errorf("actions (-want +got):\n%s", d)
	}
	if r.Blocked == nil || r.Blocked.Reason != ReasonWaitingForStatus || r.Status.Replicas != 0 {
		t.Errorf("blocked %+v, status %+v", r.Blocked, r.Status)
	}
}

func TestRevisionHistory(t *testing.T) {
	revs := func(names ...string) func(*Set) {
		return func(s *Set) {
			for i, n := range names {
				s.Revisions = append(s.Revisions, Revision{Name: n, Revision: int64(i + 1)})
			}
		}
	}
	limit := func(l int32) func(*Set) { return func(s *Set) { s.Spec.RevisionHistoryLimit = &l } }
	// rev-4 is the update revision, rev-1 the current one, rev-2 is on a pod.
	base := func(mods ...func(*Set)) Set {
		return mkSet(3, append([]func(*Set){withUpdate("rev-4", 2), revs("rev-1", "rev-2", "rev-3", "rev-5", "rev-6", "rev-4")}, mods...)...)
	}
	pods := append(readyPods(0, 1, "rev-1"), mkPod(1, "rev-2", ready), mkPod(2, "rev-4", ready))
	runCases(t, []planCase{
		{name: "limit 1 keeps live revisions and the newest old one",
			set: base(limit(1)), pods: pods,
			check: func(t *testing.T, r Result) {
				var got []string
				for _, a := range r.Actions {
					if a.Type == DeleteRevision {
						got = append(got, a.Revision)
					}
				}
				if d := cmp.Diff([]string{"rev-3", "rev-5"}, got); d != "" {
					t.Errorf("deleted revisions (-want +got):\n%s", d)
				}
			},
			want: []string{"DeleteRevision:", "DeleteRevision:"}},
		{name: "default limit 10 keeps everything here", set: base(), pods: pods},
		{name: "a negative limit keeps everything", set: base(limit(-1)), pods: pods},
		{name: "limit 0 deletes every old revision", set: base(limit(0)), pods: pods,
			want: []string{"DeleteRevision:", "DeleteRevision:", "DeleteRevision:"}},
		{name: "UpdateStatefulSet truncates history after a failed pass too",
			set:     mkSet(1, withTemplates("data"), revs("rev-0", "rev-1"), limit(0)),
			claims:  []Claim{func() Claim { c := claimOf("data", 0); c.Deleting = true; return c }()},
			want:    []string{"DeleteRevision:"},
			blocked: ReasonClaimTerminating},
	})
}
