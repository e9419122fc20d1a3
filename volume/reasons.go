package volume

import "github.com/purectl/purectl/api"

// FieldError is one validation failure; errors.As(err, &fe) with fe a
// *FieldError finds it in an error returned by this package.
type FieldError = api.FieldError

// FieldErrors is the error returned for an invalid input: one or more
// FieldError.
type FieldErrors = api.FieldErrors

// ErrorType is the kind of a FieldError.
type ErrorType = api.ErrorType

// The kinds of FieldError.
const (
	ErrorTypeRequired     = api.ErrorTypeRequired
	ErrorTypeInvalid      = api.ErrorTypeInvalid
	ErrorTypeNotSupported = api.ErrorTypeNotSupported
	ErrorTypeForbidden    = api.ErrorTypeForbidden
	ErrorTypeDuplicate    = api.ErrorTypeDuplicate
)

// Reason says why a decision was taken. Values that Kubernetes uses as event
// reasons are spelled the same.
type Reason string

// Reasons of claim decisions (BindPVC, BindClaims).
const (
	// ReasonBestFit: bound to the volume that fits the claim best.
	ReasonBestFit Reason = "BestFit"
	// ReasonPreBound: bound to a volume whose claimRef names the claim.
	ReasonPreBound Reason = "PreBound"
	// ReasonVolumeNamed: bound to the volume the claim names in volumeName.
	ReasonVolumeNamed Reason = "VolumeNamed"
	// ReasonAlreadyBound: the binding is complete; nothing to write.
	ReasonAlreadyBound Reason = "AlreadyBound"
	// ReasonDefaultClassAssigned: the default StorageClass is written into a
	// claim without class; matching resumes on the next sync.
	ReasonDefaultClassAssigned Reason = "DefaultClassAssigned"
	// ReasonWaitForFirstConsumer: delayed binding; no pod scheduled yet.
	ReasonWaitForFirstConsumer Reason = "WaitForFirstConsumer"
	// ReasonWaitForPodScheduled: delayed binding; pods that use the claim
	// are waiting for the scheduler.
	ReasonWaitForPodScheduled Reason = "WaitForPodScheduled"
	// ReasonExternalProvisioning: an external provisioner is asked for a volume.
	ReasonExternalProvisioning Reason = "ExternalProvisioning"
	// ReasonProvisioningFailed: no provisioner can make a volume for the claim.
	ReasonProvisioningFailed Reason = "ProvisioningFailed"
	// ReasonAlreadyProvisioned: an in-tree provisioner finds the claim's
	// volume pvc-<claim UID> made already and waits for it to bind.
	ReasonAlreadyProvisioned Reason = "AlreadyProvisioned"
	// ReasonFailedBinding: no volume matches and none can be provisioned,
	// or the named volume belongs to another claim.
	ReasonFailedBinding Reason = "FailedBinding"
	// ReasonVolumeMismatch: the named volume does not satisfy the claim.
	ReasonVolumeMismatch Reason = "VolumeMismatch"
	// ReasonVolumeNotFound: the named volume does not exist (yet).
	ReasonVolumeNotFound Reason = "VolumeNotFound"
	// ReasonBindConflict: the claim was bound by the controller to a volume
	// that now belongs to another claim; Kubernetes fails the sync and
	// changes nothing.
	ReasonBindConflict Reason = "BindConflict"
	// ReasonClaimLost: the bound volume is gone.
	ReasonClaimLost Reason = "ClaimLost"
	// ReasonClaimMisbound: the bound volume is bound to another claim.
	ReasonClaimMisbound Reason = "ClaimMisbound"
	// ReasonNodeInfeasible: (scheduler) the claim cannot be satisfied on
	// this node.
	ReasonNodeInfeasible Reason = "NodeInfeasible"
	// ReasonProvisionOnNode: (scheduler) no volume fits on this node, but one
	// can be provisioned for it.
	ReasonProvisionOnNode Reason = "ProvisionOnNode"
)

// Reasons of volume decisions (SyncVolume).
const (
	ReasonVolumeAvailable  Reason = "VolumeAvailable"
	ReasonVolumeBound      Reason = "VolumeBound"
	ReasonWaitingForClaim  Reason = "WaitingForClaim"
	ReasonVolumeUnbound    Reason = "VolumeUnbound"
	ReasonVolumeReleased   Reason = "VolumeReleased"
	ReasonVolumeRetained   Reason = "VolumeRetained"
	ReasonVolumeDelete     Reason = "VolumeDelete"
	ReasonExternalDeleting Reason = "ExternalDeleting"
	// ReasonVolumeFailedDelete is Kubernetes' event reason for a failed delete.
	ReasonVolumeFailedDelete Reason = "VolumeFailedDelete"
	ReasonVolumeRecycle      Reason = "VolumeRecycle"
	// ReasonVolumeFailedRecycle is Kubernetes' event reason for a recycle
	// that cannot run (yet).
	ReasonVolumeFailedRecycle        Reason = "VolumeFailedRecycle"
	ReasonVolumeUnknownReclaimPolicy Reason = "VolumeUnknownReclaimPolicy"
	ReasonMigrated                   Reason = "Migrated"
)

// Reasons of in-use protection and access decisions.
const (
	ReasonInUse            Reason = "InUse"
	ReasonNotInUse         Reason = "NotInUse"
	ReasonAddFinalizer     Reason = "AddFinalizer"
	ReasonAccessAllowed    Reason = "AccessAllowed"
	ReasonReadWriteOnce    Reason = "ReadWriteOnceConflict"
	ReasonReadWriteOncePod Reason = "ReadWriteOncePodConflict"
)

// Rejection reasons: why a volume was not chosen for a claim (Explain), in
// the order Kubernetes tests them.
const (
	RejectExcluded        Reason = "Excluded"
	RejectAccessModes     Reason = "AccessModes"
	RejectClaimedByOther  Reason = "ClaimedByOther"
	RejectTooSmall        Reason = "TooSmall"
	RejectVolumeMode      Reason = "VolumeModeMismatch"
	RejectAttributesClass Reason = "AttributesClassMismatch"
	RejectDeleting        Reason = "BeingDeleted"
	RejectNodeAffinity    Reason = "NodeAffinity"
	RejectDelayedBinding  Reason = "DelayedBinding"
	RejectPhase           Reason = "NotAvailable"
	RejectSelector        Reason = "SelectorMismatch"
	RejectStorageClass    Reason = "StorageClassMismatch"
	// RejectNotBest: the volume fits, but another one was preferred (fewer
	// access modes, pre-bound, smaller, or earlier by name).
	RejectNotBest Reason = "NotBest"
	// Chosen marks the winner in an explanation.
	Chosen Reason = "Chosen"
)
