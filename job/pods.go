package job

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"
)

// podView is what one pass needs to know about a pod, computed once.
//
// It holds no pointer (the pod is named by its position in the pass's
// list), so the views of 10,000 pods are 240 KB that the garbage collector
// never has to scan.
type podView struct {
	index       int   // completion index, -1 when missing or malformed
	at          int32 // the pod's position in the list the pass was given
	valid       bool  // may be counted: NonIndexed, or an index below completions
	active      bool
	terminating bool
	succeeded   bool // phase Succeeded, kept here so that loops need not visit the pod
	ready       bool
	tracked     bool // carries the tracking finalizer
	failed      bool // considered failed (isPodFailed)
	delayed     bool // BLPI: keeps its finalizer until its index is recreated
	released    bool // finalizer removed together with a deletion this pass
	// pfp is 1 + the index of the pod failure policy's verdict in
	// pass.pfps, or 0 before the policy was asked: the few verdicts live
	// apart so that the view of every pod stays small.
	pfp int32
}

// pfpVerdict is what the pod failure policy says of one failed pod.
type pfpVerdict struct {
	action  PodFailurePolicyAction // "" when no rule matched
	counts  bool                   // the failure counts
	message string                 // FailJob message
}

const noIndex = -1

// completionIndex reads the index annotation the way the controller does:
// missing, non-numeric or negative means no index.
func completionIndex(ann map[string]string) int {
	v, ok := ann[AnnotationCompletionIndex]
	if !ok {
		return noIndex
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 0 {
		return noIndex
	}
	return i
}

// annotationCount reads a per-index failure counter; anything unusable is 0.
func annotationCount(ann map[string]string, key string) int64 {
	v, ok := ann[key]
	if !ok {
		return 0
	}
	i, err := strconv.ParseInt(v, 10, 64)
	if err != nil || i < 0 || i > math.MaxInt32 {
		return 0
	}
	return i
}

func hasFinalizer(p *Pod) bool {
	for _, f := range p.Finalizers {
		if f == TrackingFinalizer {
			return true
		}
	}
	return false
}

func podReady(p *Pod) (bool, time.Time) {
	for i := range p.Conditions {
		if c := &p.Conditions[i]; c.Type == PodReady {
			return c.Status == ConditionTrue, c.LastTransitionTime
		}
	}
	return false, time.Time{}
}

func terminal(ph PodPhase) bool { return ph == PodSucceeded || ph == PodFailed }

func (n *normalized) view(p *Pod, at int32) podView {
	v := podView{at: at, index: noIndex, valid: true}
	deleting := !p.DeletionTimestamp.IsZero()
	v.active = !terminal(p.Phase) && !deleting
	v.terminating = !terminal(p.Phase) && deleting
	if v.active {
		v.ready, _ = podReady(p)
	}
	v.succeeded = p.Phase == PodSucceeded
	v.tracked = hasFinalizer(p)
	if n.indexed {
		v.index = completionIndex(p.Annotations)
		v.valid = v.index != noIndex && v.index < int(n.completions)
	}
	// Without onlyReplaceFailed, a pod being deleted counts as failed at
	// once: it may never reach phase Failed (an orphan, a lost node).
	v.failed = p.Phase == PodFailed || (!n.onlyReplaceFail && deleting && p.Phase != PodSucceeded)
	return v
}

// finishTime is when a finished pod finished: its containers' latest
// termination, else when it turned not-ready, else its deletion time minus
// the grace period, else its creation time.
func finishTime(p *Pod) time.Time {
	if t, ok := containersFinished(p); ok {
		return t
	}
	for i := range p.Conditions {
		if c := &p.Conditions[i]; c.Type == PodReady && c.Status == ConditionFalse {
			return c.LastTransitionTime
		}
	}
	if !p.DeletionTimestamp.IsZero() {
		var grace int64
		if p.DeletionGracePeriodSeconds != nil {
			grace = *p.DeletionGracePeriodSeconds
		}
		return p.DeletionTimestamp.Add(-time.Duration(grace) * time.Second)
	}
	return p.CreationTimestamp
}

// containersFinished takes the latest finish over the regular containers,
// then over the sidecar init containers; an unfinished container voids the
// group it is in. As in every release (1.34 to 1.37), an unfinished
// regular container with finished sidecars yields the sidecars' time.
func containersFinished(p *Pod) (time.Time, bool) {
	t, ok := latestFinish(time.Time{}, false, p.ContainerStatuses, false)
	return latestFinish(t, ok, p.InitContainerStatuses, true)
}

func latestFinish(t time.Time, ok bool, cs []ContainerStatus, sidecarsOnly bool) (time.Time, bool) {
	for i := range cs {
		c := &cs[i]
		if sidecarsOnly && !c.Sidecar {
			continue
		}
		if c.Terminated == nil || c.Terminated.FinishedAt.IsZero() {
			return time.Time{}, false
		}
		if !ok || t.Before(c.Terminated.FinishedAt) {
			t, ok = c.Terminated.FinishedAt, true
		}
	}
	return t, ok
}

// lessForDeletion orders active pods so that the least useful is deleted
// first: unscheduled, then Pending < Unknown < Running, not ready, ready for
// less time, more container restarts, more sidecar restarts, newer (the
// order of controller.ActivePods); purectl breaks the remaining ties, which
// the controller leaves to its informer's map order, by name and UID.
func lessForDeletion(pods []Pod, a, b *podView) bool {
	pa, pb := &pods[a.at], &pods[b.at]
	if (pa.NodeName == "") != (pb.NodeName == "") {
		return pa.NodeName == ""
	}
	if ra, rb := phaseRank(pa.Phase), phaseRank(pb.Phase); ra != rb {
		return ra < rb
	}
	ra, ta := podReady(pa)
	rb, tb := podReady(pb)
	if ra != rb {
		return !ra
	}
	if ra && rb && !ta.Equal(tb) {
		return afterOrZero(ta, tb)
	}
	if ma, mb := maxRestarts(pa.ContainerStatuses, false), maxRestarts(pb.ContainerStatuses, false); ma != mb {
		return ma > mb
	}
	// Sidecar restarts break the tie (compareMaxContainerRestarts).
	if ma, mb := maxRestarts(pa.InitContainerStatuses, true), maxRestarts(pb.InitContainerStatuses, true); ma != mb {
		return ma > mb
	}
	if !pa.CreationTimestamp.Equal(pb.CreationTimestamp) {
		return afterOrZero(pa.CreationTimestamp, pb.CreationTimestamp)
	}
	if pa.Name != pb.Name {
		return pa.Name < pb.Name
	}
	return pa.UID < pb.UID
}

func afterOrZero(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return a.IsZero()
	}
	return a.After(b)
}

