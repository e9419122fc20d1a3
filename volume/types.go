package volume

import (
	"slices"
	"time"

	"github.com/purectl/purectl/api"
)

// LabelSelector is a claim's volume selector (metav1.LabelSelector).
type LabelSelector = api.LabelSelector

// LabelSelectorRequirement is one matchExpressions entry of a LabelSelector.
type LabelSelectorRequirement = api.LabelRequirement

// LabelOperator is the operator of a LabelSelectorRequirement.
type LabelOperator = api.LabelOperator

// The operators of a LabelSelector requirement.
const (
	LabelOpIn           = api.LabelOpIn
	LabelOpNotIn        = api.LabelOpNotIn
	LabelOpExists       = api.LabelOpExists
	LabelOpDoesNotExist = api.LabelOpDoesNotExist
)

// NodeSelector is a volume's required node affinity
// (spec.nodeAffinity.required): terms ORed, requirements ANDed.
type NodeSelector = api.NodeSelector

// NodeSelectorTerm is one term of a NodeSelector.
type NodeSelectorTerm = api.NodeSelectorTerm

// NodeSelectorRequirement is one requirement of a NodeSelectorTerm.
type NodeSelectorRequirement = api.NodeSelectorRequirement

// NodeSelectorOperator is the operator of a NodeSelectorRequirement.
type NodeSelectorOperator = api.NodeSelectorOperator

// The operators of a NodeSelectorRequirement.
const (
	NodeOpIn           = api.NodeOpIn
	NodeOpNotIn        = api.NodeOpNotIn
	NodeOpExists       = api.NodeOpExists
	NodeOpDoesNotExist = api.NodeOpDoesNotExist
	NodeOpGt           = api.NodeOpGt
	NodeOpLt           = api.NodeOpLt
)

// AccessMode is how a volume can be mounted.
type AccessMode string

// The access modes.
const (
	// ReadWriteOnce: read-write by the pods of one node at a time.
	ReadWriteOnce AccessMode = "ReadWriteOnce"
	// ReadOnlyMany: read-only by many nodes.
	ReadOnlyMany AccessMode = "ReadOnlyMany"
	// ReadWriteMany: read-write by many nodes.
	ReadWriteMany AccessMode = "ReadWriteMany"
	// ReadWriteOncePod: read-write by a single pod in the whole cluster.
	ReadWriteOncePod AccessMode = "ReadWriteOncePod"
)

// VolumeMode says whether a volume is consumed as a filesystem or a raw block
// device. Unset means Filesystem.
type VolumeMode string

// The volume modes.
const (
	Filesystem VolumeMode = "Filesystem"
	Block      VolumeMode = "Block"
)

// ReclaimPolicy is what happens to a volume once its claim is gone.
type ReclaimPolicy string

// The reclaim policies.
const (
	Retain  ReclaimPolicy = "Retain"
	Delete  ReclaimPolicy = "Delete"
	Recycle ReclaimPolicy = "Recycle" // deprecated; NFS and HostPath only
)

// VolumePhase is status.phase of a PersistentVolume.
type VolumePhase string

// The phases of a volume.
const (
	VolumePending   VolumePhase = "Pending"
	VolumeAvailable VolumePhase = "Available"
	VolumeBound     VolumePhase = "Bound"
	VolumeReleased  VolumePhase = "Released"
	VolumeFailed    VolumePhase = "Failed"
)

// ClaimPhase is status.phase of a PersistentVolumeClaim.
type ClaimPhase string

// The phases of a claim.
const (
	ClaimPending ClaimPhase = "Pending"
	ClaimBound   ClaimPhase = "Bound"
	ClaimLost    ClaimPhase = "Lost"
)

// BindingMode is a StorageClass's volumeBindingMode.
type BindingMode string

// The binding modes.
const (
	Immediate            BindingMode = "Immediate"
	WaitForFirstConsumer BindingMode = "WaitForFirstConsumer"
)

