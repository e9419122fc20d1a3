package adapt

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"time"

	v1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/purectl/purectl/volume"
)

// Quantity converts a resource.Quantity exactly, through its canonical text.
func Quantity(q resource.Quantity) (volume.Quantity, error) {
	return volume.ParseQuantity(q.String())
}

func timePtr(t *metav1.Time) *time.Time {
	if t == nil {
		return nil
	}
	tt := t.Time
	return &tt
}

func v1DeletionPtr(t *time.Time) *metav1.Time {
	if t == nil {
		return nil
	}
	mt := metav1.NewTime(*t)
	return &mt
}

func accessModes(ms []v1.PersistentVolumeAccessMode) []volume.AccessMode {
	if ms == nil {
		return nil
	}
	out := make([]volume.AccessMode, len(ms))
	for i, m := range ms {
		out[i] = volume.AccessMode(m)
	}
	return out
}

func volumeMode(m *v1.PersistentVolumeMode) volume.VolumeMode {
	if m == nil {
		return ""
	}
	return volume.VolumeMode(*m)
}

// PersistentVolume converts a PersistentVolume. Only the storage capacity
// goes to Capacity; other resources go to OtherCapacity.
func PersistentVolume(pv *v1.PersistentVolume) (volume.Volume, error) {
	out := volume.Volume{
		Name: pv.Name, UID: string(pv.UID), Generation: pv.Generation, Labels: pv.Labels, Annotations: pv.Annotations,
		CreationTimestamp: pv.CreationTimestamp.Time, DeletionTimestamp: deletion(&pv.ObjectMeta), Finalizers: pv.Finalizers,
		Status: volume.VolumeStatus{Phase: volume.VolumePhase(pv.Status.Phase), Message: pv.Status.Message, Reason: pv.Status.Reason},
		Spec: volume.VolumeSpec{
			AccessModes:               accessModes(pv.Spec.AccessModes),
			StorageClassName:          pv.Spec.StorageClassName,
			VolumeMode:                volumeMode(pv.Spec.VolumeMode),
			VolumeAttributesClassName: pv.Spec.VolumeAttributesClassName,
			ReclaimPolicy:             volume.ReclaimPolicy(pv.Spec.PersistentVolumeReclaimPolicy),
		},
	}
	for name, q := range pv.Spec.Capacity {
		vq, err := Quantity(q)
		if err != nil {
			return out, fmt.Errorf("spec.capacity[%s]: %w", name, err)
		}
		if name == v1.ResourceStorage {
			out.Spec.Capacity = vq
			continue
		}
		if out.Spec.OtherCapacity == nil {
			out.Spec.OtherCapacity = map[string]volume.Quantity{}
		}
		out.Spec.OtherCapacity[string(name)] = vq
	}
	if r := pv.Spec.ClaimRef; r != nil {
		out.Spec.ClaimRef = &volume.ObjectReference{Namespace: r.Namespace, Name: r.Name, UID: string(r.UID)}
	}
	if na := pv.Spec.NodeAffinity; na != nil {
		out.Spec.NodeAffinity = NodeSelector(na.Required)
	}
	// Every source is converted, so that validation sees a volume that
	// names two.
	src := pv.Spec.PersistentVolumeSource
	if src.HostPath != nil {
		out.Spec.Source.HostPath = &volume.HostPathSource{Path: src.HostPath.Path, Type: (*volume.HostPathType)(src.HostPath.Type)}
	}
	if src.NFS != nil {
		out.Spec.Source.NFS = &volume.NFSSource{Server: src.NFS.Server, Path: src.NFS.Path, ReadOnly: src.NFS.ReadOnly}
	}
	if src.CSI != nil {
		out.Spec.Source.CSI = &volume.CSISource{Driver: src.CSI.Driver, VolumeHandle: src.CSI.VolumeHandle}
	}
	if src.Local != nil {
		out.Spec.Source.Local = &volume.LocalSource{Path: src.Local.Path}
	}
	modelled := src
	modelled.HostPath, modelled.NFS, modelled.CSI, modelled.Local = nil, nil, nil, nil
	switch {
	case src.ISCSI != nil:
		out.Spec.Source.Other = "iscsi"
	case src.FC != nil:
		out.Spec.Source.Other = "fc"
	case !reflect.ValueOf(modelled).IsZero():
		// Another in-tree source, not modelled further.
		out.Spec.Source.Other = "other"
	}
	return out, nil
}

