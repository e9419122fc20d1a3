package daemonset

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"pgregory.net/rapid"

	"github.com/purectl/purectl/api"
)

var releaseVersions = []string{"1.34", "1.35", "1.36", "1.37"}

// genRelease draws a supported release and, where the release has them,
// the gates that change what this package decides.
func genRelease(t *rapid.T) Release {
	r := Release{Version: rapid.SampledFrom(releaseVersions).Draw(t, "release")}
	if r.AtLeast("1.35") && rapid.IntRange(0, 2).Draw(t, "comparisonGate") == 0 {
		r.FeatureGates = map[api.Gate]bool{api.TaintTolerationComparisonOperators: true}
	}
	if r.AtLeast("1.36") && rapid.IntRange(0, 3).Draw(t, "staleGateOff") == 0 {
		if r.FeatureGates == nil {
			r.FeatureGates = map[api.Gate]bool{}
		}
		r.FeatureGates[api.StaleControllerConsistencyDaemonSet] = false
	}
	return r
}

// genUnobserved draws, now and then, earlier writes the view lacks.
func genUnobserved(t *rapid.T) Unobserved {
	if rapid.IntRange(0, 3).Draw(t, "stale") > 0 {
		return Unobserved{}
	}
	return Unobserved{Creates: rapid.Bool().Draw(t, "unobservedCreates"), Deletes: rapid.Bool().Draw(t, "unobservedDeletes"),
		Adoptions: rapid.Bool().Draw(t, "unobservedAdoptions"), Status: rapid.Bool().Draw(t, "unobservedStatus")}
}

var nodePool = []string{"n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7"}

func genTaints(t *rapid.T, label string) []Taint {
	pool := []Taint{
		{Key: "k", Effect: TaintEffectNoSchedule},
		{Key: "k", Effect: TaintEffectNoExecute},
		{Key: "k", Value: "v", Effect: TaintEffectPreferNoSchedule},
		{Key: TaintNodeNotReady, Effect: TaintEffectNoExecute},
		{Key: TaintNodeUnschedulable, Effect: TaintEffectNoSchedule},
		{Key: TaintNodeNetworkUnavailable, Effect: TaintEffectNoSchedule},
		{Key: "sla", Value: "5", Effect: TaintEffectNoSchedule},
		{Key: "sla", Value: "20", Effect: TaintEffectNoExecute},
	}
	ix := rapid.SliceOfNDistinct(rapid.IntRange(0, len(pool)-1), 0, 3, rapid.ID[int]).Draw(t, label)
	var out []Taint
	for _, i := range ix {
		out = append(out, pool[i])
	}
	return out
}

func genNodes(t *rapid.T) []Node {
	names := rapid.SliceOfNDistinct(rapid.SampledFrom(nodePool), 0, len(nodePool), rapid.ID[string]).Draw(t, "nodes")
	out := make([]Node, len(names))
	for i, n := range names {
		out[i] = Node{Name: n, Labels: map[string]string{"zone": rapid.SampledFrom([]string{"a", "b"}).Draw(t, "zone")}}
		out[i].Taints = genTaints(t, "taints")
	}
	return out
}

func genPods(t *rapid.T, ds *DaemonSet) []Pod {
	n := rapid.IntRange(0, 14).Draw(t, "npods")
	out := make([]Pod, n)
	for i := range out {
		target := rapid.SampledFrom(append(slices.Clone(nodePool), "gone1", "gone2", "")).Draw(t, "target")
		p := Pod{
			Name:              fmt.Sprintf("p%d", i),
			Labels:            map[string]string{"app": "d", LabelRevisionHash: rapid.SampledFrom([]string{"old", "new", "older"}).Draw(t, "hash")},
			ControllerUID:     rapid.SampledFrom([]string{ds.UID, ds.UID, ds.UID, "", "other"}).Draw(t, "owner"),
			Phase:             rapid.SampledFrom([]PodPhase{PodRunning, PodRunning, PodPending, PodFailed, PodSucceeded, PodUnknown}).Draw(t, "phase"),
			Ready:             rapid.Bool().Draw(t, "ready"),
			ReadySince:        t0.Add(-time.Duration(rapid.IntRange(0, 120).Draw(t, "readyAgo")) * time.Second),
			CreationTimestamp: t0.Add(-time.Duration(rapid.IntRange(0, 5).Draw(t, "age")) * time.Minute),
			Deleting:          rapid.IntRange(0, 5).Draw(t, "deleting") == 0,
		}
		if rapid.IntRange(0, 6).Draw(t, "foreignLabels") == 0 {
			p.Labels["app"] = "x"
		}
		if rapid.Bool().Draw(t, "bound") {
			p.NodeName = target
		} else if target != "" {
			p.RequiredNodeAffinity = &NodeSelector{Terms: []NodeSelectorTerm{{MatchFields: []NodeSelectorRequirement{
				{Key: FieldMetadataName, Operator: NodeOpIn, Values: []string{target}}}}}}
		}
		out[i] = p
	}
	return out
}

