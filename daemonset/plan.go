package daemonset

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/field"
	"github.com/purectl/purectl/internal/labels"
	"github.com/purectl/purectl/internal/taints"
)

// BurstReplicas bounds the creates and the deletes of one pass, as the
// controller's burstReplicas does; the rest waits for a later pass.
const BurstReplicas = 250

// The failed-pod backoff of kube-controller-manager: 1s, doubling, 15m cap;
// an entry untouched for twice the cap is forgotten.
const (
	BackoffInitial = time.Second
	BackoffMax     = 15 * time.Minute
)

// PlanDaemonSet decides one pass of the DaemonSet controller: which daemon
// pods to create and delete, which pods to adopt or release, the status, the
// rolling-update budget and when to ask again. nodes are all the cluster's
// nodes, pods the pods of the DaemonSet's namespace (others are ignored).
// Inputs are not modified; outputs are sorted by node name, then pod name.
//
// Like the controller, it acts on a spec that the API server's validation
// would reject, and lists the problems in Plan.Warnings. It errors (a
// *FieldErrors) only where the controller itself refuses to act, on a
// selector it cannot parse, and on input no cluster can produce: duplicate
// node names, or two pods of one name mapped to one node.
func PlanDaemonSet(nodes []Node, pods []Pod, ds DaemonSet, now time.Time, opts Options) (Plan, error) {
	if err := field.CheckRelease(opts.Release); err != nil {
		return Plan{}, err
	}
	if opts.Nodes != nil {
		if nodes != nil {
			return Plan{}, field.ErrorList{field.Invalid(field.NewPath("nodes"), len(nodes),
				"give the nodes either as a list or as Options.Nodes, not both")}.ToAggregate()
		}
		nodes = opts.Nodes.nodes
	}
	rel := opts.Release
	sp := field.NewPath("spec")
	warnings := validateSpec(&ds.Spec, sp, rel)
	if u := ds.Unobserved; (u.Creates || u.Adoptions || u.Status) && rel.Enabled(api.StaleControllerConsistencyDaemonSet) {
		// The consistency check comes before the controller even reads
		// the DaemonSet from its cache.
		return Plan{Skipped: fmt.Sprintf("daemonset %s: the cache does not show the controller's own writes yet "+
			"(StaleControllerConsistencyDaemonSet); the pass is retried once it does", ds.Name), Warnings: warnings,
			FailedPodBackoff: (&planner{ds: &ds, now: now}).backoffRecord()}, nil
	}
	if !ds.DeletionTimestamp.IsZero() { // the controller does not touch a DaemonSet being deleted
		return Plan{Skipped: fmt.Sprintf("daemonset %s is being deleted", ds.Name), Warnings: warnings}, nil
	}
	if errs := labels.Validate(ds.Spec.Selector, sp.Child("selector")); len(errs) > 0 {
		return Plan{}, errs.ToAggregate() // the controller cannot build the selector
	}
	if ds.Spec.Selector.IsEmpty() {
		return Plan{Skipped: fmt.Sprintf("daemonset %s selects all pods; a non-empty selector is required", ds.Name),
			Warnings: warnings}, nil
	}
	p := planner{nodes: nodes, ix: opts.Nodes, pods: pods, ds: &ds, now: now, cmpOps: taints.ComparisonOperators(rel)}
	if err := p.index(); err != nil {
		return Plan{}, err
	}
	statusOnly := ds.Unobserved.Creates || ds.Unobserved.Deletes
	switch {
	case statusOnly: // expectations unmet: recount, and keep the observed generation
		p.countStatus()
		p.status.ObservedGeneration = ds.ObservedGeneration
	case ds.WritesObserved:
		p.manage()
		p.observedRollout()
	default:
		p.manage()
		p.rollingUpdate()
	}
	out := p.finish()
	out.StatusOnly = statusOnly
	if ds.RequeueAfterMinReady && ds.Spec.MinReadySeconds > 0 && out.Status.NumberReady != out.Status.NumberAvailable {
		// The controller's last line of defence against clock skew.
		if at := now.Add(p.minReady); out.RequeueAt.IsZero() || at.Before(out.RequeueAt) {
			out.RequeueAt = at
		}
	}
	if len(warnings) > 0 {
		out.Warnings = warnings
	}
	return out, nil
}

