package adapt

import (
	"encoding/json"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/purectl/purectl/statefulset"
)

// StatefulSet converts a StatefulSet. Its update revision is named
// <set>-<TemplateHash>: an identifier for this template that changes when
// the template does; a cluster names the same revision by hashing its
// serialised patch, so the two names differ.
func StatefulSet(ss *appsv1.StatefulSet, revisions []*appsv1.ControllerRevision) statefulset.Set {
	s := ss.Spec
	out := statefulset.Set{
		Name: ss.Name, Namespace: ss.Namespace, UID: string(ss.UID), Generation: ss.Generation,
		Deleting: ss.DeletionTimestamp != nil,
		Spec: statefulset.Spec{
			Replicas: s.Replicas,
			Selector: LabelSelector(s.Selector),
			Template: statefulset.PodTemplate{Labels: s.Template.Labels,
				RestartPolicy:         string(s.Template.Spec.RestartPolicy),
				ActiveDeadlineSeconds: s.Template.Spec.ActiveDeadlineSeconds},
			ServiceName:          s.ServiceName,
			PodManagementPolicy:  statefulset.PodManagementPolicy(s.PodManagementPolicy),
			UpdateStrategy:       statefulset.UpdateStrategy{Type: statefulset.UpdateStrategyType(s.UpdateStrategy.Type)},
			MinReadySeconds:      s.MinReadySeconds,
			RevisionHistoryLimit: s.RevisionHistoryLimit,
		},
		Status: statefulset.Status{
			ObservedGeneration: ss.Status.ObservedGeneration, Replicas: ss.Status.Replicas,
			ReadyReplicas: ss.Status.ReadyReplicas, AvailableReplicas: ss.Status.AvailableReplicas,
			CurrentReplicas: ss.Status.CurrentReplicas, UpdatedReplicas: ss.Status.UpdatedReplicas,
			CurrentRevision: ss.Status.CurrentRevision, UpdateRevision: ss.Status.UpdateRevision,
		},
		UpdateRevision: ss.Name + "-" + TemplateHash(&s.Template, ss.Status.CollisionCount),
	}
	if ss.Status.CollisionCount != nil {
		out.Status.CollisionCount = *ss.Status.CollisionCount
	}
	if ru := s.UpdateStrategy.RollingUpdate; ru != nil {
		out.Spec.UpdateStrategy.RollingUpdate = &statefulset.RollingUpdateStrategy{Partition: ru.Partition, MaxUnavailable: IntOrString(ru.MaxUnavailable)}
	}
	if s.Ordinals != nil {
		out.Spec.Ordinals = &statefulset.Ordinals{Start: s.Ordinals.Start}
	}
	if p := s.PersistentVolumeClaimRetentionPolicy; p != nil {
		out.Spec.PersistentVolumeClaimRetentionPolicy = &statefulset.RetentionPolicy{
			WhenDeleted: statefulset.RetentionPolicyType(p.WhenDeleted), WhenScaled: statefulset.RetentionPolicyType(p.WhenScaled)}
	}
	for _, t := range s.VolumeClaimTemplates {
		out.Spec.VolumeClaimTemplates = append(out.Spec.VolumeClaimTemplates, statefulset.ClaimTemplate{Name: t.Name, Labels: t.Labels})
	}
	for _, r := range revisions {
		out.Revisions = append(out.Revisions, statefulset.Revision{Name: r.Name, Revision: r.Revision})
	}
	return out
}

// StatefulPod converts a pod for the StatefulSet planner.
func StatefulPod(p *v1.Pod) statefulset.Pod {
	ready, since := PodReady(p)
	out := statefulset.Pod{
		Name: p.Name, Namespace: p.Namespace, UID: string(p.UID), ControllerUID: controllerUID(p.OwnerReferences),
		Labels: p.Labels, Phase: statefulset.PodPhase(p.Status.Phase), Ready: ready, ReadySince: since,
		Deleting: p.DeletionTimestamp != nil,
	}
	for _, v := range p.Spec.Volumes {
		vol := statefulset.Volume{Name: v.Name}
		if v.PersistentVolumeClaim != nil {
			vol.ClaimName = v.PersistentVolumeClaim.ClaimName
		}
		out.Volumes = append(out.Volumes, vol)
	}
	return out
}

