package daemonset

import (
	"fmt"
	"slices"
	"strings"
)

// rollingUpdate is the RollingUpdate step. Like the controller, which only runs it
// once the creates and deletes it issued earlier are observed, it runs only
// in a pass where manage had nothing to do.
func (p *planner) rollingUpdate() {
	if !p.rolling {
		return
	}
	r := &p.rollout
	desired := p.status.DesiredNumberScheduled
	mu, ms := rollingParams(&p.ds.Spec.UpdateStrategy)
	var errU, errS error
	r.MaxUnavailable, errU = mu.Scaled(desired, true)
	r.MaxSurge, errS = ms.Scaled(desired, true)
	if desired > 0 && r.MaxUnavailable == 0 && r.MaxSurge == 0 && errU == nil && errS == nil {
		// Validation rejects 0 and 0, but the controller acts on such an
		// object with maxUnavailable 1 (updatedDesiredNodeCounts).
		r.MaxUnavailable = 1
	}
	if p.creates.total > 0 || p.deletes.total > 0 {
		return
	}
	r.Evaluated = true
	switch {
	case errU != nil:
		r.Blocked = fmt.Sprintf("invalid value for maxUnavailable %s: %v", mu.String(), errU)
		return
	case errS != nil:
		r.Blocked = fmt.Sprintf("invalid value for maxSurge %s: %v", ms.String(), errS)
		return
	}
	if r.MaxSurge == 0 {
		p.rolloutNoSurge()
	} else {
		p.rolloutSurge()
	}
}

// entry is one node of the rolling update's node→pods map: every node with
// pods (including vanished nodes) and every node that should run a pod.
type entry struct {
	nodeIx int32 // -1 for a node not in the list
	node   string
	pods   []int32
}

func (p *planner) entries(fn func(e entry) bool) {
	for i := range p.nodes {
		g := p.group(i)
		if len(g) == 0 && p.flags[i]&flagRun == 0 {
			continue
		}
		if !fn(entry{int32(i), p.nodes[i].Name, g}) {
			return
		}
	}
	for lo := 0; lo < len(p.gone); {
		hi := lo + 1
		for hi < len(p.gone) && p.goneNames[hi] == p.goneNames[lo] {
			hi++
		}
		if !fn(entry{-1, p.goneNames[lo], p.gone[lo:hi]}) {
			return
		}
		lo = hi
	}
}

// split finds the one updated and the one old pod among the pods not being
// deleted; ok is false when there are several of either.
func (p *planner) split(g []int32) (nw, old int32, ok bool) {
	nw, old = -1, -1
	for _, pi := range g {
		if p.has(pi, bitDeleting) {
			continue
		}
		if p.has(pi, bitUpdated) {
			if nw >= 0 {
				return -1, -1, false
			}
			nw = pi
		} else {
			if old >= 0 {
				return -1, -1, false
			}
			old = pi
		}
	}
	return nw, old, true
}

func (p *planner) hold(e entry, pod int32, r Reason) {
	p.holders = append(p.holders, holder{nodeIx: e.nodeIx, node: e.node, pod: pod, reason: r})
}

func (p *planner) delAt(e entry, pod int32, r Reason) {
	p.deletes.add(act{node: e.node, nodeIx: e.nodeIx, pod: pod, reason: r})
}

func byNode(a, b holder) int { return strings.Compare(a.node, b.node) }

// rolloutNoSurge deletes old pods within maxUnavailable; manage recreates
// them on the next pass. Old pods that are not available go regardless.
func (p *planner) rolloutNoSurge() {
	r := &p.rollout
	var cands []holder
	p.entries(func(e entry) bool {
		nw, old, ok := p.split(e.pods)
		switch {
		case !ok:
			r.Unavailable++
			p.hold(e, -1, ReasonExcessPods)
		case nw < 0 && old < 0:
			r.Unavailable++
			p.hold(e, -1, ReasonNoPod)
		case nw >= 0 && old >= 0:
			r.Unavailable++
			p.hold(e, old, ReasonBothRevisions)
		case nw >= 0:
			if !p.has(nw, bitAvailable) {
				r.Unavailable++
				p.hold(e, nw, ReasonNewUnavailable)
			}
		case !p.has(old, bitAvailable):
			r.Unavailable++
			p.hold(e, old, ReasonOldUnavailable)
			p.delAt(e, old, ReasonOldUnavailable)
		default:
			cands = append(cands, holder{nodeIx: e.nodeIx, node: e.node, pod: old})
		}
		return true
	})
	k := min(max(r.MaxUnavailable-r.Unavailable, 0), len(cands))
	if k < len(cands) {
		slices.SortFunc(cands, byNode) // deterministic: node name order
	}
	for _, c := range cands[:k] {
		p.delAt(entry{nodeIx: c.nodeIx, node: c.node}, c.pod, ReasonRollingUpdate)
	}
}

// rolloutSurge starts new pods next to old ones within maxSurge (without limit
// where the old pod is not available); manage deletes the old pod once its
// replacement is available.
func (p *planner) rolloutSurge() {
	r := &p.rollout
	var shouldNot, cands []holder
	numAvailable := 0
	p.entries(func(e entry) bool {
		nw, old, ok := p.split(e.pods)
		if !ok {
			r.Surging++
			p.hold(e, -1, ReasonExcessPods)
			return true
		}
		if old >= 0 {
			if p.has(old, bitAvailable) {
				numAvailable++
			}
		} else if nw >= 0 && p.has(nw, bitAvailable) {
			numAvailable++
		}
		switch {
		case old < 0:
		case nw < 0:
			if e.nodeIx < 0 {
				// The controller looks the node up, fails, and retries the
				// whole step later.
				r.Blocked = fmt.Sprintf("old pod %s is on node %s, which is not in the node list", p.pods[old].Name, e.node)
				return false
			}
			run := p.flags[e.nodeIx]&flagRun != 0
			switch {
			case !p.has(old, bitAvailable) && !run:
				p.delAt(e, old, ReasonOldUnavailable)
			case !p.has(old, bitAvailable):
				p.creates.add(act{node: e.node, nodeIx: e.nodeIx, pod: old, reason: ReasonReplaceUnavailable})
			case !run:
				shouldNot = append(shouldNot, holder{nodeIx: e.nodeIx, node: e.node, pod: old})
			default:
				cands = append(cands, holder{nodeIx: e.nodeIx, node: e.node, pod: old})
			}
		default:
			if p.has(nw, bitAvailable) {
				p.delAt(e, old, ReasonSurgeComplete)
			} else {
				r.Surging++
				p.hold(e, nw, ReasonNewUnavailable)
			}
		}
		return true
	})
	if r.Blocked != "" {
		p.creates.reset()
		p.deletes.reset()
		p.holders, r.Surging = nil, 0
		return
	}
	// Keep at least desiredNumberScheduled pods available while pods move
	// off nodes that should no longer run them.
	if n := min(numAvailable-p.status.DesiredNumberScheduled, len(shouldNot)); n > 0 {
		if n < len(shouldNot) {
			slices.SortFunc(shouldNot, byNode)
		}
		for _, c := range shouldNot[:n] {
			p.delAt(entry{nodeIx: c.nodeIx, node: c.node}, c.pod, ReasonMovedAway)
		}
	}
	k := min(max(r.MaxSurge-r.Surging, 0), len(cands))
	if k < len(cands) {
		slices.SortFunc(cands, byNode)
	}
	for _, c := range cands[:k] {
		p.creates.add(act{node: c.node, nodeIx: c.nodeIx, pod: c.pod, reason: ReasonSurge})
	}
}