// Node flags computed once per pass.
const (
	flagRun  uint8 = 1 << iota // shouldRun
	flagCont                   // shouldContinueRunning
)

// act is an action before its message is written.
type act struct {
	node   string
	nodeIx int32 // index in nodes, or -1 for a node not in the list
	pod    int32 // index in pods, or -1 for a create
	reason Reason
}

type holder struct {
	nodeIx int32
	node   string
	pod    int32
	reason Reason
}

type planner struct {
	nodes  []Node
	pods   []Pod
	hidden []bool     // pods already gone in a later step of an observed pass; nil for none
	fresh  int        // how many of the last pods were created earlier in this observed pass
	ix     *NodeIndex // nodes as an index, or nil
	ds     *DaemonSet
	now    time.Time
	cmpOps bool // the release lets Lt and Gt tolerations compare

	chk       checker
	sel       podSelector
	minReady  time.Duration
	surge     bool // manage allows surge (maxSurge scaled against 1 > 0)
	rolling   bool
	hash      string
	tmplGen   string // the parsed template-generation annotation, or ""
	flags     []uint8
	podBits   []uint8 // per pod: bitUpdated, bitHashEq, read while its labels are in cache
	start     []int32 // pods of node i are order[start[i]:start[i+1]]
	order     []int32
	gone      []int32 // daemon pods mapped to nodes not in the list, by node then pod order
	goneNames []string

	creates, deletes bounded
	adopt, release   []int32
	holders          []holder
	rollout          Rollout

	backoffLoaded bool
	backoffIn     []NodeBackoff // valid input entries, by node name
	backoffNew    []NodeBackoff // entries written in this pass, in visiting order

	status    Status
	requeueAt time.Time
	later     *planner // the rolling-update step of an observed pass
}

func (p *planner) requeue(t time.Time) {
	if p.requeueAt.IsZero() || t.Before(p.requeueAt) {
		p.requeueAt = t
	}
}

// available is the pod's Ready condition held for at least minReadySeconds
// at now (IsPodAvailable: ready since + minReadySeconds <= now); it also
// records when a ready pod will become available.
func (p *planner) available(pod *Pod) bool {
	if !pod.Ready {
		return false
	}
	if p.minReady == 0 {
		return true
	}
	if pod.ReadySince.IsZero() {
		return false // no transition time: never available
	}
	at := pod.ReadySince.Add(p.minReady)
	if !at.After(p.now) {
		return true
	}
	if !p.ds.RequeueAfterMinReady {
		p.requeue(at)
	}
	return false
}

// Per-pod bits computed once in index.
// The later steps visit pods in node order, which is random in memory; the
// bits keep what they read of a pod in one byte, read in input order here.
const (
	bitUpdated   uint8 = 1 << iota // updated (revision hash or template generation)
	bitHashEq                      // revision-hash label equals the current hash, even if both are empty
	bitDeleting                    // being deleted
	bitFailed                      // phase Failed
	bitSucceeded                   // phase Succeeded
	bitReady                       // Ready condition True
	bitAvailable                   // ready for minReadySeconds at now
)

func (p *planner) has(pi int32, bit uint8) bool { return p.podBits[pi]&bit != 0 }

// podLess is the controller's pod order: bound pods first, then older, then
// by name.
func (p *planner) podLess(a, b int32) bool {
	x, y := &p.pods[a], &p.pods[b]
	if (x.NodeName != "") != (y.NodeName != "") {
		return x.NodeName != ""
	}
	if !x.CreationTimestamp.Equal(y.CreationTimestamp) {
		return x.CreationTimestamp.Before(y.CreationTimestamp)
	}
	return x.Name < y.Name
}

func (p *planner) sortGroup(g []int32) {
	if len(g) > 16 { // unusual: many pods on one node
		slices.SortFunc(g, func(a, b int32) int {
			switch {
			case p.podLess(a, b):
				return -1
			case p.podLess(b, a):
				return 1
			}
			return 0
		})
		return
	}
	for i := 1; i < len(g); i++ { // groups are tiny: insertion sort
		for j := i; j > 0 && p.podLess(g[j], g[j-1]); j-- {
			g[j], g[j-1] = g[j-1], g[j]
		}
	}
}

