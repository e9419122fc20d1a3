package volume

import (
	"slices"
	"strings"
)

// VolumeAction is what a volume decision asks the caller to do.
type VolumeAction string

// The volume actions.
const (
	// VolumeNone: nothing to write.
	VolumeNone VolumeAction = "None"
	// VolumeSetPhase: write Phase (and the claimRef changes, if any).
	VolumeSetPhase VolumeAction = "SetPhase"
	// VolumeUnbind: clear the claimRef (or its UID) and set Available.
	VolumeUnbind VolumeAction = "Unbind"
	// VolumeDeleteAsset: delete the storage asset with the in-tree Plugin,
	// then the volume object.
	VolumeDeleteAsset VolumeAction = "DeleteAsset"
	// VolumeRecycleAsset: scrub the data with the in-tree Plugin, then
	// unbind (ClearClaimRef/ClearClaimRefUID) and set Available.
	VolumeRecycleAsset VolumeAction = "RecycleAsset"
)

// VolumeResult is SyncVolume's decision for one volume.
type VolumeResult struct {
	Action  VolumeAction
	Reason  Reason
	Message string
	// Warning is the event type: Warning when true, Normal otherwise.
	Warning bool
	// Phase, when not empty, is the volume's new status.phase (for
	// VolumeRecycleAsset: once the scrub succeeded).
	Phase VolumePhase
	// ClearClaimRef removes spec.claimRef and the bound-by-controller
	// annotation; ClearClaimRefUID only empties claimRef.uid (a user's
	// pre-binding is kept).
	ClearClaimRef    bool
	ClearClaimRefUID bool
	// Plugin is the in-tree plugin that deletes or recycles the asset.
	Plugin string
	// External is true when an external provisioner or CSI driver reclaims
	// the volume and the controller only waits.
	External bool
	// Status is the volume's status once the plan is applied.
	Status VolumeStatus
}

// SyncVolume decides what the PV controller does next for one volume (spec
// §5): make it Available, Bound or Released, unbind it, or reclaim it under
// its policy. claim is the claim named by the volume's claimRef as observed
// (nil when there is none); pods are the pods of the claim's namespace, used
// by the Recycle policy. The volume is validated first.
func SyncVolume(pv Volume, claim *Claim, pods []Pod) (VolumeResult, error) {
	if err := ValidateVolume(&pv); err != nil {
		return VolumeResult{}, err
	}
	v := &pv
	ref := v.Spec.ClaimRef
	if ref == nil || ref.UID == "" {
		msg := "volume " + v.Name + " is free"
		if ref != nil {
			msg = "volume " + v.Name + " is reserved for claim " + ref.Namespace + "/" + ref.Name
		}
		return setPhase(v, VolumeAvailable, ReasonVolumeAvailable, msg), nil
	}
	if claim != nil && (claim.Namespace != ref.Namespace || claim.Name != ref.Name) {
		claim = nil // not the claim the volume names
	}
	// A claim of the same name but another UID: the old one was deleted.
	recreated := claim != nil && claim.UID != ref.UID
	if recreated {
		claim = nil
	}
	switch {
	case claim == nil:
		return release(v, pods, recreated), nil
	case claim.Spec.VolumeName == "":
		r := VolumeResult{Action: VolumeNone, Reason: ReasonWaitingForClaim, Status: v.Status,
			Message: "volume " + v.Name + " waits for claim " + ref.Namespace + "/" + ref.Name + " to finish binding"}
		if normMode(claim.Spec.VolumeMode) != normMode(v.Spec.VolumeMode) {
			r.Reason, r.Warning = ReasonVolumeMismatch, true
			r.Message = "cannot bind volume " + v.Name + " to claim " + ref.Namespace + "/" + ref.Name + " due to incompatible volumeMode"
		}
		return r, nil
	case claim.Spec.VolumeName == v.Name:
		return setPhase(v, VolumeBound, ReasonVolumeBound, "volume "+v.Name+" is bound to claim "+ref.Namespace+"/"+ref.Name), nil
	}
	// The claim chose another volume.
	if hasKey(v.Annotations, AnnProvisionedBy) && v.Spec.ReclaimPolicy == Delete {
		return release(v, pods, true), nil
	}
	r := VolumeResult{Action: VolumeUnbind, Reason: ReasonVolumeUnbound, Phase: VolumeAvailable,
		Message: "claim " + ref.Namespace + "/" + ref.Name + " is bound to volume " + claim.Spec.VolumeName + "; unbinding " + v.Name,
		Status:  VolumeStatus{Phase: VolumeAvailable}}
	unbind(v, &r)
	return r, nil
}

// unbind sets the claimRef changes of spec V2(b).
func unbind(v *Volume, r *VolumeResult) {
	if hasKey(v.Annotations, AnnBoundByController) {
		r.ClearClaimRef = true
	} else {
		r.ClearClaimRefUID = true
	}
}

