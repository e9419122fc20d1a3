package statefulset

import (
	"time"

	"github.com/purectl/purectl/api"
)

// LabelSelector is a metav1.LabelSelector: matchLabels plus matchExpressions.
type LabelSelector = api.LabelSelector

// LabelSelectorRequirement is one matchExpressions entry of a LabelSelector.
type LabelSelectorRequirement = api.LabelRequirement

// IntOrString is an integer or a percentage such as "25%", as used by
// spec.updateStrategy.rollingUpdate.maxUnavailable.
type IntOrString = api.IntOrString

// Label keys the controller sets on the pods it creates.
const (
	// PodNameLabel carries the pod's own name, so a Service can select one
	// member of the set.
	PodNameLabel = "statefulset.kubernetes.io/pod-name"
	// PodIndexLabel carries the pod's ordinal (PodIndexLabel, GA in 1.32).
	PodIndexLabel = "apps.kubernetes.io/pod-index"
	// RevisionLabel carries the full name of the ControllerRevision the pod
	// was created from.
	RevisionLabel = "controller-revision-hash"
)

// PodManagementPolicy says whether pods are created and deleted in ordinal
// order, one at a time, or all at once.
type PodManagementPolicy string

// The pod management policies.
const (
	OrderedReady PodManagementPolicy = "OrderedReady"
	Parallel     PodManagementPolicy = "Parallel"
)

// UpdateStrategyType says how pods move to a new revision.
type UpdateStrategyType string

// The update strategies.
const (
	RollingUpdate UpdateStrategyType = "RollingUpdate"
	OnDelete      UpdateStrategyType = "OnDelete"
	// Recreate deletes every pod not at the update revision, waits for all
	// of them to be gone, then creates the new ones (Kubernetes 1.37,
	// behind the alpha gate StatefulSetRecreateStrategy; earlier releases
	// do not know the value).
	Recreate UpdateStrategyType = "Recreate"
)

// RetentionPolicyType says what happens to a pod's claims.
type RetentionPolicyType string

// The claim retention choices.
const (
	Retain RetentionPolicyType = "Retain"
	Delete RetentionPolicyType = "Delete"
)

// PodPhase is a pod's status.phase.
type PodPhase string

// The pod phases. The empty phase means the pod has no status yet.
const (
	PodPending   PodPhase = "Pending"
	PodRunning   PodPhase = "Running"
	PodSucceeded PodPhase = "Succeeded"
	PodFailed    PodPhase = "Failed"
	PodUnknown   PodPhase = "Unknown"
)

// Set is the StatefulSet as the controller sees it: its metadata, spec,
// last written status and the name of the revision of its current template.
//
// The metadata fields are the same in every purectl package.
type Set struct {
	// Name and Namespace identify the set; the controller reads both (pod
	// and claim names derive from Name, and only pods and claims of
	// Namespace are considered).
	Name      string
	Namespace string
	// UID identifies the set (read): pods and claims whose owner references
	// name the set with another UID belong to an earlier set of the same
	// name, and new pods get a controller reference with it.
	UID string
	// Generation is metadata.generation, reported as
	// status.observedGeneration (read).
	Generation int64
	// Labels and Annotations are the set's own metadata. The controller
	// does not read them (pods get the template's labels and annotations,
	// not the set's).
	Labels      map[string]string
	Annotations map[string]string
	// CreationTimestamp is metadata.creationTimestamp; not read.
	CreationTimestamp time.Time
	// DeletionTimestamp is metadata.deletionTimestamp; zero means the set is
	// not being deleted. Read: a set being deleted only gets its status
	// computed.
	DeletionTimestamp time.Time
	Spec              Spec
	// Status is the status last written to the API (status.currentRevision,
	// status.currentReplicas, status.collisionCount, the counters and the
	// conditions).
	Status Status
	// UpdateRevision is the name of the ControllerRevision holding the
	// current spec.template (the caller finds or creates it; see doc.go).
	UpdateRevision string
	// Revisions are the set's ControllerRevisions as the controller lists
	// them (owned by the set or by no one, with labels its selector
	// matches), read to plan history truncation (DeleteRevision). When not
	// nil it is taken as the complete list: a Status.CurrentRevision it
	// does not hold is gone, and the current revision is then the update
	// revision, as getStatefulSetRevisions decides.
	Revisions []Revision
}

// Revision is an observed ControllerRevision of the set.
type Revision struct {
	Name string
	// Revision is the revision number; history is trimmed lowest first.
	Revision int64
	// Template is the pod template's metadata the revision holds (its
	// labels and annotations), used for the pods created at this revision
	// when it is not the update revision. nil means Spec.Template's.
	Template *PodTemplate
}

