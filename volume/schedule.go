package volume

import (
	"slices"
	"sort"

	"github.com/purectl/purectl/internal/field"
	"github.com/purectl/purectl/internal/nodeselector"
)

// schedule is the scheduler's view of one claim of a pod on opts.Node
// : is the claim satisfiable there, and how.
func schedule(pvs []Volume, c *Claim, o *Options) (Result, error) {
	node := o.Node
	infeasible := func(msg string) Result {
		return Result{Action: ActionPending, Reason: ReasonNodeInfeasible, Index: -1, Message: msg,
			Status: c.Status}
	}
	if c.Spec.VolumeName != "" && hasKey(c.Annotations, AnnBindCompleted) {
		// A bound claim (isPVCFullyBound: volumeName and bind-completed):
		// its volume must be reachable from the node.
		i := findVolume(pvs, c.Spec.VolumeName)
		if i < 0 {
			return infeasible("volume " + c.Spec.VolumeName + " of the claim does not exist"), nil
		}
		v := &pvs[i]
		if v.Spec.NodeAffinity != nil && !nodeselector.Match(v.Spec.NodeAffinity, node.Name, node.Labels) {
			r := infeasible("node " + node.Name + " does not satisfy the node affinity of volume " + v.Name)
			r.Volume, r.Index = v.Name, i
			return r, nil
		}
		return Result{Action: ActionNone, Reason: ReasonAlreadyBound, Volume: v.Name, Index: i,
			Message: "claim's volume " + v.Name + " is reachable from node " + node.Name, Status: c.Status}, nil
	}
	delayed, err := IsDelayBinding(c, o.Classes)
	if err != nil {
		return Result{Index: -1}, err
	}
	if !delayed || c.Spec.VolumeName != "" {
		// A claim naming a volume it has not finished binding to counts
		// as immediate, whatever its class: the PV controller binds it.
		return infeasible("pod has unbound immediate PersistentVolumeClaims"), nil
	}
	if sel, ok := c.Annotations[AnnSelectedNode]; ok {
		// A claim the scheduler already chose a node for is provisioned
		// there and nowhere else; no volume is searched for it.
		if sel != node.Name {
			return infeasible("claim is already being provisioned for node " + sel), nil
		}
		return provisionOn(c, node, o)
	}
	if err := vacRefused(c, o.Release, nil); err != nil {
		return Result{Index: -1}, err
	}
	k := newClaimKey(c)
	mo := MatchOptions{Node: node, Exclude: o.Exclude, Release: o.Release}
	// A volume reserved for the claim that the node cannot reach ends the
	// search with no match (FindMatchingVolume); provisioning may still
	// serve the claim on this node.
	if best := k.find(pvs, &mo); best.idx >= 0 && !best.blocks {
		v := &pvs[best.idx]
		r := Result{Action: ActionBind, Reason: ReasonBestFit, Volume: v.Name, Index: best.idx, PreBound: best.prebound,
			Message: "node " + node.Name + " can use volume " + v.Name, Status: c.Status}
		if best.prebound {
			r.Reason = ReasonPreBound
		}
		// The scheduler only pre-binds the volume; the PV controller then
		// finishes the binding.
		if ref := v.Spec.ClaimRef; ref == nil || ref.UID != c.UID {
			r.VolumeUpdate.ClaimRef = ObjectReference{Namespace: c.Namespace, Name: c.Name, UID: c.UID}
			r.VolumeUpdate.SetClaimRef = true
			r.VolumeUpdate.AddBoundByController = ref == nil && !hasKey(v.Annotations, AnnBoundByController)
		}
		return r, nil
	}
	return provisionOn(c, node, o)
}

// provisionOn is checkVolumeProvisions for one claim: can a volume of its
// class be provisioned on node?
func provisionOn(c *Claim, node *Node, o *Options) (Result, error) {
	infeasible := func(msg string) Result {
		return Result{Action: ActionPending, Reason: ReasonNodeInfeasible, Index: -1, Message: msg, Status: c.Status}
	}
	name := ClaimClass(c)
	sc := findClass(o.Classes, name)
	switch {
	case sc == nil:
		return infeasible("storageclass " + name + " not found"), nil
	case sc.Provisioner == "" || sc.Provisioner == NoProvisioner:
		return infeasible("no volume fits on node " + node.Name + " and class " + name + " does not provision"), nil
	case !TopologyAllows(sc.AllowedTopologies, node.Labels):
		return infeasible("class " + name + " does not provision on node " + node.Name), nil
	}
	p := Provision{Class: name, Provisioner: sc.Provisioner, SelectedNode: node.Name, ReclaimPolicy: Delete,
		VolumeName: "pvc-" + c.UID}
	if sc.ReclaimPolicy != nil {
		p.ReclaimPolicy = *sc.ReclaimPolicy
	}
	if csi, ok := migratedProvisioners[sc.Provisioner]; ok {
		p.Provisioner, p.External = csi, true
	} else {
		p.External = len(sc.Provisioner) < len(inTreePluginPrefix) || sc.Provisioner[:len(inTreePluginPrefix)] != inTreePluginPrefix
	}
	return Result{Action: ActionProvision, Reason: ReasonProvisionOnNode, Index: -1, Provision: p,
		Message:     "a volume of class " + name + " will be provisioned for node " + node.Name,
		ClaimUpdate: ClaimUpdate{SelectedNode: node.Name}, Status: c.Status}, nil
}

