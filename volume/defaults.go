package volume

import "math/big"

// DefaultVolume returns v with the defaults the release's API server
// applies to a PersistentVolume (core/v1 SetObjectDefaults_PersistentVolume,
// the same in every supported release): phase Pending, reclaim policy
// Retain, volume mode Filesystem, an unset hostPath type made explicit
// (""), and capacities rounded up to a thousandth. With the
// VolumeAttributesClass gate off (1.34 and 1.35 only) it also drops
// spec.volumeAttributesClassName, as creating the volume does
// (DropDisabledSpecFields). v is not modified; the result shares v's maps
// and slices.
func DefaultVolume(v Volume, rel Release) Volume {
	if !vacEnabled(rel) {
		v.Spec.VolumeAttributesClassName = nil
	}
	if v.Status.Phase == "" {
		v.Status.Phase = VolumePending
	}
	if v.Spec.ReclaimPolicy == "" {
		v.Spec.ReclaimPolicy = Retain
	}
	if v.Spec.VolumeMode == "" {
		v.Spec.VolumeMode = Filesystem
	}
	if hp := v.Spec.Source.HostPath; hp != nil && hp.Type == nil {
		c := *hp
		t := HostPathUnset
		c.Type = &t
		v.Spec.Source.HostPath = &c
	}
	v.Spec.Capacity = v.Spec.Capacity.roundUpMilli()
	if len(v.Spec.OtherCapacity) > 0 {
		other := make(map[string]Quantity, len(v.Spec.OtherCapacity))
		for k, q := range v.Spec.OtherCapacity {
			other[k] = q.roundUpMilli()
		}
		v.Spec.OtherCapacity = other
	}
	return v
}

// DefaultClaim returns c with the defaults the release's API server applies
// to a PersistentVolumeClaim (core/v1 SetObjectDefaults_PersistentVolumeClaim,
// the same in every supported release): phase Pending, volume mode
// Filesystem, and the request and status capacity rounded up to a
// thousandth. With the VolumeAttributesClass gate off (1.34 and 1.35 only)
// it also drops spec.volumeAttributesClassName and
// status.currentVolumeAttributesClassName, as creating the claim does
// (DropDisabledFields). c is not modified.
func DefaultClaim(c Claim, rel Release) Claim {
	if !vacEnabled(rel) {
		c.Spec.VolumeAttributesClassName = nil
		c.Status.CurrentVolumeAttributesClassName = nil
	}
	if c.Status.Phase == "" {
		c.Status.Phase = ClaimPending
	}
	if c.Spec.VolumeMode == "" {
		c.Spec.VolumeMode = Filesystem
	}
	c.Spec.Request = c.Spec.Request.roundUpMilli()
	c.Status.Capacity = c.Status.Capacity.roundUpMilli()
	return c
}

// DefaultStorageClass returns sc with the defaults the release's API server
// applies to a StorageClass (storage/v1 SetDefaults_StorageClass): reclaim
// policy Delete and binding mode Immediate, in every supported release. sc
// is not modified.
func DefaultStorageClass(sc StorageClass, rel Release) StorageClass {
	if sc.ReclaimPolicy == nil {
		p := Delete
		sc.ReclaimPolicy = &p
	}
	if sc.VolumeBindingMode == nil {
		m := Immediate
		sc.VolumeBindingMode = &m
	}
	return sc
}

var bigMillion = big.NewInt(1_000_000)

// roundUpMilli rounds q away from zero to a multiple of 10^-3, as the API
// server's resource-list defaulting does; whole values are kept as they are.
func (q Quantity) roundUpMilli() Quantity {
	if !q.big {
		return q
	}
	n, ok := new(big.Int).SetString(q.nanos(), 10)
	if !ok {
		return q
	}
	var r big.Int
	if r.Rem(n, bigMillion); r.Sign() == 0 {
		return q
	}
	n.Sub(n, &r).Add(n, bigMillion)
	return fromNanos(n, q.neg(), "")
}