// StatefulClaim converts a claim for the StatefulSet planner.
func StatefulClaim(c *v1.PersistentVolumeClaim) statefulset.Claim {
	out := statefulset.Claim{Name: c.Name, Namespace: c.Namespace, UID: string(c.UID), Deleting: c.DeletionTimestamp != nil}
	for _, r := range c.OwnerReferences {
		out.OwnerRefs = append(out.OwnerRefs, statefulset.OwnerRef{APIVersion: r.APIVersion, Kind: r.Kind, Name: r.Name,
			UID: string(r.UID), Controller: r.Controller != nil && *r.Controller})
	}
	return out
}

func ownerRefs(refs []statefulset.OwnerRef) []metav1.OwnerReference {
	out := make([]metav1.OwnerReference, 0, len(refs))
	for _, r := range refs {
		ref := metav1.OwnerReference{APIVersion: r.APIVersion, Kind: r.Kind, Name: r.Name, UID: types.UID(r.UID)}
		if r.Controller {
			t := true
			ref.Controller, ref.BlockOwnerDeletion = &t, &t
		}
		out = append(out, ref)
	}
	return out
}

// StatefulPodFor builds the pod a CreatePod action asks for: the set's
// template with the identity labels, hostname, subdomain and claim volumes
// of the action, owned by the set.
func StatefulPodFor(ss *appsv1.StatefulSet, a statefulset.Action) *v1.Pod {
	np := a.NewPod
	t := ss.Spec.Template.DeepCopy()
	lbls := map[string]string{}
	for k, v := range t.Labels {
		lbls[k] = v
	}
	for k, v := range np.Labels {
		lbls[k] = v
	}
	isController := true
	pod := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: np.Name, Namespace: np.Namespace, Labels: lbls, Annotations: t.Annotations,
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "StatefulSet", Name: ss.Name, UID: ss.UID,
				Controller: &isController, BlockOwnerDeletion: &isController}}},
		Spec: t.Spec,
	}
	pod.Spec.Hostname, pod.Spec.Subdomain = np.Hostname, np.Subdomain
	// Claim volumes replace template volumes of the same name.
	claimVol := map[string]bool{}
	var vols []v1.Volume
	for _, v := range np.Volumes {
		claimVol[v.Name] = true
		vols = append(vols, v1.Volume{Name: v.Name, VolumeSource: v1.VolumeSource{
			PersistentVolumeClaim: &v1.PersistentVolumeClaimVolumeSource{ClaimName: v.ClaimName}}})
	}
	for _, v := range pod.Spec.Volumes {
		if !claimVol[v.Name] {
			vols = append(vols, v)
		}
	}
	pod.Spec.Volumes = vols
	return pod
}

// StatefulPodFromRevision is StatefulPodFor with the pod template of the
// ControllerRevision named by the action (a pod below the partition is
// created from the current revision's template, not the set's), found
// among revisions; the set's own template if it is not there (a revision
// created in the same pass holds the set's template).
func StatefulPodFromRevision(ss *appsv1.StatefulSet, revisions []*appsv1.ControllerRevision, a statefulset.Action) *v1.Pod {
	for _, r := range revisions {
		if r.Name != a.Revision {
			continue
		}
		var patch struct {
			Spec struct {
				Template v1.PodTemplateSpec `json:"template"`
			} `json:"spec"`
		}
		if err := json.Unmarshal(r.Data.Raw, &patch); err == nil {
			at := ss.DeepCopy()
			at.Spec.Template = patch.Spec.Template
			return StatefulPodFor(at, a)
		}
	}
	return StatefulPodFor(ss, a)
}

