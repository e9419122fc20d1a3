package volume

import (
	"strings"

	"github.com/purectl/purectl/internal/field"
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
	// AddFinalizers and RemoveFinalizers are the finalizer writes the
	// controller makes before anything else: kubernetes.io/pv-controller
	// on a volume an in-tree plugin provisioned with policy Delete (removed
	// again under Retain or Recycle), and the external provisioner's
	// finalizer dropped from such a volume.
	AddFinalizers    []string
	RemoveFinalizers []string
	// SetAnnotations and RemoveAnnotations are other annotation writes:
	// pv.kubernetes.io/migrated-to on a volume provisioned by an in-tree
	// plugin that CSI migration hands to a CSI driver.
	SetAnnotations    map[string]string
	RemoveAnnotations []string
	// Warnings lists what the API server's validation (ValidateVolume)
	// would reject in the volume; the decision is the controller's all the
	// same.
	Warnings []*FieldError
}

// SyncVolume decides what the release's PV controller does next for one
// volume (syncVolume): make it Available, Bound or Released, unbind it, or
// reclaim it under its policy. claim is the claim named by the volume's
// claimRef as observed (nil when there is none); pods are the pods of the
// claim's namespace, used by the Recycle policy. A volume that validation
// (ValidateVolume) would reject is decided on as the controller decides on
// it, with the findings in VolumeResult.Warnings; the only error is an
// unsupported release (the controller's own sync of a volume does not
// refuse one).
func SyncVolume(pv Volume, claim *Claim, pods []Pod, rel Release) (VolumeResult, error) {
	if err := field.CheckRelease(rel); err != nil {
		return VolumeResult{}, err
	}
	warn := volumeWarnings(&pv, rel)
	v, w := annealVolume(&pv)
	r := syncVolume(v, claim, pods)
	r.AddFinalizers, r.RemoveFinalizers = w.AddFinalizers, w.RemoveFinalizers
	r.SetAnnotations, r.RemoveAnnotations = w.SetAnnotations, w.RemoveAnnotations
	r.Warnings = warn
	return r, nil
}

func syncVolume(v *Volume, claim *Claim, pods []Pod) VolumeResult {
	ref := v.Spec.ClaimRef
	if ref == nil || ref.UID == "" {
		msg := "volume " + v.Name + " is free"
		if ref != nil {
			msg = "volume " + v.Name + " is reserved for claim " + ref.Namespace + "/" + ref.Name
		}
		return setPhase(v, VolumeAvailable, ReasonVolumeAvailable, msg)
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
		return release(v, pods, recreated)
	case claim.Spec.VolumeName == "":
		r := VolumeResult{Action: VolumeNone, Reason: ReasonWaitingForClaim, Status: v.Status,
			Message: "volume " + v.Name + " waits for claim " + ref.Namespace + "/" + ref.Name + " to finish binding"}
		if normMode(claim.Spec.VolumeMode) != normMode(v.Spec.VolumeMode) {
			r.Reason, r.Warning = ReasonVolumeMismatch, true
			r.Message = "cannot bind volume " + v.Name + " to claim " + ref.Namespace + "/" + ref.Name + " due to incompatible volumeMode"
		}
		return r
	case claim.Spec.VolumeName == v.Name:
		return setPhase(v, VolumeBound, ReasonVolumeBound, "volume "+v.Name+" is bound to claim "+ref.Namespace+"/"+ref.Name)
	}
	// The claim chose another volume.
	if hasKey(v.Annotations, AnnProvisionedBy) && v.Spec.ReclaimPolicy == Delete {
		return release(v, pods, true)
	}
	r := VolumeResult{Action: VolumeUnbind, Reason: ReasonVolumeUnbound, Phase: VolumeAvailable,
		Message: "claim " + ref.Namespace + "/" + ref.Name + " is bound to volume " + claim.Spec.VolumeName + "; unbinding " + v.Name,
		Status:  VolumeStatus{Phase: VolumeAvailable}}
	unbind(v, &r)
	return r
}

// unbind sets the claimRef changes of the controller.
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

