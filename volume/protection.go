package volume

import (
	"slices"
	"time"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/field"
)

// FinalizerAction is what in-use protection asks the caller to do.
type FinalizerAction string

// The finalizer actions.
const (
	FinalizerNone   FinalizerAction = "None"
	FinalizerAdd    FinalizerAction = "Add"
	FinalizerKeep   FinalizerAction = "Keep" // deleted but still in use
	FinalizerRemove FinalizerAction = "Remove"
)

// Protection is an in-use protection decision.
type Protection struct {
	Action  FinalizerAction
	Reason  Reason
	Message string
	// Users are the pods that keep a claim, sorted by name.
	Users []string
	// Unused, when not nil, is the Unused condition to write to the claim's
	// status.conditions first (replacing the condition of that type, or
	// appended), with LastTransitionTime the call's now. The PVC protection
	// controller keeps it from 1.36 while the
	// PersistentVolumeClaimUnusedSinceTime gate is on (alpha in 1.36, beta
	// and on in 1.37), on live claims, and from 1.37 on Bound claims only.
	Unused *ClaimCondition
	// Conditions are the claim's status.conditions once Unused is written
	// (the claim's own when Unused is nil).
	Conditions []ClaimCondition
}

// ClaimProtection is the release's PVC protection controller: add
// kubernetes.io/pvc-protection to a live claim that lacks it; for a deleted
// claim, keep the finalizer while a scheduled pod of its namespace uses it
// (whatever the pod's phase: a finished pod object still holds it) and
// remove it otherwise. A generic ephemeral volume's claim "<pod>-<volume>"
// counts only for the pod that controls it (OwnerPodUID) and only while
// that pod is not shut down (deleted with grace period 0). pods are the
// pods of the claim's namespace.
//
// With the PersistentVolumeClaimUnusedSinceTime gate on it first keeps the
// claim's Unused condition (see Protection.Unused): False while a pod that
// has not terminated references the claim, scheduled or not, True
// otherwise; now is the transition time written. Only an unsupported
// release is an error.
func ClaimProtection(claim Claim, pods []Pod, now time.Time, rel Release) (Protection, error) {
	if err := field.CheckRelease(rel); err != nil {
		return Protection{}, err
	}
	p := claimFinalizer(&claim, pods)
	p.Conditions = claim.Status.Conditions
	if c := unusedCondition(&claim, pods, now, rel); c != nil {
		p.Unused = c
		p.Conditions = withCondition(claim.Status.Conditions, *c)
	}
	return p, nil
}

// unusedCondition is updateUnusedCondition: the Unused condition to write,
// or nil when the gate is off, the claim is being deleted, (from 1.37) the
// claim is not Bound, or the condition already says so. On an unused
// claim a missing, False or Unknown condition becomes True; on a used one a
// missing or True condition becomes False (an Unknown one is left as it
// is, as upstream leaves it).
func unusedCondition(c *Claim, pods []Pod, now time.Time, rel Release) *ClaimCondition {
	if !rel.Enabled(api.PersistentVolumeClaimUnusedSinceTime) || !c.DeletionTimestamp.IsZero() {
		return nil
	}
	if rel.AtLeast("1.37") && c.Status.Phase != ClaimBound {
		// 1.37 leaves claims the PV controller is still binding alone.
		return nil
	}
	used := false
	for i := range pods {
		p := &pods[i]
		if p.Namespace == c.Namespace && !p.terminated() && podReferencesClaim(p, c) {
			used = true
			break
		}
	}
	var cur *ClaimCondition
	for i := range c.Status.Conditions {
		if c.Status.Conditions[i].Type == ClaimUnused {
			cur = &c.Status.Conditions[i]
			break
		}
	}
	switch {
	case used && (cur == nil || cur.Status == ConditionTrue):
		return &ClaimCondition{Type: ClaimUnused, Status: ConditionFalse, Reason: "PodUsingPVC",
			Message: "A pod is currently referencing this PVC", LastTransitionTime: now}
	case !used && (cur == nil || cur.Status != ConditionTrue):
		return &ClaimCondition{Type: ClaimUnused, Status: ConditionTrue, Reason: "NoPodsUsingPVC",
			Message: "No pods are currently referencing this PVC", LastTransitionTime: now}
	}
	return nil
}