func genDS(t *rapid.T) DaemonSet {
	ds := testDS()
	switch rapid.IntRange(0, 4).Draw(t, "strategy") {
	case 0:
		ds.Spec.UpdateStrategy.Type = OnDelete
	case 1:
		v := FromInt(int32(rapid.IntRange(1, 3).Draw(t, "maxUnavailable")))
		ds.Spec.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: &v}
	case 2:
		v := FromString(rapid.SampledFrom([]string{"10%", "50%", "100%"}).Draw(t, "maxUnavailablePct"))
		ds.Spec.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: &v}
	case 3:
		zero := FromInt(0)
		v := FromInt(int32(rapid.IntRange(1, 3).Draw(t, "maxSurge")))
		ds.Spec.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: &zero, MaxSurge: &v}
	}
	ds.Spec.MinReadySeconds = int32(rapid.SampledFrom([]int{0, 0, 30}).Draw(t, "minReady"))
	if rapid.Bool().Draw(t, "zoneSelector") {
		ds.Spec.Template.NodeSelector = map[string]string{"zone": "a"}
	}
	ds.Spec.Template.HostNetwork = rapid.Bool().Draw(t, "hostNetwork")
	ds.Spec.Template.Tolerations = rapid.SliceOfN(rapid.SampledFrom([]Toleration{
		{Key: "k", Operator: TolerationOpExists},
		{Key: "sla", Operator: api.TolerationOpLt, Value: "10"},
		{Key: "sla", Operator: api.TolerationOpGt, Value: "10", Effect: TaintEffectNoExecute},
	}), 0, 2).Draw(t, "tolerations")
	for _, n := range rapid.SliceOfNDistinct(rapid.SampledFrom(nodePool), 0, 3, rapid.ID[string]).Draw(t, "backoff") {
		ds.FailedPodBackoff = append(ds.FailedPodBackoff, NodeBackoff{Node: n, Generation: ds.ObservedGeneration,
			LastUpdate: t0.Add(-time.Duration(rapid.IntRange(0, 40).Draw(t, "boAgo")) * time.Second), Delay: time.Duration(rapid.IntRange(1, 64).Draw(t, "boDelay")) * time.Second})
	}
	return ds
}

func cloneNodes(ns []Node) []Node {
	out := slices.Clone(ns)
	for i := range out {
		out[i].Labels = maps.Clone(out[i].Labels)
		out[i].Taints = slices.Clone(out[i].Taints)
	}
	return out
}

func cloneSelector(s *NodeSelector) *NodeSelector {
	if s == nil {
		return nil
	}
	c := &NodeSelector{Terms: slices.Clone(s.Terms)}
	for i := range c.Terms {
		c.Terms[i].MatchExpressions = slices.Clone(c.Terms[i].MatchExpressions)
		c.Terms[i].MatchFields = slices.Clone(c.Terms[i].MatchFields)
		for j := range c.Terms[i].MatchFields {
			c.Terms[i].MatchFields[j].Values = slices.Clone(c.Terms[i].MatchFields[j].Values)
		}
		for j := range c.Terms[i].MatchExpressions {
			c.Terms[i].MatchExpressions[j].Values = slices.Clone(c.Terms[i].MatchExpressions[j].Values)
		}
	}
	return c
}

func clonePods(ps []Pod) []Pod {
	out := slices.Clone(ps)
	for i := range out {
		out[i].Labels = maps.Clone(out[i].Labels)
		out[i].RequiredNodeAffinity = cloneSelector(out[i].RequiredNodeAffinity)
	}
	return out
}

func cloneDS(ds DaemonSet) DaemonSet {
	c := ds
	if s := ds.Spec.Selector; s != nil {
		c.Spec.Selector = &LabelSelector{MatchLabels: maps.Clone(s.MatchLabels), MatchExpressions: slices.Clone(s.MatchExpressions)}
	}
	c.Labels, c.Annotations = maps.Clone(ds.Labels), maps.Clone(ds.Annotations)
	c.Spec.Template.Labels = maps.Clone(ds.Spec.Template.Labels)
	c.Spec.Template.NodeSelector = maps.Clone(ds.Spec.Template.NodeSelector)
	c.Spec.Template.Tolerations = slices.Clone(ds.Spec.Template.Tolerations)
	c.Spec.Template.RequiredNodeAffinity = cloneSelector(ds.Spec.Template.RequiredNodeAffinity)
	if r := ds.Spec.UpdateStrategy.RollingUpdate; r != nil {
		rc := *r
		if r.MaxSurge != nil {
			v := *r.MaxSurge
			rc.MaxSurge = &v
		}
		if r.MaxUnavailable != nil {
			v := *r.MaxUnavailable
			rc.MaxUnavailable = &v
		}
		c.Spec.UpdateStrategy.RollingUpdate = &rc
	}
	c.FailedPodBackoff = slices.Clone(ds.FailedPodBackoff)
	return c
}