// duplicateIn returns a pod of g whose name an earlier pod of g (in input
// order) already has, or -1. Groups are in list order, where two pods of
// one name need not be neighbours.
func (p *planner) duplicateIn(g []int32) int32 {
	if len(g) < 2 {
		return -1
	}
	if len(g) <= 16 {
		dup := int32(-1)
		for a := 1; a < len(g); a++ {
			for b := 0; b < a; b++ {
				if p.pods[g[a]].Name == p.pods[g[b]].Name {
					if j := max(g[a], g[b]); dup < 0 || j < dup {
						dup = j
					}
				}
			}
		}
		return dup
	}
	byName := slices.Clone(g)
	slices.SortFunc(byName, func(a, b int32) int {
		if c := strings.Compare(p.pods[a].Name, p.pods[b].Name); c != 0 {
			return c
		}
		return int(a - b)
	})
	dup := int32(-1)
	for k := 1; k < len(byName); k++ {
		if p.pods[byName[k]].Name == p.pods[byName[k-1]].Name && (dup < 0 || byName[k] < dup) {
			dup = byName[k]
		}
	}
	return dup
}

// targetNode is the node a daemon pod belongs to: spec.nodeName, else the
// single value of a matchFields metadata.name In requirement.
func targetNode(pod *Pod) (string, bool) {
	if pod.NodeName != "" {
		return pod.NodeName, true
	}
	a := pod.RequiredNodeAffinity
	if a == nil {
		return "", false
	}
	for _, t := range a.Terms {
		for _, r := range t.MatchFields {
			if r.Key == FieldMetadataName && r.Operator == NodeOpIn {
				if len(r.Values) != 1 {
					return "", false
				}
				return r.Values[0], true
			}
		}
	}
	return "", false
}

