package volume

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Table tests for controller behaviour found by running the real PV
// controller and the scheduler's volume binder beside this package; each is
// named after the upstream function whose behaviour it pins.

func released(opts ...volOpt) Volume {
	return pv("v1", "1Gi", append([]volOpt{claimRef("default", "gone", "uid-gone"), phase(VolumeReleased)}, opts...)...)
}

func reclaim(p ReclaimPolicy) volOpt { return func(v *Volume) { v.Spec.ReclaimPolicy = p } }
func finalizers(f ...string) volOpt  { return func(v *Volume) { v.Finalizers = f } }
func source(s VolumeSource) volOpt   { return func(v *Volume) { v.Spec.Source = s } }

func TestUpdateVolumeMigrationAnnotationsAndFinalizers(t *testing.T) {
	cases := []struct {
		name       string
		pv         Volume
		set        map[string]string
		remove     []string
		addFin     []string
		removeFins []string
	}{
		{"statically provisioned: nothing", pv("v1", "1Gi", vannot(AnnMigratedTo, "x"), finalizers(FinalizerPVController)), nil, nil, nil, nil},
		{"migrated in-tree provisioner gets migrated-to and loses the in-tree finalizer",
			pv("v1", "1Gi", vannot(AnnProvisionedBy, "kubernetes.io/gce-pd"), finalizers(FinalizerPVController)),
			map[string]string{AnnMigratedTo: "pd.csi.storage.gke.io"}, nil, nil, []string{FinalizerPVController}},
		{"external provisioner: a stale migrated-to is dropped",
			pv("v1", "1Gi", vannot(AnnProvisionedBy, "example.com/ext"), vannot(AnnMigratedTo, "pd.csi.storage.gke.io")),
			nil, []string{AnnMigratedTo}, nil, nil},
		{"in-tree Delete: pv-controller finalizer added, external one dropped",
			pv("v1", "1Gi", vannot(AnnProvisionedBy, HostPathProvisioner), reclaim(Delete), finalizers(FinalizerExternalProvisioner)),
			nil, nil, []string{FinalizerPVController}, []string{FinalizerExternalProvisioner}},
		{"in-tree Retain: pv-controller finalizer removed",
			pv("v1", "1Gi", vannot(AnnProvisionedBy, HostPathProvisioner), reclaim(Retain), finalizers(FinalizerPVController)),
			nil, nil, nil, []string{FinalizerPVController}},
		{"in-tree Delete with the finalizer: nothing", pv("v1", "1Gi", vannot(AnnProvisionedBy, HostPathProvisioner), reclaim(Delete),
			finalizers(FinalizerPVController)), nil, nil, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := SyncVolume(c.pv, nil, nil, Release{})
			if err != nil {
				t.Fatal(err)
			}
			got := []any{r.SetAnnotations, r.RemoveAnnotations, r.AddFinalizers, r.RemoveFinalizers}
			want := []any{c.set, c.remove, c.addFin, c.removeFins}
			if d := cmp.Diff(want, got); d != "" {
				t.Fatalf("writes (-want +got):\n%s", d)
			}
		})
	}
	// The rest of the sync sees the new annotation: a released volume now
	// marked migrated is left to its CSI driver.
	r, _ := SyncVolume(released(vannot(AnnProvisionedBy, "kubernetes.io/gce-pd"), reclaim(Delete)), nil, nil, Release{})
	if r.Reason != ReasonMigrated || !r.External {
		t.Fatalf("released migrated volume: %+v", r)
	}
}

func TestUpdateClaimMigrationAnnotations(t *testing.T) {
	gold := sc("gold", "example.com/ext", Immediate)
	ebs := sc("ebs", "kubernetes.io/aws-ebs", Immediate)
	cases := []struct {
		name   string
		claim  Claim
		set    map[string]string
		remove []string
	}{
		{"claim provisioned by a migrated plugin gets migrated-to",
			pvc("c", "1Gi", cclass("none"), cannot(AnnStorageProvisioner, "kubernetes.io/gce-pd")),
			map[string]string{AnnMigratedTo: "pd.csi.storage.gke.io"}, nil},
		{"the beta key counts when the GA key is missing",
			pvc("c", "1Gi", cclass("none"), cannot(AnnBetaStorageProvisioner, "kubernetes.io/cinder")),
			map[string]string{AnnMigratedTo: "cinder.csi.openstack.org"}, nil},
		{"a stale migrated-to goes when an external provisioner is named",
			pvc("c", "1Gi", cclass("none"), cannot(AnnStorageProvisioner, "example.com/ext"), cannot(AnnMigratedTo, "x")),
			nil, []string{AnnMigratedTo}},
		{"setClaimProvisioner re-checks after writing the CSI driver's name",
			pvc("c", "1Gi", cclass("ebs"), cannot(AnnStorageProvisioner, "kubernetes.io/gce-pd")), nil, nil},
		{"setClaimProvisioner drops migrated-to for an external provisioner",
			pvc("c", "1Gi", cclass("gold"), cannot(AnnMigratedTo, "x")), nil, []string{AnnMigratedTo}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := BindPVC(nil, c.claim, Options{Classes: []StorageClass{gold, ebs}})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]any{c.set, c.remove}, []any{r.ClaimUpdate.SetAnnotations, r.ClaimUpdate.RemoveAnnotations}); d != "" {
				t.Fatalf("annotation writes (-want +got):\n%s", d)
			}
		})
	}
}