func setPhase(v *Volume, p VolumePhase, reason Reason, msg string) VolumeResult {
	r := VolumeResult{Action: VolumeNone, Reason: reason, Message: msg, Status: v.Status}
	if v.Status.Phase != p {
		r.Action, r.Phase = VolumeSetPhase, p
		r.Status = VolumeStatus{Phase: p}
	}
	return r
}

// release is spec V3: mark Released, then reclaim by policy. claimExists
// says a claim of the old claim's name exists (re-created): recycling then
// does not wait for pods, which use the new claim.
func release(v *Volume, pods []Pod, claimExists bool) VolumeResult {
	r := VolumeResult{Action: VolumeNone, Status: v.Status}
	if v.Status.Phase != VolumeReleased && v.Status.Phase != VolumeFailed {
		r.Action, r.Phase = VolumeSetPhase, VolumeReleased
		r.Status = VolumeStatus{Phase: VolumeReleased}
	}
	fail := func(reason Reason, msg string) VolumeResult {
		return VolumeResult{Action: VolumeSetPhase, Phase: VolumeFailed, Reason: reason, Warning: true, Message: msg,
			Status: VolumeStatus{Phase: VolumeFailed, Message: msg}}
	}
	ref := v.Spec.ClaimRef
	if hasKey(v.Annotations, AnnMigratedTo) {
		r.Reason, r.External = ReasonMigrated, true
		r.Message = "volume " + v.Name + " is released; its CSI driver " + v.Annotations[AnnMigratedTo] + " reclaims it"
		return r
	}
	switch policy := v.Spec.ReclaimPolicy; policy {
	case Retain, "":
		r.Reason = ReasonVolumeRetained
		r.Message = "volume " + v.Name + " is released and retained; an administrator must clear its claimRef to reuse it"
		return r
	case Recycle:
		// Pods still using the old claim hold the recycle back (unless a
		// claim of that name exists again); only then is the plugin looked up.
		if users := podsUsing(ref.Namespace, ref.Name, pods); !claimExists && len(users) > 0 {
			r.Reason = ReasonVolumeFailedRecycle
			r.Message = "Volume is used by pods: " + strings.Join(users, ",")
			return r
		}
		plugin := ""
		switch {
		case v.Spec.Source.NFS != nil:
			plugin = "kubernetes.io/nfs"
		case v.Spec.Source.HostPath != nil:
			plugin = "kubernetes.io/host-path"
		}
		if plugin == "" {
			return fail(ReasonVolumeFailedRecycle, "No recycler plugin found for the volume!")
		}
		out := VolumeResult{Action: VolumeRecycleAsset, Reason: ReasonVolumeRecycle, Plugin: plugin, Phase: VolumeAvailable,
			Message: "recycling volume " + v.Name + ", then making it Available",
			Status:  VolumeStatus{Phase: VolumeAvailable}}
		unbind(v, &out)
		return out
	case Delete:
		if pb, ok := v.Annotations[AnnProvisionedBy]; ok && pb != "" && !strings.HasPrefix(pb, inTreePluginPrefix) {
			r.Reason, r.External = ReasonExternalDeleting, true
			r.Message = "volume " + v.Name + " is released; the external provisioner " + pb + " deletes it"
			return r
		}
		if v.Spec.Source.CSI != nil {
			r.Reason, r.External = ReasonExternalDeleting, true
			r.Message = "volume " + v.Name + " is released; the CSI driver " + v.Spec.Source.CSI.Driver + " deletes it"
			return r
		}
		if hp := v.Spec.Source.HostPath; hp != nil {
			// The in-tree hostPath deleter only removes directories below /tmp.
			if !strings.HasPrefix(hp.Path, "/tmp/") || len(hp.Path) == len("/tmp/") {
				return fail(ReasonVolumeFailedDelete, "host_path deleter only supports /tmp/.+ but received provided "+hp.Path)
			}
			return VolumeResult{Action: VolumeDeleteAsset, Reason: ReasonVolumeDelete, Plugin: "kubernetes.io/host-path",
				Message: "deleting volume " + v.Name + " and its directory " + hp.Path, Status: r.Status, Phase: r.Phase}
		}
		return fail(ReasonVolumeFailedDelete, "error getting deleter volume plugin for volume \""+v.Name+"\": no deletable volume plugin matched")
	default:
		return fail(ReasonVolumeUnknownReclaimPolicy, "Volume has unrecognized PersistentVolumeReclaimPolicy")
	}
}

// podsUsing returns the sorted "namespace/name" of the pods in ns that
// reference the claim and have not terminated (Succeeded/Failed).
func podsUsing(ns, claim string, pods []Pod) []string {
	var out []string
	for i := range pods {
		p := &pods[i]
		if p.Namespace != ns || p.Phase == PodSucceeded || p.Phase == PodFailed {
			continue
		}
		if slices.Contains(p.Claims, claim) {
			out = append(out, p.Namespace+"/"+p.Name)
		}
	}
	return sortedCopy(out)
}