// StatefulClaimFor builds the claim a CreateClaim action asks for from the
// set's claim template of that name.
func StatefulClaimFor(ss *appsv1.StatefulSet, a statefulset.Action) *v1.PersistentVolumeClaim {
	nc := a.NewClaim
	claim := &v1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: nc.Name, Namespace: nc.Namespace,
		Labels: nc.Labels, OwnerReferences: ownerRefs(nc.OwnerRefs)}}
	for _, t := range ss.Spec.VolumeClaimTemplates {
		if t.Name == nc.Template {
			claim.Annotations = t.Annotations
			claim.Spec = *t.Spec.DeepCopy()
		}
	}
	return claim
}

// StatefulSetStatus converts the planned status, keeping conditions from the
// object.
func StatefulSetStatus(ss *appsv1.StatefulSet, s statefulset.Status) appsv1.StatefulSetStatus {
	out := *ss.Status.DeepCopy()
	out.ObservedGeneration = s.ObservedGeneration
	out.Replicas, out.ReadyReplicas, out.AvailableReplicas = s.Replicas, s.ReadyReplicas, s.AvailableReplicas
	out.CurrentReplicas, out.UpdatedReplicas = s.CurrentReplicas, s.UpdatedReplicas
	out.CurrentRevision, out.UpdateRevision = s.CurrentRevision, s.UpdateRevision
	cc := s.CollisionCount
	out.CollisionCount = &cc
	return out
}

// StatefulPodUpdate applies an UpdatePod action to the observed pod: the
// action's name and namespace, its labels set over the pod's; its claim
// volumes first (a volume
// the pod already has with the same claim is kept as it is), then the
// pod's other volumes in their order.
func StatefulPodUpdate(pod *v1.Pod, a statefulset.Action) *v1.Pod {
	np := a.NewPod
	out := pod.DeepCopy()
	out.Name, out.Namespace = np.Name, np.Namespace
	out.Labels = make(map[string]string, len(pod.Labels)+len(np.Labels))
	for k, v := range pod.Labels {
		out.Labels[k] = v
	}
	for k, v := range np.Labels {
		out.Labels[k] = v
	}
	named := map[string]bool{}
	vols := make([]v1.Volume, 0, len(pod.Spec.Volumes)+len(np.Volumes))
	for _, want := range np.Volumes {
		named[want.Name] = true
		kept := false
		for _, have := range pod.Spec.Volumes {
			if have.Name == want.Name && have.PersistentVolumeClaim != nil && have.PersistentVolumeClaim.ClaimName == want.ClaimName {
				vols, kept = append(vols, *have.DeepCopy()), true
				break
			}
		}
		if !kept {
			vols = append(vols, v1.Volume{Name: want.Name, VolumeSource: v1.VolumeSource{
				PersistentVolumeClaim: &v1.PersistentVolumeClaimVolumeSource{ClaimName: want.ClaimName}}})
		}
	}
	for _, have := range pod.Spec.Volumes {
		if !named[have.Name] {
			vols = append(vols, *have.DeepCopy())
		}
	}
	out.Spec.Volumes = vols
	return out
}

// StatefulClaimUpdate applies an UpdateClaim action to the observed claim:
// its owner references become the action's, where a reference the claim
// already has is kept as it is (blockOwnerDeletion included) and a new one
// is a controller reference that blocks owner deletion.
func StatefulClaimUpdate(c *v1.PersistentVolumeClaim, a statefulset.Action) *v1.PersistentVolumeClaim {
	out := c.DeepCopy()
	refs := make([]metav1.OwnerReference, 0, len(a.OwnerRefs))
	for _, want := range a.OwnerRefs {
		kept := false
		for _, have := range c.OwnerReferences {
			if have.APIVersion == want.APIVersion && have.Kind == want.Kind && have.Name == want.Name &&
				string(have.UID) == want.UID && (have.Controller != nil && *have.Controller) == want.Controller {
				refs, kept = append(refs, *have.DeepCopy()), true
				break
			}
		}
		if !kept {
			refs = append(refs, ownerRefs([]statefulset.OwnerRef{want})...)
		}
	}
	out.OwnerReferences = refs
	return out
}