func TestSetClaimProvisionerComparesTheGAAnnotationOnly(t *testing.T) {
	gold := sc("gold", "example.com/ext", Immediate)
	c := pvc("c", "1Gi", cclass("gold"), cannot(AnnStorageProvisioner, "example.com/ext"), cannot(AnnBetaStorageProvisioner, "old"))
	r, _ := BindPVC(nil, c, Options{Classes: []StorageClass{gold}})
	if r.Action != ActionProvision || r.ClaimUpdate.StorageProvisioner != "" {
		t.Fatalf("got %s, provisioner write %q; want a provisioning request without a write", r.Action, r.ClaimUpdate.StorageProvisioner)
	}
	c = pvc("c", "1Gi", cclass("gold"), cannot(AnnBetaStorageProvisioner, "example.com/ext"))
	if r, _ := BindPVC(nil, c, Options{Classes: []StorageClass{gold}}); r.ClaimUpdate.StorageProvisioner != "example.com/ext" {
		t.Fatalf("beta key alone: write %q", r.ClaimUpdate.StorageProvisioner)
	}
}

func TestProvisionClaimOperationHostPathDisabled(t *testing.T) {
	hp := sc("hp", HostPathProvisioner, Immediate)
	c := pvc("c", "1Gi", cclass("hp"), cannot(AnnSelectedNode, "n1"))
	r, _ := BindPVC(nil, c, Options{Classes: []StorageClass{hp}})
	if r.Reason != ReasonProvisioningFailed || !r.Warning || r.ClaimUpdate.StorageProvisioner != HostPathProvisioner || r.ClaimUpdate.RemoveSelectedNode {
		t.Fatalf("%+v", r)
	}
	// The volume pvc-<uid> made already: annotations, no event.
	r, _ = BindPVC([]Volume{pv("pvc-uid-c", "1Gi", claimRef("other", "x", "u"))}, c, Options{Classes: []StorageClass{hp}})
	if r.Reason != ReasonAlreadyProvisioned || r.Warning {
		t.Fatalf("%+v", r)
	}
	// Other kubernetes.io/ names have no plugin: nothing is written.
	none := sc("none", NoProvisioner, Immediate)
	r, _ = BindPVC(nil, pvc("c", "1Gi", cclass("none")), Options{Classes: []StorageClass{none}})
	if r.Reason != ReasonProvisioningFailed || r.ClaimUpdate.StorageProvisioner != "" {
		t.Fatalf("%+v", r)
	}
}

func TestAssignDefaultStorageClassLeavesTheStatus(t *testing.T) {
	def := sc("std", "example.com/ext", Immediate, isDefault)
	c := pvc("c", "1Gi")
	c.Status = ClaimStatus{Phase: ClaimLost}
	r, _ := BindPVC(nil, c, Options{Classes: []StorageClass{def}})
	if r.Action != ActionSetDefaultClass || r.Status.Phase != ClaimLost {
		t.Fatalf("%s, status %s; want the class written and the phase left Lost", r.Action, r.Status.Phase)
	}
}

func TestUpdateClaimStatusCopiesTheAttributesClassOnlyFromPending(t *testing.T) {
	v := pv("v1", "2Gi", claimRef("default", "c", "uid-c"), func(v *Volume) { v.Spec.VolumeAttributesClassName = strp("fast") })
	for _, p := range []ClaimPhase{ClaimPending, ClaimLost} {
		c := pvc("c", "1Gi", func(c *Claim) { c.Spec.VolumeAttributesClassName = strp("fast") })
		c.Status.Phase = p
		r, _ := BindPVC([]Volume{v}, c, Options{})
		wantVAC := p == ClaimPending
		if r.Action != ActionBind || (r.Status.CurrentVolumeAttributesClassName != nil) != wantVAC || !r.Status.Capacity.IsSet() {
			t.Fatalf("from %s: %+v", p, r.Status)
		}
	}
}

