package daemonset

import (
	"fmt"
	"sort"

	"github.com/purectl/purectl/internal/nodeselector"
	"github.com/purectl/purectl/internal/taints"
)

// Eligibility says whether a node gets a daemon pod and why.
type Eligibility struct {
	// ShouldRun: a daemon pod should run on the node (create one if missing).
	ShouldRun bool
	// ShouldContinueRunning: an existing daemon pod may stay.
	ShouldContinueRunning bool
	// Reason is ReasonEligible or the first constraint that fails.
	Reason Reason
	// Message names the node and the failing selector pair, affinity term
	// requirement or taint.
	Message string
}

// controllerTolerations are added to every daemon pod (operator Exists, no
// value, no tolerationSeconds), so cordoned, not-ready, unreachable and
// pressured nodes still run daemons.
var controllerTolerations = []Toleration{
	{Key: TaintNodeNotReady, Operator: taints.OpExists, Effect: taints.EffectNoExecute},
	{Key: TaintNodeUnreachable, Operator: taints.OpExists, Effect: taints.EffectNoExecute},
	{Key: TaintNodeDiskPressure, Operator: taints.OpExists, Effect: taints.EffectNoSchedule},
	{Key: TaintNodeMemoryPressure, Operator: taints.OpExists, Effect: taints.EffectNoSchedule},
	{Key: TaintNodePIDPressure, Operator: taints.OpExists, Effect: taints.EffectNoSchedule},
	{Key: TaintNodeUnschedulable, Operator: taints.OpExists, Effect: taints.EffectNoSchedule},
}

var networkToleration = Toleration{Key: TaintNodeNetworkUnavailable, Operator: taints.OpExists, Effect: taints.EffectNoSchedule}

// mergeTolerations adds the controller's tolerations to the template's. A
// template toleration with the same key, operator, value and effect is
// replaced (so its tolerationSeconds is lost), as the controller's
// add-or-update helper does; others are appended.
func mergeTolerations(t *PodTemplate) []Toleration {
	out := make([]Toleration, 0, len(t.Tolerations)+len(controllerTolerations)+1)
	out = append(out, t.Tolerations...)
	add := func(c Toleration) {
		replaced := false
		for i := range out {
			o := &out[i]
			if o.Key == c.Key && o.Operator == c.Operator && o.Value == c.Value && o.Effect == c.Effect {
				*o = c
				replaced = true
			}
		}
		if !replaced {
			out = append(out, c)
		}
	}
	for _, c := range controllerTolerations {
		add(c)
	}
	if t.HostNetwork {
		add(networkToleration)
	}
	return out
}

// checker is the template's scheduling constraints, compiled once per pass.
type checker struct {
	nodeName     string
	nodeSelector map[string]string
	selPairs     pairs
	affinity     nodeselector.Compiled
	affinitySel  *NodeSelector
	tolerations  []Toleration
	cmpOps       bool // Lt and Gt tolerations compare (the release's gate)
}

func newChecker(t *PodTemplate, cmpOps bool) checker {
	return checker{
		cmpOps:       cmpOps,
		nodeName:     t.NodeName,
		nodeSelector: t.NodeSelector,
		selPairs:     flatten(t.NodeSelector),
		affinity:     nodeselector.CompileRequired(t.RequiredNodeAffinity),
		affinitySel:  t.RequiredNodeAffinity,
		tolerations:  mergeTolerations(t),
	}
}

// verdict is the cause of an eligibility result, without the message.
type verdict struct {
	run, cont bool
	reason    Reason
	taint     int // index of the deciding taint, or -1
}

// check decides (shouldRun, shouldContinueRunning) for one node. It does not
// allocate.
func (c *checker) check(n *Node) verdict {
	if c.nodeName != "" && c.nodeName != n.Name {
		return verdict{reason: ReasonNodeNameMismatch, taint: -1}
	}
	if !c.selPairs.subsetOf(n.Labels) {
		return verdict{reason: ReasonNodeSelectorMismatch, taint: -1}
	}
	return c.checkRest(n)
}