// Spec is the part of a StatefulSet's spec the controller reads. Field names
// follow apps/v1; nil pointers and empty strings take the API defaults.
type Spec struct {
	// Replicas is the desired number of pods; nil means 1.
	Replicas *int32
	// Selector must match the template labels; it is required.
	Selector *LabelSelector
	Template PodTemplate
	// ServiceName is the governing Service; new pods get it as subdomain.
	ServiceName string
	// PodManagementPolicy defaults to OrderedReady.
	PodManagementPolicy PodManagementPolicy
	UpdateStrategy      UpdateStrategy
	// MinReadySeconds is how long a pod must be Ready to count as available.
	MinReadySeconds int32
	// Ordinals.Start is the first ordinal; nil means 0.
	Ordinals *Ordinals
	// VolumeClaimTemplates are the claims every pod gets, one per template.
	VolumeClaimTemplates []ClaimTemplate
	// PersistentVolumeClaimRetentionPolicy defaults to Retain/Retain.
	PersistentVolumeClaimRetentionPolicy *RetentionPolicy
	// RevisionHistoryLimit is how many old revisions to keep beyond the
	// live ones; nil means 10, a negative value keeps all.
	RevisionHistoryLimit *int32
}

// PodTemplate is the part of spec.template the controller checks and
// copies into the metadata of the pods it creates.
type PodTemplate struct {
	Labels map[string]string
	// Annotations are copied to every pod created from the template.
	Annotations map[string]string
	// RestartPolicy must be Always; empty means Always (the default).
	RestartPolicy string
	// ActiveDeadlineSeconds is forbidden in a StatefulSet template.
	ActiveDeadlineSeconds *int64
}

// Ordinals is spec.ordinals.
type Ordinals struct {
	Start int32
}

// UpdateStrategy is spec.updateStrategy. An empty Type means RollingUpdate.
type UpdateStrategy struct {
	Type          UpdateStrategyType
	RollingUpdate *RollingUpdateStrategy
}

// RollingUpdateStrategy is spec.updateStrategy.rollingUpdate.
type RollingUpdateStrategy struct {
	// Partition is a slot index counted from ordinals.start: pods in slots
	// below it stay at the current revision. nil means 0.
	Partition *int32
	// MaxUnavailable is honoured only where the release enables the
	// MaxUnavailableStatefulSet gate (on by default from 1.37); nil means 1.
	MaxUnavailable *IntOrString
}

// RetentionPolicy is spec.persistentVolumeClaimRetentionPolicy. Empty
// fields mean Retain.
type RetentionPolicy struct {
	WhenDeleted RetentionPolicyType
	WhenScaled  RetentionPolicyType
}

// ClaimTemplate is one spec.volumeClaimTemplates entry, reduced to what the
// controller needs to name and label the claims made from it.
type ClaimTemplate struct {
	Name   string
	Labels map[string]string
	// Annotations are copied to every claim made from the template.
	Annotations map[string]string
}

// Pod is an observed pod.
type Pod struct {
	Name      string
	Namespace string // empty means the set's namespace
	UID       string
	// ControllerUID is the UID in the pod's controller owner reference;
	// empty for an orphan.
	ControllerUID string
	Labels        map[string]string
	Phase         PodPhase
	// Ready is the Ready condition's status being True; ReadySince is that
	// condition's lastTransitionTime.
	Ready      bool
	ReadySince time.Time
	// Deleting is true when metadata.deletionTimestamp is set.
	Deleting bool
	// Volumes lists the pod's volumes; ClaimName is set for volumes backed
	// by a persistentVolumeClaim.
	Volumes []Volume
}

// Volume is a pod volume, reduced to its name and claim.
type Volume struct {
	Name      string
	ClaimName string
}

// Claim is an observed PersistentVolumeClaim.
type Claim struct {
	Name      string
	Namespace string // empty means the set's namespace
	UID       string
	Deleting  bool
	OwnerRefs []OwnerRef
}

// OwnerRef is a metadata.ownerReferences entry.
type OwnerRef struct {
	APIVersion string
	Kind       string
	Name       string
	UID        string
	Controller bool
}

// Status is the StatefulSet status the controller would write.
type Status struct {
	ObservedGeneration int64
	// Replicas counts pods that have a phase (terminating ones included).
	Replicas int32
	// ReadyReplicas counts pods that are Running with Ready=True.
	ReadyReplicas int32
	// AvailableReplicas counts ready pods that have been ready for
	// minReadySeconds.
	AvailableReplicas int32
	// CurrentReplicas and UpdatedReplicas count live, not terminating pods
	// at the current and the update revision.
	CurrentReplicas int32
	UpdatedReplicas int32
	CurrentRevision string
	UpdateRevision  string
	CollisionCount  int32
	// Conditions are status.conditions. From 1.37 the controller keeps
	// them and sets Progressing during a Recreate update; before 1.37 its
	// status write leaves none.
	Conditions []Condition
}

// ConditionProgressing is the condition type the Recreate update sets.
const ConditionProgressing = "Progressing"

// Condition is one status.conditions entry.
type Condition struct {
	Type string
	// Status is "True", "False" or "Unknown".
	Status             string
	Reason             string
	Message            string
	LastTransitionTime time.Time
}

// ActionType names what an Action does.
type ActionType string