// index evaluates every node once and groups the daemon pods by node without
// per-node allocations.
func (p *planner) index() error {
	s := &p.ds.Spec
	p.chk = newChecker(&s.Template, p.cmpOps)
	p.sel = compileSelector(s.Selector)
	p.minReady = time.Duration(s.MinReadySeconds) * time.Second
	p.hash = s.CurrentHash
	// The controller parses the annotation as an int64 and ignores it if it
	// does not parse; it compares and writes the number printed back.
	tg := p.ds.TemplateGeneration
	if tg == "" {
		tg = p.ds.Annotations[AnnotationTemplateGeneration]
	}
	if n, err := strconv.ParseInt(tg, 10, 64); err == nil {
		p.tmplGen = strconv.FormatInt(n, 10)
	}
	// The controller rolls only for RollingUpdate (the zero value here);
	// any other type, OnDelete or unknown, leaves pods alone.
	p.rolling = s.UpdateStrategy.Type == RollingUpdate || s.UpdateStrategy.Type == ""
	if p.rolling {
		_, ms := rollingParams(&s.UpdateStrategy)
		n, err := ms.Scaled(1, true)
		p.surge = err == nil && n > 0
	}

	p.creates.cmp = func(a, b act) int { return strings.Compare(a.node, b.node) }
	p.deletes.cmp = func(a, b act) int {
		if c := strings.Compare(a.node, b.node); c != 0 {
			return c
		}
		return strings.Compare(p.pods[a.pod].Name, p.pods[b.pod].Name)
	}
	// The node loops are split so that each is short: a node's name and
	// label map are usually far apart in memory and each read waits for
	// main memory, and a short loop lets the processor have many nodes'
	// reads in flight at once instead of one node's at a time.
	var byName nameTable
	var hashes []uint64 // the nodes' names, then the pods' targets
	p.flags = make([]uint8, len(p.nodes))
	if p.ix != nil {
		byName = p.ix.byName
		hashes = make([]uint64, len(p.pods))
		p.chk.checkAllIndexed(p.ix, p.flags)
	} else {
		byName = newNameTable(len(p.nodes))
		hashes = make([]uint64, max(len(p.nodes), len(p.pods)))
		for i := range p.nodes {
			hashes[i] = nameHash(p.nodes[i].Name)
		}
		for i := range p.nodes {
			if !byName.insert(p.nodes, i, hashes[i]) {
				return field.ErrorList{field.Duplicate(field.NewPath("nodes").Index(i).Child("name"), p.nodes[i].Name)}.ToAggregate()
			}
		}
		p.chk.checkAll(p.nodes, p.flags)
	}

	const (
		skip    = -1
		gone    = -2
		pending = -3 // has a target node, not yet looked up
	)
	podNode := make([]int32, len(p.pods))
	p.podBits = make([]uint8, len(p.pods))
	p.start = make([]int32, len(p.nodes)+1)
	// As for the nodes, two short loops: the pods' labels and target
	// names, then the node each target name is.
	podHash := hashes[:len(p.pods)]
	for i := range p.pods {
		pod := &p.pods[i]
		podNode[i] = skip
		if p.hidden != nil && p.hidden[i] {
			continue
		}
		if !p.owned(int32(i)) {
			continue
		}
		if pod.Deleting && (pod.Phase == PodSucceeded || pod.Phase == PodFailed) {
			continue // finished and going away: nothing left to do with it
		}
		name, ok := targetNode(pod)
		if !ok {
			continue
		}
		p.markPod(i)
		podNode[i], podHash[i] = pending, nameHash(name)
	}
	kept := 0
	for i := range p.pods {
		if podNode[i] != pending {
			continue
		}
		name, _ := targetNode(&p.pods[i])
		ni := byName.lookup(p.nodes, name, podHash[i])
		if ni < 0 {
			podNode[i] = gone
			p.gone = append(p.gone, int32(i))
			p.goneNames = append(p.goneNames, name)
			continue
		}
		podNode[i] = ni
		p.start[ni+1]++
		kept++
	}
	for i := 1; i < len(p.start); i++ {
		p.start[i] += p.start[i-1]
	}
	// Counting sort by node, in place: filling moves start[i] from the
	// beginning of node i's pods to their end, and one shift restores it.
	p.order = make([]int32, kept)
	for i, ni := range podNode {
		if ni >= 0 {
			p.order[p.start[ni]] = int32(i)
			p.start[ni]++
		}
	}
	copy(p.start[1:], p.start[:len(p.nodes)])
	p.start[0] = 0
	for i := range p.nodes {
		g := p.order[p.start[i]:p.start[i+1]]
		p.sortGroup(g)
		if j := p.duplicateIn(g); j >= 0 {
			return field.ErrorList{field.Duplicate(field.NewPath("pods").Index(int(j)).Child("name"), p.pods[j].Name)}.ToAggregate()
		}
	}
	if len(p.gone) > 0 {
		ix := make([]int, len(p.gone))
		for i := range ix {
			ix[i] = i
		}
		sort.Slice(ix, func(a, b int) bool {
			if p.goneNames[ix[a]] != p.goneNames[ix[b]] {
				return p.goneNames[ix[a]] < p.goneNames[ix[b]]
			}
			return p.podLess(p.gone[ix[a]], p.gone[ix[b]])
		})
		g, n := make([]int32, len(ix)), make([]string, len(ix))
		for i, k := range ix {
			g[i], n[i] = p.gone[k], p.goneNames[k]
		}
		p.gone, p.goneNames = g, n
		for k := 1; k < len(g); k++ {
			if n[k] == n[k-1] && p.pods[g[k]].Name == p.pods[g[k-1]].Name {
				return field.ErrorList{field.Duplicate(field.NewPath("pods").Index(int(g[k])).Child("name"), p.pods[g[k]].Name)}.ToAggregate()
			}
		}
	}
	return nil
}

func (p *planner) markPod(i int) {
	pod := &p.pods[i]
	var b uint8
	h := pod.Labels[LabelRevisionHash] // one lookup for both bits
	if h == p.hash {
		b |= bitHashEq
		if h != "" {
			b |= bitUpdated
		}
	}
	if b&bitUpdated == 0 && p.tmplGen != "" {
		if v, ok := pod.Labels[LabelTemplateGeneration]; ok && v == p.tmplGen {
			b |= bitUpdated
		}
	}
	if i >= len(p.pods)-p.fresh {
		// Made from the current template in this very pass: up to date even
		// when the caller gave no hash to label it with, or the rolling
		// update would replace the pod it has just created.
		b |= bitUpdated
	}
	if pod.Deleting {
		b |= bitDeleting
	}
	switch pod.Phase {
	case PodFailed:
		b |= bitFailed
	case PodSucceeded:
		b |= bitSucceeded
	}
	if pod.Ready {
		b |= bitReady
	}
	if p.available(pod) { // also notes when a ready pod becomes available
		b |= bitAvailable
	}
	p.podBits[i] = b
}