func TestUpdateVolumePhaseWithEventKeepsAFailedVolume(t *testing.T) {
	v := released(reclaim(Delete), source(VolumeSource{Local: &LocalSource{Path: "/mnt"}}), phase(VolumeFailed))
	v.Status.Message = "earlier"
	r, _ := SyncVolume(v, nil, nil, Release{})
	if r.Action != VolumeNone || r.Phase != "" || r.Status.Message != "earlier" || r.Reason != ReasonVolumeFailedDelete {
		t.Fatalf("%+v", r)
	}
	v.Status = VolumeStatus{Phase: VolumeReleased}
	if r, _ := SyncVolume(v, nil, nil, Release{}); r.Action != VolumeSetPhase || r.Phase != VolumeFailed || !r.Warning {
		t.Fatalf("%+v", r)
	}
}

func TestFindDeletablePlugin(t *testing.T) {
	cases := []struct {
		name   string
		pv     Volume
		action VolumeAction
		msg    string
	}{
		{"hostPath deleter pattern is unanchored", released(reclaim(Delete), source(VolumeSource{HostPath: &HostPathSource{Path: "/var/tmp/x"}})),
			VolumeDeleteAsset, ""},
		{"/tmp/ alone does not match", released(reclaim(Delete), source(VolumeSource{HostPath: &HostPathSource{Path: "/tmp/"}})),
			VolumeSetPhase, "host_path deleter only supports /tmp/.+ but received provided /tmp/"},
		{"provisioned by hostPath, other source", released(reclaim(Delete), vannot(AnnProvisionedBy, HostPathProvisioner)),
			VolumeSetPhase, `failed to create deleter for volume "v1": spec.PersistentVolumeSource.HostPath is nil`},
		{"provisioned by a registered plugin that does not delete", released(reclaim(Delete), vannot(AnnProvisionedBy, "kubernetes.io/nfs")),
			VolumeSetPhase, "no deletable volume plugin matched"},
		{"provisioned by an unknown in-tree name", released(reclaim(Delete), vannot(AnnProvisionedBy, "kubernetes.io/rbd")),
			VolumeSetPhase, "no volume plugin matched name: kubernetes.io/rbd"},
		{"NFS source: a plugin, but no deleter", released(reclaim(Delete)),
			VolumeSetPhase, `error getting deleter volume plugin for volume "v1": no deletable volume plugin matched`},
		{"local source: no plugin", released(reclaim(Delete), source(VolumeSource{Local: &LocalSource{Path: "/mnt"}})),
			VolumeSetPhase, `error getting deleter volume plugin for volume "v1": no volume plugin matched`},
		{"an empty migrated-to still hands over to CSI", released(reclaim(Delete), vannot(AnnMigratedTo, "")),
			VolumeNone, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, _ := SyncVolume(c.pv, nil, nil, Release{})
			if r.Action != c.action || r.Status.Message != c.msg {
				t.Fatalf("got %s %q, want %s %q", r.Action, r.Status.Message, c.action, c.msg)
			}
		})
	}
}

func TestIsPodTerminated(t *testing.T) {
	now := time.Unix(5, 0)
	v := released(reclaim(Recycle), claimRef("default", "data", "uid-old"))
	cases := []struct {
		name    string
		pod     Pod
		blocked bool
	}{
		{"running pod", Pod{Namespace: "default", Name: "p", Phase: PodRunning, Claims: []string{"data"}}, true},
		{"deleted pod with a running container", Pod{Namespace: "default", Name: "p", Phase: PodRunning, DeletionTimestamp: &now,
			ContainersRunning: true, Claims: []string{"data"}}, true},
		{"deleted pod, no container running", Pod{Namespace: "default", Name: "p", Phase: PodRunning, DeletionTimestamp: &now,
			Claims: []string{"data"}}, false},
		{"generic ephemeral volume of the pod", Pod{Namespace: "default", Name: "web", Phase: PodRunning, EphemeralVolumes: []string{"x"}},
			false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, _ := SyncVolume(v, nil, []Pod{c.pod}, Release{})
			if blocked := r.Action == VolumeNone; blocked != c.blocked {
				t.Fatalf("%+v", r)
			}
		})
	}
	// PodPVCIndexFunc: the claim "<pod>-<volume>" of an ephemeral volume.
	eph := released(reclaim(Recycle), claimRef("default", "web-x", "uid-old"))
	r, _ := SyncVolume(eph, nil, []Pod{{Namespace: "default", Name: "web", Phase: PodRunning, EphemeralVolumes: []string{"x"}}}, Release{})
	if r.Action != VolumeNone || r.Reason != ReasonVolumeFailedRecycle {
		t.Fatalf("ephemeral user: %+v", r)
	}
}

