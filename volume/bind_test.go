package volume

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/purectl/purectl/api"
)

func bindingMode(m BindingMode) *BindingMode { return &m }
func policy(p ReclaimPolicy) *ReclaimPolicy  { return &p }

func sc(name, provisioner string, mode BindingMode, opts ...func(*StorageClass)) StorageClass {
	s := StorageClass{Name: name, Provisioner: provisioner, VolumeBindingMode: bindingMode(mode)}
	for _, o := range opts {
		o(&s)
	}
	return s
}

func isDefault(s *StorageClass) { s.Annotations = map[string]string{AnnDefaultClass: "true"} }

// TestBindPVC covers the claim sync of the controller
// scheduler path.
func TestBindPVC(t *testing.T) {
	wffc := sc("local", "example.com/local", WaitForFirstConsumer)
	ext := sc("fast", "example.com/fast", Immediate, func(s *StorageClass) { s.ReclaimPolicy = policy(Retain) })
	node := &Node{Name: "node-a", Labels: map[string]string{"zone": "a"}}
	cases := []struct {
		name   string
		pvs    []Volume
		claim  Claim
		opts   Options
		action Action
		reason Reason
		volume string
		check  func(t *testing.T, r Result)
	}{
		{"binds the best fit and writes both sides",
			[]Volume{pv("v1", "10Gi")}, pvc("c", "1Gi"), Options{}, ActionBind, ReasonBestFit, "v1",
			func(t *testing.T, r Result) {
				vu, cu := r.VolumeUpdate, r.ClaimUpdate
				if !vu.SetClaimRef || vu.ClaimRef != (ObjectReference{"default", "c", "uid-c"}) || !vu.AddBoundByController || vu.Phase != VolumeBound {
					t.Errorf("volume update %+v", vu)
				}
				if cu.VolumeName != "v1" || !cu.AddBoundByController || !cu.AddBindCompleted {
					t.Errorf("claim update %+v", cu)
				}
				// status reports the volume's capacity, not the request.
				if r.Status.Phase != ClaimBound || r.Status.Capacity.Cmp(q("10Gi")) != 0 || len(r.Status.AccessModes) != 1 {
					t.Errorf("status %+v", r.Status)
				}
			}},
		{"user pre-binding gets no bound-by-controller annotation",
			[]Volume{pv("v1", "1Gi", claimRef("default", "c", ""))}, pvc("c", "1Gi"), Options{}, ActionBind, ReasonPreBound, "v1",
			func(t *testing.T, r Result) {
				if r.VolumeUpdate.AddBoundByController || !r.VolumeUpdate.SetClaimRef || r.VolumeUpdate.ClaimRef.UID != "uid-c" {
					t.Errorf("volume update %+v", r.VolumeUpdate)
				}
			}},
		{"class unset and a default class exists: assign it and stop",
			nil, pvc("c", "1Gi"), Options{Classes: []StorageClass{ext, sc("std", "example.com/std", Immediate, isDefault)}},
			ActionSetDefaultClass, ReasonDefaultClassAssigned, "",
			func(t *testing.T, r Result) {
				if !r.ClaimUpdate.SetStorageClassName || r.ClaimUpdate.StorageClassName != "std" {
					t.Errorf("claim update %+v", r.ClaimUpdate)
				}
			}},
		{"an available fitting volume wins over the default class",
			[]Volume{pv("v1", "1Gi")}, pvc("c", "1Gi"), Options{Classes: []StorageClass{sc("std", "example.com/std", Immediate, isDefault)}},
			ActionBind, ReasonBestFit, "v1", nil},
		{"class \"\" is never defaulted nor provisioned",
			nil, pvc("c", "1Gi", cclass("")), Options{Classes: []StorageClass{sc("std", "example.com/std", Immediate, isDefault)}},
			ActionPending, ReasonFailedBinding, "", nil},
		{"no class, no default: Pending with FailedBinding",
			nil, pvc("c", "1Gi"), Options{}, ActionPending, ReasonFailedBinding, "", nil},
		{"delayed binding without selected node waits for the first consumer",
			[]Volume{pv("v1", "1Gi", class("local"))}, pvc("c", "1Gi", cclass("local")), Options{Classes: []StorageClass{wffc}},
			ActionPending, ReasonWaitForFirstConsumer, "", nil},
		{"delayed binding with an unscheduled pod says which",
			nil, pvc("c", "1Gi", cclass("local")), Options{Classes: []StorageClass{wffc}, UnscheduledPods: []string{"web-1", "web-0"}},
			ActionPending, ReasonWaitForPodScheduled, "",
			func(t *testing.T, r Result) {
				if r.Message != "waiting for pods web-0,web-1 to be scheduled" {
					t.Errorf("message %q", r.Message)
				}
			}},
		{"delayed binding still binds a pre-bound volume",
			[]Volume{pv("v1", "1Gi", class("local"), claimRef("default", "c", ""))}, pvc("c", "1Gi", cclass("local")),
			Options{Classes: []StorageClass{wffc}}, ActionBind, ReasonPreBound, "v1", nil},
		{"delayed binding with selected node provisions for that node, ignoring free volumes",
			[]Volume{pv("v1", "1Gi", class("local"))}, pvc("c", "1Gi", cclass("local"), cannot(AnnSelectedNode, "node-a")),
			Options{Classes: []StorageClass{wffc}}, ActionProvision, ReasonExternalProvisioning, "",
			func(t *testing.T, r Result) {
				if r.Provision.SelectedNode != "node-a" || !r.Provision.External || r.Provision.ReclaimPolicy != Delete {
					t.Errorf("provision %+v", r.Provision)
				}
			}},
		{"class without binding mode is an error",
			nil, pvc("c", "1Gi", cclass("broken")), Options{Classes: []StorageClass{{Name: "broken", Provisioner: "x.io/y"}}},
			"", "", "", nil},
		{"class that does not exist means immediate; provisioning fails",
			nil, pvc("c", "1Gi", cclass("missing")), Options{}, ActionNone, ReasonProvisioningFailed, "", nil},
		{"external provisioner: annotate the claim, policy from the class",
			nil, pvc("c", "1Gi", cclass("fast")), Options{Classes: []StorageClass{ext}}, ActionProvision, ReasonExternalProvisioning, "",
			func(t *testing.T, r Result) {
				if r.ClaimUpdate.StorageProvisioner != "example.com/fast" || r.Provision.ReclaimPolicy != Retain || r.Provision.VolumeName != "pvc-uid-c" {
					t.Errorf("result %+v", r)
				}
			}},
		{"kubernetes.io/no-provisioner fails",
			nil, pvc("c", "1Gi", cclass("manual")), Options{Classes: []StorageClass{sc("manual", NoProvisioner, Immediate)}},
			ActionNone, ReasonProvisioningFailed, "", nil},
		{"migrated in-tree provisioner goes to its CSI driver",
			nil, pvc("c", "1Gi", cclass("ebs")), Options{Classes: []StorageClass{sc("ebs", "kubernetes.io/aws-ebs", Immediate)}},
			ActionProvision, ReasonExternalProvisioning, "",
			func(t *testing.T, r Result) {
				if r.Provision.Provisioner != "ebs.csi.aws.com" {
					t.Errorf("provisioner %q", r.Provision.Provisioner)
				}
			}},
		{"named volume missing: Pending",
			nil, pvc("c", "1Gi", cvolume("v9")), Options{}, ActionPending, ReasonVolumeNotFound, "", nil},
		{"named unclaimed volume that satisfies: bind, even Released and with a non-matching selector",
			[]Volume{pv("v1", "1500m", phase(VolumeReleased))}, pvc("c", "2", cvolume("v1"),
				csel(&LabelSelector{MatchLabels: map[string]string{"a": "b"}})), Options{}, ActionBind, ReasonVolumeNamed, "v1",
			func(t *testing.T, r Result) {
				// 1500m rounds up to 2 bytes.
				if r.ClaimUpdate.VolumeName != "" || !r.VolumeUpdate.AddBoundByController {
					t.Errorf("result %+v", r)
				}
			}},
		{"named volume too small: VolumeMismatch warning",
			[]Volume{pv("v1", "1Gi")}, pvc("c", "2Gi", cvolume("v1")), Options{}, ActionPending, ReasonVolumeMismatch, "",
			func(t *testing.T, r Result) {
				if !r.Warning || r.Message != "cannot bind to requested volume v1: requested PV is too small" {
					t.Errorf("result %+v", r)
				}
			}},
		{"named volume of another class: VolumeMismatch",
			[]Volume{pv("v1", "1Gi", class("gold"))}, pvc("c", "1Gi", cvolume("v1")), Options{}, ActionPending, ReasonVolumeMismatch, "", nil},
		{"named volume with too few modes: VolumeMismatch",
			[]Volume{pv("v1", "1Gi")}, pvc("c", "1Gi", cvolume("v1"), cmodes(ReadWriteMany)), Options{}, ActionPending, ReasonVolumeMismatch, "", nil},
		{"named volume being deleted: VolumeMismatch",
			[]Volume{pv("v1", "1Gi", deleting())}, pvc("c", "1Gi", cvolume("v1")), Options{}, ActionPending, ReasonVolumeMismatch, "", nil},
		{"named volume already pointing at the claim: finish binding",
			[]Volume{pv("v1", "1Gi", claimRef("default", "c", "uid-c"))}, pvc("c", "1Gi", cvolume("v1")), Options{}, ActionBind, ReasonVolumeNamed, "v1", nil},
		{"named volume of another claim, user binding: FailedBinding",
			[]Volume{pv("v1", "1Gi", claimRef("default", "other", "u"))}, pvc("c", "1Gi", cvolume("v1")), Options{}, ActionPending, ReasonFailedBinding, "", nil},
		{"named volume of another claim, controller binding: conflict, nothing changes",
			[]Volume{pv("v1", "1Gi", claimRef("default", "other", "u"))}, pvc("c", "1Gi", cvolume("v1"), cannot(AnnBoundByController, "yes")),
			Options{}, ActionNone, ReasonBindConflict, "v1", nil},
		{"bound claim whose volume is gone is Lost",
			nil, pvc("c", "1Gi", cvolume("v1"), cannot(AnnBindCompleted, "yes")), Options{}, ActionMarkLost, ReasonClaimLost, "",
			func(t *testing.T, r Result) {
				// status of a Lost claim drops modes and capacity.
				if r.Status.Phase != ClaimLost || r.Status.Capacity.IsSet() || r.Status.AccessModes != nil {
					t.Errorf("status %+v", r.Status)
				}
			}},
		{"already Lost: nothing is written again",
			nil, pvc("c", "1Gi", cvolume("v1"), cannot(AnnBindCompleted, "yes"), func(c *Claim) { c.Status.Phase = ClaimLost }),
			Options{}, ActionNone, ReasonClaimLost, "", nil},
		{"capacity is copied only when the claim becomes Bound",
			[]Volume{pv("v1", "10Gi", claimRef("default", "c", "uid-c"))},
			pvc("c", "1Gi", cvolume("v1"), cannot(AnnBindCompleted, "yes"), func(c *Claim) {
				c.Status = ClaimStatus{Phase: ClaimBound, Capacity: q("8Gi")}
			}),
			Options{}, ActionBind, ReasonVolumeNamed, "v1",
			func(t *testing.T, r Result) {
				if r.Status.Capacity.Cmp(q("8Gi")) != 0 || r.VolumeUpdate.Phase != VolumeBound {
					t.Errorf("status %+v, volume update %+v", r.Status, r.VolumeUpdate)
				}
			}},
		{"bound claim without volumeName is Lost",
			nil, pvc("c", "1Gi", cannot(AnnBindCompleted, "")), Options{}, ActionMarkLost, ReasonClaimLost, "", nil},
		{"bound claim whose volume belongs to another UID is misbound",
			[]Volume{pv("v1", "1Gi", claimRef("default", "c", "other-uid"))}, pvc("c", "1Gi", cvolume("v1"), cannot(AnnBindCompleted, "yes")),
			Options{}, ActionMarkLost, ReasonClaimMisbound, "v1", nil},
		{"bound claim whose volume lost its claimRef is rebound",
			[]Volume{pv("v1", "1Gi")}, pvc("c", "1Gi", cvolume("v1"), cannot(AnnBindCompleted, "yes")), Options{}, ActionBind, ReasonVolumeNamed, "v1", nil},
		{"fully bound claim: nothing to do",
			[]Volume{pv("v1", "1Gi", claimRef("default", "c", "uid-c"), phase(VolumeBound))},
			pvc("c", "1Gi", cvolume("v1"), cannot(AnnBindCompleted, "yes"), func(c *Claim) { c.Status.Phase = ClaimBound }),
			Options{}, ActionNone, ReasonAlreadyBound, "v1", nil},
		{"scheduler: immediate unbound claim makes the node infeasible",
			[]Volume{pv("v1", "1Gi")}, pvc("c", "1Gi"), Options{Node: node}, ActionPending, ReasonNodeInfeasible, "", nil},
		{"scheduler: delayed claim gets a volume reachable from the node",
			[]Volume{pv("v1", "1Gi", class("local"))}, pvc("c", "1Gi", cclass("local")), Options{Node: node, Classes: []StorageClass{wffc}},
			ActionBind, ReasonBestFit, "v1",
			func(t *testing.T, r Result) {
				if !r.VolumeUpdate.SetClaimRef || !r.VolumeUpdate.AddBoundByController || r.ClaimUpdate.VolumeName != "" {
					t.Errorf("scheduler must only pre-bind the volume: %+v", r)
				}
			}},
		{"scheduler: no volume, provisionable on the node",
			nil, pvc("c", "1Gi", cclass("local")), Options{Node: node, Classes: []StorageClass{wffc}},
			ActionProvision, ReasonProvisionOnNode, "",
			func(t *testing.T, r Result) {
				if r.ClaimUpdate.SelectedNode != "node-a" {
					t.Errorf("claim update %+v", r.ClaimUpdate)
				}
			}},
		{"scheduler: allowedTopologies excluding the node",
			nil, pvc("c", "1Gi", cclass("local")), Options{Node: node, Classes: []StorageClass{sc("local", "example.com/local", WaitForFirstConsumer,
				func(s *StorageClass) {
					s.AllowedTopologies = []TopologySelectorTerm{{MatchLabelExpressions: []TopologyRequirement{{Key: "zone", Values: []string{"b"}}}}}
				})}},
			ActionPending, ReasonNodeInfeasible, "", nil},
		{"scheduler: no-provisioner class and no volume",
			nil, pvc("c", "1Gi", cclass("local")), Options{Node: node, Classes: []StorageClass{sc("local", NoProvisioner, WaitForFirstConsumer)}},
			ActionPending, ReasonNodeInfeasible, "", nil},
		{"scheduler: claim provisioned for another node",
			nil, pvc("c", "1Gi", cclass("local"), cannot(AnnSelectedNode, "node-b")), Options{Node: node, Classes: []StorageClass{wffc}},
			ActionPending, ReasonNodeInfeasible, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := BindPVC(c.pvs, c.claim, c.opts)
			if c.action == "" {
				if err == nil {
					t.Fatalf("want an error, got %+v", r)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Action != c.action || r.Reason != c.reason || r.Volume != c.volume {
				t.Fatalf("got %s/%s/%q (%s), want %s/%s/%q", r.Action, r.Reason, r.Volume, r.Message, c.action, c.reason, c.volume)
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

// the default class is the newest of those marked "true", ties by name;
// only the exact value "true" counts.
func TestDefaultClass(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(name string, at time.Time, key, val string) StorageClass {
		return StorageClass{Name: name, CreationTimestamp: at, Annotations: map[string]string{key: val}}
	}
	cases := []struct {
		name    string
		classes []StorageClass
		want    string
	}{
		{"none", []StorageClass{mk("a", t0, "x", "y")}, ""},
		{"only exact true", []StorageClass{mk("a", t0, AnnDefaultClass, "True"), mk("b", t0, AnnDefaultClass, "yes")}, ""},
		{"beta key counts", []StorageClass{mk("a", t0, AnnBetaDefaultClass, "true")}, "a"},
		{"newest wins", []StorageClass{mk("old", t0, AnnDefaultClass, "true"), mk("new", t0.Add(time.Hour), AnnDefaultClass, "true")}, "new"},
		{"ties by name", []StorageClass{mk("b", t0, AnnDefaultClass, "true"), mk("a", t0, AnnDefaultClass, "true")}, "a"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ""
			if d := DefaultClass(c.classes); d != nil {
				got = d.Name
			}
			if got != c.want {
				t.Errorf("DefaultClass = %q, want %q", got, c.want)
			}
		})
	}
}

// syncUnboundClaim decides on a claim whatever validation says of it: a
// claim mixing ReadWriteOncePod with another mode (which the API server
// refuses) still binds to a volume offering both, and the finding is a
// warning, not an error.
func TestSyncUnboundClaimDecidesOnInvalidClaim(t *testing.T) {
	c := pvc("c", "1Gi", cmodes(ReadWriteOncePod, ReadWriteOnce))
	v := pv("v1", "2Gi", modes(ReadWriteOnce, ReadWriteOncePod))
	r, err := BindPVC([]Volume{v}, c, Options{})
	if err != nil || r.Action != ActionBind || r.Volume != "v1" {
		t.Fatalf("got %s %q, %v; want a bind to v1", r.Action, r.Volume, err)
	}
	if len(r.Warnings) != 1 || r.Warnings[0].Field != "spec.accessModes" || r.Warnings[0].Type != ErrorTypeForbidden {
		t.Fatalf("warnings = %v", r.Warnings)
	}
	if err := ValidateClaim(&c, Release{}); err == nil {
		t.Fatal("ValidateClaim accepts the claim")
	}
	rs, err := BindClaims([]Volume{v}, []Claim{c}, Options{})
	if err != nil || rs[0].Volume != "v1" || len(rs[0].Warnings) != 1 {
		t.Fatalf("BindClaims: %+v, %v", rs, err)
	}
	// A valid claim carries no warnings.
	ok := pvc("ok", "1Gi")
	if r, _ := BindPVC(nil, ok, Options{}); r.Warnings != nil {
		t.Fatalf("warnings on a valid claim: %v", r.Warnings)
	}
}

// The controller's volume worker syncs one claim at a time (syncClaim per
// key): a claim whose sync fails is retried later and the next claim is
// synced all the same. BindClaims fails that claim alone, which takes no
// volume, and reports it by index.
func TestSyncClaimFailureLeavesOtherClaimsToTheirSync(t *testing.T) {
	off := Release{Version: "1.34", FeatureGates: map[api.Gate]bool{api.VolumeAttributesClass: false}}
	gold := pv("v-gold", "1Gi", func(v *Volume) { v.Spec.VolumeAttributesClassName = strp("gold") })
	plain := pv("v-plain", "1Gi")
	// Refused: an attributes class with its gate off; on a claim whose
	// provisioner was migrated to CSI, so its result carries the
	// migrated-to write the controller makes before the sync fails.
	refused := pvc("a-refused", "1Gi", func(c *Claim) {
		c.Spec.VolumeAttributesClassName = strp("gold")
		c.Annotations = map[string]string{AnnStorageProvisioner: "kubernetes.io/aws-ebs"}
	})
	// Refused: a class with no binding mode.
	noMode := pvc("c-no-mode", "1Gi", cclass("nomode"))
	fine := pvc("b-fine", "1Gi")
	classes := []StorageClass{{Name: "nomode", Provisioner: NoProvisioner}}
	claims := []Claim{noMode, fine, refused}
	rs, err := BindClaims([]Volume{gold, plain}, claims, Options{Release: off, Classes: classes})
	var failed ClaimErrors
	if !errors.As(err, &failed) {
		t.Fatalf("want ClaimErrors, got %v", err)
	}
	if len(failed) != 2 || failed[0].Index != 0 || failed[0].Name != "c-no-mode" || failed[1].Index != 2 || failed[1].Name != "a-refused" {
		t.Fatalf("failed claims: %v", err)
	}
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "volumeBindingMode" {
		t.Fatalf("the first claim's field error is not reachable: %v", fe)
	}
	if len(rs) != 3 || rs[1].Action != ActionBind || rs[1].Volume != "v-plain" {
		t.Fatalf("the valid claim was not bound: %+v", rs)
	}
	for _, i := range []int{0, 2} {
		alone, aloneErr := BindPVC([]Volume{gold, plain}, claims[i], Options{Release: off, Classes: classes})
		if aloneErr == nil {
			t.Fatalf("BindPVC accepts claim %d", i)
		}
		if diff := cmp.Diff(alone, rs[i], cmp.AllowUnexported(Quantity{}, qext{})); diff != "" {
			t.Fatalf("claim %d: BindClaims' result differs from BindPVC's:\n%s", i, diff)
		}
		if rs[i].Action == ActionBind {
			t.Fatalf("a failed claim was bound: %+v", rs[i])
		}
	}
	if got := rs[2].ClaimUpdate.SetAnnotations[AnnMigratedTo]; got != "ebs.csi.aws.com" {
		t.Fatalf("the migrated-to write is lost: %+v", rs[2].ClaimUpdate)
	}
	want := `claims[0] (default/c-no-mode): `
	if msg := err.Error(); !strings.HasPrefix(msg, want) || !strings.Contains(msg, "; claims[2] (default/a-refused): ") {
		t.Fatalf("error text: %q", msg)
	}
	// A ClaimError a caller builds without an error still prints.
	if msg := (&ClaimError{Index: 1, Namespace: "ns", Name: "c"}).Error(); msg != "claims[1] (ns/c): unknown error" {
		t.Fatalf("ClaimError without Err: %q", msg)
	}
	// Two claims of one namespace and name still fail the batch.
	if rs, err := BindClaims(nil, []Claim{fine, fine}, Options{}); err == nil || rs != nil || errors.As(err, &failed) {
		t.Fatalf("duplicate claims: %v, %v", rs, err)
	}
}

// The controller's search fails (FindMatchingVolume) for a claim that sets
// an attributes class while that feature is off (possible on 1.34 and
// 1.35): that stays an error, on both paths and in BindClaims. With the
// gate at its default the same claim is searched for.
func TestFindMatchingVolumeAttributesClassGateOff(t *testing.T) {
	c := pvc("c", "1Gi", func(c *Claim) { c.Spec.VolumeAttributesClassName = strp("gold") })
	gold := pv("v1", "1Gi", func(v *Volume) { v.Spec.VolumeAttributesClassName = strp("gold") })
	for _, ver := range []string{"1.34", "1.35"} {
		off := Release{Version: ver, FeatureGates: map[api.Gate]bool{api.VolumeAttributesClass: false}}
		if _, err := BindPVC([]Volume{gold}, c, Options{Release: off}); err == nil {
			t.Errorf("%s: want an error for a volume attributes class with the gate off", ver)
		}
		if _, err := BindClaims([]Volume{gold}, []Claim{c}, Options{Release: off}); err == nil {
			t.Errorf("%s: BindClaims: want an error", ver)
		}
		local := pvc("c", "1Gi", cclass("local"), func(c *Claim) { c.Spec.VolumeAttributesClassName = strp("gold") })
		sched := Options{Release: off, Node: &Node{Name: "n"}, Classes: []StorageClass{sc("local", NoProvisioner, WaitForFirstConsumer)}}
		if _, err := SchedulePod([]Volume{gold}, []Claim{local}, sched); err == nil {
			t.Errorf("%s: SchedulePod: want an error", ver)
		}
		if r, err := BindPVC([]Volume{gold}, c, Options{Release: Release{Version: ver}}); err != nil || r.Volume != "v1" {
			t.Errorf("%s, gate on: %+v, %v; want a bind to v1", ver, r, err)
		}
	}
	// The controller searches only the access-mode sets its volumes have
	// (findByClaim): with no volume offering the claim's modes, the claim
	// is not searched for and goes on to provisioning.
	rox := pv("v1", "1Gi", modes(ReadOnlyMany))
	off := gatesOff("1.35", api.VolumeAttributesClass)
	if r, err := BindPVC([]Volume{rox}, c, Options{Release: off}); err != nil || r.Reason != ReasonFailedBinding {
		t.Errorf("no volume with the claim's modes: %+v, %v; want FailedBinding", r, err)
	}
	if r, err := BindPVC(nil, c, Options{Release: off}); err != nil || r.Reason != ReasonFailedBinding {
		t.Errorf("no volumes: %+v, %v; want FailedBinding", r, err)
	}
	// The gate is locked on from 1.36: turning it off is refused.
	if _, err := BindPVC(nil, c, Options{Release: Release{Version: "1.36",
		FeatureGates: map[api.Gate]bool{api.VolumeAttributesClass: false}}}); err == nil {
		t.Error("1.36 accepts VolumeAttributesClass=false")
	}
}

// checkVolumeSatisfyClaim with the VolumeAttributesClass gate off: a claim
// that names a volume, both with an attributes class, stays Pending with
// VolumeMismatch (it is not searched for, so it is no error), where the gate
// on binds it and copies the class into the claim's status.
func TestCheckVolumeSatisfyClaimAttributesClassGateOff(t *testing.T) {
	off := Release{Version: "1.35", FeatureGates: map[api.Gate]bool{api.VolumeAttributesClass: false}}
	gold := pv("v1", "1Gi", func(v *Volume) { v.Spec.VolumeAttributesClassName = strp("gold") })
	c := pvc("c", "1Gi", cvolume("v1"), func(c *Claim) { c.Spec.VolumeAttributesClassName = strp("gold") })
	r, err := BindPVC([]Volume{gold}, c, Options{Release: off})
	if err != nil || r.Reason != ReasonVolumeMismatch ||
		r.Message != "cannot bind to requested volume v1: volumeAttributesClassName is not supported when the feature-gate VolumeAttributesClass is disabled" {
		t.Fatalf("gate off: %+v, %v", r, err)
	}
	if r, err := BindPVC([]Volume{gold}, c, Options{Release: Release{Version: "1.35"}}); err != nil || r.Action != ActionBind ||
		r.Status.CurrentVolumeAttributesClassName == nil || *r.Status.CurrentVolumeAttributesClassName != "gold" {
		t.Fatalf("gate on: %+v, %v", r, err)
	}
	// A bound claim is kept bound whatever the gate, and the gate off does
	// not copy the class into its status.
	bound := pvc("c", "1Gi", cvolume("v1"), func(c *Claim) {
		c.Annotations = map[string]string{AnnBindCompleted: "yes"}
		c.Status.Phase = ClaimPending
	})
	gold.Spec.ClaimRef = &ObjectReference{Namespace: "default", Name: "c", UID: bound.UID}
	r, err = BindPVC([]Volume{gold}, bound, Options{Release: off})
	if err != nil || r.Action != ActionBind || r.Status.CurrentVolumeAttributesClassName != nil {
		t.Fatalf("bound claim, gate off: %+v, %v", r, err)
	}
}

// the scheduler takes a pod's claims in increasing request size, each
// among the volumes not chosen for the earlier ones.
func TestSchedulePod(t *testing.T) {
	node := &Node{Name: "node-a", Labels: map[string]string{"zone": "a"}}
	local := sc("local", NoProvisioner, WaitForFirstConsumer)
	small, big := pvc("small", "1Gi", cclass("local")), pvc("big", "3Gi", cclass("local"))
	cases := []struct {
		name     string
		pvs      []Volume
		claims   []Claim
		feasible bool
		want     []string // chosen volume per claim
	}{
		{"each claim gets its smallest fit", []Volume{pv("v5", "5Gi", class("local")), pv("v2", "2Gi", class("local"))},
			[]Claim{big, small}, true, []string{"v5", "v2"}},
		{"the smaller claim goes first and may take the only big volume", []Volume{pv("v5", "5Gi", class("local"))},
			[]Claim{big, small}, false, []string{"", "v5"}},
		{"a bound claim needs its volume reachable", []Volume{pv("v1", "1Gi", class("local"), claimRef("default", "bound", "uid-bound"),
			func(v *Volume) {
				v.Spec.NodeAffinity = &NodeSelector{Terms: []NodeSelectorTerm{{MatchExpressions: []NodeSelectorRequirement{
					{Key: "zone", Operator: NodeOpIn, Values: []string{"b"}}}}}}
			})},
			[]Claim{pvc("bound", "1Gi", cclass("local"), cvolume("v1"), cannot(AnnBindCompleted, "yes"))}, false, []string{"v1"}},
		// isPVCFullyBound: a claim naming a volume without bind-completed
		// is an unbound claim of immediate binding, which the scheduler's
		// PreFilter refuses on every node.
		{"a claim not fully bound counts as unbound immediate", []Volume{pv("v1", "1Gi", class("local"), claimRef("default", "bound", "uid-bound"))},
			[]Claim{pvc("bound", "1Gi", cclass("local"), cvolume("v1"))}, false, []string{""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := SchedulePod(c.pvs, c.claims, Options{Node: node, Classes: []StorageClass{local}})
			if err != nil {
				t.Fatal(err)
			}
			if got.Feasible != c.feasible || got.Message == "" {
				t.Errorf("feasible = %v (%s), want %v", got.Feasible, got.Message, c.feasible)
			}
			for i, r := range got.Claims {
				if r.Volume != c.want[i] {
					t.Errorf("claim %s got volume %q, want %q", c.claims[i].Name, r.Volume, c.want[i])
				}
			}
		})
	}
	if _, err := SchedulePod(nil, nil, Options{}); err == nil {
		t.Error("want an error without a node")
	}
}