// PersistentVolumeClaim converts a claim; the request is
// spec.resources.requests.storage.
func PersistentVolumeClaim(c *v1.PersistentVolumeClaim) (volume.Claim, error) {
	out := volume.Claim{
		Namespace: c.Namespace, Name: c.Name, UID: string(c.UID), Generation: c.Generation, Labels: c.Labels, Annotations: c.Annotations,
		CreationTimestamp: c.CreationTimestamp.Time, DeletionTimestamp: deletion(&c.ObjectMeta), Finalizers: c.Finalizers,
		Spec: volume.ClaimSpec{
			AccessModes:               accessModes(c.Spec.AccessModes),
			Selector:                  LabelSelector(c.Spec.Selector),
			StorageClassName:          c.Spec.StorageClassName,
			VolumeName:                c.Spec.VolumeName,
			VolumeMode:                volumeMode(c.Spec.VolumeMode),
			VolumeAttributesClassName: c.Spec.VolumeAttributesClassName,
		},
		Status: volume.ClaimStatus{Phase: volume.ClaimPhase(c.Status.Phase), AccessModes: accessModes(c.Status.AccessModes),
			CurrentVolumeAttributesClassName: c.Status.CurrentVolumeAttributesClassName},
	}
	for _, cond := range c.Status.Conditions {
		out.Status.Conditions = append(out.Status.Conditions, volume.ClaimCondition{Type: volume.ClaimConditionType(cond.Type),
			Status: volume.ConditionStatus(cond.Status), Reason: cond.Reason, Message: cond.Message,
			LastProbeTime: cond.LastProbeTime.Time, LastTransitionTime: cond.LastTransitionTime.Time})
	}
	for _, r := range c.OwnerReferences {
		if r.Kind == "Pod" && r.Controller != nil && *r.Controller {
			out.OwnerPodUID = string(r.UID)
		}
	}
	if q, ok := c.Spec.Resources.Requests[v1.ResourceStorage]; ok {
		vq, err := Quantity(q)
		if err != nil {
			return out, fmt.Errorf("spec.resources.requests.storage: %w", err)
		}
		out.Spec.Request = vq
	}
	if q, ok := c.Status.Capacity[v1.ResourceStorage]; ok {
		vq, err := Quantity(q)
		if err != nil {
			return out, fmt.Errorf("status.capacity.storage: %w", err)
		}
		out.Status.Capacity = vq
	}
	return out, nil
}

// V1Quantity converts a quantity back; an unset quantity is the zero
// resource.Quantity. Quantity(V1Quantity(q)) is q.
func V1Quantity(q volume.Quantity) resource.Quantity {
	if !q.IsSet() {
		return resource.Quantity{}
	}
	return resource.MustParse(q.String())
}

func v1AccessModes(ms []volume.AccessMode) []v1.PersistentVolumeAccessMode {
	if ms == nil {
		return nil
	}
	out := make([]v1.PersistentVolumeAccessMode, len(ms))
	for i, m := range ms {
		out[i] = v1.PersistentVolumeAccessMode(m)
	}
	return out
}

func v1VolumeMode(m volume.VolumeMode) *v1.PersistentVolumeMode {
	if m == "" {
		return nil
	}
	vm := v1.PersistentVolumeMode(m)
	return &vm
}

