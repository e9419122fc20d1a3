package volume

import "slices"

// Access is the verdict on a pod using a claim.
type Access struct {
	Allowed bool
	Reason  Reason
	Message string
	// Conflicts are the other pods that stand in the way, sorted by name.
	Conflicts []string
}

// PodAccess says whether pod may use the claim named claimName, whose
// bound volume offers modes, while pods (the other pods of the namespace)
// exist. Only scheduled, unfinished pods count.
//
//   - ReadWriteOncePod: no other pod may use the claim; the scheduler
//     refuses the second one.
//   - ReadWriteOnce: pods on the same node share it; a pod on another node
//     hits "Multi-Attach" for attachable volumes (not a scheduling filter).
//   - ReadOnlyMany and ReadWriteMany: any number of pods on any nodes.
//
// A volume that also offers ROX or RWX is not limited by RWO.
func PodAccess(claimName string, modes []AccessMode, pod Pod, pods []Pod) Access {
	set := modesOf(modes)
	var conflicts []string
	collect := func(otherNodeOnly bool) {
		for i := range pods {
			p := &pods[i]
			if p.Namespace != pod.Namespace || p.Name == pod.Name || p.NodeName == "" ||
				p.Phase == PodSucceeded || p.Phase == PodFailed || !slices.Contains(p.Claims, claimName) {
				continue
			}
			if otherNodeOnly && (pod.NodeName == "" || p.NodeName == pod.NodeName) {
				continue
			}
			conflicts = append(conflicts, p.Name)
		}
		conflicts = sortedCopy(conflicts)
	}
	switch {
	case set&modeBit(ReadWriteOncePod) != 0:
		collect(false)
		if len(conflicts) > 0 {
			return Access{Reason: ReasonReadWriteOncePod, Conflicts: conflicts,
				Message: "claim " + claimName + " is ReadWriteOncePod and already used by pod " + conflicts[0]}
		}
	case set&(modeBit(ReadOnlyMany)|modeBit(ReadWriteMany)) == 0 && set&modeBit(ReadWriteOnce) != 0:
		collect(true)
		if len(conflicts) > 0 {
			return Access{Reason: ReasonReadWriteOnce, Conflicts: conflicts,
				Message: "claim " + claimName + " is ReadWriteOnce and attached to another node for pod " + conflicts[0]}
		}
	}
	return Access{Allowed: true, Reason: ReasonAccessAllowed, Message: "pod " + pod.Name + " may use claim " + claimName}
}
