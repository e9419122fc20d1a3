package volume

import (
	"math/bits"

	"github.com/purectl/purectl/internal/nodeselector"
)

// modeSet is a canonical access-mode set: bit 0 RWO, 1 ROX, 2 RWX, 3 RWOP.
// Unknown modes are ignored, as Kubernetes' canonical mode string does.
type modeSet uint8

func modeBit(m AccessMode) modeSet {
	switch m {
	case ReadWriteOnce:
		return 1
	case ReadOnlyMany:
		return 2
	case ReadWriteMany:
		return 4
	case ReadWriteOncePod:
		return 8
	}
	return 0
}

func modesOf(ms []AccessMode) modeSet {
	var s modeSet
	for _, m := range ms {
		s |= modeBit(m)
	}
	return s
}

// setRank orders the access-mode sets in which the controller searches:
// fewer modes first; sets of equal size by their mode lists compared in the
// canonical order RWO < ROX < RWX < RWOP (Kubernetes leaves this open).
var setRank [16]uint8

func init() {
	order := make([]int, 0, 16)
	for s := 0; s < 16; s++ {
		order = append(order, s)
	}
	less := func(a, b int) bool {
		pa, pb := bits.OnesCount(uint(a)), bits.OnesCount(uint(b))
		if pa != pb {
			return pa < pb
		}
		// Lexicographic on the ascending list of bit indexes.
		for a != 0 && b != 0 {
			la, lb := bits.TrailingZeros(uint(a)), bits.TrailingZeros(uint(b))
			if la != lb {
				return la < lb
			}
			a &^= 1 << la
			b &^= 1 << lb
		}
		return false
	}
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && less(order[j], order[j-1]); j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	for r, s := range order {
		setRank[s] = uint8(r)
	}
}

// MatchOptions tune a volume search.
type MatchOptions struct {
	// Node selects the scheduler's search: volumes of the claim's
	// class in one flat list, node affinity checked against Node, access
	// modes checked directly, delayed binding not applied. Nil is the PV
	// controller's search.
	Node *Node
	// DelayBinding is the controller's WaitForFirstConsumer mode: only a
	// volume pre-bound to the claim may be chosen. Ignored with a Node.
	DelayBinding bool
	// Exclude names volumes that may not be chosen (the scheduler's
	// volumes already chosen for earlier claims of the same pod).
	Exclude map[string]bool
	// Release is the Kubernetes release to follow (the zero value is
	// api.Newest). With its VolumeAttributesClass gate off (possible on
	// 1.34 and 1.35) volumes that set an attributes class are skipped, and
	// a claim that sets one matches nothing (the controller refuses to
	// search for it; BindPVC returns that error).
	Release Release
}

// claimKey is what the search needs from a claim, computed once per call.
type claimKey struct {
	ns, name, uid string
	modes         modeSet
	req           Quantity
	mode          VolumeMode
	vac           string
	class         string
	sel           *LabelSelector
}

func newClaimKey(c *Claim) claimKey {
	k := claimKey{
		ns: c.Namespace, name: c.Name, uid: c.UID,
		modes: modesOf(c.Spec.AccessModes),
		req:   c.Spec.Request,
		mode:  normMode(c.Spec.VolumeMode),
		class: ClaimClass(c),
		sel:   c.Spec.Selector,
	}
	if c.Spec.VolumeAttributesClassName != nil {
		k.vac = *c.Spec.VolumeAttributesClassName
	}
	return k
}

func normMode(m VolumeMode) VolumeMode {
	if m == "" {
		return Filesystem
	}
	return m
}

// ClaimClass is the storage class a claim asks for: the beta annotation if
// present (even empty), else spec.storageClassName, else "".
func ClaimClass(c *Claim) string {
	if v, ok := c.Annotations[AnnBetaStorageClass]; ok {
		return v
	}
	if c.Spec.StorageClassName != nil {
		return *c.Spec.StorageClassName
	}
	return ""
}

// classUnset reports whether the claim names no class at all (the default
// class may be assigned to it).
func classUnset(c *Claim) bool {
	_, ok := c.Annotations[AnnBetaStorageClass]
	return !ok && c.Spec.StorageClassName == nil
}