// owned applies ownership reconciliation: our pods whose labels match stay,
// matching orphans are adopted, our pods that stopped matching are released,
// everything else is ignored.
func (p *planner) owned(i int32) bool {
	pod := &p.pods[i]
	if pod.Namespace != "" && pod.Namespace != p.ds.Namespace {
		return false
	}
	match := p.sel.matches(pod.Labels)
	switch pod.ControllerUID {
	case "":
		if pod.Deleting || !match {
			return false
		}
		p.adopt = append(p.adopt, i)
		return true
	case p.ds.UID:
		if !match {
			p.release = append(p.release, i)
			return false
		}
		return true
	}
	return false
}

func (p *planner) group(i int) []int32 { return p.order[p.start[i]:p.start[i+1]] }

// countNode adds one node to the status: the first pod in pod order
// stands for the node.
func (p *planner) countNode(f uint8, g []int32) {
	st := &p.status
	if f&flagRun != 0 {
		st.DesiredNumberScheduled++
		if len(g) > 0 {
			st.CurrentNumberScheduled++
			if p.has(g[0], bitReady) {
				st.NumberReady++
				if p.has(g[0], bitAvailable) {
					st.NumberAvailable++
				}
			}
			if p.has(g[0], bitUpdated) {
				st.UpdatedNumberScheduled++
			}
		}
	} else if len(g) > 0 {
		st.NumberMisscheduled++
	}
}

// countStatus is the status count alone, for the later steps of an
// observed pass.
func (p *planner) countStatus() {
	p.status = Status{ObservedGeneration: p.ds.Generation}
	for i := range p.nodes {
		p.countNode(p.flags[i], p.group(i))
	}
	p.status.NumberUnavailable = p.status.DesiredNumberScheduled - p.status.NumberAvailable
}

// manage is the per-node reconcile and the status count.
func (p *planner) manage() {
	st := &p.status
	st.ObservedGeneration = p.ds.Generation
	for i := range p.nodes {
		f := p.flags[i]
		g := p.group(i)
		p.countNode(f, g)

		switch {
		case f&flagRun != 0 && len(g) == 0:
			p.creates.add(act{node: p.nodes[i].Name, nodeIx: int32(i), pod: -1, reason: ReasonMissingPod})
		case f&flagCont != 0:
			p.manageNode(i, g)
		case len(g) > 0:
			for _, pi := range g {
				if !p.has(pi, bitDeleting) {
					p.del(int32(i), pi, ReasonNodeIneligible)
				}
			}
		}
	}
	st.NumberUnavailable = st.DesiredNumberScheduled - st.NumberAvailable

	// Unbound pods aimed at vanished nodes would never be scheduled, and pod
	// garbage collection only removes bound ones.
	for k, pi := range p.gone {
		if pod := &p.pods[pi]; pod.NodeName == "" && !pod.Deleting {
			p.deletes.add(act{node: p.goneNames[k], nodeIx: -1, pod: pi, reason: ReasonNodeGone})
		}
	}
}

func (p *planner) del(nodeIx, pod int32, r Reason) {
	p.deletes.add(act{node: p.nodes[nodeIx].Name, nodeIx: nodeIx, pod: pod, reason: r})
}

// manageNode handles a node whose pods may continue running.
func (p *planner) manageNode(i int, g []int32) {
	ni := int32(i)
	running, newest, oldest := 0, int32(-1), int32(-1)
	failed := false
	for _, pi := range g {
		switch {
		case p.has(pi, bitDeleting):
			continue
		case p.has(pi, bitFailed):
			failed = true
			continue
		case p.has(pi, bitSucceeded):
			p.del(ni, pi, ReasonSucceededDaemonPod)
			continue
		}
		running++
		if !p.surge {
			if running > 1 { // keep the first in pod order, whatever its state
				p.del(ni, pi, ReasonDuplicatePod)
			}
			continue
		}
		if p.has(pi, bitHashEq) {
			if newest < 0 {
				newest = pi
				continue
			}
		} else if oldest < 0 {
			oldest = pi
			continue
		}
		p.del(ni, pi, ReasonDuplicatePod)
	}
	if failed {
		p.deleteFailed(ni, g)
	}
	if !p.surge {
		return
	}
	if running == 0 && p.flags[i]&flagRun != 0 {
		p.creates.add(act{node: p.nodes[i].Name, nodeIx: ni, pod: -1, reason: ReasonSurgeReplacement})
		return
	}
	if newest >= 0 && oldest >= 0 {
		switch {
		case !p.has(oldest, bitReady):
			p.del(ni, oldest, ReasonOldNotReady)
		case p.has(newest, bitAvailable):
			p.del(ni, oldest, ReasonSurgeComplete)
		}
	}
}

