package statefulset

import (
	"testing"
	"time"
)

// Behaviours of the v1.34 controller that the differential trajectories
// against it found, each named after the upstream function that has it.
func TestUpstreamBehaviours(t *testing.T) {
	minReady := func(s int32) func(*Set) { return func(set *Set) { set.Spec.MinReadySeconds = s } }
	justReady := func(p Pod) Pod { p.ReadySince = t0.Add(-time.Second); return p }
	noRollingUpdate := func(s *Set) {
		s.UpdateRevision = "rev-2"
		s.Spec.UpdateStrategy = UpdateStrategy{Type: RollingUpdate}
	}
	runCases(t, []planCase{
		{name: "isUnavailable: under Parallel the rolling update waits for a pod Ready for less than minReadySeconds",
			set:     mkSet(3, parallel, withUpdate("rev-2", 0), minReady(30)),
			pods:    []Pod{mkPod(0, "rev-1", ready), mkPod(1, "rev-1", ready), justReady(mkPod(2, "rev-2", ready))},
			blocked: ReasonWaitingForAvailable, blockOn: "web-2"},
		{name: "isUnavailable: a pod Ready for less than minReadySeconds is the first unhealthy pod, so scale-down may delete it",
			set:  mkSet(1, minReady(30)),
			pods: []Pod{mkPod(0, "rev-1", ready), justReady(mkPod(1, "rev-1", ready))},
			want: []string{"DeletePod:web-1"}},
		{name: "newVersionedStatefulSetPod: RollingUpdate without rollingUpdate keeps slots below status.currentReplicas at the current revision",
			set:  mkSet(3, parallel, noRollingUpdate, func(s *Set) { s.Status.CurrentReplicas = 2 }),
			pods: []Pod{mkPod(1, "rev-1", ready), mkPod(2, "rev-2", ready)},
			// web-0 is created at rev-1; the update goes down from the top,
			// and web-1 (rev-1) is the first outdated pod.
			want: []string{"CreatePod:web-0", "DeletePod:web-1"},
			check: func(t *testing.T, r Result) {
				if r.Actions[0].Revision != "rev-1" {
					t.Errorf("web-0 created at %s, want the current revision rev-1", r.Actions[0].Revision)
				}
			}},
		{name: "updateStatefulSet: the rolling update deletes an outdated pod created in the same pass, by name",
			set:  mkSet(2, parallel, noRollingUpdate, func(s *Set) { s.Status.CurrentReplicas = 2 }),
			pods: []Pod{mkPod(0, "rev-2", ready)},
			want: []string{"CreatePod:web-1", "DeletePod:web-1"}},
		{name: "newVersionedStatefulSetPod: with OnDelete a rollingUpdate partition still keeps lower slots at the current revision",
			set: mkSet(2, parallel, func(s *Set) {
				s.UpdateRevision = "rev-2"
				s.Spec.UpdateStrategy = UpdateStrategy{Type: OnDelete, RollingUpdate: &RollingUpdateStrategy{Partition: i32(1)}}
			}),
			want: []string{"CreatePod:web-0", "CreatePod:web-1"},
			check: func(t *testing.T, r Result) {
				if r.Actions[0].Revision != "rev-1" || r.Actions[1].Revision != "rev-2" {
					t.Errorf("revisions %s, %s; want rev-1, rev-2", r.Actions[0].Revision, r.Actions[1].Revision)
				}
				if len(r.Warnings) != 1 {
					t.Errorf("warnings %v, want the rollingUpdate with OnDelete", r.Warnings)
				}
			}},
		{name: "completeRollingUpdate: a strategy type it does not know never completes",
			set:  mkSet(1, func(s *Set) { s.UpdateRevision = "rev-2"; s.Spec.UpdateStrategy = UpdateStrategy{Type: "Recreate"} }),
			pods: []Pod{mkPod(0, "rev-2", ready)},
			check: func(t *testing.T, r Result) {
				if r.Status.CurrentRevision != "rev-1" {
					t.Errorf("currentRevision %s, want rev-1 kept", r.Status.CurrentRevision)
				}
			}},
		{name: "getStatefulSetRevisions: a current revision no longer listed is replaced by the update revision",
			set:  mkSet(1, withUpdate("rev-2", 0), func(s *Set) { s.Revisions = []Revision{{Name: "rev-2", Revision: 2}} }),
			pods: []Pod{mkPod(0, "rev-1", ready)},
			want: []string{"DeletePod:web-0"},
			check: func(t *testing.T, r Result) {
				// No pod is at the (new) current revision, and the deletion
				// still takes one off: the controller computes -1.
				if r.Status.CurrentRevision != "rev-2" || r.Status.CurrentReplicas != -1 {
					t.Errorf("status %+v, want current = update revision rev-2 and currentReplicas 0-1", r.Status)
				}
			}},
		{name: "isClaimOwnerUpToDate: a retention value it does not know counts as Retain/Retain, yet the claim's other controller is reported",
			set: mkSet(1, withTemplates("data"), retention("Keep", Retain)), pods: readyPods(0, 1, "rev-1", "data"),
			claims: []Claim{claimOf("data", 0, setRef)},
			want:   []string{"UpdateClaim:data-web-0", "UpdatePod:web-0"},
			check: func(t *testing.T, r Result) {
				if len(r.Actions[0].OwnerRefs) != 0 {
					t.Errorf("owners %v, want none", r.Actions[0].OwnerRefs)
				}
			}},
		{name: "processReplica: under Parallel the pod just created has its claims checked again against the same observation",
			set:    mkSet(1, parallel, withTemplates("data"), retention(Delete, Retain)),
			claims: []Claim{claimOf("data", 0)},
			want:   []string{"CreatePod:web-0", "UpdateClaim:data-web-0", "UpdateClaim:data-web-0", "UpdatePod:web-0"}},
	})
}