// VolumeClass is a volume's storage class: the beta annotation if present,
// else spec.storageClassName.
func VolumeClass(v *Volume) string {
	if len(v.Annotations) != 0 {
		if c, ok := v.Annotations[AnnBetaStorageClass]; ok {
			return c
		}
	}
	return v.Spec.StorageClassName
}

// refersTo reports whether a claimRef points at the claim: same namespace and
// name, and the same UID when the ref carries one.
func (k *claimKey) refersTo(r *ObjectReference) bool {
	return r.Name == k.name && r.Namespace == k.ns && (r.UID == "" || r.UID == k.uid)
}

// check runs the per-volume tests in Kubernetes' order and returns "" when
// the volume is a candidate, plus whether it is pre-bound to the claim and,
// for a pre-bound volume on the scheduler path, whether the node rejects it.
func (k *claimKey) check(v *Volume, o *MatchOptions) (why Reason, prebound, blocks bool) {
	if o.Node != nil && VolumeClass(v) != k.class {
		// The scheduler only lists volumes of the claim's class.
		return RejectStorageClass, false, false
	}
	// The controller searches only the access-mode sets that hold every
	// requested mode; the scheduler checks modes last, and not for a
	// pre-bound volume.
	modesOK := modesOf(v.Spec.AccessModes)&k.modes == k.modes
	if o.Node == nil && !modesOK {
		return RejectAccessModes, false, false
	}
	if o.Exclude[v.Name] {
		return RejectExcluded, false, false
	}
	if r := v.Spec.ClaimRef; r != nil {
		if !k.refersTo(r) {
			return RejectClaimedByOther, false, false
		}
		prebound = true
	}
	if v.Spec.Capacity.Cmp(k.req) < 0 {
		return RejectTooSmall, false, false
	}
	if normMode(v.Spec.VolumeMode) != k.mode {
		return RejectVolumeMode, false, false
	}
	if r := vacReject(v, k, o); r != "" {
		return r, false, false
	}
	if !v.DeletionTimestamp.IsZero() {
		return RejectDeleting, false, false
	}
	if o.Node != nil && v.Spec.NodeAffinity != nil {
		if !nodeselector.Match(v.Spec.NodeAffinity, o.Node.Name, o.Node.Labels) {
			if prebound {
				return RejectNodeAffinity, true, true
			}
			return RejectNodeAffinity, false, false
		}
	}
	if prebound {
		return "", true, false
	}
	if o.Node == nil && o.DelayBinding {
		return RejectDelayedBinding, false, false
	}
	if v.Status.Phase != VolumeAvailable {
		return RejectPhase, false, false
	}
	if k.sel != nil && !k.sel.Matches(v.Labels) {
		return RejectSelector, false, false
	}
	if VolumeClass(v) != k.class {
		return RejectStorageClass, false, false
	}
	if !modesOK {
		return RejectAccessModes, false, false
	}
	return "", false, false
}

func vacReject(v *Volume, k *claimKey, o *MatchOptions) Reason {
	vac := ""
	if v.Spec.VolumeAttributesClassName != nil {
		vac = *v.Spec.VolumeAttributesClassName
	}
	if !vacEnabled(o.Release) {
		if vac != "" || k.vac != "" {
			return RejectAttributesClass
		}
		return ""
	}
	if vac != k.vac {
		return RejectAttributesClass
	}
	return ""
}