// V1PersistentVolume is the PersistentVolume that PersistentVolume reads
// back as v. A Source.Other of "iscsi" or "fc" becomes an empty source of
// that kind, any other non-empty value an empty gcePersistentDisk.
func V1PersistentVolume(v volume.Volume) *v1.PersistentVolume {
	out := &v1.PersistentVolume{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolume"},
		ObjectMeta: objectMeta(v.Name, "", v.UID, v.Generation, v.Labels, v.Annotations, v.CreationTimestamp, v.DeletionTimestamp),
		Spec: v1.PersistentVolumeSpec{
			AccessModes: v1AccessModes(v.Spec.AccessModes), StorageClassName: v.Spec.StorageClassName,
			VolumeMode: v1VolumeMode(v.Spec.VolumeMode), VolumeAttributesClassName: clonePtr(v.Spec.VolumeAttributesClassName),
			PersistentVolumeReclaimPolicy: v1.PersistentVolumeReclaimPolicy(v.Spec.ReclaimPolicy),
		},
		Status: v1.PersistentVolumeStatus{Phase: v1.PersistentVolumePhase(v.Status.Phase), Message: v.Status.Message, Reason: v.Status.Reason},
	}
	out.Finalizers = slices.Clone(v.Finalizers)
	if v.Spec.Capacity.IsSet() || len(v.Spec.OtherCapacity) > 0 {
		out.Spec.Capacity = v1.ResourceList{}
		if v.Spec.Capacity.IsSet() {
			out.Spec.Capacity[v1.ResourceStorage] = V1Quantity(v.Spec.Capacity)
		}
		for name, q := range v.Spec.OtherCapacity {
			out.Spec.Capacity[v1.ResourceName(name)] = V1Quantity(q)
		}
	}
	if r := v.Spec.ClaimRef; r != nil {
		out.Spec.ClaimRef = &v1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: r.Namespace, Name: r.Name, UID: types.UID(r.UID)}
	}
	if v.Spec.NodeAffinity != nil {
		out.Spec.NodeAffinity = &v1.VolumeNodeAffinity{Required: V1NodeSelector(v.Spec.NodeAffinity)}
	}
	src, dst := v.Spec.Source, &out.Spec.PersistentVolumeSource
	if src.HostPath != nil {
		dst.HostPath = &v1.HostPathVolumeSource{Path: src.HostPath.Path, Type: (*v1.HostPathType)(clonePtr(src.HostPath.Type))}
	}
	if src.NFS != nil {
		dst.NFS = &v1.NFSVolumeSource{Server: src.NFS.Server, Path: src.NFS.Path, ReadOnly: src.NFS.ReadOnly}
	}
	if src.CSI != nil {
		dst.CSI = &v1.CSIPersistentVolumeSource{Driver: src.CSI.Driver, VolumeHandle: src.CSI.VolumeHandle}
	}
	if src.Local != nil {
		dst.Local = &v1.LocalVolumeSource{Path: src.Local.Path}
	}
	switch src.Other {
	case "":
	case "iscsi":
		dst.ISCSI = &v1.ISCSIPersistentVolumeSource{}
	case "fc":
		dst.FC = &v1.FCVolumeSource{}
	default:
		dst.GCEPersistentDisk = &v1.GCEPersistentDiskVolumeSource{}
	}
	return out
}

// V1PersistentVolumeClaim is the claim that PersistentVolumeClaim reads
// back as c; OwnerPodUID becomes a Pod controller reference.
func V1PersistentVolumeClaim(c volume.Claim) *v1.PersistentVolumeClaim {
	out := &v1.PersistentVolumeClaim{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: objectMeta(c.Name, c.Namespace, c.UID, c.Generation, c.Labels, c.Annotations, c.CreationTimestamp, c.DeletionTimestamp),
		Spec: v1.PersistentVolumeClaimSpec{
			AccessModes: v1AccessModes(c.Spec.AccessModes), Selector: V1LabelSelector(c.Spec.Selector),
			StorageClassName: clonePtr(c.Spec.StorageClassName), VolumeName: c.Spec.VolumeName,
			VolumeMode: v1VolumeMode(c.Spec.VolumeMode), VolumeAttributesClassName: clonePtr(c.Spec.VolumeAttributesClassName),
		},
		Status: claimStatus(v1.PersistentVolumeClaimStatus{}, c.Status),
	}
	out.Finalizers = slices.Clone(c.Finalizers)
	if c.Spec.Request.IsSet() {
		out.Spec.Resources.Requests = v1.ResourceList{v1.ResourceStorage: V1Quantity(c.Spec.Request)}
	}
	if c.OwnerPodUID != "" {
		out.OwnerReferences = []metav1.OwnerReference{controllerRef("v1", "Pod", "", c.OwnerPodUID)}
	}
	return out
}

// VolumeNode converts a node for volume scheduling (BindClaims).
func VolumeNode(n *v1.Node) volume.Node {
	return volume.Node{Name: n.Name, Labels: n.Labels}
}