// The action types.
const (
	// CreateClaim creates Action.NewClaim.
	CreateClaim ActionType = "CreateClaim"
	// CreatePod creates Action.NewPod from the revision Action.Revision.
	CreatePod ActionType = "CreatePod"
	// UpdatePod rewrites the labels and volumes of Action.Pod to those in
	// Action.NewPod (identity and storage repair, never a revision change).
	UpdatePod ActionType = "UpdatePod"
	// UpdateClaim replaces the owner references of Action.Claim with
	// Action.OwnerRefs (claim retention policy).
	UpdateClaim ActionType = "UpdateClaim"
	// DeletePod deletes Action.Pod.
	DeletePod ActionType = "DeletePod"
	// AdoptPod sets the set as controller owner of the orphan Action.Pod.
	AdoptPod ActionType = "AdoptPod"
	// ReleasePod removes the set's controller reference from Action.Pod.
	ReleasePod ActionType = "ReleasePod"
	// DeleteRevision deletes the ControllerRevision named Action.Revision.
	DeleteRevision ActionType = "DeleteRevision"
)

// Action is one API write the controller would issue.
type Action struct {
	Type    ActionType
	Reason  Reason
	Message string
	// Ordinal is the ordinal of the pod concerned, -1 if it has none.
	Ordinal int32
	// Pod is the name of the pod concerned (for claims: their pod).
	Pod string
	// Claim is the claim's name for CreateClaim and UpdateClaim.
	Claim string
	// Revision is the revision a created pod is at, the revision a deleted
	// pod was at, or the revision to delete (DeleteRevision).
	Revision string
	// NewPod is the pod to create (CreatePod) or the repaired pod (UpdatePod).
	NewPod *NewPod
	// NewClaim is the claim to create (CreateClaim).
	NewClaim *NewClaim
	// OwnerRefs is the claim's complete new owner reference list (UpdateClaim).
	OwnerRefs []OwnerRef
}

// NewPod is the metadata and identity of a pod the controller creates (on
// top of the revision's template spec) or the fields it repairs.
type NewPod struct {
	Name      string
	Namespace string
	// Annotations are, for CreatePod, the template's annotations (of the
	// revision the pod is created at); nil for UpdatePod.
	Annotations map[string]string
	// OwnerRefs are, for CreatePod, the pod's owner references: the set as
	// controller (blocking owner deletion); nil for UpdatePod.
	OwnerRefs []OwnerRef
	// Hostname and Subdomain are spec.hostname and spec.subdomain; they are
	// set at creation only.
	Hostname  string
	Subdomain string
	// Labels are, for CreatePod, all the pod's labels: the template's (of
	// the revision the pod is created at) with the pod name, pod index and
	// revision labels over them; for UpdatePod, the labels set on the pod
	// (pod name and pod index), its other labels staying as they are.
	Labels map[string]string
	// Volumes are the claim volumes, one per claim template, in template
	// order. UpdatePod replaces the pod's volumes of these names and keeps
	// its other volumes as they are.
	Volumes []Volume
}

// NewClaim is a claim to create from a claim template.
type NewClaim struct {
	Name      string
	Namespace string
	// Template is the name of the claim template it copies.
	Template string
	// Labels are the template's labels overlaid with the selector's
	// matchLabels.
	Labels map[string]string
	// Annotations are the template's.
	Annotations map[string]string
	// OwnerRefs are the references the claim is created with: none, as
	// the controller creates it; the retention policy's are set by an
	// UpdateClaim once the claim is observed.
	OwnerRefs []OwnerRef
}

// Blocked says why a pass made no further progress and on which pod.
type Blocked struct {
	Reason  Reason
	Message string
	Pod     string
	Ordinal int32
}

// Event is a Warning event the controller would record that is not an
// action, such as ConflictingController.
type Event struct {
	Reason  Reason
	Message string
	Claim   string
	Pod     string
}

// Result is what one controller pass does.
type Result struct {
	// Actions are the writes in the order the controller issues them:
	// adoption and release (by pod name), then the replica scan (ascending
	// ordinal; a pod's claims before the pod), then claim fixes and
	// scale-down of condemned pods (descending ordinal), then update
	// deletions (descending ordinal), then revision history clean-up
	// (lowest revision number first).
	Actions []Action
	// Blocked is set when the pass stopped early or waits on a pod.
	Blocked *Blocked
	// Events are the Warning events the controller would record besides
	// its actions (ConflictingController; UnknownStrategy in 1.37), in the
	// order recorded.
	Events []Event
	// Warnings lists what the API server's validation (Validate) would
	// reject in the set. The pass still decides as the controller does on
	// such an object (one stored before validation tightened, or a
	// caller's own resource); it errors only where the controller refuses.
	Warnings []*FieldError
	// Status is the status the controller would write after this pass.
	Status Status
	// StatusChanged reports whether the controller would write Status: the
	// observed generation grew, or a counter or revision name differs from
	// Set.Status.
	StatusChanged bool
	// RequeueAt is the earliest moment a pass would decide differently only
	// because time passed (a pod becoming available); zero if none.
	RequeueAt time.Time
}
