package volume

import (
	"fmt"
	"time"
)

// Builders for test fixtures.

func q(s string) Quantity { return MustParseQuantity(s) }

func strp(s string) *string { return &s }

type volOpt func(*Volume)

func pv(name, size string, opts ...volOpt) Volume {
	v := Volume{Name: name, Spec: VolumeSpec{Capacity: q(size), AccessModes: []AccessMode{ReadWriteOnce},
		ReclaimPolicy: Retain, Source: VolumeSource{NFS: &NFSSource{Server: "nfs", Path: "/" + name}}},
		Status: VolumeStatus{Phase: VolumeAvailable}}
	for _, o := range opts {
		o(&v)
	}
	return v
}

func modes(ms ...AccessMode) volOpt { return func(v *Volume) { v.Spec.AccessModes = ms } }
func class(c string) volOpt         { return func(v *Volume) { v.Spec.StorageClassName = c } }
func phase(p VolumePhase) volOpt    { return func(v *Volume) { v.Status.Phase = p } }
func claimRef(ns, name, uid string) volOpt {
	return func(v *Volume) { v.Spec.ClaimRef = &ObjectReference{Namespace: ns, Name: name, UID: uid} }
}
func vlabels(kv ...string) volOpt {
	return func(v *Volume) {
		v.Labels = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Labels[kv[i]] = kv[i+1]
		}
	}
}
func vmode(m VolumeMode) volOpt { return func(v *Volume) { v.Spec.VolumeMode = m } }
func deleting() volOpt {
	return func(v *Volume) { v.DeletionTimestamp = time.Unix(1, 0) }
}
func vannot(k, val string) volOpt {
	return func(v *Volume) {
		if v.Annotations == nil {
			v.Annotations = map[string]string{}
		}
		v.Annotations[k] = val
	}
}

type claimOpt func(*Claim)

func pvc(name, size string, opts ...claimOpt) Claim {
	c := Claim{Namespace: "default", Name: name, UID: "uid-" + name,
		Spec:   ClaimSpec{AccessModes: []AccessMode{ReadWriteOnce}, Request: q(size)},
		Status: ClaimStatus{Phase: ClaimPending}}
	for _, o := range opts {
		o(&c)
	}
	return c
}

func cmodes(ms ...AccessMode) claimOpt { return func(c *Claim) { c.Spec.AccessModes = ms } }
func cclass(s string) claimOpt         { return func(c *Claim) { c.Spec.StorageClassName = &s } }
func cvolume(n string) claimOpt        { return func(c *Claim) { c.Spec.VolumeName = n } }
func cannot(k, val string) claimOpt {
	return func(c *Claim) {
		if c.Annotations == nil {
			c.Annotations = map[string]string{}
		}
		c.Annotations[k] = val
	}
}
func csel(s *LabelSelector) claimOpt { return func(c *Claim) { c.Spec.Selector = s } }

// cluster builds n volumes of a realistic mix: most bound to other claims,
// the rest Available in two classes and several sizes and mode sets.
func cluster(n int) []Volume {
	pvs := make([]Volume, n)
	sizes := []string{"1Gi", "2Gi", "5Gi", "10Gi", "20Gi", "50Gi", "100Gi"}
	modeSets := [][]AccessMode{{ReadWriteOnce}, {ReadWriteOnce, ReadOnlyMany}, {ReadWriteMany}, {ReadWriteOnce, ReadWriteMany}}
	for i := range pvs {
		name := fmt.Sprintf("pv-%05d", i)
		opts := []volOpt{modes(modeSets[i%len(modeSets)]...)}
		if i%3 == 0 {
			opts = append(opts, class("fast"))
		} else {
			opts = append(opts, class("slow"))
		}
		if i%2 == 0 {
			opts = append(opts, claimRef("team", fmt.Sprintf("data-%d", i), fmt.Sprintf("u%d", i)), phase(VolumeBound))
		}
		pvs[i] = pv(name, sizes[(i*5)%len(sizes)], opts...)
	}
	return pvs
}
