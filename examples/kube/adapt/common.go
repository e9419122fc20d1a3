// Package adapt converts Kubernetes API objects (k8s.io/api) into purectl's
// inputs and purectl's plans back into the objects a controller would write.
// It lives in the examples/kube module so that the core module keeps a single
// dependency.
package adapt

import (
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8sintstr "k8s.io/apimachinery/pkg/util/intstr"

	"github.com/purectl/purectl/internal/intstr"
	"github.com/purectl/purectl/internal/labels"
	"github.com/purectl/purectl/internal/nodeselector"
	"github.com/purectl/purectl/internal/taints"
)

// LabelSelector converts a metav1.LabelSelector; nil stays nil (selects
// nothing).
func LabelSelector(s *metav1.LabelSelector) *labels.Selector {
	if s == nil {
		return nil
	}
	out := &labels.Selector{MatchLabels: s.MatchLabels}
	for _, r := range s.MatchExpressions {
		out.MatchExpressions = append(out.MatchExpressions, labels.Requirement{
			Key: r.Key, Operator: labels.Operator(r.Operator), Values: r.Values})
	}
	return out
}

// NodeSelector converts a v1.NodeSelector; nil stays nil.
func NodeSelector(s *v1.NodeSelector) *nodeselector.Selector {
	if s == nil {
		return nil
	}
	out := &nodeselector.Selector{Terms: make([]nodeselector.Term, 0, len(s.NodeSelectorTerms))}
	for _, t := range s.NodeSelectorTerms {
		out.Terms = append(out.Terms, nodeselector.Term{
			MatchExpressions: nodeRequirements(t.MatchExpressions),
			MatchFields:      nodeRequirements(t.MatchFields),
		})
	}
	return out
}

func nodeRequirements(rs []v1.NodeSelectorRequirement) []nodeselector.Requirement {
	if rs == nil {
		return nil
	}
	out := make([]nodeselector.Requirement, len(rs))
	for i, r := range rs {
		out[i] = nodeselector.Requirement{Key: r.Key, Operator: nodeselector.Operator(r.Operator), Values: r.Values}
	}
	return out
}

// RequiredNodeAffinity returns the pod spec's required node affinity, or nil
// when it has none.
func RequiredNodeAffinity(a *v1.Affinity) *nodeselector.Selector {
	if a == nil || a.NodeAffinity == nil {
		return nil
	}
	return NodeSelector(a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution)
}

// Tolerations converts pod tolerations.
func Tolerations(ts []v1.Toleration) []taints.Toleration {
	if ts == nil {
		return nil
	}
	out := make([]taints.Toleration, len(ts))
	for i, t := range ts {
		out[i] = taints.Toleration{Key: t.Key, Operator: taints.Operator(t.Operator), Value: t.Value,
			Effect: taints.Effect(t.Effect), TolerationSeconds: t.TolerationSeconds}
	}
	return out
}

// Taints converts node taints.
func Taints(ts []v1.Taint) []taints.Taint {
	if ts == nil {
		return nil
	}
	out := make([]taints.Taint, len(ts))
	for i, t := range ts {
		out[i] = taints.Taint{Key: t.Key, Value: t.Value, Effect: taints.Effect(t.Effect), TimeAdded: Time(t.TimeAdded)}
	}
	return out
}

// IntOrString converts an optional int-or-string; nil stays nil.
func IntOrString(v *k8sintstr.IntOrString) *intstr.IntOrString {
	if v == nil {
		return nil
	}
	out := intstr.FromInt(v.IntVal)
	if v.Type == k8sintstr.String {
		out = intstr.FromString(v.StrVal)
	}
	return &out
}

// Time converts an optional API time; nil is the zero time.
func Time(t *metav1.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.Time
}

// MetaTime converts a time back; the zero time is nil.
func MetaTime(t time.Time) *metav1.Time {
	if t.IsZero() {
		return nil
	}
	mt := metav1.NewTime(t)
	return &mt
}

// PodReady returns whether the pod's Ready condition is True and since when.
func PodReady(p *v1.Pod) (bool, time.Time) {
	for _, c := range p.Status.Conditions {
		if c.Type == v1.PodReady {
			return c.Status == v1.ConditionTrue, c.LastTransitionTime.Time
		}
	}
	return false, time.Time{}
}