// deleteFailed deletes the node's failed pods as the backoff allows: the
// first one visited takes the node's backoff slot and the rest wait. The
// controller visits the pods it already owns before the orphans it adopts
// in the same pass (in its informer's order, which is random among each);
// here each kind is visited in pod order.
func (p *planner) deleteFailed(ni int32, g []int32) {
	for _, owned := range [2]bool{true, false} {
		for _, pi := range g {
			pod := &p.pods[pi]
			if pod.Deleting || pod.Phase != PodFailed || (pod.ControllerUID != "") != owned {
				continue
			}
			if p.backoffAllows(p.nodes[ni].Name) {
				p.del(ni, pi, ReasonFailedDaemonPod)
			}
		}
	}
}

// backoffAllows applies the failed-pod backoff of one node: it reports whether
// a failed pod may be deleted now, and if so advances the backoff.
func (p *planner) backoffAllows(node string) bool {
	if !p.backoffLoaded {
		p.loadBackoff()
	}
	var cur *NodeBackoff
	if n := len(p.backoffNew); n > 0 && p.backoffNew[n-1].Node == node {
		// Written for this node earlier in this pass (nodes are visited
		// once each, so only the last entry can be this node's).
		cur = &p.backoffNew[n-1]
	} else if k, ok := slices.BinarySearchFunc(p.backoffIn, node, func(e NodeBackoff, n string) int {
		return strings.Compare(e.Node, n)
	}); ok {
		cur = &p.backoffIn[k]
	}
	if cur != nil && p.now.Sub(cur.LastUpdate) < cur.Delay {
		if p.ds.RequeueAfterMinReady {
			p.requeue(p.now.Add(cur.Delay)) // the controller waits the whole delay again
		} else {
			p.requeue(cur.LastUpdate.Add(cur.Delay))
		}
		return false
	}
	next := NodeBackoff{Node: node, Generation: p.ds.ObservedGeneration, LastUpdate: p.now, Delay: BackoffInitial}
	if cur != nil {
		next.Delay = max(2*min(cur.Delay, BackoffMax), BackoffInitial)
		next.Delay = min(next.Delay, BackoffMax)
	}
	p.backoffNew = append(p.backoffNew, next)
	return true
}

// expired reports whether an entry is forgotten: untouched for more than
// twice the cap, or written under another observed generation.
func (p *planner) expired(e *NodeBackoff) bool {
	return e.Generation != p.ds.ObservedGeneration || p.now.Sub(e.LastUpdate) > 2*BackoffMax
}

func (p *planner) loadBackoff() {
	p.backoffLoaded = true
	if len(p.ds.FailedPodBackoff) == 0 {
		return
	}
	p.backoffIn = make([]NodeBackoff, 0, len(p.ds.FailedPodBackoff))
	for _, e := range p.ds.FailedPodBackoff {
		if !p.expired(&e) {
			e.Delay = min(e.Delay, BackoffMax) // the controller never holds more
			p.backoffIn = append(p.backoffIn, e)
		}
	}
	// Duplicate entries for a node: keep the latest, so order does not matter.
	slices.SortFunc(p.backoffIn, func(a, b NodeBackoff) int {
		if c := strings.Compare(a.Node, b.Node); c != 0 {
			return c
		}
		if c := b.LastUpdate.Compare(a.LastUpdate); c != 0 {
			return c
		}
		return cmp.Compare(b.Delay, a.Delay)
	})
	p.backoffIn = slices.CompactFunc(p.backoffIn, func(a, b NodeBackoff) bool { return a.Node == b.Node })
}