// V1VolumeNode is the node VolumeNode reads back as n.
func V1VolumeNode(n volume.Node) *v1.Node {
	return &v1.Node{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Node"}, ObjectMeta: metav1.ObjectMeta{Name: n.Name, Labels: maps.Clone(n.Labels)}}
}

// V1StorageClass is the StorageClass that StorageClass reads back as sc.
func V1StorageClass(sc volume.StorageClass) *storagev1.StorageClass {
	out := &storagev1.StorageClass{
		TypeMeta: metav1.TypeMeta{APIVersion: "storage.k8s.io/v1", Kind: "StorageClass"},
		ObjectMeta: metav1.ObjectMeta{Name: sc.Name, Annotations: maps.Clone(sc.Annotations),
			CreationTimestamp: metav1.NewTime(sc.CreationTimestamp)},
		Provisioner:       sc.Provisioner,
		ReclaimPolicy:     (*v1.PersistentVolumeReclaimPolicy)(clonePtr(sc.ReclaimPolicy)),
		VolumeBindingMode: (*storagev1.VolumeBindingMode)(clonePtr(sc.VolumeBindingMode)),
	}
	for _, t := range sc.AllowedTopologies {
		var term v1.TopologySelectorTerm
		for _, e := range t.MatchLabelExpressions {
			term.MatchLabelExpressions = append(term.MatchLabelExpressions, v1.TopologySelectorLabelRequirement{Key: e.Key, Values: slices.Clone(e.Values)})
		}
		out.AllowedTopologies = append(out.AllowedTopologies, term)
	}
	return out
}

// StorageClass converts a StorageClass.
func StorageClass(sc *storagev1.StorageClass) volume.StorageClass {
	out := volume.StorageClass{Name: sc.Name, Annotations: sc.Annotations, CreationTimestamp: sc.CreationTimestamp.Time,
		Provisioner: sc.Provisioner, ReclaimPolicy: (*volume.ReclaimPolicy)(sc.ReclaimPolicy),
		VolumeBindingMode: (*volume.BindingMode)(sc.VolumeBindingMode)}
	for _, t := range sc.AllowedTopologies {
		var term volume.TopologySelectorTerm
		for _, e := range t.MatchLabelExpressions {
			term.MatchLabelExpressions = append(term.MatchLabelExpressions, volume.TopologyRequirement{Key: e.Key, Values: e.Values})
		}
		out.AllowedTopologies = append(out.AllowedTopologies, term)
	}
	return out
}

// ApplyBinding writes a Bind result into copies of the volume and the claim,
// as the PV controller does in its two updates.
func ApplyBinding(pv *v1.PersistentVolume, claim *v1.PersistentVolumeClaim, r volume.Result) (*v1.PersistentVolume, *v1.PersistentVolumeClaim) {
	return ApplyClaimResult(pv, claim, r)
}

// ApplyClaimResult writes any BindPVC or BindClaims result into copies of
// the volume it names (pv may be nil when it names none) and the claim: the
// volume's claimRef, annotation and phase, the claim's volumeName,
// annotations, class and status, as the PV controller's updates do.
func ApplyClaimResult(pv *v1.PersistentVolume, claim *v1.PersistentVolumeClaim, r volume.Result) (*v1.PersistentVolume, *v1.PersistentVolumeClaim) {
	claim = claim.DeepCopy()
	vu, cu := r.VolumeUpdate, r.ClaimUpdate
	if pv != nil {
		pv = pv.DeepCopy()
		if vu.SetClaimRef {
			pv.Spec.ClaimRef = &v1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1",
				Namespace: vu.ClaimRef.Namespace, Name: vu.ClaimRef.Name, UID: types.UID(vu.ClaimRef.UID)}
		}
		if vu.AddBoundByController {
			pv.Annotations = withAnnotation(pv.Annotations, volume.AnnBoundByController, "yes")
		}
		if vu.Phase != "" {
			pv.Status.Phase = v1.PersistentVolumePhase(vu.Phase)
			pv.Status.Message = ""
		}
	}
	if cu.VolumeName != "" {
		claim.Spec.VolumeName = cu.VolumeName
	}
	if cu.AddBoundByController {
		claim.Annotations = withAnnotation(claim.Annotations, volume.AnnBoundByController, "yes")
	}
	if cu.AddBindCompleted {
		claim.Annotations = withAnnotation(claim.Annotations, volume.AnnBindCompleted, "yes")
	}
	if cu.SetStorageClassName {
		name := cu.StorageClassName
		claim.Spec.StorageClassName = &name
	}
	if cu.StorageProvisioner != "" {
		claim.Annotations = withAnnotation(claim.Annotations, volume.AnnStorageProvisioner, cu.StorageProvisioner)
		claim.Annotations = withAnnotation(claim.Annotations, volume.AnnBetaStorageProvisioner, cu.StorageProvisioner)
	}
	if cu.SelectedNode != "" {
		claim.Annotations = withAnnotation(claim.Annotations, volume.AnnSelectedNode, cu.SelectedNode)
	}
	if cu.RemoveSelectedNode {
		claim.Annotations = withoutAnnotation(claim.Annotations, volume.AnnSelectedNode)
	}
	for k, v := range cu.SetAnnotations {
		claim.Annotations = withAnnotation(claim.Annotations, k, v)
	}
	for _, k := range cu.RemoveAnnotations {
		claim.Annotations = withoutAnnotation(claim.Annotations, k)
	}
	claim.Status = claimStatus(claim.Status, r.Status)
	return pv, claim
}

