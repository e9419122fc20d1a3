package volume

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/purectl/purectl/api"
	"pgregory.net/rapid"
)

var allReleases = []string{"1.34", "1.35", "1.36", "1.37"}

func gatesOff(version string, gates ...api.Gate) Release {
	r := Release{Version: version, FeatureGates: map[api.Gate]bool{}}
	for _, g := range gates {
		r.FeatureGates[g] = false
	}
	return r
}

// pvc-protection's updateUnusedCondition, new in 1.36 behind
// PersistentVolumeClaimUnusedSinceTime (alpha, off) and on by default in
// 1.37, which also leaves claims that are not Bound alone.
func TestPVCProtectionUpdateUnusedCondition(t *testing.T) {
	now := time.Unix(1000, 0)
	before := time.Unix(10, 0)
	bound := func(c *Claim) { c.Status.Phase = ClaimBound; c.Finalizers = []string{FinalizerPVCProtection} }
	withCond := func(s ConditionStatus) claimOpt {
		return func(c *Claim) {
			c.Status.Conditions = []ClaimCondition{
				{Type: "Resizing", Status: ConditionTrue},
				{Type: ClaimUnused, Status: s, Reason: "old", LastTransitionTime: before},
			}
		}
	}
	running := Pod{Namespace: "default", Name: "web", Phase: PodRunning, Claims: []string{"c"}}
	pending := Pod{Namespace: "default", Name: "web", Phase: PodPending, Claims: []string{"c"}}
	done := Pod{Namespace: "default", Name: "web", NodeName: "n", Phase: PodSucceeded, Claims: []string{"c"}}
	elsewhere := Pod{Namespace: "other", Name: "web", Phase: PodRunning, Claims: []string{"c"}}
	on136 := Release{Version: "1.36", FeatureGates: map[api.Gate]bool{api.PersistentVolumeClaimUnusedSinceTime: true}}
	cases := []struct {
		name  string
		rel   Release
		claim Claim
		pods  []Pod
		want  ConditionStatus // "" = no write
	}{
		{"1.34: no such condition", Release{Version: "1.34"}, pvc("c", "1Gi", bound), nil, ""},
		{"1.35: no such condition", Release{Version: "1.35"}, pvc("c", "1Gi", bound), nil, ""},
		{"1.36: alpha, off by default", Release{Version: "1.36"}, pvc("c", "1Gi", bound), nil, ""},
		{"1.36 gate on: unused claim gets True", on136, pvc("c", "1Gi", bound), nil, ConditionTrue},
		{"1.36 gate on: a Pending claim is tracked too", on136, pvc("c", "1Gi"), []Pod{pending}, ConditionFalse},
		{"1.37: unused Bound claim gets True", Release{Version: "1.37"}, pvc("c", "1Gi", bound), nil, ConditionTrue},
		{"1.37: a Pending claim is left to the PV controller", Release{Version: "1.37"}, pvc("c", "1Gi"), []Pod{pending}, ""},
		{"1.37 gate off", gatesOff("1.37", api.PersistentVolumeClaimUnusedSinceTime), pvc("c", "1Gi", bound), nil, ""},
		{"1.37: an unscheduled pod that has not terminated uses it", Release{Version: "1.37"}, pvc("c", "1Gi", bound), []Pod{pending}, ConditionFalse},
		{"1.37: a running pod uses it", Release{Version: "1.37"}, pvc("c", "1Gi", bound), []Pod{running}, ConditionFalse},
		{"1.37: a Succeeded pod does not", Release{Version: "1.37"}, pvc("c", "1Gi", bound), []Pod{done}, ConditionTrue},
		{"1.37: pods of other namespaces do not", Release{Version: "1.37"}, pvc("c", "1Gi", bound), []Pod{elsewhere}, ConditionTrue},
		{"1.37: already True and unused: no write", Release{Version: "1.37"}, pvc("c", "1Gi", bound, withCond(ConditionTrue)), nil, ""},
		{"1.37: False and unused becomes True", Release{Version: "1.37"}, pvc("c", "1Gi", bound, withCond(ConditionFalse)), nil, ConditionTrue},
		{"1.37: Unknown and unused becomes True", Release{Version: "1.37"}, pvc("c", "1Gi", bound, withCond(ConditionUnknown)), nil, ConditionTrue},
		{"1.37: True and used becomes False", Release{Version: "1.37"}, pvc("c", "1Gi", bound, withCond(ConditionTrue)), []Pod{running}, ConditionFalse},
		{"1.37: Unknown and used is left", Release{Version: "1.37"}, pvc("c", "1Gi", bound, withCond(ConditionUnknown)), []Pod{running}, ""},
		{"1.37: a deleted claim is not tracked", Release{Version: "1.37"},
			pvc("c", "1Gi", bound, func(c *Claim) { c.DeletionTimestamp = before }), nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ClaimProtection(c.claim, c.pods, now, c.rel)
			if err != nil {
				t.Fatal(err)
			}
			if c.want == "" {
				if p.Unused != nil {
					t.Fatalf("wrote %+v", *p.Unused)
				}
				if len(p.Conditions) != len(c.claim.Status.Conditions) {
					t.Fatalf("conditions %+v, want the claim's own", p.Conditions)
				}
				return
			}
			if p.Unused == nil || p.Unused.Type != ClaimUnused || p.Unused.Status != c.want || !p.Unused.LastTransitionTime.Equal(now) {
				t.Fatalf("Unused = %+v, want %s at %v", p.Unused, c.want, now)
			}
			wantReason := map[ConditionStatus]string{ConditionTrue: "NoPodsUsingPVC", ConditionFalse: "PodUsingPVC"}[c.want]
			if p.Unused.Reason != wantReason {
				t.Errorf("reason %q, want %q", p.Unused.Reason, wantReason)
			}
			// The condition replaces the old one in place; others stay.
			n := 0
			for _, x := range p.Conditions {
				if x.Type == ClaimUnused {
					n++
					if x.Status != c.want {
						t.Errorf("status.conditions has %+v", x)
					}
				}
			}
			if n != 1 || len(p.Conditions) != max(1, len(c.claim.Status.Conditions)) {
				t.Errorf("conditions = %+v", p.Conditions)
			}
			if len(c.claim.Status.Conditions) > 0 && c.claim.Status.Conditions[1].Status == p.Unused.Status {
				t.Error("the claim's own conditions were modified")
			}
		})
	}
}

