package volume_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/purectl/purectl/volume"
)

func strp(s string) *string { return &s }

// nfsSlow is the classic static volume: 2Gi, ReadWriteMany, class "slow",
// on NFS, kept after use (Retain).
func nfsSlow() volume.Volume {
	return volume.Volume{
		Name:   "nfs-slow",
		Status: volume.VolumeStatus{Phase: volume.VolumeAvailable},
		Spec: volume.VolumeSpec{
			Capacity:         volume.MustParseQuantity("2Gi"),
			AccessModes:      []volume.AccessMode{volume.ReadWriteMany},
			StorageClassName: "slow",
			ReclaimPolicy:    volume.Retain,
			Source:           volume.VolumeSource{NFS: &volume.NFSSource{Server: "nfs.example.com", Path: "/exports/slow"}},
		},
	}
}

func shareClaim() volume.Claim {
	return volume.Claim{
		Namespace: "web", Name: "shared", UID: "7f3c",
		Spec: volume.ClaimSpec{
			AccessModes:      []volume.AccessMode{volume.ReadWriteMany},
			Request:          volume.MustParseQuantity("1Gi"),
			StorageClassName: strp("slow"),
		},
	}
}

// A 1Gi ReadWriteMany claim of class "slow" binds the 2Gi NFS volume; the
// claim then reports the volume's full size. When the claim is deleted the
// Retain policy keeps the volume, Released, until an administrator frees it.
func ExampleBindPVC() {
	pvs := []volume.Volume{nfsSlow()}
	claim := shareClaim()

	r, err := volume.BindPVC(pvs, claim, volume.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Action, r.Reason, r.Volume)
	fmt.Println(r.Message)
	fmt.Printf("volume: claimRef %s/%s, phase %s\n", r.VolumeUpdate.ClaimRef.Namespace, r.VolumeUpdate.ClaimRef.Name, r.VolumeUpdate.Phase)
	fmt.Printf("claim: %s, capacity %s, modes %v\n", r.Status.Phase, r.Status.Capacity, r.Status.AccessModes)

	// Apply the binding, then delete the claim.
	pv := pvs[0]
	ref := r.VolumeUpdate.ClaimRef
	pv.Spec.ClaimRef = &ref
	pv.Status.Phase = r.VolumeUpdate.Phase
	after, err := volume.SyncVolume(pv, nil, nil, volume.Release{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(after.Action, after.Phase, after.Reason)
	fmt.Println(after.Message)

	// A new claim cannot take the released volume.
	pv.Status.Phase = after.Phase
	recreated := shareClaim()
	recreated.UID = "9a1d"
	again, _ := volume.BindPVC([]volume.Volume{pv}, recreated, volume.Options{})
	fmt.Println(again.Action, again.Reason)
	// Output:
	// Bind BestFit nfs-slow
	// binding to the smallest available volume that satisfies the claim
	// volume: claimRef web/shared, phase Bound
	// claim: Bound, capacity 2Gi, modes [ReadWriteMany]
	// SetPhase Released VolumeRetained
	// volume nfs-slow is released and retained; an administrator must clear its claimRef to reuse it
	// None ProvisioningFailed
}

// Explain tells why a claim stays Pending: every volume with the first rule
// that rejects it.
func ExampleExplain() {
	small := nfsSlow()
	small.Name, small.Spec.Capacity = "nfs-small", volume.MustParseQuantity("500Mi")
	rwo := nfsSlow()
	rwo.Name, rwo.Spec.AccessModes = "disk", []volume.AccessMode{volume.ReadWriteOnce}
	gold := nfsSlow()
	gold.Name, gold.Spec.StorageClassName = "gold", "gold"
	claim := shareClaim()
	for _, r := range volume.Explain([]volume.Volume{small, rwo, gold}, &claim, volume.MatchOptions{}) {
		fmt.Printf("%s: %s: %s\n", r.Volume, r.Reason, r.Message)
	}
	// Output:
	// nfs-small: TooSmall: volume nfs-small has 500Mi, less than the requested 1Gi
	// disk: AccessModes: volume disk does not offer every requested access mode
	// gold: StorageClassMismatch: volume gold has class gold, the claim wants slow
}

// FindMatch is the allocation-free search: fewer access modes beat a
// smaller size.
func ExampleFindMatch() {
	big := nfsSlow()
	big.Name, big.Spec.Capacity = "rwx-100", volume.MustParseQuantity("100Gi")
	both := nfsSlow()
	both.Name, both.Spec.AccessModes = "rwx-rox-2", []volume.AccessMode{volume.ReadWriteMany, volume.ReadOnlyMany}
	pvs := []volume.Volume{both, big}
	claim := shareClaim()
	i, prebound := volume.FindMatch(pvs, &claim, volume.MatchOptions{})
	fmt.Println(pvs[i].Name, prebound)
	// Output: rwx-100 false
}

// BindClaims binds many claims at once without handing a volume out twice.
func ExampleBindClaims() {
	a, b := nfsSlow(), nfsSlow()
	a.Name, b.Name = "nfs-a", "nfs-b"
	b.Spec.Capacity = volume.MustParseQuantity("5Gi")
	c1, c2, c3 := shareClaim(), shareClaim(), shareClaim()
	c1.Name, c2.Name, c3.Name = "one", "two", "three"
	res, err := volume.BindClaims([]volume.Volume{b, a}, []volume.Claim{c3, c2, c1}, volume.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, c := range []volume.Claim{c3, c2, c1} {
		v := res[i].Volume
		if v == "" {
			v = "-"
		}
		fmt.Println(c.Name, res[i].Action, res[i].Reason, v)
	}
	// Output:
	// three Bind BestFit nfs-b
	// two None ProvisioningFailed -
	// one Bind BestFit nfs-a
}

// A claim whose decision fails (its class has no binding mode) fails
// alone; the others are decided all the same.
func ExampleClaimErrors() {
	ok, broken := shareClaim(), shareClaim()
	ok.Name, broken.Name = "ok", "broken"
	class := "no-mode"
	broken.Spec.StorageClassName = &class
	classes := []volume.StorageClass{{Name: class, Provisioner: volume.NoProvisioner}}
	res, err := volume.BindClaims([]volume.Volume{nfsSlow()}, []volume.Claim{broken, ok}, volume.Options{Classes: classes})
	var failed volume.ClaimErrors
	if errors.As(err, &failed) {
		for _, f := range failed {
			fmt.Println("failed:", f.Index, f.Name)
		}
	}
	fmt.Println(res[1].Action, res[1].Volume)
	// Output:
	// failed: 0 broken
	// Bind nfs-slow
}

// SyncVolume reclaims a released volume under the Delete policy: an
// external provisioner's volume is left to it.
func ExampleSyncVolume() {
	pv := nfsSlow()
	pv.Spec.ReclaimPolicy = volume.Delete
	pv.Annotations = map[string]string{volume.AnnProvisionedBy: "nfs.csi.k8s.io"}
	pv.Spec.ClaimRef = &volume.ObjectReference{Namespace: "web", Name: "shared", UID: "7f3c"}
	pv.Status.Phase = volume.VolumeBound
	r, _ := volume.SyncVolume(pv, nil, nil, volume.Release{})
	fmt.Println(r.Phase, r.Reason, r.External)
	// Output: Released ExternalDeleting true
}

// ClaimProtection keeps a deleted claim while a scheduled pod uses it. From
// 1.37 (PersistentVolumeClaimUnusedSinceTime, alpha in 1.36, on by default in
// 1.37) it also records since when a live, Bound claim has been unused: a
// Succeeded pod still holds the claim against deletion, but does not use
// it.
func ExampleClaimProtection() {
	claim := shareClaim()
	claim.Finalizers = []string{volume.FinalizerPVCProtection}
	claim.Status.Phase = volume.ClaimBound
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	pods := []volume.Pod{{Namespace: "web", Name: "web-0", NodeName: "node-a", Phase: volume.PodSucceeded, Claims: []string{"shared"}}}
	for _, rel := range []string{"1.36", "1.37"} {
		p, _ := volume.ClaimProtection(claim, pods, now, volume.Release{Version: rel})
		if p.Unused == nil {
			fmt.Println(rel, p.Action, "no Unused condition")
			continue
		}
		fmt.Println(rel, p.Action, p.Unused.Type, p.Unused.Status, p.Unused.Reason, p.Unused.LastTransitionTime.Format(time.RFC3339))
	}
	deleted := claim
	deleted.DeletionTimestamp = now
	p, _ := volume.ClaimProtection(deleted, pods, now, volume.Release{})
	fmt.Println(p.Action, p.Users)
	p, _ = volume.ClaimProtection(deleted, nil, now, volume.Release{})
	fmt.Println(p.Action)
	// Output:
	// 1.36 None no Unused condition
	// 1.37 None Unused True NoPodsUsingPVC 2025-06-01T12:00:00Z
	// Keep [web-0]
	// Remove
}

// PodAccess: a ReadWriteOncePod claim serves a single pod.
func ExamplePodAccess() {
	running := volume.Pod{Namespace: "web", Name: "web-0", NodeName: "node-a", Phase: volume.PodRunning, Claims: []string{"db"}}
	next := volume.Pod{Namespace: "web", Name: "web-1", NodeName: "node-a"}
	a := volume.PodAccess("db", []volume.AccessMode{volume.ReadWriteOncePod}, next, []volume.Pod{running})
	fmt.Println(a.Allowed, a.Reason, a.Conflicts)
	// Output: false ReadWriteOncePodConflict [web-0]
}

// ValidateVolume reports API-style field errors.
func ExampleValidateVolume() {
	pv := nfsSlow()
	pv.Spec.AccessModes = []volume.AccessMode{volume.ReadWriteOncePod, volume.ReadWriteMany}
	pv.Spec.Capacity = volume.MustParseQuantity("0")
	fmt.Println(volume.ValidateVolume(&pv, volume.Release{}))
	// Output: [spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes, spec.capacity[storage]: Invalid value: "0": must be greater than zero]
}

// ParseQuantity compares exactly, even beyond int64.
func ExampleParseQuantity() {
	a, _ := volume.ParseQuantity("800E")
	b, _ := volume.ParseQuantity("950E")
	g, _ := volume.ParseQuantity("1G")
	gi, _ := volume.ParseQuantity("1Gi")
	fmt.Println(a.Cmp(b), g.Cmp(gi))
	// Output: -1 -1
}

// SchedulePod: can a pod with two WaitForFirstConsumer claims run on
// node-a? The smaller claim chooses first.
func ExampleSchedulePod() {
	wffc := volume.WaitForFirstConsumer
	classes := []volume.StorageClass{{Name: "local", Provisioner: volume.NoProvisioner, VolumeBindingMode: &wffc}}
	zoneA := &volume.NodeSelector{Terms: []volume.NodeSelectorTerm{{MatchExpressions: []volume.NodeSelectorRequirement{
		{Key: "zone", Operator: volume.NodeOpIn, Values: []string{"a"}}}}}}
	disk := func(name, size string) volume.Volume {
		return volume.Volume{Name: name, Status: volume.VolumeStatus{Phase: volume.VolumeAvailable}, Spec: volume.VolumeSpec{
			Capacity: volume.MustParseQuantity(size), AccessModes: []volume.AccessMode{volume.ReadWriteOnce},
			StorageClassName: "local", NodeAffinity: zoneA,
			Source: volume.VolumeSource{Local: &volume.LocalSource{Path: "/mnt/" + name}}}}
	}
	claim := func(name, size string) volume.Claim {
		return volume.Claim{Namespace: "db", Name: name, UID: name, Spec: volume.ClaimSpec{
			AccessModes: []volume.AccessMode{volume.ReadWriteOnce}, Request: volume.MustParseQuantity(size), StorageClassName: strp("local")}}
	}
	pvs := []volume.Volume{disk("ssd-100", "100Gi"), disk("ssd-10", "10Gi")}
	claims := []volume.Claim{claim("data", "50Gi"), claim("wal", "5Gi")}
	node := &volume.Node{Name: "node-a", Labels: map[string]string{"zone": "a"}}
	plan, err := volume.SchedulePod(pvs, claims, volume.Options{Node: node, Classes: classes})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(plan.Feasible)
	for i, r := range plan.Claims {
		fmt.Println(claims[i].Name, r.Action, r.Volume)
	}
	// Output:
	// true
	// data Bind ssd-100
	// wal Bind ssd-10
}

// VolumeProtection holds a deleted volume while it is Bound.
func ExampleVolumeProtection() {
	pv := nfsSlow()
	pv.DeletionTimestamp = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	pv.Finalizers = []string{volume.FinalizerPVProtection}
	pv.Status.Phase = volume.VolumeBound
	fmt.Println(volume.VolumeProtection(pv).Action)
	pv.Status.Phase = volume.VolumeReleased
	fmt.Println(volume.VolumeProtection(pv).Action)
	// Output:
	// Keep
	// Remove
}

// ValidateClaim reports API-style field errors; errors.As finds them.
func ExampleValidateClaim() {
	c := shareClaim()
	c.Spec.Request = volume.Quantity{}
	c.Spec.StorageClassName = strp("Slow")
	err := volume.ValidateClaim(&c, volume.Release{})
	fmt.Println(err)
	var fe *volume.FieldError
	fmt.Println(errors.As(err, &fe), fe.Field)
	// Output:
	// [spec.resources[storage]: Required value, spec.storageClassName: Invalid value: "Slow": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')]
	// true spec.resources[storage]
}

// An Index answers many searches and remembers what it handed out.
func ExampleNewIndex() {
	a, b := nfsSlow(), nfsSlow()
	a.Name, b.Name = "nfs-a", "nfs-b"
	ix := volume.NewIndex([]volume.Volume{a, b})
	c := shareClaim()
	first, _ := ix.Find(&c, false)
	ix.Take(first)
	second, _ := ix.Find(&c, false)
	ix.Take(second)
	third, _ := ix.Find(&c, false)
	fmt.Println(first, second, third)
	// Output: 0 1 -1
}

// DefaultClass picks the newest class marked as default.
func ExampleDefaultClass() {
	old := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	classes := []volume.StorageClass{
		{Name: "standard", CreationTimestamp: old, Annotations: map[string]string{volume.AnnDefaultClass: "true"}},
		{Name: "premium", CreationTimestamp: old.AddDate(1, 0, 0), Annotations: map[string]string{volume.AnnDefaultClass: "true"}},
		{Name: "legacy", CreationTimestamp: old, Annotations: map[string]string{volume.AnnDefaultClass: "True"}},
	}
	fmt.Println(volume.DefaultClass(classes).Name)
	// Output: premium
}

// The API server's defaults, for objects a caller builds by hand: a new
// volume is Pending, Retain and Filesystem; sizes are kept to a thousandth.
func ExampleDefaultVolume() {
	v := volume.DefaultVolume(volume.Volume{Name: "scratch",
		Spec: volume.VolumeSpec{Capacity: volume.MustParseQuantity("0.0001"), AccessModes: []volume.AccessMode{volume.ReadWriteOnce},
			Source: volume.VolumeSource{HostPath: &volume.HostPathSource{Path: "/tmp/scratch"}}}}, volume.Release{})

	fmt.Println(v.Status.Phase, v.Spec.ReclaimPolicy, v.Spec.VolumeMode, v.Spec.Capacity, *v.Spec.Source.HostPath.Type == volume.HostPathUnset)
	// Output: Pending Retain Filesystem 0.001 true
}

func ExampleDefaultClaim() {
	c := volume.DefaultClaim(shareClaim(), volume.Release{})
	fmt.Println(c.Status.Phase, c.Spec.VolumeMode)
	// Output: Pending Filesystem
}

func ExampleDefaultStorageClass() {
	sc := volume.DefaultStorageClass(volume.StorageClass{Name: "fast", Provisioner: "ebs.csi.aws.com"}, volume.Release{})
	fmt.Println(*sc.ReclaimPolicy, *sc.VolumeBindingMode)
	// Output: Delete Immediate
}

// A claim the API server would refuse (ReadWriteOncePod mixed with another
// mode) is still decided on, as the controller does; the finding comes back
// as a warning.
func ExampleResult_Warnings() {
	claim := shareClaim()
	claim.Spec.AccessModes = []volume.AccessMode{volume.ReadWriteMany, volume.ReadWriteOncePod}
	pv := nfsSlow()
	pv.Spec.AccessModes = []volume.AccessMode{volume.ReadWriteMany, volume.ReadWriteOncePod}
	r, err := volume.BindPVC([]volume.Volume{pv}, claim, volume.Options{})
	fmt.Println(r.Action, r.Volume, err)
	for _, w := range r.Warnings {
		fmt.Println(w)
	}
	// Output:
	// Bind nfs-slow <nil>
	// spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes
}