// claimStatus is the claim status a result leaves: phase, access modes,
// capacity and attributes class from the result, the rest kept.
func claimStatus(old v1.PersistentVolumeClaimStatus, s volume.ClaimStatus) v1.PersistentVolumeClaimStatus {
	out := *old.DeepCopy()
	out.Phase = v1.PersistentVolumeClaimPhase(s.Phase)
	out.AccessModes = nil
	for _, m := range s.AccessModes {
		out.AccessModes = append(out.AccessModes, v1.PersistentVolumeAccessMode(m))
	}
	out.Capacity = nil
	if s.Capacity.IsSet() {
		q := resource.MustParse(s.Capacity.String())
		if old, ok := old.Capacity[v1.ResourceStorage]; ok && old.Cmp(q) == 0 {
			q = old // keep the stored spelling of an unchanged value
		}
		out.Capacity = v1.ResourceList{v1.ResourceStorage: q}
	}
	out.CurrentVolumeAttributesClassName = s.CurrentVolumeAttributesClassName
	out.Conditions = v1ClaimConditions(s.Conditions)
	return out
}

func v1ClaimConditions(cs []volume.ClaimCondition) []v1.PersistentVolumeClaimCondition {
	var out []v1.PersistentVolumeClaimCondition
	for _, c := range cs {
		out = append(out, v1.PersistentVolumeClaimCondition{Type: v1.PersistentVolumeClaimConditionType(c.Type),
			Status: v1.ConditionStatus(c.Status), Reason: c.Reason, Message: c.Message,
			LastProbeTime: metav1.NewTime(c.LastProbeTime), LastTransitionTime: metav1.NewTime(c.LastTransitionTime)})
	}
	return out
}

// ApplyVolumeResult writes a SyncVolume result into a copy of the volume.
// deleted is true when the volume object goes away (its asset was deleted
// in-tree); the copy is then the volume as it was last written.
func ApplyVolumeResult(pv *v1.PersistentVolume, r volume.VolumeResult) (out *v1.PersistentVolume, deleted bool) {
	pv = pv.DeepCopy()
	for _, f := range r.RemoveFinalizers {
		pv.Finalizers = without(pv.Finalizers, f)
	}
	pv.Finalizers = append(pv.Finalizers, r.AddFinalizers...)
	for k, v := range r.SetAnnotations {
		pv.Annotations = withAnnotation(pv.Annotations, k, v)
	}
	for _, k := range r.RemoveAnnotations {
		pv.Annotations = withoutAnnotation(pv.Annotations, k)
	}
	if r.ClearClaimRef {
		pv.Spec.ClaimRef = nil
		pv.Annotations = withoutAnnotation(pv.Annotations, volume.AnnBoundByController)
	}
	if r.ClearClaimRefUID && pv.Spec.ClaimRef != nil {
		pv.Spec.ClaimRef.UID = ""
	}
	if r.Phase != "" || r.Action != volume.VolumeNone {
		pv.Status.Phase = v1.PersistentVolumePhase(r.Status.Phase)
		pv.Status.Message = r.Status.Message
	}
	return pv, r.Action == volume.VolumeDeleteAsset
}