// TopologyAllows reports whether a class's allowedTopologies accept a node:
// no terms accept every node; otherwise some term must have every key's
// label among its values.
func TopologyAllows(terms []TopologySelectorTerm, nodeLabels map[string]string) bool {
	if len(terms) == 0 {
		return true
	}
	for _, t := range terms {
		ok := true
		for _, r := range t.MatchLabelExpressions {
			v, present := nodeLabels[r.Key]
			if !present || !slices.Contains(r.Values, v) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// PodVolumes is the scheduler's answer for all claims of one pod on one
// node.
type PodVolumes struct {
	// Feasible is false when some claim cannot be satisfied on the node.
	Feasible bool
	Reason   Reason
	Message  string
	// Claims holds the decision for each claim, Claims[i] for claims[i].
	Claims []Result
}

// SchedulePod answers the scheduler's volume-binding question for a pod on
// opts.Node: bound claims must have a volume reachable from the
// node; unbound delayed claims are taken in increasing request size (ties in
// the order of claims, the pod's volume order), each choosing among the volumes not yet chosen for the pod's
// earlier claims; claims with no volume must be provisionable there. The
// pod fits the node when every claim does. It errors where the scheduler's
// PreFilter or Filter does: a claim's class without a binding mode (the
// first such claim in the pod's order), or a claim with an attributes class
// searched for while that gate is off, unless an unbound claim of
// immediate binding or a claim provisioned for another node makes the node
// infeasible first.
func SchedulePod(pvs []Volume, claims []Claim, opts Options) (PodVolumes, error) {
	if err := field.CheckRelease(opts.Release); err != nil {
		return PodVolumes{}, err
	}
	if opts.Node == nil {
		return PodVolumes{}, field.ErrorList{field.Required(field.NewPath("node"), "the scheduler's path needs a node")}.ToAggregate()
	}
	order := make([]int, len(claims))
	for i := range order {
		order[i] = i
	}
	// Equal requests keep the pod's order, as the scheduler's sort does for
	// the handful of claims a pod has.
	sort.SliceStable(order, func(a, b int) bool {
		return claims[order[a]].Spec.Request.Cmp(claims[order[b]].Spec.Request) < 0
	})
	exclude := map[string]bool{}
	for k, v := range opts.Exclude {
		exclude[k] = v
	}
	opts.Exclude = exclude
	out := PodVolumes{Feasible: true, Reason: ReasonAlreadyBound, Claims: make([]Result, len(claims)),
		Message: "every claim of the pod can be satisfied on node " + opts.Node.Name}
	// The search's refusal of a claim (an attributes class with that gate
	// off) fails the pod's filter only once the pod got that far: an
	// unbound claim of immediate binding (PreFilter) or a claim being
	// provisioned for another node (FindPodVolumes' fast path) makes the
	// node infeasible first.
	var refused error
	stopsEarly := false
	for i := range claims {
		c := &claims[i]
		if c.Spec.VolumeName != "" && hasKey(c.Annotations, AnnBindCompleted) {
			continue
		}
		delayed, err := IsDelayBinding(c, opts.Classes)
		if err != nil {
			return PodVolumes{}, err
		}
		sel, selected := c.Annotations[AnnSelectedNode]
		if !delayed || c.Spec.VolumeName != "" || selected && sel != opts.Node.Name {
			stopsEarly = true
		}
	}
	for _, i := range order {
		r, err := schedule(pvs, &claims[i], &opts)
		if err != nil {
			if refused == nil {
				refused = err
			}
			r = Result{Action: ActionPending, Reason: ReasonNodeInfeasible, Index: -1, Status: claims[i].Status,
				Message: "the volume search refuses the claim: " + err.Error()}
		}
		r.Warnings = claimWarnings(&claims[i], opts.Release)
		if r.Action == ActionBind {
			exclude[r.Volume] = true
		}
		out.Claims[i] = r
		if r.Reason == ReasonNodeInfeasible && out.Feasible {
			out.Feasible, out.Reason = false, ReasonNodeInfeasible
			out.Message = "claim " + claims[i].Namespace + "/" + claims[i].Name + ": " + r.Message
		}
	}
	if refused != nil && !stopsEarly {
		return PodVolumes{}, refused
	}
	return out, nil
}