// The finalizer decision is the same whatever the Unused condition does:
// a live claim without the finalizer gets it, on every release.
func TestPVCProtectionFinalizerEveryRelease(t *testing.T) {
	for _, v := range allReleases {
		p, err := ClaimProtection(pvc("c", "1Gi", func(c *Claim) { c.Status.Phase = ClaimBound }), nil, time.Unix(1, 0), Release{Version: v})
		if err != nil || p.Action != FinalizerAdd {
			t.Errorf("%s: %+v, %v", v, p, err)
		}
		if (p.Unused != nil) != (v == "1.37") {
			t.Errorf("%s: Unused = %+v", v, p.Unused)
		}
	}
}

// podUsesPVCForDeletion and podUsesPVCForUnusedSince count a generic
// ephemeral volume's claim only for the pod that controls it
// (ephemeral.VolumeIsForPod): a claim of that name without the pod's
// controller reference is not in use.
func TestPVCProtectionEphemeralVolumeIsForPod(t *testing.T) {
	now := time.Unix(100, 0)
	pod := Pod{Namespace: "default", Name: "p", UID: "pu", NodeName: "n", Phase: PodRunning, EphemeralVolumes: []string{"data"}}
	for _, c := range []struct {
		owner string
		want  FinalizerAction
		used  ConditionStatus
	}{{"pu", FinalizerKeep, ConditionFalse}, {"", FinalizerRemove, ConditionTrue}, {"other", FinalizerRemove, ConditionTrue}} {
		claim := Claim{Namespace: "default", Name: "p-data", OwnerPodUID: c.owner, DeletionTimestamp: now,
			Finalizers: []string{FinalizerPVCProtection}, Status: ClaimStatus{Phase: ClaimBound}}
		p, err := ClaimProtection(claim, []Pod{pod}, now, Release{})
		if err != nil || p.Action != c.want {
			t.Errorf("owner %q: %+v, %v; want %s", c.owner, p, err, c.want)
		}
		claim.DeletionTimestamp = time.Time{}
		p, _ = ClaimProtection(claim, []Pod{pod}, now, Release{Version: "1.37"})
		if p.Unused == nil || p.Unused.Status != c.used {
			t.Errorf("owner %q: Unused = %+v, want %s", c.owner, p.Unused, c.used)
		}
	}
}

