package adapt

import (
	"maps"
	"slices"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	k8sintstr "k8s.io/apimachinery/pkg/util/intstr"

	"github.com/purectl/purectl/api"
)

// LabelSelector converts a metav1.LabelSelector; nil stays nil (selects
// nothing).
func LabelSelector(s *metav1.LabelSelector) *api.LabelSelector {
	if s == nil {
		return nil
	}
	out := &api.LabelSelector{MatchLabels: s.MatchLabels}
	for _, r := range s.MatchExpressions {
		out.MatchExpressions = append(out.MatchExpressions, api.LabelRequirement{
			Key: r.Key, Operator: api.LabelOperator(r.Operator), Values: r.Values})
	}
	return out
}

// V1LabelSelector converts a label selector back; nil stays nil.
func V1LabelSelector(s *api.LabelSelector) *metav1.LabelSelector {
	if s == nil {
		return nil
	}
	out := &metav1.LabelSelector{MatchLabels: s.MatchLabels}
	for _, r := range s.MatchExpressions {
		out.MatchExpressions = append(out.MatchExpressions, metav1.LabelSelectorRequirement{
			Key: r.Key, Operator: metav1.LabelSelectorOperator(r.Operator), Values: slices.Clone(r.Values)})
	}
	return out
}

// NodeSelector converts a v1.NodeSelector; nil stays nil.
func NodeSelector(s *v1.NodeSelector) *api.NodeSelector {
	if s == nil {
		return nil
	}
	out := &api.NodeSelector{Terms: make([]api.NodeSelectorTerm, 0, len(s.NodeSelectorTerms))}
	for _, t := range s.NodeSelectorTerms {
		out.Terms = append(out.Terms, api.NodeSelectorTerm{
			MatchExpressions: nodeRequirements(t.MatchExpressions),
			MatchFields:      nodeRequirements(t.MatchFields),
		})
	}
	return out
}

func nodeRequirements(rs []v1.NodeSelectorRequirement) []api.NodeSelectorRequirement {
	if rs == nil {
		return nil
	}
	out := make([]api.NodeSelectorRequirement, len(rs))
	for i, r := range rs {
		out[i] = api.NodeSelectorRequirement{Key: r.Key, Operator: api.NodeSelectorOperator(r.Operator), Values: r.Values}
	}
	return out
}

// V1NodeSelector converts a node selector back to the API type; nil stays nil.
func V1NodeSelector(s *api.NodeSelector) *v1.NodeSelector {
	if s == nil {
		return nil
	}
	out := &v1.NodeSelector{NodeSelectorTerms: make([]v1.NodeSelectorTerm, len(s.Terms))}
	for i, t := range s.Terms {
		out.NodeSelectorTerms[i] = v1.NodeSelectorTerm{MatchExpressions: v1Requirements(t.MatchExpressions), MatchFields: v1Requirements(t.MatchFields)}
	}
	return out
}

func v1Requirements(rs []api.NodeSelectorRequirement) []v1.NodeSelectorRequirement {
	if rs == nil {
		return nil
	}
	out := make([]v1.NodeSelectorRequirement, len(rs))
	for i, r := range rs {
		out[i] = v1.NodeSelectorRequirement{Key: r.Key, Operator: v1.NodeSelectorOperator(r.Operator), Values: slices.Clone(r.Values)}
	}
	return out
}

// RequiredNodeAffinity returns the pod spec's required node affinity, or nil
// when it has none.
func RequiredNodeAffinity(a *v1.Affinity) *api.NodeSelector {
	if a == nil || a.NodeAffinity == nil {
		return nil
	}
	return NodeSelector(a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution)
}

// V1Affinity is the affinity that carries only the required node affinity
// s; nil when s is nil.
func V1Affinity(s *api.NodeSelector) *v1.Affinity {
	if s == nil {
		return nil
	}
	return &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: V1NodeSelector(s)}}
}

// Tolerations converts pod tolerations.
func Tolerations(ts []v1.Toleration) []api.Toleration {
	if ts == nil {
		return nil
	}
	out := make([]api.Toleration, len(ts))
	for i, t := range ts {
		out[i] = api.Toleration{Key: t.Key, Operator: api.TolerationOperator(t.Operator), Value: t.Value,
			Effect: api.TaintEffect(t.Effect), TolerationSeconds: t.TolerationSeconds}
	}
	return out
}