// Annotations and finalizers the PV controller reads and writes.
const (
	AnnBoundByController       = "pv.kubernetes.io/bound-by-controller"
	AnnBindCompleted           = "pv.kubernetes.io/bind-completed"
	AnnProvisionedBy           = "pv.kubernetes.io/provisioned-by"
	AnnMigratedTo              = "pv.kubernetes.io/migrated-to"
	AnnBetaStorageClass        = "volume.beta.kubernetes.io/storage-class"
	AnnSelectedNode            = "volume.kubernetes.io/selected-node"
	AnnStorageProvisioner      = "volume.kubernetes.io/storage-provisioner"
	AnnBetaStorageProvisioner  = "volume.beta.kubernetes.io/storage-provisioner"
	AnnDefaultClass            = "storageclass.kubernetes.io/is-default-class"
	AnnBetaDefaultClass        = "storageclass.beta.kubernetes.io/is-default-class"
	FinalizerPVCProtection     = "kubernetes.io/pvc-protection"
	FinalizerPVProtection      = "kubernetes.io/pv-protection"
	FinalizerPVController      = "kubernetes.io/pv-controller"
	NoProvisioner              = "kubernetes.io/no-provisioner"
	HostPathProvisioner        = "kubernetes.io/host-path"
	inTreePluginPrefix         = "kubernetes.io/"
	annotationValueYes         = "yes"
	annotationValueDefaultTrue = "true"
)

// ObjectReference is a volume's spec.claimRef: the claim it is bound or
// reserved to. An empty UID reserves the volume for any claim of that name.
type ObjectReference struct {
	Namespace string
	Name      string
	UID       string
}

// Volume is the part of a PersistentVolume the PV controller and scheduler
// look at. A volume is cluster-scoped: it has no namespace.
type Volume struct {
	// Name is metadata.name; the controller and the scheduler read it
	// (claims name their volume, and ties between equal volumes go to the
	// smaller name).
	Name string
	// Status and the first fields of Spec come first: the search reads them
	// for every volume, and keeping them together saves cache misses.
	Status VolumeStatus
	Spec   VolumeSpec
	// UID is metadata.uid; not read (a claimRef names the claim's UID, not
	// the volume's).
	UID string
	// Generation is metadata.generation; not read.
	Generation int64
	// Labels are metadata.labels; read by a claim's selector.
	Labels map[string]string
	// Annotations are metadata.annotations; read and written by the
	// controller (pv.kubernetes.io/bound-by-controller, provisioned-by,
	// migrated-to).
	Annotations map[string]string
	// CreationTimestamp is metadata.creationTimestamp; not read.
	CreationTimestamp time.Time
	// DeletionTimestamp is metadata.deletionTimestamp; the zero time means
	// the volume is not being deleted. Read: a volume being deleted is
	// never chosen, and in-use protection lets it go once it is not Bound.
	DeletionTimestamp time.Time
	// Finalizers are metadata.finalizers; read and written by in-use
	// protection and the controller's kubernetes.io/pv-controller.
	Finalizers []string
}

// VolumeSpec is spec of a PersistentVolume. Capacity is
// spec.capacity["storage"]; any other capacity keys go in OtherCapacity
// (validation rejects them).
type VolumeSpec struct {
	ClaimRef         *ObjectReference
	Capacity         Quantity
	AccessModes      []AccessMode
	StorageClassName string
	VolumeMode       VolumeMode // "" counts as Filesystem
	// VolumeAttributesClassName: nil is unset; "" is invalid on a volume.
	VolumeAttributesClassName *string
	// NodeAffinity is spec.nodeAffinity.required; nil puts no constraint.
	NodeAffinity *NodeSelector
	// ReclaimPolicy is persistentVolumeReclaimPolicy; "" is defaulted to
	// Retain by the API server.
	ReclaimPolicy ReclaimPolicy
	OtherCapacity map[string]Quantity
	Source        VolumeSource
}