// checkRest is check for a node whose nodeSelector pairs match.
func (c *checker) checkRest(n *Node) verdict {
	if c.nodeName != "" && c.nodeName != n.Name {
		return verdict{reason: ReasonNodeNameMismatch, taint: -1}
	}
	if !c.affinity.Match(n.Name, n.Labels) {
		return verdict{reason: ReasonNodeAffinityMismatch, taint: -1}
	}
	return c.checkTaints(n)
}

// checkTaints is checkRest for a node whose affinity matches.
func (c *checker) checkTaints(n *Node) verdict {
	if c.nodeName != "" && c.nodeName != n.Name {
		return verdict{reason: ReasonNodeNameMismatch, taint: -1}
	}
	v := verdict{run: true, cont: true, reason: ReasonEligible, taint: -1}
	for i := range n.Taints {
		t := &n.Taints[i]
		if t.Effect != taints.EffectNoSchedule && t.Effect != taints.EffectNoExecute {
			continue // PreferNoSchedule never blocks
		}
		if taints.Tolerated(c.tolerations, t, c.cmpOps) {
			continue
		}
		if t.Effect == taints.EffectNoExecute {
			return verdict{reason: ReasonUntoleratedNoExecute, taint: i}
		}
		if v.run {
			v = verdict{cont: true, reason: ReasonUntoleratedNoSchedule, taint: i}
		}
	}
	return v
}

// checkAll sets flags[i] to node i's flagRun and flagCont, in short loops
// (see index): the nodeSelector pairs of every node, then the required node
// affinity of those that pass, then the rest of the check.
func (c *checker) checkAll(nodes []Node, flags []uint8) {
	const ok = 1 << 7 // passed the loops so far
	if len(c.selPairs) > 0 {
		for i := range nodes {
			if c.selPairs.subsetOf(nodes[i].Labels) {
				flags[i] = ok
			}
		}
	} else {
		for i := range flags {
			flags[i] = ok
		}
	}
	if !c.affinity.MatchesAll() {
		for i := range nodes {
			if flags[i] == ok && !c.affinity.Match(nodes[i].Name, nodes[i].Labels) {
				flags[i] = 0
			}
		}
	}
	c.checkTaintsAll(nodes, flags)
}

// checkTaintsAll finishes checkAll: the nodes flagged as passing the label
// checks are checked for taints, and every flag becomes flagRun|flagCont
// bits.
func (c *checker) checkTaintsAll(nodes []Node, flags []uint8) {
	const ok = 1 << 7
	for i := range nodes {
		if flags[i] != ok {
			flags[i] = 0
			continue
		}
		v := c.checkTaints(&nodes[i])
		var f uint8
		if v.run {
			f |= flagRun
		}
		if v.cont {
			f |= flagCont
		}
		flags[i] = f
	}
}

// ExplainNode says whether ds runs a daemon pod on node and why not, naming
// the nodeSelector pair, the affinity term and requirement, or the taint that
// decides. It follows the controller's order: template nodeName, nodeSelector,
// required node affinity, then NoExecute before NoSchedule taints. Taints
// are matched as opts.Release matches them (Lt and Gt tolerations compare
// values only where it enables TaintTolerationComparisonOperators).
func ExplainNode(node Node, ds DaemonSet, opts Options) Eligibility {
	c := newChecker(&ds.Spec.Template, taints.ComparisonOperators(opts.Release))
	return c.explain(&node)
}

// ExplainNodes explains every node, in the order given, compiling the
// template's constraints once.
func ExplainNodes(nodes []Node, ds DaemonSet, opts Options) []Eligibility {
	c := newChecker(&ds.Spec.Template, taints.ComparisonOperators(opts.Release))
	out := make([]Eligibility, len(nodes))
	for i := range nodes {
		out[i] = c.explain(&nodes[i])
	}
	return out
}

