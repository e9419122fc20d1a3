package pv

import (
	"errors"
	"sort"

	v1 "k8s.io/api/core/v1"

	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/volume"
)

// claimOrder is the order in which BindClaims settles claims (claims that
// name their volume or finished binding first, then the others, each group
// by namespace, name and UID). The real controller is driven in the same
// order: its own order is its work queue's, i.e. informer event order, and
// the claims of one pass may compete for a volume.
func claimOrder(claims []*v1.PersistentVolumeClaim) []*v1.PersistentVolumeClaim {
	out := append([]*v1.PersistentVolumeClaim(nil), claims...)
	first := func(c *v1.PersistentVolumeClaim) bool {
		_, done := c.Annotations[volume.AnnBindCompleted]
		return done || c.Spec.VolumeName != ""
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if first(a) != first(b) {
			return first(a)
		}
		if a.Namespace != b.Namespace {
			return a.Namespace < b.Namespace
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.UID < b.UID
	})
	return out
}

// ours is purectl's side of one pass: BindClaims over every claim, the
// results written; then SyncVolume for every volume on that state.
func ours(c *cluster) (*cluster, []step, error) {
	pvs := c.volumes()
	vs := make([]volume.Volume, len(pvs))
	for i, pv := range pvs {
		var err error
		if vs[i], err = adapt.PersistentVolume(pv); err != nil {
			return nil, nil, err
		}
	}
	var classes []volume.StorageClass
	for _, sc := range c.classes {
		classes = append(classes, adapt.StorageClass(sc))
	}
	pods := make([]volume.Pod, len(c.pods))
	for i, p := range c.pods {
		pods[i] = adapt.VolumePod(p)
	}
	claims := claimOrder(c.claims())
	cs := make([]volume.Claim, len(claims))
	for i, pvc := range claims {
		var err error
		if cs[i], err = adapt.PersistentVolumeClaim(pvc); err != nil {
			return nil, nil, err
		}
	}
	opts := volume.Options{Classes: classes, Pods: pods, Release: release}
	// The controller's sync of a claim it refuses (an attributes class with
	// that gate off) fails and leaves the claim as it is but for the
	// annotation write made before; BindClaims fails that claim alone
	// (volume.ClaimErrors) and settles the others.
	results, err := volume.BindClaims(vs, cs, opts)
	var failedClaims volume.ClaimErrors
	if err != nil && !errors.As(err, &failedClaims) {
		return nil, nil, err
	}
	refused := make([]bool, len(cs))
	for _, f := range failedClaims {
		refused[f.Index] = true
	}
	next := c.shallow()
	next.pvs = map[string]*v1.PersistentVolume{}
	for n, pv := range c.pvs {
		next.pvs[n] = pv
	}
	next.pvcs = map[string]*v1.PersistentVolumeClaim{}
	for k, pvc := range c.pvcs {
		next.pvcs[k] = pvc
	}
	var steps []step
	for i, pvc := range claims {
		if refused[i] {
			// Only the annotation writes made before the sync failed.
			next.pvcs[pvc.Namespace+"/"+pvc.Name] = withAnnotations(pvc, results[i].ClaimUpdate)
			steps = append(steps, step{Object: "claim " + pvc.Namespace + "/" + pvc.Name, Err: true})
			continue
		}
		r := results[i]
		var pv *v1.PersistentVolume
		if r.Volume != "" {
			pv = next.pvs[r.Volume]
		}
		pv2, pvc2 := adapt.ApplyClaimResult(pv, pvc, r)
		if pv != nil {
			next.pvs[pv.Name] = pv2
		}
		next.pvcs[pvc.Namespace+"/"+pvc.Name] = pvc2
		steps = append(steps, step{Object: "claim " + pvc.Namespace + "/" + pvc.Name, Err: r.Reason == volume.ReasonBindConflict,
			Events: claimEvents(r)})
	}
	for _, pv := range next.volumes() {
		v, err := adapt.PersistentVolume(pv)
		if err != nil {
			return nil, nil, err
		}
		var claim *volume.Claim
		if ref := pv.Spec.ClaimRef; ref != nil {
			if pvc := next.pvcs[ref.Namespace+"/"+ref.Name]; pvc != nil {
				cl, err := adapt.PersistentVolumeClaim(pvc)
				if err != nil {
					return nil, nil, err
				}
				claim = &cl
			}
		}
		r, err := volume.SyncVolume(v, claim, pods, release)
		if err != nil {
			return nil, nil, err
		}
		out, deleted := adapt.ApplyVolumeResult(pv, r)
		if deleted {
			delete(next.pvs, pv.Name)
		} else {
			next.pvs[pv.Name] = out
		}
		st := step{Object: "volume " + pv.Name, Events: volumeEvents(r)}
		switch r.Action {
		case volume.VolumeDeleteAsset:
			st.Ops = []string{"delete " + pv.Name + " by " + r.Plugin}
		case volume.VolumeRecycleAsset:
			st.Ops = []string{"recycle " + pv.Name + " by " + r.Plugin}
		}
		steps = append(steps, st)
	}
	return next, steps, nil
}

// claimEvents are the events a claim decision stands for: its Reason when
// that is one of the controller's event reasons, typed by Warning. A claim
// already Lost is not reported again.
func claimEvents(r volume.Result) []string {
	typ := "Normal"
	if r.Warning {
		typ = "Warning"
	}
	switch r.Reason {
	case volume.ReasonFailedBinding, volume.ReasonVolumeMismatch, volume.ReasonWaitForFirstConsumer,
		volume.ReasonWaitForPodScheduled, volume.ReasonExternalProvisioning, volume.ReasonProvisioningFailed:
		return []string{typ + " " + string(r.Reason)}
	case volume.ReasonBindConflict:
		return []string{typ + " " + string(volume.ReasonFailedBinding)}
	case volume.ReasonClaimLost, volume.ReasonClaimMisbound:
		if r.Action == volume.ActionMarkLost {
			return []string{typ + " " + string(r.Reason)}
		}
	}
	return nil
}

// volumeEvents are the events a volume decision stands for. A failure is
// reported when the volume enters Failed; a successful recycle as
// VolumeRecycled; a volume mode mismatch on both the volume and the claim.
func volumeEvents(r volume.VolumeResult) []string {
	typ := "Normal"
	if r.Warning {
		typ = "Warning"
	}
	switch r.Reason {
	case volume.ReasonVolumeMismatch:
		return []string{typ + " VolumeMismatch", typ + " VolumeMismatch"}
	case volume.ReasonVolumeRecycle:
		return []string{"Normal VolumeRecycled"}
	case volume.ReasonVolumeFailedRecycle, volume.ReasonVolumeFailedDelete, volume.ReasonVolumeUnknownReclaimPolicy:
		if r.Action != volume.VolumeNone || !r.Warning {
			return []string{typ + " " + string(r.Reason)}
		}
	}
	return nil
}

// withAnnotations is a copy of the claim with the update's annotation
// writes applied, and nothing else.
func withAnnotations(pvc *v1.PersistentVolumeClaim, u volume.ClaimUpdate) *v1.PersistentVolumeClaim {
	if len(u.SetAnnotations) == 0 && len(u.RemoveAnnotations) == 0 {
		return pvc
	}
	out := pvc.DeepCopy()
	if out.Annotations == nil {
		out.Annotations = map[string]string{}
	}
	for k, v := range u.SetAnnotations {
		out.Annotations[k] = v
	}
	for _, k := range u.RemoveAnnotations {
		delete(out.Annotations, k)
	}
	return out
}
