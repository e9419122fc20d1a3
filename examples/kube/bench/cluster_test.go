package bench

import (
	"fmt"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// nodes builds n nodes with 12 labels each; every 10th node carries a
// NoSchedule taint and every 50th a NoExecute taint, as the fleet.
func nodes(n int) []*v1.Node {
	out := make([]*v1.Node, n)
	for i := range out {
		name := fmt.Sprintf("node-%06d", i)
		lbls := map[string]string{
			"kubernetes.io/hostname":           name,
			"kubernetes.io/os":                 "linux",
			"kubernetes.io/arch":               []string{"amd64", "arm64"}[i%2],
			"topology.kubernetes.io/region":    "region-1",
			"topology.kubernetes.io/zone":      fmt.Sprintf("zone-%d", i%3),
			"node.kubernetes.io/instance-type": []string{"m5.large", "m5.xlarge", "c5.2xlarge"}[i%3],
			"pool":                             fmt.Sprintf("pool-%d", i%7),
			"disktype":                         []string{"ssd", "hdd"}[i%4/3],
			"cores":                            fmt.Sprint(4 << (i % 4)),
			"team":                             fmt.Sprintf("team-%d", i%5),
			"env":                              "prod",
			"rack":                             fmt.Sprintf("rack-%d", i%40),
		}
		node := &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: lbls}}
		if i%10 == 0 {
			node.Spec.Taints = append(node.Spec.Taints, v1.Taint{Key: "dedicated", Value: "batch", Effect: v1.TaintEffectNoSchedule})
		}
		if i%50 == 0 {
			node.Spec.Taints = append(node.Spec.Taints, v1.Taint{Key: "node.kubernetes.io/unreachable", Effect: v1.TaintEffectNoExecute})
		}
		out[i] = node
	}
	return out
}

// daemonPodSpec is a DaemonSet-style pod spec: linux nodes, not arm64 unless
// 8+ cores, tolerating the batch taint.
func daemonPodSpec() v1.PodSpec {
	return v1.PodSpec{
		NodeSelector: map[string]string{"kubernetes.io/os": "linux"},
		Affinity: &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &v1.NodeSelector{
			NodeSelectorTerms: []v1.NodeSelectorTerm{
				{MatchExpressions: []v1.NodeSelectorRequirement{{Key: "kubernetes.io/arch", Operator: v1.NodeSelectorOpIn, Values: []string{"amd64"}}}},
				{MatchExpressions: []v1.NodeSelectorRequirement{{Key: "cores", Operator: v1.NodeSelectorOpGt, Values: []string{"8"}}}},
			}}}},
		Tolerations: []v1.Toleration{
			{Key: "dedicated", Operator: v1.TolerationOpEqual, Value: "batch", Effect: v1.TaintEffectNoSchedule},
			{Key: "node.kubernetes.io/unreachable", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoExecute},
		},
	}
}
