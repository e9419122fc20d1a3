package volume

import (
	"errors"
	"github.com/purectl/purectl/api"
	"testing"
	"time"
)

// FuzzParseQuantity: the parser never panics, accepted values compare
// consistently, and the text is kept.
func FuzzParseQuantity(f *testing.F) {
	for _, s := range []string{"1Gi", "1.5", ".5k", "800E", "1e3", "-1500m", "Gi", "0.0000000001", "9Ei", "1e-1000", "1e1000", "+.e5"} {
		f.Add(s, "1Gi")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		qa, errA := ParseQuantity(a)
		qb, errB := ParseQuantity(b)
		if errA != nil || errB != nil {
			return
		}
		if qa.String() != a {
			t.Fatalf("String() = %q, want the parsed text %q", qa.String(), a)
		}
		if qa.Cmp(qb) != -qb.Cmp(qa) {
			t.Fatalf("Cmp not antisymmetric for %q, %q", a, b)
		}
		if qa.Cmp(qa) != 0 {
			t.Fatalf("%q not equal to itself", a)
		}
		c := qa.CeilBytes()
		if c.Cmp(qa) < 0 && qa.Sign() > 0 {
			t.Fatalf("CeilBytes(%q) rounded down", a)
		}
	})
}

// decoder turns fuzz bytes into small, often odd, inputs.
type decoder struct{ b []byte }

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) pick(opts ...string) string { return opts[int(d.byte())%len(opts)] }

func (d *decoder) modes() []AccessMode {
	n := int(d.byte() % 4)
	var out []AccessMode
	for i := 0; i < n; i++ {
		out = append(out, AccessMode(d.pick("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod", "", "Bogus")))
	}
	return out
}

func (d *decoder) quantity() Quantity {
	q, err := ParseQuantity(d.pick("1Gi", "2Gi", "1G", "1500m", "800E", "0", "-1", "Gi", "10Gi", "1"))
	if err != nil {
		return Quantity{}
	}
	return q
}

func (d *decoder) volume(i int) Volume {
	v := Volume{Name: d.pick("a", "b", "c", "", "pvc-uid-x") + string(rune('0'+i%10))}
	v.Spec.Capacity = d.quantity()
	v.Spec.AccessModes = d.modes()
	v.Spec.StorageClassName = d.pick("", "gold", "Bad Class")
	v.Spec.VolumeMode = VolumeMode(d.pick("", "Block", "Filesystem", "Raw"))
	v.Spec.ReclaimPolicy = ReclaimPolicy(d.pick("", "Retain", "Delete", "Recycle", "Shred"))
	v.Status.Phase = VolumePhase(d.pick("", "Available", "Bound", "Released", "Failed", "Pending"))
	switch d.byte() % 5 {
	case 0:
		v.Spec.Source.NFS = &NFSSource{Server: d.pick("", "s"), Path: d.pick("", "/x", "x")}
	case 1:
		t := HostPathType(d.pick("", "Directory", "Pipe"))
		v.Spec.Source.HostPath = &HostPathSource{Path: d.pick("", "/", "/tmp/x", "/a/../b"), Type: &t}
	case 2:
		v.Spec.Source.CSI = &CSISource{Driver: d.pick("", "d"), VolumeHandle: "h"}
	case 3:
		v.Spec.Source.Local = &LocalSource{Path: "/mnt"}
	}
	switch d.byte() % 4 {
	case 0:
		v.Spec.ClaimRef = &ObjectReference{Namespace: d.pick("default", "", "x"), Name: d.pick("c", "d", ""), UID: d.pick("", "uid-c", "other")}
	case 1:
		v.Spec.NodeAffinity = &NodeSelector{Terms: []NodeSelectorTerm{{MatchExpressions: []NodeSelectorRequirement{
			{Key: d.pick("zone", ""), Operator: nodeOp(d.pick("In", "Gt", "Bad")), Values: []string{d.pick("a", "1", "")}}}}}}
	}
	if d.byte()%5 == 0 {
		v.DeletionTimestamp = time.Unix(1, 0)
		v.Finalizers = []string{FinalizerPVProtection}
	}
	if d.byte()%4 == 0 {
		v.Annotations = map[string]string{d.pick(AnnBetaStorageClass, AnnProvisionedBy, AnnMigratedTo, AnnBoundByController): d.pick("", "gold", "kubernetes.io/x", "ext.io/p")}
	}
	if d.byte()%4 == 0 {
		s := d.pick("", "gold")
		v.Spec.VolumeAttributesClassName = &s
	}
	return v
}

func nodeOp(s string) NodeSelectorOperator { return NodeSelectorOperator(s) }

