package main

import (
	"fmt"
	"io"

	"github.com/purectl/purectl/internal/indexset"
	"github.com/purectl/purectl/internal/intstr"
	"github.com/purectl/purectl/internal/labels"
	"github.com/purectl/purectl/internal/nodeselector"
	"github.com/purectl/purectl/internal/taints"
)

func init() { register(0, "The shared mechanics", basics) }

// basics shows the rules every controller chapter builds on.
func basics(w io.Writer) error {
	nodes := []struct {
		name   string
		labels map[string]string
		taints []taints.Taint
	}{
		{"node-a", map[string]string{"disktype": "ssd", "cores": "16"}, nil},
		{"node-b", map[string]string{"disktype": "hdd", "cores": "4"}, nil},
		{"node-c", map[string]string{"disktype": "ssd", "cores": "64"},
			[]taints.Taint{{Key: "dedicated", Value: "gpu", Effect: taints.EffectNoSchedule}}},
	}
	affinity := nodeselector.Compile(&nodeselector.Selector{Terms: []nodeselector.Term{{
		MatchExpressions: []nodeselector.Requirement{
			{Key: "disktype", Operator: nodeselector.OpIn, Values: []string{"ssd"}},
			{Key: "cores", Operator: nodeselector.OpGt, Values: []string{"8"}},
		},
	}}})
	tols := []taints.Toleration{{Key: "dedicated", Operator: taints.OpEqual, Value: "gpu", Effect: taints.EffectNoSchedule}}
	fmt.Fprintln(w, "Required node affinity `disktype In [ssd]` AND `cores Gt 8`, toleration dedicated=gpu:NoSchedule:")
	for _, n := range nodes {
		verdict := "matches"
		if !affinity.Match(n.name, n.labels) {
			verdict = "does not match"
		} else if i := taints.FirstUntolerated(n.taints, tols, nil, false); i >= 0 {
			verdict = "matches but has an untolerated taint " + n.taints[i].Key
		} else if len(n.taints) > 0 {
			verdict = "matches and tolerates " + n.taints[0].Key + "=" + n.taints[0].Value
		}
		fmt.Fprintf(w, "  %-7s %s\n", n.name, verdict)
	}

	sel := &labels.Selector{MatchLabels: map[string]string{"app": "web"},
		MatchExpressions: []labels.Requirement{{Key: "tier", Operator: labels.OpNotIn, Values: []string{"canary"}}}}
	fmt.Fprintf(w, "\nSelector app=web,tier notin (canary): {app:web} %v, {app:web,tier:canary} %v\n",
		sel.Matches(map[string]string{"app": "web"}), sel.Matches(map[string]string{"app": "web", "tier": "canary"}))

	pct := intstr.FromString("25%")
	up, err := pct.Scaled(10, true)
	if err != nil {
		return err
	}
	down, err := pct.Scaled(10, false)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n25%% of 10 pods: %d rounded up (DaemonSet), %d rounded down (StatefulSet)\n", up, down)

	done, err := indexset.Parse("0-2,5", 10)
	if err != nil {
		return err
	}
	more := indexset.FromIndexes(3, 4, 9)
	all := done.Union(more)
	fmt.Fprintf(w, "\nCompleted indexes %q ∪ %q = %q (%d of 10); still to run: %q\n",
		done, more, all, all.Count(), all.Complement(10))
	return nil
}