// VolumeSource names where the volume's data lives. Exactly one field must
// be set; Other names an in-tree source not modelled here (e.g. "iscsi").
type VolumeSource struct {
	HostPath *HostPathSource
	NFS      *NFSSource
	CSI      *CSISource
	Local    *LocalSource
	Other    string
}

// HostPathType is the type check of a hostPath volume.
type HostPathType string

// The hostPath types ("" performs no check).
const (
	HostPathUnset             HostPathType = ""
	HostPathDirectoryOrCreate HostPathType = "DirectoryOrCreate"
	HostPathDirectory         HostPathType = "Directory"
	HostPathFileOrCreate      HostPathType = "FileOrCreate"
	HostPathFile              HostPathType = "File"
	HostPathSocket            HostPathType = "Socket"
	HostPathCharDevice        HostPathType = "CharDevice"
	HostPathBlockDevice       HostPathType = "BlockDevice"
)

// HostPathSource is a directory on the node.
type HostPathSource struct {
	Path string
	Type *HostPathType
}

// NFSSource is an NFS export.
type NFSSource struct {
	Server   string
	Path     string
	ReadOnly bool
}

// CSISource is a volume managed by a CSI driver.
type CSISource struct {
	Driver       string
	VolumeHandle string
}

// LocalSource is a local disk; such volumes must carry node affinity.
type LocalSource struct {
	Path string
}

// VolumeStatus is status of a PersistentVolume.
type VolumeStatus struct {
	Phase   VolumePhase
	Message string
	Reason  string
}

// Claim is the part of a PersistentVolumeClaim the PV controller and
// scheduler look at.
type Claim struct {
	// Name and Namespace are metadata.name and metadata.namespace; read (a
	// volume's claimRef and a pod's volumes name the claim by them).
	Name      string
	Namespace string
	// UID is metadata.uid; read: a claimRef with another UID belongs to
	// an earlier claim of the same name.
	UID string
	// Generation is metadata.generation; not read.
	Generation int64
	// Labels are metadata.labels; not read.
	Labels map[string]string
	// Annotations are metadata.annotations; read and written by the
	// controller and the scheduler (bind-completed, bound-by-controller,
	// selected-node, storage-provisioner, the beta storage class).
	Annotations map[string]string
	// CreationTimestamp is metadata.creationTimestamp; not read.
	CreationTimestamp time.Time
	// DeletionTimestamp is metadata.deletionTimestamp; the zero time means
	// the claim is not being deleted. Read by in-use protection (and, from
	// 1.36, by the Unused condition, which is kept on live claims only).
	DeletionTimestamp time.Time
	// Finalizers are metadata.finalizers; read and written by in-use
	// protection.
	Finalizers []string
	// OwnerPodUID is the UID of the pod that controls the claim (generic
	// ephemeral volumes); "" when a pod does not own it.
	OwnerPodUID string
	Spec        ClaimSpec
	Status      ClaimStatus
}

// ClaimSpec is spec of a PersistentVolumeClaim. Request is
// resources.requests["storage"].
type ClaimSpec struct {
	AccessModes []AccessMode
	// Selector restricts the volumes the claim binds to; nil puts no
	// constraint, an empty selector matches every volume.
	Selector *LabelSelector
	Request  Quantity
	// StorageClassName: nil is unset (the default class may be assigned),
	// "" explicitly asks for a volume without class.
	StorageClassName          *string
	VolumeName                string
	VolumeMode                VolumeMode // "" counts as Filesystem
	VolumeAttributesClassName *string
}

// ClaimStatus is status of a PersistentVolumeClaim.
type ClaimStatus struct {
	Phase       ClaimPhase
	AccessModes []AccessMode
	Capacity    Quantity
	// CurrentVolumeAttributesClassName is the class of the bound volume.
	CurrentVolumeAttributesClassName *string
	// Conditions are status.conditions. The PVC protection controller
	// keeps the Unused condition from 1.36 (ClaimProtection); the others
	// (resize, modify) belong to other controllers and are carried as
	// they are.
	Conditions []ClaimCondition
}

