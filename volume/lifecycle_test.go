package volume

import (
	"testing"
	"time"
)

// TestSyncVolume covers the volume sync and reclaim policies of spec §5.
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
		{"V4/V1 new volume without claimRef becomes Available", pv("v1", "1Gi", phase(VolumePending)), nil, nil,
			VolumeSetPhase, ReasonVolumeAvailable, VolumeAvailable, nil},
		{"V1 Available stays", pv("v1", "1Gi"), nil, nil, VolumeNone, ReasonVolumeAvailable, "", nil},
		{"V1 UID-less claimRef is a reservation: Available", pv("v1", "1Gi", phase(VolumePending), claimRef("default", "c", "")), nil, nil,
			VolumeSetPhase, ReasonVolumeAvailable, VolumeAvailable, nil},
		{"V2 claim names this volume: Bound", pv("v1", "1Gi", mine), &boundClaim, nil, VolumeSetPhase, ReasonVolumeBound, VolumeBound, nil},
		{"V2 claim not finished binding: no change", pv("v1", "1Gi", mine), &pending, nil, VolumeNone, ReasonWaitingForClaim, "", nil},
		{"V2 claim not finished binding, modes differ: VolumeMismatch event", pv("v1", "1Gi", mine, vmode(Block)), &pending, nil,
			VolumeNone, ReasonVolumeMismatch, "", nil},
		{"V2b claim chose another volume, controller binding: drop claimRef", pv("v1", "1Gi", mine, phase(VolumeBound), vannot(AnnBoundByController, "yes")),
			&elsewhere, nil, VolumeUnbind, ReasonVolumeUnbound, VolumeAvailable,
			func(t *testing.T, r VolumeResult) {
				if !r.ClearClaimRef || r.ClearClaimRefUID {
					t.Errorf("%+v", r)
				}
			}},
		{"V2b claim chose another volume, user binding: keep claimRef, clear UID", pv("v1", "1Gi", mine, phase(VolumeBound)),
			&elsewhere, nil, VolumeUnbind, ReasonVolumeUnbound, VolumeAvailable,
			func(t *testing.T, r VolumeResult) {
				if r.ClearClaimRef || !r.ClearClaimRefUID {
					t.Errorf("%+v", r)
				}
			}},
		{"V2a provisioned Delete volume whose claim chose another: released and deleted",
			pv("v1", "1Gi", mine, phase(VolumeBound), withPolicy(Delete), vannot(AnnProvisionedBy, "example.com/p")),
			&elsewhere, nil, VolumeSetPhase, ReasonExternalDeleting, VolumeReleased, nil},
		{"V3 Retain: Released and kept", pv("v1", "1Gi", mine, phase(VolumeBound)), nil, nil,
			VolumeSetPhase, ReasonVolumeRetained, VolumeReleased, nil},
		{"V3 claim re-created with another UID counts as gone", pv("v1", "1Gi", claimRef("default", "c", "old"), phase(VolumeBound)), &boundClaim, nil,
			VolumeSetPhase, ReasonVolumeRetained, VolumeReleased, nil},
		{"V3 Released stays Released under Retain", pv("v1", "1Gi", mine, phase(VolumeReleased)), nil, nil,
			VolumeNone, ReasonVolumeRetained, "", nil},
		{"V3 Delete with external provisioner: wait", pv("v1", "1Gi", mine, phase(VolumeBound), withPolicy(Delete), vannot(AnnProvisionedBy, "example.com/p")),
			nil, nil, VolumeSetPhase, ReasonExternalDeleting, VolumeReleased,
			func(t *testing.T, r VolumeResult) {
				if !r.External {
					t.Error("want External")
				}
			}},
		{"V3 Delete CSI volume: external", pv("v1", "1Gi", mine, phase(VolumeReleased), withPolicy(Delete), csi), nil, nil,
			VolumeNone, ReasonExternalDeleting, "", nil},
		{"V3 Delete NFS volume: no deleter, Failed", pv("v1", "1Gi", mine, phase(VolumeBound), withPolicy(Delete)), nil, nil,
			VolumeSetPhase, ReasonVolumeFailedDelete, VolumeFailed,
			func(t *testing.T, r VolumeResult) {
				if !r.Warning || r.Status.Message == "" {
					t.Errorf("%+v", r)
				}
			}},
		{"V3 Delete hostPath under /tmp: in-tree delete", pv("v1", "1Gi", mine, phase(VolumeReleased), withPolicy(Delete), hostPath("/tmp/v1")), nil, nil,
			VolumeDeleteAsset, ReasonVolumeDelete, "", nil},
		{"V3 Delete hostPath elsewhere: Failed", pv("v1", "1Gi", mine, phase(VolumeReleased), withPolicy(Delete), hostPath("/data/v1")), nil, nil,
			VolumeSetPhase, ReasonVolumeFailedDelete, VolumeFailed, nil},
		{"V3 Recycle NFS: scrub then Available", pv("v1", "1Gi", mine, phase(VolumeReleased), withPolicy(Recycle)), nil, nil,
			VolumeRecycleAsset, ReasonVolumeRecycle, VolumeAvailable,
			func(t *testing.T, r VolumeResult) {
				if r.Plugin != "kubernetes.io/nfs" || !r.ClearClaimRefUID {
					t.Errorf("%+v", r)
				}
			}},
		{"V3 Recycle refused while a running pod uses the old claim", pv("v1", "1Gi", mine, phase(VolumeReleased), withPolicy(Recycle)), nil,
			[]Pod{{Namespace: "default", Name: "web", Phase: PodRunning, Claims: []string{"c"}},
				{Namespace: "default", Name: "done", Phase: PodSucceeded, Claims: []string{"c"}}},
			VolumeNone, ReasonVolumeFailedRecycle, "",
			func(t *testing.T, r VolumeResult) {
				if r.Message != "Volume is used by pods: default/web" {
					t.Errorf("message %q", r.Message)
				}
			}},
		{"V3 Recycle goes ahead when a claim of the same name was re-created", pv("v1", "1Gi", claimRef("default", "c", "old"), phase(VolumeReleased), withPolicy(Recycle)),
			&boundClaim, []Pod{{Namespace: "default", Name: "web", Phase: PodRunning, Claims: []string{"c"}}},
			VolumeRecycleAsset, ReasonVolumeRecycle, VolumeAvailable, nil},
		{"V3 Recycle CSI used by a pod: waits before looking for a recycler", pv("v1", "1Gi", mine, phase(VolumeReleased), withPolicy(Recycle), csi), nil,
			[]Pod{{Namespace: "default", Name: "web", Phase: PodRunning, Claims: []string{"c"}}},
			VolumeNone, ReasonVolumeFailedRecycle, "", nil},
		{"V3 Recycle CSI: no recycler, Failed", pv("v1", "1Gi", mine, phase(VolumeReleased), withPolicy(Recycle), csi), nil, nil,
			VolumeSetPhase, ReasonVolumeFailedRecycle, VolumeFailed, nil},
		{"V3 migrated volume is left to its CSI driver", pv("v1", "1Gi", mine, phase(VolumeBound), withPolicy(Delete), vannot(AnnMigratedTo, "ebs.csi.aws.com")),
			nil, nil, VolumeSetPhase, ReasonMigrated, VolumeReleased, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := SyncVolume(c.pv, c.claim, c.pods)
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
	r, err := SyncVolume(v, nil, nil)
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

// TestProtection covers in-use protection of claims (U1) and volumes (U2).
func TestProtection(t *testing.T) {
	now := time.Unix(100, 0)
	zero := int64(0)
	deleted := func(c *Claim) { c.DeletionTimestamp = &now; c.Finalizers = []string{FinalizerPVCProtection} }
	cases := []struct {
		name  string
		claim Claim
		pods  []Pod
		want  FinalizerAction
	}{
		{"U1 live claim without finalizer gets it (vol-pvcprot-001)", pvc("c", "1Gi"), nil, FinalizerAdd},
		{"U1 live claim with finalizer", pvc("c", "1Gi", func(c *Claim) { c.Finalizers = []string{FinalizerPVCProtection} }), nil, FinalizerNone},
		{"U1 deleted claim used by a scheduled pod is kept", pvc("c", "1Gi", deleted),
			[]Pod{{Namespace: "default", Name: "p", NodeName: "n", Phase: PodRunning, Claims: []string{"c"}}}, FinalizerKeep},
		{"U1 a Succeeded pod object still holds the claim", pvc("c", "1Gi", deleted),
			[]Pod{{Namespace: "default", Name: "p", NodeName: "n", Phase: PodSucceeded, Claims: []string{"c"}}}, FinalizerKeep},
		{"U1 unscheduled pods never count", pvc("c", "1Gi", deleted),
			[]Pod{{Namespace: "default", Name: "p", Claims: []string{"c"}}}, FinalizerRemove},
		{"U1 pods of other namespaces do not count", pvc("c", "1Gi", deleted),
			[]Pod{{Namespace: "other", Name: "p", NodeName: "n", Claims: []string{"c"}}}, FinalizerRemove},
		{"U1 generic ephemeral claim of its pod is used", Claim{Namespace: "default", Name: "p-data", OwnerPodUID: "pu",
			DeletionTimestamp: &now, Finalizers: []string{FinalizerPVCProtection}},
			[]Pod{{Namespace: "default", Name: "p", UID: "pu", NodeName: "n", EphemeralVolumes: []string{"data"}}}, FinalizerKeep},
		{"U1 generic ephemeral claim of a pod deleted with grace 0 is free", Claim{Namespace: "default", Name: "p-data", OwnerPodUID: "pu",
			DeletionTimestamp: &now, Finalizers: []string{FinalizerPVCProtection}},
			[]Pod{{Namespace: "default", Name: "p", UID: "pu", NodeName: "n", EphemeralVolumes: []string{"data"},
				DeletionTimestamp: &now, DeletionGracePeriodSeconds: &zero}}, FinalizerRemove},
		{"U1 deleted claim without finalizer", pvc("c", "1Gi", func(c *Claim) { c.DeletionTimestamp = &now }), nil, FinalizerNone},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ClaimProtection(c.claim, c.pods); got.Action != c.want || got.Message == "" {
				t.Errorf("ClaimProtection = %+v, want %s", got, c.want)
			}
		})
	}
	vcases := []struct {
		name string
		v    Volume
		want FinalizerAction
	}{
		{"U2 live volume gets the finalizer", pv("v", "1Gi"), FinalizerAdd},
		{"U2 deleted Bound volume is kept", pv("v", "1Gi", phase(VolumeBound), deleting(), func(v *Volume) { v.Finalizers = []string{FinalizerPVProtection} }), FinalizerKeep},
		{"U2 deleted Released volume is let go", pv("v", "1Gi", phase(VolumeReleased), deleting(), func(v *Volume) { v.Finalizers = []string{FinalizerPVProtection} }), FinalizerRemove},
	}
	for _, c := range vcases {
		t.Run(c.name, func(t *testing.T) {
			if got := VolumeProtection(c.v); got.Action != c.want {
				t.Errorf("VolumeProtection = %+v, want %s", got, c.want)
			}
		})
	}
}