func (c *checker) explain(n *Node) Eligibility {
	v := c.check(n)
	e := Eligibility{ShouldRun: v.run, ShouldContinueRunning: v.cont, Reason: v.reason}
	switch v.reason {
	case ReasonEligible:
		e.Message = fmt.Sprintf("node %s satisfies the template's node constraints and taints", n.Name)
	case ReasonNodeNameMismatch:
		e.Message = fmt.Sprintf("the template pins node %s, not %s", c.nodeName, n.Name)
	case ReasonNodeSelectorMismatch:
		e.Message = fmt.Sprintf("node %s: %s", n.Name, c.selectorMiss(n.Labels))
	case ReasonNodeAffinityMismatch:
		e.Message = fmt.Sprintf("node %s: %s", n.Name, affinityMiss(c.affinitySel, n))
	case ReasonUntoleratedNoSchedule:
		e.Message = "node " + n.Name + " has taint " + taintString(&n.Taints[v.taint]) +
			" that the pod does not tolerate: no new pod, an existing one may stay"
	case ReasonUntoleratedNoExecute:
		e.Message = "node " + n.Name + " has taint " + taintString(&n.Taints[v.taint]) +
			" that the pod does not tolerate: existing pods must go"
	}
	return e
}

func taintString(t *Taint) string {
	if t.Value == "" {
		return t.Key + ":" + string(t.Effect)
	}
	return t.Key + "=" + t.Value + ":" + string(t.Effect)
}

// selectorMiss names the first (by key) nodeSelector pair the labels lack.
func (c *checker) selectorMiss(nodeLabels map[string]string) string {
	keys := make([]string, 0, len(c.nodeSelector))
	for k := range c.nodeSelector {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		want := c.nodeSelector[k]
		got, ok := nodeLabels[k]
		switch {
		case !ok:
			return fmt.Sprintf("nodeSelector %s=%s: label %s is missing", k, want, k)
		case got != want:
			return fmt.Sprintf("nodeSelector %s=%s: label is %s=%s", k, want, k, got)
		}
	}
	return "nodeSelector matches"
}

// affinityMiss explains why no term of a required node affinity matches:
// for each term, the first requirement that fails.
func affinityMiss(sel *NodeSelector, n *Node) string {
	if sel == nil {
		return "required node affinity matches"
	}
	if len(sel.Terms) == 0 {
		return "required node affinity has no terms, so it matches no node"
	}
	msg := "required node affinity:"
	for i, t := range sel.Terms {
		msg += fmt.Sprintf(" term %d %s;", i, termMiss(t, n))
	}
	return msg[:len(msg)-1]
}

func termMiss(t NodeSelectorTerm, n *Node) string {
	if len(t.MatchExpressions) == 0 && len(t.MatchFields) == 0 {
		return "is empty and matches nothing"
	}
	if c := nodeselector.Compile(&NodeSelector{Terms: []NodeSelectorTerm{t}}); c.MatchesNothing() {
		return "is malformed and matches nothing"
	}
	for _, r := range t.MatchExpressions {
		one := nodeselector.Compile(&NodeSelector{Terms: []NodeSelectorTerm{{MatchExpressions: []NodeSelectorRequirement{r}}}})
		if !one.Match(n.Name, n.Labels) {
			return "fails on " + reqString(r, "label")
		}
	}
	for _, r := range t.MatchFields {
		one := nodeselector.Compile(&NodeSelector{Terms: []NodeSelectorTerm{{MatchFields: []NodeSelectorRequirement{r}}}})
		if !one.Match(n.Name, n.Labels) {
			return "fails on " + reqString(r, "field")
		}
	}
	return "matches"
}

func reqString(r NodeSelectorRequirement, kind string) string {
	return fmt.Sprintf("%s %s %s %v", kind, r.Key, r.Operator, r.Values)
}