func without(s []string, x string) []string {
	var out []string
	for _, v := range s {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}

func withAnnotation(m map[string]string, k, v string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for kk, vv := range m {
		out[kk] = vv
	}
	out[k] = v
	return out
}

// withoutAnnotation drops k; an emptied map becomes nil, as the controller
// leaves it.
func withoutAnnotation(m map[string]string, k string) map[string]string {
	if _, ok := m[k]; !ok {
		return m
	}
	out := make(map[string]string, len(m))
	for kk, vv := range m {
		if kk != k {
			out[kk] = vv
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// V1VolumePod is the pod VolumePod reads back as p: a claim becomes a
// persistentVolumeClaim volume named after it, and ContainersRunning one
// running container status (a stopped pod gets a terminated one).
func V1VolumePod(p volume.Pod) *v1.Pod {
	out := &v1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: p.Name, Namespace: p.Namespace, UID: types.UID(p.UID),
			DeletionTimestamp: v1DeletionPtr(p.DeletionTimestamp), DeletionGracePeriodSeconds: clonePtr(p.DeletionGracePeriodSeconds)},
		Spec:   v1.PodSpec{NodeName: p.NodeName},
		Status: v1.PodStatus{Phase: v1.PodPhase(p.Phase)},
	}
	for _, c := range p.Claims {
		out.Spec.Volumes = append(out.Spec.Volumes, v1.Volume{Name: c, VolumeSource: v1.VolumeSource{
			PersistentVolumeClaim: &v1.PersistentVolumeClaimVolumeSource{ClaimName: c}}})
	}
	for _, e := range p.EphemeralVolumes {
		out.Spec.Volumes = append(out.Spec.Volumes, v1.Volume{Name: e, VolumeSource: v1.VolumeSource{Ephemeral: &v1.EphemeralVolumeSource{}}})
	}
	state := v1.ContainerState{Terminated: &v1.ContainerStateTerminated{}}
	if p.ContainersRunning {
		state = v1.ContainerState{Running: &v1.ContainerStateRunning{}}
	}
	out.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "main", State: state}}
	return out
}

// VolumePod converts the parts of a pod the PV controller reads: its claims,
// node, phase, deletion and whether a container still runs.
func VolumePod(p *v1.Pod) volume.Pod {
	out := volume.Pod{Namespace: p.Namespace, Name: p.Name, UID: string(p.UID), NodeName: p.Spec.NodeName,
		Phase: volume.PodPhase(p.Status.Phase), DeletionTimestamp: timePtr(p.DeletionTimestamp),
		DeletionGracePeriodSeconds: p.DeletionGracePeriodSeconds}
	for _, v := range p.Spec.Volumes {
		switch {
		case v.PersistentVolumeClaim != nil:
			out.Claims = append(out.Claims, v.PersistentVolumeClaim.ClaimName)
		case v.Ephemeral != nil:
			out.EphemeralVolumes = append(out.EphemeralVolumes, v.Name)
		}
	}
	for _, list := range [][]v1.ContainerStatus{p.Status.InitContainerStatuses, p.Status.ContainerStatuses, p.Status.EphemeralContainerStatuses} {
		for _, s := range list {
			if s.State.Terminated == nil && s.State.Waiting == nil {
				out.ContainersRunning = true
			}
		}
	}
	return out
}

// ApplyClaimProtection writes a ClaimProtection decision into a copy of
// the claim, as the PVC protection controller updates it: the
// kubernetes.io/pvc-protection finalizer added or removed, and, when the
// decision writes the Unused condition, the claim's status.conditions
// (p.Conditions).
func ApplyClaimProtection(c *v1.PersistentVolumeClaim, p volume.Protection) *v1.PersistentVolumeClaim {
	c = c.DeepCopy()
	c.Finalizers = applyFinalizer(c.Finalizers, volume.FinalizerPVCProtection, p.Action)
	if p.Unused != nil {
		c.Status.Conditions = v1ClaimConditions(p.Conditions)
	}
	return c
}

// ApplyVolumeProtection writes a VolumeProtection decision into a copy of
// the volume: the kubernetes.io/pv-protection finalizer added or removed.
func ApplyVolumeProtection(pv *v1.PersistentVolume, p volume.Protection) *v1.PersistentVolume {
	pv = pv.DeepCopy()
	pv.Finalizers = applyFinalizer(pv.Finalizers, volume.FinalizerPVProtection, p.Action)
	return pv
}

func applyFinalizer(fs []string, f string, a volume.FinalizerAction) []string {
	switch a {
	case volume.FinalizerAdd:
		if !slices.Contains(fs, f) {
			fs = append(fs, f)
		}
	case volume.FinalizerRemove:
		fs = without(fs, f)
	}
	return fs
}
