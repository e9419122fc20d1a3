package adapt

import (
	"maps"
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/purectl/purectl/daemonset"
)

// DaemonSetRevisionHashLabel is the pod label that carries the template hash.
const DaemonSetRevisionHashLabel = "controller-revision-hash"

// templateGenerationAnnotation is the deprecated annotation the planner
// still honours.
const templateGenerationAnnotation = "deprecated.daemonset.template.generation"

// Node converts a node for the DaemonSet planner.
func Node(n *v1.Node) daemonset.Node {
	return daemonset.Node{Name: n.Name, Labels: n.Labels, Taints: Taints(n.Spec.Taints)}
}

// Nodes converts a node list.
func Nodes(ns []*v1.Node) []daemonset.Node {
	out := make([]daemonset.Node, len(ns))
	for i, n := range ns {
		out[i] = Node(n)
	}
	return out
}

// DaemonSet converts a DaemonSet. The current hash is the template's
// TemplateHash with the status collision count.
func DaemonSet(ds *appsv1.DaemonSet) daemonset.DaemonSet {
	spec := ds.Spec
	out := daemonset.DaemonSet{
		Name: ds.Name, Namespace: ds.Namespace, UID: string(ds.UID),
		Generation: ds.Generation, ObservedGeneration: ds.Status.ObservedGeneration,
		TemplateGeneration: ds.Annotations[templateGenerationAnnotation],
		Deleting:           ds.DeletionTimestamp != nil,
		Spec: daemonset.Spec{
			Selector: LabelSelector(spec.Selector),
			Template: daemonset.PodTemplate{
				Labels:                spec.Template.Labels,
				NodeName:              spec.Template.Spec.NodeName,
				NodeSelector:          spec.Template.Spec.NodeSelector,
				RequiredNodeAffinity:  RequiredNodeAffinity(spec.Template.Spec.Affinity),
				Tolerations:           Tolerations(spec.Template.Spec.Tolerations),
				HostNetwork:           spec.Template.Spec.HostNetwork,
				RestartPolicy:         daemonset.RestartPolicy(spec.Template.Spec.RestartPolicy),
				ActiveDeadlineSeconds: spec.Template.Spec.ActiveDeadlineSeconds,
			},
			UpdateStrategy:       daemonset.UpdateStrategy{Type: daemonset.StrategyType(spec.UpdateStrategy.Type)},
			MinReadySeconds:      spec.MinReadySeconds,
			RevisionHistoryLimit: spec.RevisionHistoryLimit,
			CurrentHash:          TemplateHash(&spec.Template, ds.Status.CollisionCount),
		},
	}
	if ru := spec.UpdateStrategy.RollingUpdate; ru != nil {
		out.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdateParams{
			MaxUnavailable: IntOrString(ru.MaxUnavailable),
			MaxSurge:       IntOrString(ru.MaxSurge),
		}
	}
	return out
}

// controllerUID returns the UID of the controlling owner reference.
func controllerUID(refs []metav1.OwnerReference) string {
	for _, r := range refs {
		if r.Controller != nil && *r.Controller {
			return string(r.UID)
		}
	}
	return ""
}

// DaemonPod converts a pod for the DaemonSet planner.
func DaemonPod(p *v1.Pod) daemonset.Pod {
	ready, since := PodReady(p)
	return daemonset.Pod{
		Name: p.Name, Namespace: p.Namespace, Labels: p.Labels,
		ControllerUID:        controllerUID(p.OwnerReferences),
		NodeName:             p.Spec.NodeName,
		RequiredNodeAffinity: RequiredNodeAffinity(p.Spec.Affinity),
		Phase:                daemonset.PodPhase(p.Status.Phase),
		Ready:                ready, ReadySince: since,
		CreationTimestamp: p.CreationTimestamp.Time,
		Deleting:          p.DeletionTimestamp != nil,
	}
}

// DaemonPodFor builds the pod a DaemonSet controller creates for c: the
// template with the plan's labels and tolerations, a controller reference,
// and c's required node affinity (the single term metadata.name In [node];
// preferred terms and other affinities kept). spec.nodeName stays empty for
// the scheduler.
func DaemonPodFor(ds *appsv1.DaemonSet, plan *daemonset.Plan, c daemonset.Create) *v1.Pod {
	t := ds.Spec.Template.DeepCopy()
	isController := true
	pod := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName: ds.Name + "-",
			Namespace:    ds.Namespace,
			Labels:       maps.Clone(plan.NewPodLabels),
			Annotations:  t.Annotations,
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet",
				Name: ds.Name, UID: ds.UID, Controller: &isController, BlockOwnerDeletion: &isController}},
		},
		Spec: t.Spec,
	}
	pod.Spec.Tolerations = make([]v1.Toleration, len(plan.NewPodTolerations))
	for i, tol := range plan.NewPodTolerations {
		pod.Spec.Tolerations[i] = v1.Toleration{Key: tol.Key, Operator: v1.TolerationOperator(tol.Operator), Value: tol.Value,
			Effect: v1.TaintEffect(tol.Effect), TolerationSeconds: tol.TolerationSeconds}
	}
	if pod.Spec.Affinity == nil {
		pod.Spec.Affinity = &v1.Affinity{}
	}
	if pod.Spec.Affinity.NodeAffinity == nil {
		pod.Spec.Affinity.NodeAffinity = &v1.NodeAffinity{}
	}
	pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = V1NodeSelector(c.RequiredNodeAffinity)
	return pod
}

// V1NodeSelector converts a node selector back to the API type; nil stays nil.
func V1NodeSelector(s *daemonset.NodeSelector) *v1.NodeSelector {
	if s == nil {
		return nil
	}
	out := &v1.NodeSelector{NodeSelectorTerms: make([]v1.NodeSelectorTerm, len(s.Terms))}
	for i, t := range s.Terms {
		out.NodeSelectorTerms[i] = v1.NodeSelectorTerm{MatchExpressions: v1Requirements(t.MatchExpressions), MatchFields: v1Requirements(t.MatchFields)}
	}
	return out
}

func v1Requirements(rs []daemonset.NodeSelectorRequirement) []v1.NodeSelectorRequirement {
	if rs == nil {
		return nil
	}
	out := make([]v1.NodeSelectorRequirement, len(rs))
	for i, r := range rs {
		out[i] = v1.NodeSelectorRequirement{Key: r.Key, Operator: v1.NodeSelectorOperator(r.Operator), Values: slices.Clone(r.Values)}
	}
	return out
}

// DaemonSetStatus converts the planned status, keeping the fields the
// planner does not compute (conditions, collision count) from the object.
func DaemonSetStatus(ds *appsv1.DaemonSet, s daemonset.Status) appsv1.DaemonSetStatus {
	out := *ds.Status.DeepCopy()
	out.ObservedGeneration = s.ObservedGeneration
	out.DesiredNumberScheduled = int32(s.DesiredNumberScheduled)
	out.CurrentNumberScheduled = int32(s.CurrentNumberScheduled)
	out.NumberMisscheduled = int32(s.NumberMisscheduled)
	out.NumberReady = int32(s.NumberReady)
	out.UpdatedNumberScheduled = int32(s.UpdatedNumberScheduled)
	out.NumberAvailable = int32(s.NumberAvailable)
	out.NumberUnavailable = int32(s.NumberUnavailable)
	return out
}
