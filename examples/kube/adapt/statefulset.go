package adapt

import (
	"encoding/json"
	"maps"

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
		Labels: ss.Labels, Annotations: ss.Annotations, CreationTimestamp: ss.CreationTimestamp.Time,
		DeletionTimestamp: deletion(&ss.ObjectMeta),
		Spec: statefulset.Spec{
			Replicas:             s.Replicas,
			Selector:             LabelSelector(s.Selector),
			Template:             statefulTemplate(&s.Template),
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
	for _, c := range ss.Status.Conditions {
		out.Status.Conditions = append(out.Status.Conditions, statefulset.Condition{Type: string(c.Type), Status: string(c.Status),
			Reason: c.Reason, Message: c.Message, LastTransitionTime: c.LastTransitionTime.Time})
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
		out.Spec.VolumeClaimTemplates = append(out.Spec.VolumeClaimTemplates, statefulset.ClaimTemplate{Name: t.Name, Labels: t.Labels, Annotations: t.Annotations})
	}
	for _, r := range revisions {
		out.Revisions = append(out.Revisions, Revision(r))
	}
	return out
}

// V1StatefulSet is the StatefulSet and ControllerRevisions that
// StatefulSet reads back as s, except for UpdateRevision (StatefulSet
// derives it from the template) and Features. A revision object holds only
// its name, number and owner; the claim templates only name and labels.
func V1StatefulSet(s statefulset.Set) (*appsv1.StatefulSet, []*appsv1.ControllerRevision) {
	sp := s.Spec
	out := &appsv1.StatefulSet{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"},
		ObjectMeta: objectMeta(s.Name, s.Namespace, s.UID, s.Generation, s.Labels, s.Annotations, s.CreationTimestamp, s.DeletionTimestamp),
		Spec: appsv1.StatefulSetSpec{
			Replicas: clonePtr(sp.Replicas), Selector: V1LabelSelector(sp.Selector),
			Template:             v1StatefulTemplate(sp.Template),
			ServiceName:          sp.ServiceName,
			PodManagementPolicy:  appsv1.PodManagementPolicyType(sp.PodManagementPolicy),
			UpdateStrategy:       appsv1.StatefulSetUpdateStrategy{Type: appsv1.StatefulSetUpdateStrategyType(sp.UpdateStrategy.Type)},
			MinReadySeconds:      sp.MinReadySeconds,
			RevisionHistoryLimit: clonePtr(sp.RevisionHistoryLimit),
		},
		Status: StatefulSetStatus(&appsv1.StatefulSet{}, s.Status),
	}
	if ru := sp.UpdateStrategy.RollingUpdate; ru != nil {
		out.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateStatefulSetStrategy{Partition: clonePtr(ru.Partition), MaxUnavailable: V1IntOrString(ru.MaxUnavailable)}
	}
	if sp.Ordinals != nil {
		out.Spec.Ordinals = &appsv1.StatefulSetOrdinals{Start: sp.Ordinals.Start}
	}
	if p := sp.PersistentVolumeClaimRetentionPolicy; p != nil {
		out.Spec.PersistentVolumeClaimRetentionPolicy = &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
			WhenDeleted: appsv1.PersistentVolumeClaimRetentionPolicyType(p.WhenDeleted), WhenScaled: appsv1.PersistentVolumeClaimRetentionPolicyType(p.WhenScaled)}
	}
	for _, t := range sp.VolumeClaimTemplates {
		out.Spec.VolumeClaimTemplates = append(out.Spec.VolumeClaimTemplates, v1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: t.Name, Labels: maps.Clone(t.Labels), Annotations: maps.Clone(t.Annotations)}})
	}
	var revs []*appsv1.ControllerRevision
	for _, r := range s.Revisions {
		revs = append(revs, &appsv1.ControllerRevision{
			TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "ControllerRevision"},
			ObjectMeta: metav1.ObjectMeta{Name: r.Name, Namespace: s.Namespace, OwnerReferences: []metav1.OwnerReference{controllerRef("apps/v1", "StatefulSet", s.Name, s.UID)}},
			Revision:   r.Revision})
		if r.Template != nil {
			revs[len(revs)-1].Data.Raw = revisionData(v1StatefulTemplate(*r.Template))
		}
	}
	return out, revs
}

// statefulTemplate is the part of a pod template the StatefulSet planner
// reads.
func statefulTemplate(t *v1.PodTemplateSpec) statefulset.PodTemplate {
	return statefulset.PodTemplate{Labels: t.Labels, Annotations: t.Annotations,
		RestartPolicy: string(t.Spec.RestartPolicy), ActiveDeadlineSeconds: t.Spec.ActiveDeadlineSeconds}
}

func v1StatefulTemplate(t statefulset.PodTemplate) v1.PodTemplateSpec {
	return v1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: maps.Clone(t.Labels), Annotations: maps.Clone(t.Annotations)},
		Spec: v1.PodSpec{RestartPolicy: v1.RestartPolicy(t.RestartPolicy), ActiveDeadlineSeconds: clonePtr(t.ActiveDeadlineSeconds)}}
}