// rest finishes check for a volume that passed find's early outs (claimRef,
// phase of an unreserved volume, capacity, access modes).
func (k *claimKey) rest(v *Volume, o *MatchOptions) (prebound, blocks, ok bool) {
	prebound = v.Spec.ClaimRef != nil
	if o.Exclude != nil && o.Exclude[v.Name] {
		return false, false, false
	}
	if v.Spec.VolumeMode != k.mode && normMode(v.Spec.VolumeMode) != k.mode {
		return false, false, false
	}
	if (v.Spec.VolumeAttributesClassName != nil || k.vac != "") && vacReject(v, k, o) != "" {
		return false, false, false
	}
	if !v.DeletionTimestamp.IsZero() {
		return false, false, false
	}
	if o.Node != nil {
		if VolumeClass(v) != k.class {
			return false, false, false
		}
		if v.Spec.NodeAffinity != nil && !nodeselector.Match(v.Spec.NodeAffinity, o.Node.Name, o.Node.Labels) {
			return prebound, prebound, prebound
		}
	}
	if prebound {
		return true, false, true
	}
	if o.Node == nil && o.DelayBinding {
		return false, false, false
	}
	if k.sel != nil && !k.sel.Matches(v.Labels) {
		return false, false, false
	}
	if len(v.Annotations) != 0 && VolumeClass(v) != k.class {
		return false, false, false
	}
	return false, false, true
}

// candidate is the best volume seen so far.
type candidate struct {
	idx      int
	rank     uint8 // access-mode set rank (0 on the scheduler path)
	prebound bool
	blocks   bool // pre-bound, and the node rejects it
}

// better reports whether volume j (with its rank and pre-binding) beats the
// current best c. The order is the documented tie-break: access-mode set
// rank, then pre-bound first, then smaller capacity, then name.
func better(pvs []Volume, c *candidate, j int, rank uint8, prebound bool) bool {
	if c.idx < 0 {
		return true
	}
	if rank != c.rank {
		return rank < c.rank
	}
	if prebound != c.prebound {
		return prebound
	}
	a, b := &pvs[j], &pvs[c.idx]
	if !a.Spec.Capacity.big && !b.Spec.Capacity.big {
		if a.Spec.Capacity.i != b.Spec.Capacity.i {
			return a.Spec.Capacity.i < b.Spec.Capacity.i
		}
	} else if d := a.Spec.Capacity.Cmp(b.Spec.Capacity); d != 0 {
		return d < 0
	}
	if a.Name != b.Name {
		return a.Name < b.Name
	}
	return j < c.idx
}

// FindMatch returns the index in pvs of the volume the claim binds to, or
// -1, following the PV controller's FindMatchingVolume or,
// with opts.Node, the scheduler's search. It reads only the claim's
// spec and identity and does not validate; it does not allocate on the
// controller path.
//
// Tie-break where Kubernetes leaves the order open: access-mode sets with
// fewer modes first, equal-size sets by their canonical mode list
// (RWO < ROX < RWX < RWOP); within a set a pre-bound volume first, then the
// smallest capacity, then the smallest name, then the earliest index.
func FindMatch(pvs []Volume, claim *Claim, opts MatchOptions) (index int, prebound bool) {
	k := newClaimKey(claim)
	c := k.find(pvs, &opts)
	if c.blocks {
		return -1, true
	}
	return c.idx, c.prebound
}

func (k *claimKey) find(pvs []Volume, o *MatchOptions) candidate {
	best := candidate{idx: -1}
	sched := o.Node != nil
	reqFast := !k.req.big
	// minRank is the rank of the smallest set that can hold the claim's
	// modes; bestFast says the best so far is unreserved, in that set, with
	// an int64 capacity bestCap.
	minRank := setRank[k.modes]
	if sched {
		minRank = 0
	}
	bestFast, bestCap := false, int64(0)
	for j := range pvs {
		v := &pvs[j]
		// Cheap early outs that imply a rejection by check: a volume taken
		// by another claim, too small, or (not pre-bound) not Available or
		// of another class. Only survivors get the full, ordered check.
		if r := v.Spec.ClaimRef; r != nil {
			if r.Name != k.name || r.Namespace != k.ns || r.UID != "" && r.UID != k.uid {
				continue
			}
		} else {
			if v.Status.Phase != VolumeAvailable {
				continue
			}
			if v.Spec.StorageClassName != k.class && len(v.Annotations) == 0 {
				continue
			}
		}
		if reqFast && !v.Spec.Capacity.big {
			if v.Spec.Capacity.i < k.req.i {
				continue
			}
		} else if v.Spec.Capacity.Cmp(k.req) < 0 {
			continue
		}
		// Once the best candidate sits in the best possible access-mode set,
		// a bigger unreserved volume cannot beat it: skip the rest of the
		// checks.
		if bestFast && v.Spec.ClaimRef == nil && !v.Spec.Capacity.big && v.Spec.Capacity.i > bestCap {
			continue
		}
		vm := modesOf(v.Spec.AccessModes)
		if vm&k.modes != k.modes && (!sched || v.Spec.ClaimRef == nil) {
			continue
		}
		pre, blocks, ok := k.rest(v, o)
		if !ok {
			continue
		}
		var rank uint8
		if !sched {
			rank = setRank[vm]
		}
		if better(pvs, &best, j, rank, pre) {
			best = candidate{idx: j, rank: rank, prebound: pre, blocks: blocks}
			bestFast = rank == minRank && !pre && !v.Spec.Capacity.big
			bestCap = v.Spec.Capacity.i
		}
	}
	return best
}