// ValidatePersistentVolume and ValidatePersistentVolumeClaim check
// volumeAttributesClassName only while the VolumeAttributesClass gate is on
// (ValidationOptionsForPersistentVolume/...Claim); it can be turned off on
// 1.34 and 1.35 only.
func TestValidationOptionsVolumeAttributesClass(t *testing.T) {
	v := pv("v1", "1Gi", func(v *Volume) { v.Spec.VolumeAttributesClassName = strp("") })
	c := pvc("c", "1Gi", func(c *Claim) { c.Spec.VolumeAttributesClassName = strp("Gold") })
	for _, ver := range allReleases {
		if err := ValidateVolume(&v, Release{Version: ver}); err == nil {
			t.Errorf("%s: empty volumeAttributesClassName and no CSI source accepted", ver)
		}
		if err := ValidateClaim(&c, Release{Version: ver}); err == nil {
			t.Errorf("%s: invalid volumeAttributesClassName accepted", ver)
		}
	}
	for _, ver := range []string{"1.34", "1.35"} {
		off := gatesOff(ver, api.VolumeAttributesClass)
		if err := ValidateVolume(&v, off); err != nil {
			t.Errorf("%s gate off: %v", ver, err)
		}
		if err := ValidateClaim(&c, off); err != nil {
			t.Errorf("%s gate off: %v", ver, err)
		}
		r, err := SyncVolume(v, nil, nil, off)
		if err != nil || r.Warnings != nil {
			t.Errorf("%s gate off: SyncVolume warnings %v, %v", ver, r.Warnings, err)
		}
	}
	for _, ver := range []string{"1.36", "1.37"} {
		err := ValidateVolume(&v, gatesOff(ver, api.VolumeAttributesClass))
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != "release.featureGates[VolumeAttributesClass]" {
			t.Errorf("%s: turning the locked gate off: %v", ver, err)
		}
	}
}

// DropDisabledSpecFields / DropDisabledFields: creating a volume or claim
// with the VolumeAttributesClass gate off drops the attributes class; with
// it on (every release's default) it is kept.
func TestDropDisabledFieldsVolumeAttributesClass(t *testing.T) {
	v := pv("v1", "1Gi", func(v *Volume) { v.Spec.VolumeAttributesClassName = strp("gold") })
	c := pvc("c", "1Gi", func(c *Claim) {
		c.Spec.VolumeAttributesClassName = strp("gold")
		c.Status.CurrentVolumeAttributesClassName = strp("gold")
	})
	for _, ver := range allReleases {
		if got := DefaultVolume(v, Release{Version: ver}); got.Spec.VolumeAttributesClassName == nil {
			t.Errorf("%s: class dropped", ver)
		}
		if got := DefaultClaim(c, Release{Version: ver}); got.Spec.VolumeAttributesClassName == nil || got.Status.CurrentVolumeAttributesClassName == nil {
			t.Errorf("%s: class dropped", ver)
		}
	}
	for _, ver := range []string{"1.34", "1.35"} {
		off := gatesOff(ver, api.VolumeAttributesClass)
		if got := DefaultVolume(v, off); got.Spec.VolumeAttributesClassName != nil || got.Spec.ReclaimPolicy != Retain {
			t.Errorf("%s gate off: %+v", ver, got.Spec)
		}
		if got := DefaultClaim(c, off); got.Spec.VolumeAttributesClassName != nil || got.Status.CurrentVolumeAttributesClassName != nil {
			t.Errorf("%s gate off: %+v", ver, got)
		}
	}
	if v.Spec.VolumeAttributesClassName == nil || c.Spec.VolumeAttributesClassName == nil {
		t.Fatal("input modified")
	}
}

// HonorPVReclaimPolicy is GA and locked on in 1.34 and 1.35 and removed
// (always on) from 1.36 (modifyDeletionFinalizers no longer asks): the
// kubernetes.io/pv-controller finalizer is kept in step with the Delete
// policy on every release alike.
func TestHonorPVReclaimPolicyEveryRelease(t *testing.T) {
	provisioned := pv("v1", "1Gi", func(v *Volume) {
		v.Spec.ReclaimPolicy = Delete
		v.Spec.Source = VolumeSource{HostPath: &HostPathSource{Path: "/tmp/v1"}}
		v.Annotations = map[string]string{AnnProvisionedBy: HostPathProvisioner}
	})
	for _, ver := range allReleases {
		r, err := SyncVolume(provisioned, nil, nil, Release{Version: ver})
		if err != nil || len(r.AddFinalizers) != 1 || r.AddFinalizers[0] != FinalizerPVController {
			t.Errorf("%s: %+v, %v", ver, r, err)
		}
	}
	for _, ver := range []string{"1.34", "1.35"} {
		if _, err := SyncVolume(provisioned, nil, nil, gatesOff(ver, api.HonorPVReclaimPolicy)); err == nil {
			t.Errorf("%s: HonorPVReclaimPolicy=false accepted (it is locked on)", ver)
		}
	}
	if _, err := SyncVolume(provisioned, nil, nil, gatesOff("1.36", api.HonorPVReclaimPolicy)); err == nil {
		t.Error("1.36: the removed gate HonorPVReclaimPolicy accepted")
	}
}