// getParentNameAndOrdinal returns the parent even when the ordinal does not
// fit an int32, so isMemberOf claims such a pod: it is adopted, keeps its
// revision alive, and counts in a deleted set's status, though no slot
// holds it.
func TestPodWithOverflowingOrdinalIsClaimed(t *testing.T) {
	huge := mkPod(0, "rev-0", ready)
	huge.Name, huge.ControllerUID = "web-99999999999", ""
	set := mkSet(1, func(s *Set) {
		s.Revisions = []Revision{{Name: "rev-0", Revision: 1}, {Name: "rev-1", Revision: 2}}
		s.Spec.RevisionHistoryLimit = i32(0)
	})
	r, err := NextStatefulAction(set, []Pod{mkPod(0, "rev-1", ready), huge}, nil, t0, opts134)
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(r); len(got) != 1 || got[0] != "AdoptPod:web-99999999999" {
		t.Errorf("actions %v, want only the adoption (rev-0 stays: the pod uses it)", got)
	}
	if r.Status.Replicas != 1 {
		t.Errorf("replicas %d, want 1: no slot holds the pod", r.Status.Replicas)
	}
	deletingSet(&set)
	huge.ControllerUID = "set-uid"
	r, _ = NextStatefulAction(set, []Pod{mkPod(0, "rev-1", ready), huge}, nil, t0, opts134)
	if r.Status.Replicas != 2 {
		t.Errorf("replicas %d for a set being deleted, want 2: it counts every pod it claimed", r.Status.Replicas)
	}
}

// getPersistentVolumeClaims keys a set's claims by template name: two
// templates of one name make one claim, from the later template, and the
// pod mounts it once. (Validation keys them the same way and accepts it.)
func TestGetPersistentVolumeClaimsKeysTemplatesByName(t *testing.T) {
	dupes := func(s *Set) {
		s.Spec.VolumeClaimTemplates = []ClaimTemplate{
			{Name: "data", Labels: map[string]string{"disk": "hdd"}}, {Name: "logs"}, {Name: "data", Labels: map[string]string{"disk": "ssd"}}}
	}
	runCases(t, []planCase{
		{name: "the claims are created once each, the repeated one from the later template",
			set: mkSet(1, dupes), want: []string{"CreateClaim:data-web-0", "CreateClaim:logs-web-0", "CreatePod:web-0"},
			blocked: ReasonWaitingForRunningReady,
			check: func(t *testing.T, r Result) {
				if got := r.Actions[0].NewClaim.Labels["disk"]; got != "ssd" {
					t.Errorf("claim data-web-0 labelled disk=%q, want the later template's ssd", got)
				}
				if got := r.Actions[2].NewPod.Volumes; len(got) != 2 || got[0] != (Volume{"data", "data-web-0"}) || got[1] != (Volume{"logs", "logs-web-0"}) {
					t.Errorf("pod volumes %v", got)
				}
			}},
		{name: "an existing claim of the repeated name is not created again",
			set: mkSet(1, dupes), claims: []Claim{claimOf("data", 0), claimOf("logs", 0)},
			want: []string{"CreatePod:web-0"}, blocked: ReasonWaitingForRunningReady},
	})
}