// Rejection says why one volume was not chosen for a claim.
type Rejection struct {
	Volume  string
	Index   int
	Reason  Reason
	Message string
}

// Explain lists every volume in pvs with the first rule that rejects it for
// the claim (in Kubernetes' order), or Chosen for the winner and NotBest for
// fitting volumes that lost the tie-break. The list follows the order of pvs.
// Use it to tell a user why a claim stays Pending.
func Explain(pvs []Volume, claim *Claim, opts MatchOptions) []Rejection {
	k := newClaimKey(claim)
	best := k.find(pvs, &opts)
	out := make([]Rejection, 0, len(pvs))
	for j := range pvs {
		v := &pvs[j]
		why, _, blocks := k.check(v, &opts)
		if j == best.idx && !blocks {
			why = Chosen
		} else if why == "" {
			why = RejectNotBest
		}
		out = append(out, Rejection{Volume: v.Name, Index: j, Reason: why, Message: rejectMessage(why, v, &k, &opts)})
	}
	return out
}

func rejectMessage(why Reason, v *Volume, k *claimKey, o *MatchOptions) string {
	switch why {
	case Chosen:
		return "volume " + v.Name + " is the best fit"
	case RejectNotBest:
		return "volume " + v.Name + " fits, but a volume with fewer access modes, a pre-binding, a smaller size or an earlier name is preferred"
	case RejectExcluded:
		return "volume " + v.Name + " is already chosen for another claim of the pod"
	case RejectAccessModes:
		return "volume " + v.Name + " does not offer every requested access mode"
	case RejectClaimedByOther:
		r := v.Spec.ClaimRef
		return "volume " + v.Name + " is reserved for claim " + r.Namespace + "/" + r.Name
	case RejectTooSmall:
		return "volume " + v.Name + " has " + v.Spec.Capacity.String() + ", less than the requested " + k.req.String()
	case RejectVolumeMode:
		return "volume " + v.Name + " is in mode " + string(normMode(v.Spec.VolumeMode)) + ", the claim wants " + string(k.mode)
	case RejectAttributesClass:
		if !vacEnabled(o.Release) {
			if k.vac != "" {
				return "the claim sets a volume attributes class, which is disabled"
			}
			return "volume " + v.Name + " sets a volume attributes class, which is disabled"
		}
		return "volume " + v.Name + " has a different volume attributes class"
	case RejectDeleting:
		return "volume " + v.Name + " is being deleted"
	case RejectNodeAffinity:
		return "volume " + v.Name + " cannot be reached from node " + o.Node.Name
	case RejectDelayedBinding:
		return "volume " + v.Name + " waits for the first consumer to be scheduled"
	case RejectPhase:
		p := string(v.Status.Phase)
		if p == "" {
			p = "unset"
		}
		return "volume " + v.Name + " is " + p + ", not Available"
	case RejectSelector:
		return "volume " + v.Name + " labels do not match the claim's selector"
	case RejectStorageClass:
		return "volume " + v.Name + " has class " + quoteClass(VolumeClass(v)) + ", the claim wants " + quoteClass(k.class)
	}
	return string(why)
}

func quoteClass(c string) string {
	if c == "" {
		return `""`
	}
	return c
}