// revisionPatch is the data of a StatefulSet's ControllerRevision: the
// set's pod template, as a patch of spec.template.
type revisionPatch struct {
	Spec struct {
		Template *v1.PodTemplateSpec `json:"template"`
	} `json:"spec"`
}

func revisionData(t v1.PodTemplateSpec) []byte {
	var p revisionPatch
	p.Spec.Template = &t
	b, _ := json.Marshal(p) // a PodTemplateSpec always marshals
	return b
}

// revisionTemplate is the pod template a revision holds; nil when its data
// holds none.
func revisionTemplate(r *appsv1.ControllerRevision) *v1.PodTemplateSpec {
	var p revisionPatch
	if len(r.Data.Raw) == 0 || json.Unmarshal(r.Data.Raw, &p) != nil {
		return nil
	}
	return p.Spec.Template
}

// Revision converts a ControllerRevision to what the StatefulSet planner
// reads: its name, number and the metadata of the pod template it holds
// (none when its data holds no template).
func Revision(r *appsv1.ControllerRevision) statefulset.Revision {
	out := statefulset.Revision{Name: r.Name, Revision: r.Revision}
	if t := revisionTemplate(r); t != nil {
		st := statefulTemplate(t)
		out.Template = &st
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

// V1StatefulPod is the pod StatefulPod reads back as p: a controller UID
// becomes a StatefulSet controller reference (its name is not known here)
// and a volume without a claim an emptyDir.
func V1StatefulPod(p statefulset.Pod) *v1.Pod {
	out := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: p.Name, Namespace: p.Namespace, UID: types.UID(p.UID), Labels: maps.Clone(p.Labels),
			DeletionTimestamp: deletedAt(p.Deleting)},
		Status: v1.PodStatus{Phase: v1.PodPhase(p.Phase), Conditions: []v1.PodCondition{readyCondition(p.Ready, p.ReadySince)}},
	}
	if p.ControllerUID != "" {
		out.OwnerReferences = []metav1.OwnerReference{controllerRef("apps/v1", "StatefulSet", "", p.ControllerUID)}
	}
	for _, vol := range p.Volumes {
		src := v1.VolumeSource{EmptyDir: &v1.EmptyDirVolumeSource{}}
		if vol.ClaimName != "" {
			src = v1.VolumeSource{PersistentVolumeClaim: &v1.PersistentVolumeClaimVolumeSource{ClaimName: vol.ClaimName}}
		}
		out.Spec.Volumes = append(out.Spec.Volumes, v1.Volume{Name: vol.Name, VolumeSource: src})
	}
	return out
}

// V1StatefulClaim is the claim StatefulClaim reads back as c.
func V1StatefulClaim(c statefulset.Claim) *v1.PersistentVolumeClaim {
	out := &v1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: c.Name, Namespace: c.Namespace, UID: types.UID(c.UID),
		DeletionTimestamp: deletedAt(c.Deleting)}}
	if len(c.OwnerRefs) > 0 {
		out.OwnerReferences = ownerRefs(c.OwnerRefs)
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
// template spec with the action's labels, annotations, owner references,
// hostname, subdomain and claim volumes (the template's labels and
// annotations, and a controller reference to the set, where the action
// has none).
func StatefulPodFor(ss *appsv1.StatefulSet, a statefulset.Action) *v1.Pod {
	np := a.NewPod
	t := ss.Spec.Template.DeepCopy()
	lbls, ann := maps.Clone(np.Labels), maps.Clone(np.Annotations)
	if lbls == nil {
		lbls = t.Labels
	}
	if ann == nil {
		ann = t.Annotations
	}
	refs := []metav1.OwnerReference{controllerRef("apps/v1", "StatefulSet", ss.Name, string(ss.UID))}
	if len(np.OwnerRefs) > 0 {
		refs = ownerRefs(np.OwnerRefs)
	}
	pod := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: np.Name, Namespace: np.Namespace, Labels: lbls, Annotations: ann, OwnerReferences: refs},
		Spec:       t.Spec,
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
		if t := revisionTemplate(r); t != nil {
			at := ss.DeepCopy()
			at.Spec.Template = *t
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

// StatefulSetStatus converts the planned status, conditions included (the
// planner's status carries the conditions the controller leaves), keeping
// the object's other status fields.
func StatefulSetStatus(ss *appsv1.StatefulSet, s statefulset.Status) appsv1.StatefulSetStatus {
	out := *ss.Status.DeepCopy()
	out.ObservedGeneration = s.ObservedGeneration
	out.Replicas, out.ReadyReplicas, out.AvailableReplicas = s.Replicas, s.ReadyReplicas, s.AvailableReplicas
	out.CurrentReplicas, out.UpdatedReplicas = s.CurrentReplicas, s.UpdatedReplicas
	out.CurrentRevision, out.UpdateRevision = s.CurrentRevision, s.UpdateRevision
	cc := s.CollisionCount
	out.CollisionCount = &cc
	out.Conditions = nil
	for _, c := range s.Conditions {
		out.Conditions = append(out.Conditions, appsv1.StatefulSetCondition{Type: appsv1.StatefulSetConditionType(c.Type),
			Status: v1.ConditionStatus(c.Status), Reason: c.Reason, Message: c.Message, LastTransitionTime: metav1.NewTime(c.LastTransitionTime)})
	}
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