// Every entry point refuses a release it does not know.
func TestUnsupportedRelease(t *testing.T) {
	bad := Release{Version: "1.33"}
	c := pvc("c", "1Gi")
	v := pv("v1", "1Gi")
	if _, err := BindPVC(nil, c, Options{Release: bad}); err == nil {
		t.Error("BindPVC")
	}
	if _, err := BindClaims(nil, []Claim{c}, Options{Release: bad}); err == nil {
		t.Error("BindClaims")
	}
	if _, err := SchedulePod(nil, []Claim{c}, Options{Release: bad, Node: &Node{Name: "n"}}); err == nil {
		t.Error("SchedulePod")
	}
	if _, err := SyncVolume(v, nil, nil, bad); err == nil {
		t.Error("SyncVolume")
	}
	if _, err := ClaimProtection(c, nil, time.Time{}, bad); err == nil {
		t.Error("ClaimProtection")
	}
	if ValidateVolume(&v, bad) == nil || ValidateClaim(&c, bad) == nil {
		t.Error("Validate")
	}
}

// ValidateCSIDriverName: from 1.35 an empty CSI driver is only Required;
// 1.34 also reports it as an invalid name.
func TestValidateCSIDriverNameEmpty(t *testing.T) {
	v := pv("v1", "1Gi", func(v *Volume) { v.Spec.Source = VolumeSource{CSI: &CSISource{VolumeHandle: "h"}} })
	for _, c := range []struct {
		ver  string
		want []ErrorType
	}{
		{"1.34", []ErrorType{ErrorTypeRequired, ErrorTypeInvalid}},
		{"1.35", []ErrorType{ErrorTypeRequired}},
		{"1.36", []ErrorType{ErrorTypeRequired}},
		{"1.37", []ErrorType{ErrorTypeRequired}},
	} {
		var got []ErrorType
		var list *FieldErrors
		if err := ValidateVolume(&v, Release{Version: c.ver}); errors.As(err, &list) {
			for _, e := range list.List {
				if e.Field == "spec.csi.driver" {
					got = append(got, e.Type)
				}
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: spec.csi.driver errors %v, want %v", c.ver, got, c.want)
		}
	}
}

// FindPodVolumes with the VolumeAttributesClass gate off: the search's
// refusal of a claim with an attributes class fails the filter, unless the
// PreFilter already refused the pod for an unbound claim of immediate
// binding, or a claim is being provisioned for another node.
func TestFindPodVolumesAttributesClassGateOff(t *testing.T) {
	off := gatesOff("1.34", api.VolumeAttributesClass)
	classes := []StorageClass{sc("local", NoProvisioner, WaitForFirstConsumer), sc("now", NoProvisioner, Immediate)}
	opts := Options{Release: off, Node: &Node{Name: "n1"}, Classes: classes}
	gold := pvc("gold", "1Gi", cclass("local"), func(c *Claim) { c.Spec.VolumeAttributesClassName = strp("gold") })
	plain := pvc("plain", "2Gi", cclass("local"))
	immediate := pvc("imm", "5Gi", cclass("now"))
	elsewhere := pvc("far", "5Gi", cclass("local"), func(c *Claim) { c.Annotations = map[string]string{AnnSelectedNode: "n2"} })
	if _, err := SchedulePod(nil, []Claim{plain, gold}, opts); err == nil {
		t.Error("want the search's error")
	}
	for _, first := range []Claim{immediate, elsewhere} {
		r, err := SchedulePod(nil, []Claim{gold, first}, opts)
		if err != nil || r.Feasible {
			t.Errorf("with %s: %+v, %v; want infeasible, no error", first.Name, r, err)
		}
	}
	opts.Release = Release{Version: "1.34"}
	if r, err := SchedulePod(nil, []Claim{plain, gold}, opts); err != nil || r.Feasible {
		t.Errorf("gate on: %+v, %v; want infeasible (nothing to bind or provision)", r, err)
	}
}

// Properties of ClaimProtection on any release: it never writes the Unused
// condition where the release's gate is off, on a deleted claim, or (1.37)
// on a claim that is not Bound; a written condition replaces the claim's
// own exactly once and says False precisely when a pod of the claim's
// namespace that has not terminated names the claim; writing it again on
// the result is a no-op; the finalizer decision does not depend on it.
func TestClaimProtectionProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rel := drawRelease(t)
		if rapid.Bool().Draw(t, "flipUnused") && rel.AtLeast("1.36") {
			rel.FeatureGates = map[api.Gate]bool{api.PersistentVolumeClaimUnusedSinceTime: !rel.Enabled(api.PersistentVolumeClaimUnusedSinceTime)}
		}
		c := pvc("c", "1Gi")
		c.Status.Phase = rapid.SampledFrom([]ClaimPhase{ClaimPending, ClaimBound, ClaimLost}).Draw(t, "phase")
		if rapid.Bool().Draw(t, "deleted") {
			c.DeletionTimestamp = time.Unix(3, 0)
		}
		if rapid.Bool().Draw(t, "finalizer") {
			c.Finalizers = []string{FinalizerPVCProtection}
		}
		if s := rapid.SampledFrom([]ConditionStatus{"", ConditionTrue, ConditionFalse, ConditionUnknown}).Draw(t, "cond"); s != "" {
			c.Status.Conditions = []ClaimCondition{{Type: ClaimUnused, Status: s}}
		}
		var pods []Pod
		for i := range rapid.IntRange(0, 3).Draw(t, "npods") {
			pods = append(pods, Pod{Namespace: rapid.SampledFrom([]string{"default", "other"}).Draw(t, "ns"), Name: fmt.Sprintf("p%d", i),
				NodeName: rapid.SampledFrom([]string{"", "n"}).Draw(t, "node"),
				Phase:    rapid.SampledFrom([]PodPhase{PodPending, PodRunning, PodSucceeded}).Draw(t, "podPhase"),
				Claims:   rapid.SliceOfN(rapid.SampledFrom([]string{"c", "d"}), 0, 1).Draw(t, "claims")})
		}
		now := time.Unix(7, 0)
		p, err := ClaimProtection(c, pods, now, rel)
		if err != nil {
			t.Fatal(err)
		}
		noWrite := !rel.Enabled(api.PersistentVolumeClaimUnusedSinceTime) || !c.DeletionTimestamp.IsZero() ||
			rel.AtLeast("1.37") && c.Status.Phase != ClaimBound
		if noWrite && p.Unused != nil {
			t.Fatalf("wrote %+v", *p.Unused)
		}
		used := false
		for _, pod := range pods {
			used = used || pod.Namespace == c.Namespace && pod.Phase != PodSucceeded && slices.Contains(pod.Claims, c.Name)
		}
		if p.Unused != nil {
			if (p.Unused.Status == ConditionFalse) != used || len(p.Conditions) != 1 || p.Conditions[0] != *p.Unused {
				t.Fatalf("used=%v: %+v, conditions %+v", used, *p.Unused, p.Conditions)
			}
			again := c
			again.Status.Conditions = p.Conditions
			if q, _ := ClaimProtection(again, pods, now.Add(time.Hour), rel); q.Unused != nil {
				t.Fatalf("second pass rewrote %+v", *q.Unused)
			}
		}
		off := rel
		off.FeatureGates = nil
		if rel.AtLeast("1.36") {
			off.FeatureGates = map[api.Gate]bool{api.PersistentVolumeClaimUnusedSinceTime: false}
		}
		if q, _ := ClaimProtection(c, pods, now, off); q.Action != p.Action || q.Reason != p.Reason || !slices.Equal(q.Users, p.Users) {
			t.Fatalf("finalizer decision depends on the gate: %+v vs %+v", q, p)
		}
	})
}

// syncClaim updates the claim's migrated-to annotation
// (updateClaimMigrationAnnotations) before syncUnboundClaim, so a claim the
// search then refuses (an attributes class with that gate off) still gets
// the write, next to the error.
func TestSyncClaimMigrationBeforeRefusal(t *testing.T) {
	c := pvc("c", "1Gi", func(c *Claim) {
		c.Spec.VolumeAttributesClassName = strp("gold")
		c.Annotations = map[string]string{AnnStorageProvisioner: "kubernetes.io/gce-pd"}
	})
	r, err := BindPVC([]Volume{pv("v1", "1Gi")}, c, Options{Release: gatesOff("1.34", api.VolumeAttributesClass)})
	if err == nil || r.ClaimUpdate.SetAnnotations[AnnMigratedTo] != "pd.csi.storage.gke.io" {
		t.Fatalf("%+v, %v; want the migrated-to write and the error", r.ClaimUpdate, err)
	}
}