// withCondition is conds with c replacing the condition of its type, or
// appended; conds is not modified.
func withCondition(conds []ClaimCondition, c ClaimCondition) []ClaimCondition {
	out := make([]ClaimCondition, 0, len(conds)+1)
	replaced := false
	for _, x := range conds {
		if x.Type == c.Type && !replaced {
			x, replaced = c, true
		}
		out = append(out, x)
	}
	if !replaced {
		out = append(out, c)
	}
	return out
}

func claimFinalizer(claim *Claim, pods []Pod) Protection {
	hasFin := slices.Contains(claim.Finalizers, FinalizerPVCProtection)
	name := claim.Namespace + "/" + claim.Name
	if claim.DeletionTimestamp.IsZero() {
		if hasFin {
			return Protection{Action: FinalizerNone, Reason: ReasonNotInUse, Message: "claim " + name + " is protected"}
		}
		return Protection{Action: FinalizerAdd, Reason: ReasonAddFinalizer, Message: "protecting claim " + name + " against removal while in use"}
	}
	if !hasFin {
		return Protection{Action: FinalizerNone, Reason: ReasonNotInUse, Message: "claim " + name + " has no protection finalizer"}
	}
	var users []string
	for i := range pods {
		p := &pods[i]
		if p.Namespace != claim.Namespace || p.NodeName == "" {
			continue
		}
		if podUsesClaim(p, claim) {
			users = append(users, p.Name)
		}
	}
	if len(users) > 0 {
		users = sortedCopy(users)
		return Protection{Action: FinalizerKeep, Reason: ReasonInUse, Users: users,
			Message: "claim " + name + " is deleted but still used by pod " + users[0]}
	}
	return Protection{Action: FinalizerRemove, Reason: ReasonNotInUse, Message: "claim " + name + " is no longer used; removing its protection"}
}

// podUsesClaim is podUsesPVCForDeletion without the node check: the claim
// by name, or as the pod's generic ephemeral volume while the pod is not
// shut down.
func podUsesClaim(p *Pod, c *Claim) bool {
	if slices.Contains(p.Claims, c.Name) {
		return true
	}
	shutDown := p.DeletionTimestamp != nil && p.DeletionGracePeriodSeconds != nil && *p.DeletionGracePeriodSeconds == 0
	if shutDown {
		return false
	}
	return ephemeralFor(p, c)
}

// podReferencesClaim is podUsesPVCForUnusedSince without the termination
// check: the claim by name, or as the pod's generic ephemeral volume.
func podReferencesClaim(p *Pod, c *Claim) bool {
	return slices.Contains(p.Claims, c.Name) || ephemeralFor(p, c)
}

// ephemeralFor reports whether c is the claim of one of p's generic
// ephemeral volumes and p controls it (VolumeIsForPod).
func ephemeralFor(p *Pod, c *Claim) bool {
	if c.OwnerPodUID == "" || c.OwnerPodUID != p.UID {
		return false
	}
	for _, v := range p.EphemeralVolumes {
		if p.Name+"-"+v == c.Name {
			return true
		}
	}
	return false
}

// VolumeProtection is the PV protection controller: add
// kubernetes.io/pv-protection to a live volume that lacks it; a deleted
// volume keeps the finalizer while its phase is Bound.
func VolumeProtection(pv Volume) Protection {
	hasFin := slices.Contains(pv.Finalizers, FinalizerPVProtection)
	if pv.DeletionTimestamp.IsZero() {
		if hasFin {
			return Protection{Action: FinalizerNone, Reason: ReasonNotInUse, Message: "volume " + pv.Name + " is protected"}
		}
		return Protection{Action: FinalizerAdd, Reason: ReasonAddFinalizer, Message: "protecting volume " + pv.Name + " against removal while bound"}
	}
	if !hasFin {
		return Protection{Action: FinalizerNone, Reason: ReasonNotInUse, Message: "volume " + pv.Name + " has no protection finalizer"}
	}
	if pv.Status.Phase == VolumeBound {
		return Protection{Action: FinalizerKeep, Reason: ReasonInUse, Message: "volume " + pv.Name + " is deleted but still Bound"}
	}
	return Protection{Action: FinalizerRemove, Reason: ReasonNotInUse, Message: "volume " + pv.Name + " is not Bound; removing its protection"}
}