// TestPodAccess covers what access modes mean for pods (spec §9).
func TestPodAccess(t *testing.T) {
	other := Pod{Namespace: "default", Name: "a", NodeName: "n1", Phase: PodRunning, Claims: []string{"c"}}
	cases := []struct {
		name  string
		modes []AccessMode
		pod   Pod
		pods  []Pod
		want  Reason
	}{
		{"A1 RWO: same node shares", []AccessMode{ReadWriteOnce}, Pod{Namespace: "default", Name: "b", NodeName: "n1"}, []Pod{other}, ReasonAccessAllowed},
		{"A1 RWO: another node conflicts (Multi-Attach)", []AccessMode{ReadWriteOnce}, Pod{Namespace: "default", Name: "b", NodeName: "n2"}, []Pod{other}, ReasonReadWriteOnce},
		{"A1 RWO: finished pods do not count", []AccessMode{ReadWriteOnce}, Pod{Namespace: "default", Name: "b", NodeName: "n2"},
			[]Pod{{Namespace: "default", Name: "a", NodeName: "n1", Phase: PodSucceeded, Claims: []string{"c"}}}, ReasonAccessAllowed},
		{"A2 ROX: many nodes", []AccessMode{ReadOnlyMany}, Pod{Namespace: "default", Name: "b", NodeName: "n2"}, []Pod{other}, ReasonAccessAllowed},
		{"A3 RWX: many nodes", []AccessMode{ReadWriteMany}, Pod{Namespace: "default", Name: "b", NodeName: "n2"}, []Pod{other}, ReasonAccessAllowed},
		{"A1 RWO with RWX allows multi-attach", []AccessMode{ReadWriteOnce, ReadWriteMany}, Pod{Namespace: "default", Name: "b", NodeName: "n2"}, []Pod{other}, ReasonAccessAllowed},
		{"A4 RWOP: a second pod is refused, even on the same node", []AccessMode{ReadWriteOncePod}, Pod{Namespace: "default", Name: "b", NodeName: "n1"}, []Pod{other}, ReasonReadWriteOncePod},
		{"A4 RWOP: the only pod may use it", []AccessMode{ReadWriteOncePod}, Pod{Namespace: "default", Name: "a", NodeName: "n1"}, []Pod{other}, ReasonAccessAllowed},
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