func (d *decoder) claim() Claim {
	c := Claim{Namespace: d.pick("default", ""), Name: d.pick("c", "d", ""), UID: d.pick("uid-c", "")}
	c.Spec.AccessModes = d.modes()
	c.Spec.Request = d.quantity()
	switch d.byte() % 3 {
	case 1:
		s := d.pick("", "gold", "local", "missing", "UP")
		c.Spec.StorageClassName = &s
	case 2:
		c.Annotations = map[string]string{d.pick(AnnBetaStorageClass, AnnBindCompleted, AnnBoundByController, AnnSelectedNode): d.pick("", "gold", "n1")}
	}
	c.Spec.VolumeName = d.pick("", "", "a0", "b1", "zz")
	c.Spec.VolumeMode = VolumeMode(d.pick("", "Block", "Raw"))
	if d.byte()%3 == 0 {
		c.Spec.Selector = &LabelSelector{MatchExpressions: []LabelSelectorRequirement{{Key: d.pick("tier", "-x"),
			Operator: LabelOperator(d.pick("In", "Exists", "Gt")), Values: []string{d.pick("a", "")}}}}
	}
	return c
}

func (d *decoder) classes() []StorageClass {
	mode := BindingMode(d.pick("Immediate", "WaitForFirstConsumer", "Other"))
	out := []StorageClass{{Name: "local", Provisioner: d.pick("ext.io/p", "", NoProvisioner, "kubernetes.io/aws-ebs"), VolumeBindingMode: &mode,
		Annotations: map[string]string{AnnDefaultClass: d.pick("true", "false")}}}
	if d.byte()%2 == 0 {
		out = append(out, StorageClass{Name: "gold", Provisioner: "ext.io/gold"})
	}
	return out
}

// FuzzBindPVC: BindPVC, FindMatch, Explain and BindClaims never panic, and a
// binding never hands out a volume the search rules exclude.
func FuzzBindPVC(f *testing.F) {
	f.Add([]byte{3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0})
	f.Add([]byte("\x05\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"))
	f.Add([]byte("binding with claims and volumes"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := &decoder{b: data}
		n := int(d.byte() % 6)
		pvs := make([]Volume, n)
		for i := range pvs {
			pvs[i] = d.volume(i)
		}
		c := d.claim()
		opts := Options{Classes: d.classes()}
		if d.byte()%3 == 0 {
			opts.Node = &Node{Name: "n1", Labels: map[string]string{"zone": d.pick("a", "b")}}
		}
		opts.Release = fuzzRelease(d)
		r, err := BindPVC(pvs, c, opts)
		if err == nil && (r.Reason == "" || r.Message == "") {
			t.Fatalf("result without reason or message: %+v", r)
		}
		if err == nil && r.Action == ActionBind && r.Reason == ReasonBestFit && opts.Node == nil {
			k := newClaimKey(&c)
			if why, _, _ := k.check(&pvs[r.Index], &MatchOptions{Release: opts.Release}); why != "" {
				t.Fatalf("bound %s although %s", r.Volume, why)
			}
		}
		mo := MatchOptions{Node: opts.Node, DelayBinding: d.byte()%2 == 0, Release: opts.Release}
		FindMatch(pvs, &c, mo)
		Explain(pvs, &c, mo)
		res, err := BindClaims(pvs, []Claim{c, d.claim()}, opts)
		// A batch fails whole with no results, or claim by claim with all.
		var failed ClaimErrors
		if err != nil && (res == nil) == errors.As(err, &failed) {
			t.Fatalf("error %v with %d results", err, len(res))
		}
		if len(res) == 2 && res[0].Action == ActionBind && res[1].Action == ActionBind && res[0].Volume == res[1].Volume {
			t.Fatalf("volume %s bound twice", res[0].Volume)
		}
	})
}

// FuzzSyncVolume: SyncVolume, VolumeProtection, ValidateVolume,
// ClaimProtection and PodAccess never panic and always explain themselves.
func FuzzSyncVolume(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte("reclaim a released volume"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := &decoder{b: data}
		v := d.volume(0)
		var claim *Claim
		if d.byte()%2 == 0 {
			c := d.claim()
			claim = &c
		}
		pods := []Pod{{Namespace: d.pick("default", "x"), Name: d.pick("p", "q"), NodeName: d.pick("", "n1"),
			Phase: PodPhase(d.pick("Running", "Succeeded", "")), Claims: []string{d.pick("c", "d")}, EphemeralVolumes: []string{"data"}}}
		rel := fuzzRelease(d)
		r, err := SyncVolume(v, claim, pods, rel)
		if err == nil && (r.Reason == "" || r.Message == "") {
			t.Fatalf("result without reason or message: %+v", r)
		}
		if p := VolumeProtection(v); p.Message == "" {
			t.Fatal("protection without message")
		}
		if claim != nil {
			if p, err := ClaimProtection(*claim, pods, time.Unix(5, 0), rel); err != nil || p.Message == "" {
				t.Fatalf("protection without message: %+v, %v", p, err)
			}
			if a := PodAccess(claim.Name, v.Spec.AccessModes, pods[0], pods); a.Message == "" {
				t.Fatal("access without message")
			}
		}
	})
}

// fuzzRelease is one of the supported releases, sometimes with the
// VolumeAttributesClass gate off where a release allows that.
func fuzzRelease(d *decoder) Release {
	r := Release{Version: d.pick("1.34", "1.35", "1.36", "1.37")}
	if !r.AtLeast("1.36") && d.byte()%4 == 0 {
		r.FeatureGates = map[api.Gate]bool{api.VolumeAttributesClass: false}
	}
	return r
}
