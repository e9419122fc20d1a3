package statefulset

// A pod, for the claim-ownership rules: a name and a UID ("" for a pod not
// yet created).

// staleRef is hasStaleOwnerRef: the first reference to an object of this
// apiVersion, kind and name decides, and it is stale if its UID differs.
func staleRef(c *Claim, apiVersion, kind, name, uid string) bool {
	for _, r := range c.OwnerRefs {
		if r.APIVersion == apiVersion && r.Kind == kind && r.Name == name {
			return r.UID != uid
		}
	}
	return false
}

// hasOwner is hasOwnerRef: any reference carries the UID.
func hasOwner(c *Claim, uid string) bool {
	for _, r := range c.OwnerRefs {
		if r.UID == uid {
			return true
		}
	}
	return false
}

func (p *planner) isSetRef(r OwnerRef) bool {
	return r.APIVersion == "apps/v1" && r.Kind == "StatefulSet" && r.Name == p.set.Name
}

func isPodRef(r OwnerRef, pod string) bool {
	return r.APIVersion == "v1" && r.Kind == "Pod" && r.Name == pod
}

// unexpectedController is hasUnexpectedController: under any policy but
// Retain/Retain, a reference to a set or pod of our names with another
// UID, or any other controller reference.
func (p *planner) unexpectedController(c *Claim, pod, podUID string) bool {
	if p.whenDel == Retain && p.whenScale == Retain {
		return false
	}
	for _, r := range c.OwnerRefs {
		switch {
		case p.isSetRef(r):
			if r.UID != p.set.UID {
				return true
			}
		case isPodRef(r, pod):
			if r.UID != podUID {
				return true
			}
		case r.Controller:
			return true
		}
	}
	return false
}

// claimUpToDate is isClaimOwnerUpToDate: whether claim c's owner references
// are what the retention policy asks for the pod, in range or condemned.
// One walk over the references gathers what the upstream helpers
// (hasStaleOwnerRef, hasUnexpectedController, hasOwnerRef) each find in a
// walk of their own; it runs for every claim on every pass.
func (p *planner) claimUpToDate(c *Claim, pod, podUID string, inRange bool) bool {
	setUID, setName := p.set.UID, p.set.Name
	var (
		setSeen, podSeen    bool // a reference to our set's (pod's) name was met
		staleSet, stalePod  bool // the first such reference has another UID
		unexpected          bool
		hasSet, hasPod      bool
		ourRefNotController bool
	)
	for i := range c.OwnerRefs {
		r := &c.OwnerRefs[i]
		switch {
		case r.Kind == "StatefulSet" && r.Name == setName && r.APIVersion == "apps/v1":
			if !setSeen {
				setSeen, staleSet = true, r.UID != setUID
			}
			unexpected = unexpected || r.UID != setUID
		case r.Kind == "Pod" && r.Name == pod && r.APIVersion == "v1":
			if !podSeen {
				podSeen, stalePod = true, r.UID != podUID
			}
			unexpected = unexpected || r.UID != podUID
		case r.Controller:
			unexpected = true
		}
		sameSet, samePod := r.UID == setUID, r.UID == podUID
		hasSet, hasPod = hasSet || sameSet, hasPod || samePod
		ourRefNotController = ourRefNotController || ((sameSet || samePod) && !r.Controller)
	}
	if staleSet || stalePod {
		return true // an earlier owner's claim: leave it alone
	}
	if unexpected && !(p.whenDel == Retain && p.whenScale == Retain) {
		return !hasSet && !hasPod
	}
	if ourRefNotController {
		return false
	}
	return p.ownersAsWanted(hasSet, hasPod, inRange)
}

// ownersAsWanted is the policy's part of isClaimOwnerUpToDate: whether a
// claim that the set (hasSet) or the pod (hasPod) owns, or neither, is
// owned as the retention policy wants for a pod in range or condemned.
func (p *planner) ownersAsWanted(hasSet, hasPod, inRange bool) bool {
	switch {
	case p.whenScale == Retain && p.whenDel == Delete:
		return hasSet && !hasPod
	case p.whenScale == Delete && p.whenDel == Retain:
		return !hasSet && inRange != hasPod
	case p.whenScale == Delete && p.whenDel == Delete:
		return inRange == hasSet && inRange != hasPod
	default: // Retain/Retain, and values it does not know, which it treats as Retain/Retain here
		return !hasSet && !hasPod
	}
}

// ownersFor is updateClaimOwnerRefForSetAndPod: c's references without
// those naming our set or pod, plus the controller references the policy
// wants (none when another controller owns the claim).
func (p *planner) ownersFor(c *Claim, pod, podUID string, inRange bool) []OwnerRef {
	unexpected := p.unexpectedController(c, pod, podUID)
	refs := []OwnerRef{}
	for _, r := range c.OwnerRefs {
		if !p.isSetRef(r) && !isPodRef(r, pod) {
			refs = append(refs, r)
		}
	}
	if unexpected {
		return refs
	}
	add := func(r OwnerRef) {
		for _, have := range refs {
			if have.UID == r.UID {
				return
			}
		}
		refs = append(refs, r)
	}
	setRef := OwnerRef{APIVersion: "apps/v1", Kind: "StatefulSet", Name: p.set.Name, UID: p.set.UID, Controller: true}
	podRef := OwnerRef{APIVersion: "v1", Kind: "Pod", Name: pod, UID: podUID, Controller: true}
	switch {
	case p.whenScale == Retain && p.whenDel == Delete:
		add(setRef)
	case p.whenScale == Delete && p.whenDel == Retain:
		if !inRange {
			add(podRef)
		}
	case p.whenScale == Delete && p.whenDel == Delete:
		if inRange {
			add(setRef)
		} else {
			add(podRef)
		}
	default: // Retain/Retain, and values it does not know: no references
	}
	return refs
}

// claimsMatch is ClaimsMatchRetentionPolicy over the observed claims of
// the pod at ord (missing claims match).
func (p *planner) claimsMatch(pod, podUID string, ord int64, inRange bool) bool {
	for t := range p.set.Spec.VolumeClaimTemplates {
		if c := p.claims.get(t, ord); c != nil && !p.claimUpToDate(c, pod, podUID, inRange) {
			return false
		}
	}
	return true
}

// updateClaimsForRetention is UpdatePodClaimForRetentionPolicy: for each
// observed claim of the pod, in template order, a ConflictingController
// event if another controller owns it, and an UpdateClaim if its owners
// are not up to date. It reads the claims as observed, so a claim fixed
// earlier in the same pass is fixed again, as Kubernetes does.
func (p *planner) updateClaimsForRetention(pod, podUID string, ord int64, inRange bool) {
	for t := range p.set.Spec.VolumeClaimTemplates {
		c := p.claims.get(t, ord)
		if c == nil {
			continue
		}
		if p.unexpectedController(c, pod, podUID) {
			p.res.Events = append(p.res.Events, Event{Reason: ReasonConflictingController, Claim: c.Name, Pod: pod,
				Message: "claim " + c.Name + " has another controller or an earlier owner; the retention policy is not applied to it"})
		}
		if p.claimUpToDate(c, pod, podUID, inRange) {
			continue
		}
		p.act(Action{Type: UpdateClaim, Reason: ReasonClaimRetention, Ordinal: int32(ord), Pod: pod, Claim: c.Name,
			OwnerRefs: p.ownersFor(c, pod, podUID, inRange),
			Message: "setting the owners of claim " + c.Name + " for retention policy whenDeleted=" + string(p.whenDel) +
				", whenScaled=" + string(p.whenScale)})
	}
}