// release is mark Released, then reclaim by policy. claimExists
// says a claim of the old claim's name exists (re-created): recycling then
// does not wait for pods, which use the new claim.
func release(v *Volume, pods []Pod, claimExists bool) VolumeResult {
	r := VolumeResult{Action: VolumeNone, Status: v.Status}
	if v.Status.Phase != VolumeReleased && v.Status.Phase != VolumeFailed {
		r.Action, r.Phase = VolumeSetPhase, VolumeReleased
		r.Status = VolumeStatus{Phase: VolumeReleased}
	}
	fail := func(reason Reason, msg string) VolumeResult {
		if v.Status.Phase == VolumeFailed {
			// updateVolumePhaseWithEvent: a volume already Failed keeps
			// its message and gets no event; the next attempt retries.
			return VolumeResult{Action: VolumeNone, Reason: reason, Warning: true, Message: msg, Status: v.Status}
		}
		return VolumeResult{Action: VolumeSetPhase, Phase: VolumeFailed, Reason: reason, Warning: true, Message: msg,
			Status: VolumeStatus{Phase: VolumeFailed, Message: msg}}
	}
	ref := v.Spec.ClaimRef
	if v.Annotations[AnnMigratedTo] != "" {
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
		return deleteAsset(v, r, fail)
	default:
		return fail(ReasonVolumeUnknownReclaimPolicy, "Volume has unrecognized PersistentVolumeReclaimPolicy")
	}
}

// inTreePlugins are the volume plugins kube-controller-manager registers
// in every supported release besides hostPath: none of them deletes or provisions.
var inTreePlugins = map[string]bool{"kubernetes.io/nfs": true, "kubernetes.io/fc": true,
	"kubernetes.io/iscsi": true, "kubernetes.io/csi": true}

// deleteAsset is the Delete policy (findDeletablePlugin, then the
// deleter): the plugin named by provisioned-by, else an external deleter
// for migrated and CSI volumes, else the in-tree plugin for the source.
// Only the hostPath plugin deletes; r is the Released result so far.
func deleteAsset(v *Volume, r VolumeResult, fail func(Reason, string) VolumeResult) VolumeResult {
	external := func(msg string) VolumeResult {
		r.Reason, r.External, r.Message = ReasonExternalDeleting, true, msg
		return r
	}
	byName := false
	if pb := v.Annotations[AnnProvisionedBy]; pb != "" {
		switch {
		case pb == HostPathProvisioner:
			byName = true
		case !strings.HasPrefix(pb, inTreePluginPrefix):
			return external("volume " + v.Name + " is released; the external provisioner " + pb + " deletes it")
		case inTreePlugins[pb]:
			return fail(ReasonVolumeFailedDelete, "no deletable volume plugin matched")
		default:
			return fail(ReasonVolumeFailedDelete, "no volume plugin matched name: "+pb)
		}
	}
	if !byName {
		switch s := &v.Spec.Source; {
		case hasKey(v.Annotations, AnnMigratedTo):
			return external("volume " + v.Name + " is released; its CSI driver reclaims it")
		case s.CSI != nil:
			return external("volume " + v.Name + " is released; the CSI driver " + s.CSI.Driver + " deletes it")
		case s.HostPath != nil:
		case s.NFS != nil || s.Other == "iscsi" || s.Other == "fc":
			return fail(ReasonVolumeFailedDelete, "error getting deleter volume plugin for volume \""+v.Name+"\": no deletable volume plugin matched")
		default:
			return fail(ReasonVolumeFailedDelete, "error getting deleter volume plugin for volume \""+v.Name+"\": no volume plugin matched")
		}
	}
	hp := v.Spec.Source.HostPath
	if hp == nil {
		return fail(ReasonVolumeFailedDelete, "failed to create deleter for volume \""+v.Name+"\": spec.PersistentVolumeSource.HostPath is nil")
	}
	if !hostPathDeletable(hp.Path) {
		return fail(ReasonVolumeFailedDelete, "host_path deleter only supports /tmp/.+ but received provided "+hp.Path)
	}
	return VolumeResult{Action: VolumeDeleteAsset, Reason: ReasonVolumeDelete, Plugin: HostPathProvisioner,
		Message: "deleting volume " + v.Name + " and its directory " + hp.Path, Status: r.Status, Phase: r.Phase}
}

// hostPathDeletable is the in-tree hostPath deleter's check: the path must
// match the unanchored pattern /tmp/.+, i.e. contain "/tmp/" followed by a
// character other than a newline anywhere, so /var/tmp/x qualifies too.
func hostPathDeletable(path string) bool {
	for i := 0; i+len("/tmp/") < len(path); i++ {
		if path[i:i+len("/tmp/")] == "/tmp/" && path[i+len("/tmp/")] != '\n' {
			return true
		}
	}
	return false
}

// podsUsing returns the sorted "namespace/name" of the pods in ns that
// reference the claim and have not terminated (Succeeded/Failed).
func podsUsing(ns, claim string, pods []Pod) []string {
	var out []string
	for i := range pods {
		p := &pods[i]
		if p.Namespace != ns || p.terminated() {
			continue
		}
		if p.references(claim) {
			out = append(out, p.Namespace+"/"+p.Name)
		}
	}
	return sortedCopy(out)
}