// ClaimConditionType is the type of a claim condition.
type ClaimConditionType string

// ClaimUnused is the condition the PVC protection controller keeps while
// the PersistentVolumeClaimUnusedSinceTime gate is on: True while no pod
// that has not terminated references the claim, False while one does; its
// LastTransitionTime is when that last changed.
const ClaimUnused ClaimConditionType = "Unused"

// ConditionStatus is a condition's status: True, False or Unknown.
type ConditionStatus string

// The condition statuses.
const (
	ConditionTrue    ConditionStatus = "True"
	ConditionFalse   ConditionStatus = "False"
	ConditionUnknown ConditionStatus = "Unknown"
)

// ClaimCondition is one entry of a claim's status.conditions.
type ClaimCondition struct {
	Type               ClaimConditionType
	Status             ConditionStatus
	Reason             string
	Message            string
	LastProbeTime      time.Time
	LastTransitionTime time.Time
}

// StorageClass is the part of a StorageClass the PV controller reads.
type StorageClass struct {
	Name              string
	Annotations       map[string]string
	CreationTimestamp time.Time
	Provisioner       string
	// ReclaimPolicy of volumes it provisions; nil defaults to Delete.
	ReclaimPolicy *ReclaimPolicy
	// VolumeBindingMode; nil is an error for a class a claim uses (the API
	// server defaults it to Immediate).
	VolumeBindingMode *BindingMode
	// AllowedTopologies restricts where it provisions: terms ORed, each
	// term's keys ANDed, each key's values ORed. Empty allows every node.
	AllowedTopologies []TopologySelectorTerm
}

// TopologySelectorTerm is one allowedTopologies entry.
type TopologySelectorTerm struct {
	MatchLabelExpressions []TopologyRequirement
}

// TopologyRequirement requires the node label Key to be one of Values.
type TopologyRequirement struct {
	Key    string
	Values []string
}

// Node is a scheduling candidate: its name and labels.
type Node struct {
	Name   string
	Labels map[string]string
}

// PodPhase is a pod's status.phase.
type PodPhase string

// The pod phases that matter here.
const (
	PodPending   PodPhase = "Pending"
	PodRunning   PodPhase = "Running"
	PodSucceeded PodPhase = "Succeeded"
	PodFailed    PodPhase = "Failed"
)

// Pod is the part of a pod that in-use protection, recycling and access
// modes look at.
type Pod struct {
	Namespace string
	Name      string
	UID       string
	NodeName  string // spec.nodeName; "" while unscheduled
	Phase     PodPhase
	// DeletionTimestamp and DeletionGracePeriodSeconds of the pod.
	DeletionTimestamp          *time.Time
	DeletionGracePeriodSeconds *int64
	// Claims are the claimName of its persistentVolumeClaim volumes.
	Claims []string
	// EphemeralVolumes are the names of its generic ephemeral volumes; each
	// uses the claim "<pod name>-<volume name>".
	EphemeralVolumes []string
	// ContainersRunning is true when some container of the pod (init,
	// regular or ephemeral) is running, neither waiting nor terminated. A
	// deleted pod with no running container counts as terminated.
	ContainersRunning bool
}

// references reports whether the pod names the claim, directly or as the
// claim "<pod>-<volume>" of a generic ephemeral volume.
func (p *Pod) references(claim string) bool {
	if slices.Contains(p.Claims, claim) {
		return true
	}
	for _, v := range p.EphemeralVolumes {
		if len(claim) == len(p.Name)+1+len(v) && claim[:len(p.Name)] == p.Name && claim[len(p.Name)] == '-' && claim[len(p.Name)+1:] == v {
			return true
		}
	}
	return false
}

// terminated reports whether the PV controller counts the pod as finished
// (IsPodTerminated): Succeeded, Failed, or deleted with no container
// running.
func (p *Pod) terminated() bool {
	return p.Phase == PodSucceeded || p.Phase == PodFailed || p.DeletionTimestamp != nil && !p.ContainersRunning
}
