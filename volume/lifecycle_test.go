package volume

import (
	"testing"
	"time"
)

// TestSyncVolume covers the volume sync and reclaim policies of the controller.
func TestSyncVolume(t *testing.T) {
	boundClaim := pvc("c", "1Gi", cvolume("v1"))
	pending := pvc("c", "1Gi")
	elsewhere := pvc("c", "1Gi", cvolume("v2"))
	hostPath := func(p string) volOpt {
		return func(v *Volume) { v.Spec.Source = VolumeSource{HostPath: &HostPathSource{Path: p}} }
	}
	csi := func(v *Volume) { v.Spec.Source = VolumeSource{CSI: &CSISource{Driver: "x.csi.io", VolumeHandle: "h"}} }
	withPolicy := func(p ReclaimPolicy) volOpt { return func(v *Volume) { v.Spec.ReclaimPolicy = p } }
	mine := claimRef("default", "c", "uid-c")
	cases := []struct {
		name   string
		pv     Volume
		claim  *Claim
		pods   []Pod
		action VolumeAction
		reason Reason
		phase  VolumePhase
		check  func(t *testing.T, r VolumeResult)
	}{
		{"new volume without claimRef becomes Available", pv("v1", "1Gi", phase(VolumePending)), nil, nil,
			VolumeSetPhase, ReasonVolumeAvailable, VolumeAvailable, nil},
		{"Available stays", pv("v1", "1Gi"), nil, nil, VolumeNone, ReasonVolumeAvailable, "", nil},
		{"UID-less claimRef is a reservation: Available", pv("v1", "1Gi", phase(VolumePending), claimRef("default", "c", "")), nil, nil,
			VolumeSetPhase, ReasonVolumeAvailable, VolumeAvailable, nil},
		{"claim names this volume: Bound", pv("v1", "1Gi", mine), &boundClaim, nil, VolumeSetPhase, ReasonVolumeBound, VolumeBound, nil},
		{"claim not finished binding: no change", pv("v1", "1Gi", mine), &pending, nil, VolumeNone, ReasonWaitingForClaim, "", nil},
		{"claim not finished binding, modes differ: VolumeMismatch event", pv("v1", "1Gi", mine, vmode(Block)), &pending, nil,
			VolumeNone, ReasonVolumeMismatch, "", nil},
		{"claim chose another volume, controller binding: drop claimRef", pv("v1", "1Gi", mine, phase(VolumeBound), vannot(AnnBoundByController, "yes")),
			&elsewhere, nil, VolumeUnbind, ReasonVolumeUnbound, VolumeAvailable,
			func(t *testing.T, r VolumeResult) {
				if !r.ClearClaimRef || r.ClearClaimRefUID {
					t.Errorf("%+v", r)
				}
			}},
		{"claim chose another volume, user binding: keep claimRef, clear UID", pv("v1", "1Gi", mine, phase(VolumeBound)),
			&elsewhere, nil, VolumeUnbind, ReasonVolumeUnbound, VolumeAvailable,
			func(t *testing.T, r VolumeResult) {
				if r.ClearClaimRef || !r.ClearClaimRefUID {
					t.Errorf("%+v", r)
				}
			}},
		{"provisioned Delete volume whose claim chose another: released and deleted",
			pv("v1", "1Gi", mine, phase(VolumeBound), withPolicy(Delete), vannot(AnnProvisionedBy, "example.com/p")),
			&elsewhere, nil, VolumeSetPhase, ReasonExternalDeleting, VolumeReleased, nil},
		{"Retain: Released and kept", pv("v1", "1Gi", mine, phase(VolumeBound)), nil, nil,
			VolumeSetPhase, ReasonVolumeRetained, VolumeReleased, nil},
		{"claim re-created with another UID counts as gone", pv("v1", "1Gi", claimRef("default", "c", "old"), phase(VolumeBound)), &boundClaim, nil,
			VolumeSetPhase, ReasonVolumeRetained, VolumeReleased, nil},
		{"Released stays Released under Retain", pv("v1", "1Gi", mine, phase(VolumeReleased)), nil, nil,
			VolumeNone, ReasonVolumeRetained, "", nil},
		{"Delete with external provisioner: wait", pv("v1", "1Gi", mine, phase(VolumeBound), withPolicy(Delete), vannot(AnnProvisionedBy, "example.com/p")),
			nil, nil, VolumeSetPhase, ReasonExternalDeleting, VolumeReleased,
			func(t *testing.T, r VolumeResult) {
				if !r.External {
					t.Error("want External")
				}
			}},
		{"Delete CSI volume: external", pv("v1", "1Gi", mine, phase(VolumeReleased), withPolicy(Delete), csi), nil, nil,
			VolumeNone, ReasonExternalDeleting, "", nil},
		{"Delete NFS volume: no deleter, Failed", pv("v1", "1Gi", mine, phase(VolumeBound), withPolicy(Delete)), nil, nil,
			VolumeSetPhase, ReasonVolumeFailedDelete, VolumeFailed,
			func(t *testing.T, r VolumeResult) {
				if !r.Warning || r.Status.Message == "" {
					t.Errorf("%+v", r)
				}
			}},
		{"Delete hostPath under /tmp: in-tree delete", pv("v1", "1Gi", mine, phase(VolumeReleased), withPolicy(Delete), hostPath("/tmp/v1")), nil, nil,
			VolumeDeleteAsset, ReasonVolumeDelete, "", nil},
		{"Delete hostPath elsewhere: Failed", pv("v1", "1Gi", mine, phase(VolumeReleased), withPolicy(Delete), hostPath("/data/v1")), nil, nil,
			VolumeSetPhase, ReasonVolumeFailedDelete, VolumeFailed, nil},
		{"Recycle NFS: scrub then Available", pv("v1", "1Gi", mine, phase(VolumeReleased), withPolicy(Recycle)), nil, nil,
			VolumeRecycleAsset, ReasonVolumeRecycle, VolumeAvailable,
			func(t *testing.T, r VolumeResult) {
				if r.Plugin != "kubernetes.io/nfs" || !r.ClearClaimRefUID {
					t.Errorf("%+v", r)
				}
			}},
		{"Recycle refused while a running pod uses the old claim", pv("v1", "1Gi", mine, phase(VolumeReleased), withPolicy(Recycle)), nil,
			[]Pod{{Namespace: "default", Name: "web", Phase: PodRunning, Claims: []string{"c"}},
				{Namespace: "default", Name: "done", Phase: PodSucceeded, Claims: []string{"c"}}},
			VolumeNone, ReasonVolumeFailedRecycle, "",
			func(t *testing.T, r VolumeResult) {
				if r.Message != "Volume is used by pods: default/web" {
					t.Errorf("message %q", r.Message)
				}
			}},
		{"Recycle goes ahead when a claim of the same name was re-created", pv("v1", "1Gi", claimRef("default", "c", "old"), phase(VolumeReleased), withPolicy(Recycle)),
			&boundClaim, []Pod{{Namespace: "default", Name: "web", Phase: PodRunning, Claims: []string{"c"}}},
			VolumeRecycleAsset, ReasonVolumeRecycle, VolumeAvailable, nil},
		{"Recycle CSI used by a pod: waits before looking for a recycler", pv("v1", "1Gi", mine, phase(VolumeReleased), withPolicy(Recycle), csi), nil,
			[]Pod{{Namespace: "default", Name: "web", Phase: PodRunning, Claims: []string{"c"}}},
			VolumeNone, ReasonVolumeFailedRecycle, "", nil},
		{"Recycle CSI: no recycler, Failed", pv("v1", "1Gi", mine, phase(VolumeReleased), withPolicy(Recycle), csi), nil, nil,
			VolumeSetPhase, ReasonVolumeFailedRecycle, VolumeFailed, nil},
		{"migrated volume is left to its CSI driver", pv("v1", "1Gi", mine, phase(VolumeBound), withPolicy(Delete), vannot(AnnMigratedTo, "ebs.csi.aws.com")),
			nil, nil, VolumeSetPhase, ReasonMigrated, VolumeReleased, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := SyncVolume(c.pv, c.claim, c.pods, Release{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Action != c.action || r.Reason != c.reason || r.Phase != c.phase {
				t.Fatalf("got %s/%s/%q (%s), want %s/%s/%q", r.Action, r.Reason, r.Phase, r.Message, c.action, c.reason, c.phase)
			}
			if r.Message == "" {
				t.Error("empty message")
			}
			if c.check != nil {
				c.check(t, r)
			}
		})
	}
}

// reclaimVolume marks a released volume with an unknown policy Failed
// (VolumeUnknownReclaimPolicy); validation, which refuses such a policy, only
// adds a warning.
func TestReclaimVolumeUnknownPolicy(t *testing.T) {
	v := pv("v1", "1Gi", claimRef("default", "c", "u"), func(v *Volume) { v.Spec.ReclaimPolicy = "Shred" })
	r, err := SyncVolume(v, nil, nil, Release{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Reason != ReasonVolumeUnknownReclaimPolicy || r.Phase != VolumeFailed || !r.Warning {
		t.Fatalf("%+v", r)
	}
	if len(r.Warnings) != 1 || r.Warnings[0].Field != "spec.persistentVolumeReclaimPolicy" || r.Warnings[0].Type != ErrorTypeNotSupported {
		t.Fatalf("warnings = %v", r.Warnings)
	}
}

// TestProtection covers in-use protection of claims and volumes.
func TestProtection(t *testing.T) {
	now := time.Unix(100, 0)
	zero := int64(0)
	deleted := func(c *Claim) { c.DeletionTimestamp = now; c.Finalizers = []string{FinalizerPVCProtection} }
	cases := []struct {
		name  string
		claim Claim
		pods  []Pod
		want  FinalizerAction
	}{
		{"live claim without finalizer gets it", pvc("c", "1Gi"), nil, FinalizerAdd},
		{"live claim with finalizer", pvc("c", "1Gi", func(c *Claim) { c.Finalizers = []string{FinalizerPVCProtection} }), nil, FinalizerNone},
		{"deleted claim used by a scheduled pod is kept", pvc("c", "1Gi", deleted),
			[]Pod{{Namespace: "default", Name: "p", NodeName: "n", Phase: PodRunning, Claims: []string{"c"}}}, FinalizerKeep},
		{"a Succeeded pod object still holds the claim", pvc("c", "1Gi", deleted),
			[]Pod{{Namespace: "default", Name: "p", NodeName: "n", Phase: PodSucceeded, Claims: []string{"c"}}}, FinalizerKeep},
		{"unscheduled pods never count", pvc("c", "1Gi", deleted),
			[]Pod{{Namespace: "default", Name: "p", Claims: []string{"c"}}}, FinalizerRemove},
		{"pods of other namespaces do not count", pvc("c", "1Gi", deleted),
			[]Pod{{Namespace: "other", Name: "p", NodeName: "n", Claims: []string{"c"}}}, FinalizerRemove},
		{"generic ephemeral claim of its pod is used", Claim{Namespace: "default", Name: "p-data", OwnerPodUID: "pu",
			DeletionTimestamp: now, Finalizers: []string{FinalizerPVCProtection}},
			[]Pod{{Namespace: "default", Name: "p", UID: "pu", NodeName: "n", EphemeralVolumes: []string{"data"}}}, FinalizerKeep},
		{"generic ephemeral claim of a pod deleted with grace 0 is free", Claim{Namespace: "default", Name: "p-data", OwnerPodUID: "pu",
			DeletionTimestamp: now, Finalizers: []string{FinalizerPVCProtection}},
			[]Pod{{Namespace: "default", Name: "p", UID: "pu", NodeName: "n", EphemeralVolumes: []string{"data"},
				DeletionTimestamp: &now, DeletionGracePeriodSeconds: &zero}}, FinalizerRemove},
		{"deleted claim without finalizer", pvc("c", "1Gi", func(c *Claim) { c.DeletionTimestamp = now }), nil, FinalizerNone},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got, err := ClaimProtection(c.claim, c.pods, now, Release{}); err != nil || got.Action != c.want || got.Message == "" {
				t.Errorf("ClaimProtection = %+v, want %s", got, c.want)
			}
		})
	}
	vcases := []struct {
		name string
		v    Volume
		want FinalizerAction
	}{
		{"live volume gets the finalizer", pv("v", "1Gi"), FinalizerAdd},
		{"deleted Bound volume is kept", pv("v", "1Gi", phase(VolumeBound), deleting(), func(v *Volume) { v.Finalizers = []string{FinalizerPVProtection} }), FinalizerKeep},
		{"deleted Released volume is let go", pv("v", "1Gi", phase(VolumeReleased), deleting(), func(v *Volume) { v.Finalizers = []string{FinalizerPVProtection} }), FinalizerRemove},
	}
	for _, c := range vcases {
		t.Run(c.name, func(t *testing.T) {
			if got := VolumeProtection(c.v); got.Action != c.want {
				t.Errorf("VolumeProtection = %+v, want %s", got, c.want)
			}
		})
	}
}

// TestPodAccess covers what access modes mean for pods.
func TestPodAccess(t *testing.T) {
	other := Pod{Namespace: "default", Name: "a", NodeName: "n1", Phase: PodRunning, Claims: []string{"c"}}
	cases := []struct {
		name  string
		modes []AccessMode
		pod   Pod
		pods  []Pod
		want  Reason
	}{
		{"RWO: same node shares", []AccessMode{ReadWriteOnce}, Pod{Namespace: "default", Name: "b", NodeName: "n1"}, []Pod{other}, ReasonAccessAllowed},
		{"RWO: another node conflicts (Multi-Attach)", []AccessMode{ReadWriteOnce}, Pod{Namespace: "default", Name: "b", NodeName: "n2"}, []Pod{other}, ReasonReadWriteOnce},
		{"RWO: finished pods do not count", []AccessMode{ReadWriteOnce}, Pod{Namespace: "default", Name: "b", NodeName: "n2"},
			[]Pod{{Namespace: "default", Name: "a", NodeName: "n1", Phase: PodSucceeded, Claims: []string{"c"}}}, ReasonAccessAllowed},
		{"ROX: many nodes", []AccessMode{ReadOnlyMany}, Pod{Namespace: "default", Name: "b", NodeName: "n2"}, []Pod{other}, ReasonAccessAllowed},
		{"RWX: many nodes", []AccessMode{ReadWriteMany}, Pod{Namespace: "default", Name: "b", NodeName: "n2"}, []Pod{other}, ReasonAccessAllowed},
		{"RWO with RWX allows multi-attach", []AccessMode{ReadWriteOnce, ReadWriteMany}, Pod{Namespace: "default", Name: "b", NodeName: "n2"}, []Pod{other}, ReasonAccessAllowed},
		{"RWOP: a second pod is refused, even on the same node", []AccessMode{ReadWriteOncePod}, Pod{Namespace: "default", Name: "b", NodeName: "n1"}, []Pod{other}, ReasonReadWriteOncePod},
		{"RWOP: the only pod may use it", []AccessMode{ReadWriteOncePod}, Pod{Namespace: "default", Name: "a", NodeName: "n1"}, []Pod{other}, ReasonAccessAllowed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := PodAccess("c", c.modes, c.pod, c.pods)
			if got.Reason != c.want || got.Allowed != (c.want == ReasonAccessAllowed) {
				t.Errorf("PodAccess = %+v, want %s", got, c.want)
			}
		})
	}
}