func TestBindClaimsSeesBindingsOfEarlierClaims(t *testing.T) {
	v := pv("v1", "1Gi", modes())
	first := pvc("a", "1Gi", cvolume("v1"), cannot(AnnBindCompleted, "yes"))
	second := pvc("b", "1Gi", cvolume("v1"))
	rs, err := BindClaims([]Volume{v}, []Claim{second, first}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// a is settled first (bound once) and takes v1; b then sees v1 bound to
	// a, not the empty access modes that would make it a mismatch.
	if rs[1].Action != ActionBind || rs[0].Reason != ReasonFailedBinding || !rs[0].Warning {
		t.Fatalf("b: %+v\na: %+v", rs[0], rs[1])
	}
}

func TestFindPodVolumesSelectedNodeSkipsMatching(t *testing.T) {
	local := sc("local", NoProvisioner, WaitForFirstConsumer)
	node := &Node{Name: "n1"}
	c := pvc("c", "1Gi", cclass("local"), cannot(AnnSelectedNode, "n1"))
	res, err := SchedulePod([]Volume{pv("v1", "5Gi", class("local"))}, []Claim{c}, Options{Classes: []StorageClass{local}, Node: node})
	if err != nil || res.Feasible {
		t.Fatalf("a claim set for provisioning on a class that cannot provision fits: %+v, %v", res, err)
	}
}

func TestFindMatchingVolumeUnreachablePreBoundVolumeLeavesProvisioning(t *testing.T) {
	wait := sc("wait", "example.com/ext", WaitForFirstConsumer)
	far := pv("v1", "5Gi", class("wait"), claimRef("default", "c", ""), func(v *Volume) {
		v.Spec.NodeAffinity = &NodeSelector{Terms: []NodeSelectorTerm{{MatchExpressions: []NodeSelectorRequirement{
			{Key: "zone", Operator: NodeOpIn, Values: []string{"b"}}}}}}
	})
	near := pv("v2", "5Gi", class("wait"))
	res, err := SchedulePod([]Volume{far, near}, []Claim{pvc("c", "1Gi", cclass("wait"))},
		Options{Classes: []StorageClass{wait}, Node: &Node{Name: "n1", Labels: map[string]string{"zone": "a"}}})
	if err != nil || !res.Feasible || res.Claims[0].Action != ActionProvision {
		t.Fatalf("%+v, %v", res, err)
	}
}

func TestFindMatchingVolumesKeepsThePodsOrderOnEqualRequests(t *testing.T) {
	wait := sc("wait", NoProvisioner, WaitForFirstConsumer)
	small, big := pv("small", "1Gi", class("wait")), pv("big", "2Gi", class("wait"))
	claims := []Claim{pvc("z", "1Gi", cclass("wait")), pvc("a", "1Gi", cclass("wait"))}
	res, _ := SchedulePod([]Volume{small, big}, claims, Options{Classes: []StorageClass{wait}, Node: &Node{Name: "n1"}})
	got := []string{res.Claims[0].Volume, res.Claims[1].Volume}
	if !slices.Equal(got, []string{"small", "big"}) {
		t.Fatalf("got %v; the pod's first claim z should take the smaller volume", got)
	}
}

func TestBindClaimsRefusesOneClaimGivenTwice(t *testing.T) {
	// Two copies of one claim (say, an old and a new revision from two
	// caches) would each take the volume they name; the batch is refused,
	// naming the later copy.
	v := pv("v1", "1Gi", modes())
	old := pvc("a", "1Gi", cvolume("v1"))
	again := pvc("a", "1Gi", cvolume("v1"))
	again.UID = "uid-other"
	_, err := BindClaims([]Volume{v}, []Claim{pvc("b", "1Gi"), again, old}, Options{})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Type != ErrorTypeDuplicate || fe.Field != "claims[2].name" {
		t.Fatalf("got %v", err)
	}
}