func phaseRank(ph PodPhase) int {
	switch ph {
	case PodUnknown:
		return 1
	case PodRunning:
		return 2
	}
	return 0
}

func maxRestarts(cs []ContainerStatus, sidecarsOnly bool) int32 {
	var m int32
	for i := range cs {
		if !sidecarsOnly || cs[i].Sidecar {
			m = max(m, cs[i].RestartCount)
		}
	}
	return m
}

// listOrder is the stable order purectl uses where the controller walks its
// pod list: creation time, then name, then UID.
func listOrder(a, b *Pod) int {
	if c := a.CreationTimestamp.Compare(b.CreationTimestamp); c != 0 {
		return c
	}
	if a.Name != b.Name {
		if a.Name < b.Name {
			return -1
		}
		return 1
	}
	if a.UID != b.UID {
		if a.UID < b.UID {
			return -1
		}
		return 1
	}
	return 0
}

func removalOrder(a, b *FinalizerRemoval) int {
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.UID, b.UID)
}

// sortRemovals orders removals by pod name, then UID, keeping the order of
// equal ones. The removals are large and full of pointers, so they are
// ordered through indexes and copied once, rather than swapped in place.
func sortRemovals(rs []FinalizerRemoval) []FinalizerRemoval {
	sorted := true
	for i := 1; i < len(rs) && sorted; i++ {
		sorted = removalOrder(&rs[i-1], &rs[i]) <= 0
	}
	if sorted {
		return rs
	}
	ix := make([]int32, len(rs))
	for i := range ix {
		ix[i] = int32(i)
	}
	slices.SortStableFunc(ix, func(a, b int32) int { return removalOrder(&rs[a], &rs[b]) })
	out := make([]FinalizerRemoval, len(rs))
	for i, j := range ix {
		out[i] = rs[j]
	}
	return out
}

// sortByListOrder orders views by listOrder. The creation times are taken
// out first, as plain numbers, so that most comparisons touch neither the
// pods nor pointers.
func sortByListOrder(pods []Pod, vs []*podView) {
	type key struct {
		sec  int64
		nsec int32
		i    int32
	}
	keys := make([]key, len(vs))
	for i, v := range vs {
		t := pods[v.at].CreationTimestamp
		keys[i] = key{t.Unix(), int32(t.Nanosecond()), int32(i)}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.sec != b.sec {
			return cmp.Compare(a.sec, b.sec)
		}
		if a.nsec != b.nsec {
			return cmp.Compare(a.nsec, b.nsec)
		}
		return listOrder(&pods[vs[a.i].at], &pods[vs[b.i].at])
	})
	sorted := make([]*podView, len(vs))
	for i, k := range keys {
		sorted[i] = vs[k.i]
	}
	copy(vs, sorted)
}
