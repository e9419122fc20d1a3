package volume

import "slices"

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
}

// ClaimProtection is the PVC protection controller: add
// kubernetes.io/pvc-protection to a live claim that lacks it; for a deleted
// claim, keep the finalizer while a scheduled pod of its namespace uses it
// (whatever the pod's phase: a finished pod object still holds it) and
// remove it otherwise. A generic ephemeral volume's claim
// "<pod>-<volume>" counts only while its owning pod is not shut down
// (deleted with grace period 0). pods are the pods of the claim's namespace.
func ClaimProtection(claim Claim, pods []Pod) Protection {
	hasFin := slices.Contains(claim.Finalizers, FinalizerPVCProtection)
	name := claim.Namespace + "/" + claim.Name
	if claim.DeletionTimestamp == nil {
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
		if podUsesClaim(p, &claim) {
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

func podUsesClaim(p *Pod, c *Claim) bool {
	if slices.Contains(p.Claims, c.Name) {
		return true
	}
	shutDown := p.DeletionTimestamp != nil && p.DeletionGracePeriodSeconds != nil && *p.DeletionGracePeriodSeconds == 0
	if shutDown {
		return false
	}
	for _, v := range p.EphemeralVolumes {
		if p.Name+"-"+v == c.Name && (c.OwnerPodUID == "" || c.OwnerPodUID == p.UID) {
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
	if pv.DeletionTimestamp == nil {
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
