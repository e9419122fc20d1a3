package adapt

import (
	"maps"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/purectl/purectl/daemonset"
)

// DaemonSetRevisionHashLabel is the pod label that carries the template hash.
const DaemonSetRevisionHashLabel = "controller-revision-hash"

// TemplateGenerationAnnotation is the deprecated DaemonSet annotation the
// planner still honours (DaemonSet.TemplateGeneration).
const TemplateGenerationAnnotation = daemonset.AnnotationTemplateGeneration

// Node converts a node for the DaemonSet planner.
func Node(n *v1.Node) daemonset.Node {
	return daemonset.Node{Name: n.Name, Labels: n.Labels, Taints: Taints(n.Spec.Taints)}
}

// V1Node is the node Node reads back as n.
func V1Node(n daemonset.Node) *v1.Node {
	return &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: n.Name, Labels: maps.Clone(n.Labels)}, Spec: v1.NodeSpec{Taints: V1Taints(n.Taints)}}
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
		Labels: ds.Labels, Annotations: ds.Annotations, CreationTimestamp: ds.CreationTimestamp.Time,
		TemplateGeneration: ds.Annotations[TemplateGenerationAnnotation],
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
	out.DeletionTimestamp = deletion(&ds.ObjectMeta)
	if ru := spec.UpdateStrategy.RollingUpdate; ru != nil {
		out.Spec.UpdateStrategy.RollingUpdate = &daemonset.RollingUpdateParams{
			MaxUnavailable: IntOrString(ru.MaxUnavailable),
			MaxSurge:       IntOrString(ru.MaxSurge),
		}
	}
	return out
}

// V1DaemonSet is the DaemonSet that DaemonSet reads back as ds, except
// for what a DaemonSet object does not hold: Spec.CurrentHash (DaemonSet
// computes it from the template) and the controller's memory
// (FailedPodBackoff and the other fields the planner keeps between
// passes).
func V1DaemonSet(ds daemonset.DaemonSet) *appsv1.DaemonSet {
	t := ds.Spec.Template
	out := &appsv1.DaemonSet{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "DaemonSet"},
		ObjectMeta: objectMeta(ds.Name, ds.Namespace, ds.UID, ds.Generation, ds.Labels, ds.Annotations, ds.CreationTimestamp, ds.DeletionTimestamp),
		Spec: appsv1.DaemonSetSpec{
			Selector: V1LabelSelector(ds.Spec.Selector),
			Template: v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: maps.Clone(t.Labels)},
				Spec: v1.PodSpec{NodeName: t.NodeName, NodeSelector: maps.Clone(t.NodeSelector),
					Affinity: V1Affinity(t.RequiredNodeAffinity), Tolerations: V1Tolerations(t.Tolerations),
					HostNetwork: t.HostNetwork, RestartPolicy: v1.RestartPolicy(t.RestartPolicy),
					ActiveDeadlineSeconds: clonePtr(t.ActiveDeadlineSeconds)},
			},
			UpdateStrategy:       appsv1.DaemonSetUpdateStrategy{Type: appsv1.DaemonSetUpdateStrategyType(ds.Spec.UpdateStrategy.Type)},
			MinReadySeconds:      ds.Spec.MinReadySeconds,
			RevisionHistoryLimit: clonePtr(ds.Spec.RevisionHistoryLimit),
		},
		Status: appsv1.DaemonSetStatus{ObservedGeneration: ds.ObservedGeneration},
	}
	if ds.TemplateGeneration != "" {
		if out.Annotations == nil {
			out.Annotations = map[string]string{}
		}
		out.Annotations[TemplateGenerationAnnotation] = ds.TemplateGeneration
	}
	if ru := ds.Spec.UpdateStrategy.RollingUpdate; ru != nil {
		out.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateDaemonSet{
			MaxUnavailable: V1IntOrString(ru.MaxUnavailable), MaxSurge: V1IntOrString(ru.MaxSurge)}
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

// V1DaemonPod is the pod DaemonPod reads back as p; a controller UID
// becomes a DaemonSet controller reference (its name is not known here).
func V1DaemonPod(p daemonset.Pod) *v1.Pod {
	out := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: p.Name, Namespace: p.Namespace, Labels: maps.Clone(p.Labels),
			CreationTimestamp: metav1.NewTime(p.CreationTimestamp), DeletionTimestamp: deletedAt(p.Deleting)},
		Spec:   v1.PodSpec{NodeName: p.NodeName, Affinity: V1Affinity(p.RequiredNodeAffinity)},
		Status: v1.PodStatus{Phase: v1.PodPhase(p.Phase), Conditions: []v1.PodCondition{readyCondition(p.Ready, p.ReadySince)}},
	}
	if p.ControllerUID != "" {
		out.OwnerReferences = []metav1.OwnerReference{controllerRef("apps/v1", "DaemonSet", "", p.ControllerUID)}
	}
	return out
}

// DaemonPodFor builds the pod a DaemonSet controller creates for c: the
// template with the plan's labels and tolerations, a controller reference,
// and c's required node affinity (the single term metadata.name In [node];
// preferred terms and other affinities kept). spec.nodeName stays empty for
// the scheduler.
func DaemonPodFor(ds *appsv1.DaemonSet, plan *daemonset.Plan, c daemonset.Create) *v1.Pod {
	t := ds.Spec.Template.DeepCopy()
	pod := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName:    plan.NewPodGenerateName,
			Namespace:       ds.Namespace,
			Labels:          maps.Clone(plan.NewPodLabels),
			Annotations:     t.Annotations,
			OwnerReferences: []metav1.OwnerReference{V1OwnerReference(plan.NewPodOwner)},
		},
		Spec: t.Spec,
	}
	pod.Spec.Tolerations = V1Tolerations(plan.NewPodTolerations)
	if pod.Spec.Tolerations == nil {
		pod.Spec.Tolerations = []v1.Toleration{}
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

// DaemonSetStatusOf converts a DaemonSet's status to the planner's Status;
// DaemonSetStatus(ds, DaemonSetStatusOf(ds.Status)) is ds.Status.
func DaemonSetStatusOf(s appsv1.DaemonSetStatus) daemonset.Status {
	return daemonset.Status{ObservedGeneration: s.ObservedGeneration,
		DesiredNumberScheduled: int(s.DesiredNumberScheduled), CurrentNumberScheduled: int(s.CurrentNumberScheduled),
		NumberMisscheduled: int(s.NumberMisscheduled), NumberReady: int(s.NumberReady),
		UpdatedNumberScheduled: int(s.UpdatedNumberScheduled), NumberAvailable: int(s.NumberAvailable),
		NumberUnavailable: int(s.NumberUnavailable)}
}

// V1OwnerReference converts the owner reference of a planned pod.
func V1OwnerReference(o daemonset.OwnerReference) metav1.OwnerReference {
	c, b := o.Controller, o.BlockOwnerDeletion
	return metav1.OwnerReference{APIVersion: o.APIVersion, Kind: o.Kind, Name: o.Name, UID: types.UID(o.UID),
		Controller: &c, BlockOwnerDeletion: &b}
}