// V1Tolerations converts tolerations back.
func V1Tolerations(ts []api.Toleration) []v1.Toleration {
	if ts == nil {
		return nil
	}
	out := make([]v1.Toleration, len(ts))
	for i, t := range ts {
		out[i] = v1.Toleration{Key: t.Key, Operator: v1.TolerationOperator(t.Operator), Value: t.Value,
			Effect: v1.TaintEffect(t.Effect), TolerationSeconds: clonePtr(t.TolerationSeconds)}
	}
	return out
}

// Taints converts node taints.
func Taints(ts []v1.Taint) []api.Taint {
	if ts == nil {
		return nil
	}
	out := make([]api.Taint, len(ts))
	for i, t := range ts {
		out[i] = api.Taint{Key: t.Key, Value: t.Value, Effect: api.TaintEffect(t.Effect), TimeAdded: Time(t.TimeAdded)}
	}
	return out
}

// V1Taints converts taints back; a zero TimeAdded stays unset.
func V1Taints(ts []api.Taint) []v1.Taint {
	if ts == nil {
		return nil
	}
	out := make([]v1.Taint, len(ts))
	for i, t := range ts {
		out[i] = v1.Taint{Key: t.Key, Value: t.Value, Effect: v1.TaintEffect(t.Effect), TimeAdded: MetaTime(t.TimeAdded)}
	}
	return out
}

// IntOrString converts an optional int-or-string; nil stays nil.
func IntOrString(v *k8sintstr.IntOrString) *api.IntOrString {
	if v == nil {
		return nil
	}
	out := api.FromInt(v.IntVal)
	if v.Type == k8sintstr.String {
		out = api.FromString(v.StrVal)
	}
	return &out
}

// V1IntOrString converts an optional int-or-string back; nil stays nil.
func V1IntOrString(v *api.IntOrString) *k8sintstr.IntOrString {
	if v == nil {
		return nil
	}
	out := k8sintstr.FromInt32(v.IntVal)
	if v.IsString {
		out = k8sintstr.FromString(v.StrVal)
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

// deletion is the DeletionTimestamp of an object's metadata as purectl
// takes it: the zero time when the object is not being deleted.
func deletion(m *metav1.ObjectMeta) time.Time { return Time(m.DeletionTimestamp) }

// PodReady returns whether the pod's Ready condition is True and since when.
func PodReady(p *v1.Pod) (bool, time.Time) {
	for _, c := range p.Status.Conditions {
		if c.Type == v1.PodReady {
			return c.Status == v1.ConditionTrue, c.LastTransitionTime.Time
		}
	}
	return false, time.Time{}
}

// readyCondition is the Ready condition PodReady reads back as (ready,
// since).
func readyCondition(ready bool, since time.Time) v1.PodCondition {
	c := v1.PodCondition{Type: v1.PodReady, Status: v1.ConditionFalse, LastTransitionTime: metav1.NewTime(since)}
	if ready {
		c.Status = v1.ConditionTrue
	}
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// controllerRef is a controller owner reference that blocks owner
// deletion, as controllers set on what they create.
func controllerRef(apiVersion, kind, name string, uid string) metav1.OwnerReference {
	t := true
	return metav1.OwnerReference{APIVersion: apiVersion, Kind: kind, Name: name, UID: types.UID(uid), Controller: &t, BlockOwnerDeletion: &t}
}

// deletedAt is the deletion timestamp V1 conversions give an object that
// is being deleted: the moment is not modelled, only that it is set.
func deletedAt(deleting bool) *metav1.Time {
	if !deleting {
		return nil
	}
	t := metav1.NewTime(time.Unix(0, 0).UTC())
	return &t
}

// objectMeta is the metadata of a top-level object, as purectl's types
// carry it.
func objectMeta(name, namespace, uid string, generation int64, labels, annotations map[string]string, created, deleted time.Time) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: namespace, UID: types.UID(uid), Generation: generation,
		Labels: maps.Clone(labels), Annotations: maps.Clone(annotations),
		CreationTimestamp: metav1.NewTime(created), DeletionTimestamp: MetaTime(deleted)}
}
