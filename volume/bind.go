package volume

import (
	"strings"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/field"
)

// Options are what BindPVC needs besides the volumes and the claim.
type Options struct {
	// Classes are the cluster's StorageClasses: they decide delayed binding
	//, the default class and provisioning.
	Classes []StorageClass
	// Node selects the scheduler's path: would the claim be satisfied
	// if its pod ran on Node? Nil is the PV controller's path.
	Node *Node
	// Exclude names volumes the scheduler already chose for earlier claims of
	// the same pod (it takes a pod's claims in increasing request size).
	Exclude map[string]bool
	// UnscheduledPods names the pods that use the claim and are not yet
	// scheduled; with delayed binding they turn the event
	// WaitForFirstConsumer into WaitForPodScheduled.
	UnscheduledPods []string
	// Pods, when not nil, are the cluster's pods (at least those of the
	// claim's namespace): the pods that use the claim, are not scheduled and
	// have not terminated then take the place of UnscheduledPods, as the
	// controller finds them (findNonScheduledPodsByPVC).
	Pods []Pod
	// Release is the Kubernetes release whose PV controller and scheduler
	// to follow, with its feature gates (the zero value is api.Newest).
	// The VolumeAttributesClass gate, on by default and locked on from
	// 1.36, may be turned off on 1.34 and 1.35: volumes that set a class
	// are then never chosen and claims that set one are refused.
	Release Release
}

// vacEnabled reports whether the release has the VolumeAttributesClass
// gate on.
func vacEnabled(r Release) bool { return r.Enabled(api.VolumeAttributesClass) }

// Action is what a claim decision asks the caller to do.
type Action string

// The claim actions.
const (
	// ActionNone: nothing to write (bound already, or waiting).
	ActionNone Action = "None"
	// ActionBind: apply VolumeUpdate, then ClaimUpdate.
	ActionBind Action = "Bind"
	// ActionSetDefaultClass: write ClaimUpdate.StorageClassName.
	ActionSetDefaultClass Action = "SetDefaultClass"
	// ActionProvision: ask for a new volume (see Provision).
	ActionProvision Action = "Provision"
	// ActionPending: keep (or set) the claim Pending and retry later.
	ActionPending Action = "Pending"
	// ActionMarkLost: set the claim Lost.
	ActionMarkLost Action = "MarkLost"
)

// VolumeUpdate is what binding writes on a volume. Fields at
// their zero value mean "leave as is".
type VolumeUpdate struct {
	// ClaimRef, when SetClaimRef, replaces spec.claimRef.
	ClaimRef    ObjectReference
	SetClaimRef bool
	// AddBoundByController adds pv.kubernetes.io/bound-by-controller: "yes".
	AddBoundByController bool
	// Phase, when not empty, is the new status.phase.
	Phase VolumePhase
}

// ClaimUpdate is what a decision writes on a claim.
type ClaimUpdate struct {
	// VolumeName, when not empty, is the new spec.volumeName.
	VolumeName string
	// AddBoundByController and AddBindCompleted add the controller's
	// annotations (value "yes").
	AddBoundByController bool
	AddBindCompleted     bool
	// StorageClassName, when SetStorageClassName, becomes
	// spec.storageClassName (the retroactive default class).
	StorageClassName    string
	SetStorageClassName bool
	// StorageProvisioner, when not empty, is written to both
	// volume.kubernetes.io/storage-provisioner and its beta twin.
	StorageProvisioner string
	// RemoveSelectedNode drops volume.kubernetes.io/selected-node.
	RemoveSelectedNode bool
	// SelectedNode, when not empty, is written to
	// volume.kubernetes.io/selected-node (the scheduler's choice).
	SelectedNode string
	// SetAnnotations and RemoveAnnotations are other annotation writes
	// (pv.kubernetes.io/migrated-to for a claim whose provisioner is served
	// by a CSI driver through CSI migration).
	SetAnnotations    map[string]string
	RemoveAnnotations []string
}

// Provision describes the volume to ask for when Action is ActionProvision.
type Provision struct {
	Class       string
	Provisioner string
	// External is true when an external provisioner (outside kubernetes.io/,
	// or a CSI-migrated in-tree name) makes the volume.
	External bool
	// SelectedNode is the node the scheduler picked (delayed binding).
	SelectedNode string
	// ReclaimPolicy the new volume gets: the class's, Delete by default.
	ReclaimPolicy ReclaimPolicy
	// VolumeName is the name a provisioned volume gets: pvc-<claim UID>.
	VolumeName string
}

// Result is BindPVC's decision for one claim.
type Result struct {
	Action  Action
	Reason  Reason
	Message string
	// Warning is the event type: Warning when true, Normal otherwise.
	Warning bool
	// Volume is the chosen or named volume and Index its position in pvs
	// (-1 when none).
	Volume string
	Index  int
	// PreBound is true when the volume's claimRef already named the claim.
	PreBound     bool
	VolumeUpdate VolumeUpdate
	ClaimUpdate  ClaimUpdate
	Provision    Provision
	// Status is the claim's status once the plan is applied. AccessModes
	// shares the chosen volume's slice: copy it before modifying it.
	Status ClaimStatus
	// Warnings lists what the API server's validation (ValidateClaim) would
	// reject in the claim. The controller acts on such a claim all the same
	// (it may have been stored before validation tightened, or be a
	// caller's own object), and so does the decision above.
	Warnings []*FieldError
}

// BindPVC decides what the PV controller (or, with opts.Node, the scheduler)
// does next for one claim, given every volume of the cluster: bind it to the
// best matching volume, finish or check a binding, wait, ask for
// provisioning, assign the default class, or declare the claim Lost.
//
// Where validation and the controller differ, it follows the controller: a
// claim the API server would reject is decided on as the controller decides
// on it, and Result.Warnings lists what ValidateClaim reports. It errors
// only where the controller's sync fails: a claim class without a binding
// mode, or an attributes class while that feature is disabled; the Result
// then still carries the migrated-to annotation write (ClaimUpdate) the
// controller makes before its sync fails. Volumes are
// observed state and are taken as they are. The claim and volumes are not
// modified. On the controller path with a valid claim it does not allocate
// besides the message.
func BindPVC(pvs []Volume, claim Claim, opts Options) (Result, error) {
	if err := field.CheckRelease(opts.Release); err != nil {
		return Result{}, err
	}
	warn := claimWarnings(&claim, opts.Release)
	r, err := bindPVC(pvs, claim, opts)
	if opts.Node == nil {
		// The controller keeps the migrated-to annotation in step before
		// the sync proper, whether or not that fails.
		claimMigration(&claim, &r)
	}
	r.Warnings = warn
	return r, err
}

func bindPVC(pvs []Volume, claim Claim, opts Options) (Result, error) {
	c := &claim
	if opts.Node != nil {
		return schedule(pvs, c, &opts)
	}
	if hasKey(c.Annotations, AnnBindCompleted) {
		return syncBoundClaim(pvs, c, opts.Release), nil
	}
	if c.Spec.VolumeName != "" {
		return syncNamedClaim(pvs, c, &opts), nil
	}
	return syncUnboundClaim(pvs, c, &opts)
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// findClass returns the class with that name, or nil.
func findClass(classes []StorageClass, name string) *StorageClass {
	for i := range classes {
		if classes[i].Name == name {
			return &classes[i]
		}
	}
	return nil
}

// IsDelayBinding reports whether the claim waits for its first consumer
// : its class exists and has volumeBindingMode
// WaitForFirstConsumer. A class without a mode is an error.
func IsDelayBinding(claim *Claim, classes []StorageClass) (bool, error) {
	name := ClaimClass(claim)
	if name == "" {
		return false, nil
	}
	sc := findClass(classes, name)
	if sc == nil {
		return false, nil
	}
	if sc.VolumeBindingMode == nil {
		return false, field.ErrorList{field.Required(field.NewPath("volumeBindingMode"),
			"StorageClass "+name+" used by the claim has no volumeBindingMode")}.ToAggregate()
	}
	return *sc.VolumeBindingMode == WaitForFirstConsumer, nil
}

// bindResult is the plan that binds the claim to pvs[i].
func bindResult(pvs []Volume, i int, c *Claim, reason Reason, prebound bool, rel Release) Result {
	v := &pvs[i]
	r := Result{Action: ActionBind, Reason: reason, Volume: v.Name, Index: i, PreBound: prebound}
	ref := v.Spec.ClaimRef
	exact := ref != nil && ref.Namespace == c.Namespace && ref.Name == c.Name && ref.UID == c.UID
	if !exact {
		r.VolumeUpdate.ClaimRef = ObjectReference{Namespace: c.Namespace, Name: c.Name, UID: c.UID}
		r.VolumeUpdate.SetClaimRef = true
		// A user's pre-binding names the claim already; only the
		// controller's own choice is marked as such.
		k := claimKey{ns: c.Namespace, name: c.Name, uid: c.UID}
		if ref == nil || !k.refersTo(ref) {
			r.VolumeUpdate.AddBoundByController = !hasKey(v.Annotations, AnnBoundByController)
		}
	}
	if v.Status.Phase != VolumeBound {
		r.VolumeUpdate.Phase = VolumeBound
	}
	if c.Spec.VolumeName != v.Name {
		r.ClaimUpdate.VolumeName = v.Name
		r.ClaimUpdate.AddBoundByController = !hasKey(c.Annotations, AnnBoundByController)
	}
	r.ClaimUpdate.AddBindCompleted = !hasKey(c.Annotations, AnnBindCompleted)
	r.Status = ClaimStatus{Phase: ClaimBound, AccessModes: v.Spec.AccessModes, Capacity: v.Spec.Capacity,
		CurrentVolumeAttributesClassName: v.Spec.VolumeAttributesClassName}
	if c.Status.Phase == ClaimBound {
		// Capacity is copied only when the claim becomes Bound: later on a
		// difference can be intended (filesystem resize).
		r.Status.Capacity = c.Status.Capacity
	}
	if c.Status.Phase != ClaimPending || !vacEnabled(rel) {
		// updateClaimStatus copies the attributes class only on the way
		// from Pending to Bound (a Lost claim bound again keeps its own):
		// afterwards the resizer owns it. With the VolumeAttributesClass
		// gate off it is never copied.
		r.Status.CurrentVolumeAttributesClassName = c.Status.CurrentVolumeAttributesClassName
	}
	if !r.VolumeUpdate.SetClaimRef && !r.VolumeUpdate.AddBoundByController && r.VolumeUpdate.Phase == "" &&
		r.ClaimUpdate.VolumeName == "" && !r.ClaimUpdate.AddBindCompleted && c.Status.Phase == ClaimBound {
		r.Action = ActionNone
		r.Reason = ReasonAlreadyBound
		r.Message = "claim " + c.Namespace + "/" + c.Name + " is bound to volume " + v.Name
		return r
	}
	// The two messages of the search are constants (Result.Volume names the
	// volume) so that binding one claim among many volumes does not allocate.
	switch reason {
	case ReasonPreBound:
		r.Message = "binding to the volume whose claimRef reserves it for this claim"
	case ReasonVolumeNamed:
		r.Message = "binding to volume " + v.Name + " named in spec.volumeName"
	default:
		r.Message = "binding to the smallest available volume that satisfies the claim"
	}
	return r
}

// vacRefused is the search's refusal (FindMatchingVolume) of a claim that
// sets an attributes class while the VolumeAttributesClass gate is off: the
// controller's sync of such a claim fails, and so does the scheduler's
// filter. Claims that name their volume or are bound are not searched for
// and are not refused. The controller (pvs not nil) searches only the
// access-mode sets some volume has that hold every requested mode, so it
// refuses only when there is such a volume, of any phase; the scheduler
// (pvs nil) always searches.
func vacRefused(c *Claim, rel Release, pvs []Volume) error {
	if vacEnabled(rel) || c.Spec.VolumeAttributesClassName == nil || *c.Spec.VolumeAttributesClassName == "" {
		return nil
	}
	if pvs != nil {
		want, searched := modesOf(c.Spec.AccessModes), false
		for i := range pvs {
			if modesOf(pvs[i].Spec.AccessModes)&want == want {
				searched = true
				break
			}
		}
		if !searched {
			return nil
		}
	}
	return field.ErrorList{field.Forbidden(field.NewPath("spec", "volumeAttributesClassName"),
		"unsupported volumeAttributesClassName is set on claim "+c.Namespace+"/"+c.Name+
			" when the feature-gate VolumeAttributesClass is disabled")}.ToAggregate()
}

// nonNil is pvs, or an empty list for none: the controller's path of
// vacRefused.
func nonNil(pvs []Volume) []Volume {
	if pvs == nil {
		return []Volume{}
	}
	return pvs
}

func pending(c *Claim, reason Reason, warning bool, msg string) Result {
	return Result{Action: ActionPending, Reason: reason, Warning: warning, Message: msg, Index: -1,
		Status: ClaimStatus{Phase: ClaimPending}}
}

// syncUnboundClaim is match, else default class, delayed wait,
// provisioning or FailedBinding.
func syncUnboundClaim(pvs []Volume, c *Claim, o *Options) (Result, error) {
	delayed, err := IsDelayBinding(c, o.Classes)
	if err != nil {
		return Result{Index: -1}, err
	}
	if err := vacRefused(c, o.Release, nonNil(pvs)); err != nil {
		return Result{Index: -1}, err
	}
	k := newClaimKey(c)
	mo := MatchOptions{DelayBinding: delayed, Release: o.Release}
	if best := k.find(pvs, &mo); best.idx >= 0 {
		reason := ReasonBestFit
		if best.prebound {
			reason = ReasonPreBound
		}
		return bindResult(pvs, best.idx, c, reason, best.prebound, o.Release), nil
	}
	return noMatch(pvs, c, o, delayed), nil
}

// noMatch is the tail of the controller for a claim no volume matches.
func noMatch(pvs []Volume, c *Claim, o *Options, delayed bool) Result {
	if classUnset(c) {
		if d := DefaultClass(o.Classes); d != nil {
			return Result{Action: ActionSetDefaultClass, Reason: ReasonDefaultClassAssigned, Index: -1,
				Message:     "no class set: assigning the default StorageClass " + d.Name,
				ClaimUpdate: ClaimUpdate{StorageClassName: d.Name, SetStorageClassName: true},
				// assignDefaultStorageClass writes only the spec; the
				// status stays as it is until the next sync.
				Status: c.Status}
		}
	}
	selected := c.Annotations[AnnSelectedNode]
	switch {
	case delayed && selected == "":
		waiting := o.UnscheduledPods
		if o.Pods != nil {
			waiting = unscheduledUsers(c, o.Pods)
		}
		if n := len(waiting); n > 0 {
			names := sortedCopy(waiting)
			msg := "waiting for pod " + names[0] + " to be scheduled"
			if n > 1 {
				msg = "waiting for pods " + strings.Join(names, ",") + " to be scheduled"
			}
			return pending(c, ReasonWaitForPodScheduled, false, msg)
		}
		return pending(c, ReasonWaitForFirstConsumer, false, "waiting for first consumer to be created before binding")
	case ClaimClass(c) != "":
		return provision(pvs, c, o, selected)
	}
	return pending(c, ReasonFailedBinding, false, "no persistent volumes available for this claim and no storage class is set")
}

// unscheduledUsers names the pods of the claim's namespace that reference
// it, have no node yet and have not terminated.
func unscheduledUsers(c *Claim, pods []Pod) []string {
	var out []string
	for i := range pods {
		p := &pods[i]
		if p.Namespace != c.Namespace || p.NodeName != "" || p.terminated() {
			continue
		}
		if p.references(c.Name) {
			out = append(out, p.Name)
		}
	}
	return out
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// provision is decide who makes a volume for the claim. The claim's
// status is left as it is on this path.
func provision(pvs []Volume, c *Claim, o *Options, selected string) Result {
	name := ClaimClass(c)
	sc := findClass(o.Classes, name)
	if sc == nil {
		return Result{Action: ActionNone, Reason: ReasonProvisioningFailed, Warning: true, Index: -1,
			Message: "storageclass.storage.k8s.io \"" + name + "\" not found", Status: c.Status}
	}
	p := Provision{Class: name, Provisioner: sc.Provisioner, SelectedNode: selected, ReclaimPolicy: Delete,
		VolumeName: "pvc-" + c.UID}
	if sc.ReclaimPolicy != nil {
		p.ReclaimPolicy = *sc.ReclaimPolicy
	}
	if csi, ok := migratedProvisioners[sc.Provisioner]; ok {
		p.Provisioner, p.External = csi, true
	} else if !strings.HasPrefix(sc.Provisioner, inTreePluginPrefix) {
		p.External = true
	}
	if sc.Provisioner == HostPathProvisioner {
		// kube-controller-manager registers the hostPath plugin, whose
		// provisioning is off by default: the controller writes the
		// provisioner annotations, skips a claim whose volume pvc-<uid>
		// exists already, and otherwise fails to create the provisioner
		// (selected-node stays: it is dropped only when provisioning was
		// tried and failed).
		r := Result{Action: ActionNone, Reason: ReasonProvisioningFailed, Warning: true, Index: -1, Provision: p,
			Message: "Failed to create provisioner: provisioning in volume plugin \"" + HostPathProvisioner + "\" is disabled",
			Status:  c.Status}
		if findVolume(pvs, p.VolumeName) >= 0 {
			r.Reason, r.Warning = ReasonAlreadyProvisioned, false
			r.Message = "volume " + p.VolumeName + " was provisioned for the claim already"
		}
		if v, ok := c.Annotations[AnnStorageProvisioner]; !ok || v != p.Provisioner {
			r.ClaimUpdate.StorageProvisioner = p.Provisioner
		}
		return r
	}
	if !p.External {
		// No other in-tree provisioner is registered (in any supported release):
		// no-provisioner and every other kubernetes.io/ name fail before
		// provisioning starts, so nothing is written.
		return Result{Action: ActionNone, Reason: ReasonProvisioningFailed, Warning: true, Index: -1,
			Message: "no volume plugin matched name: " + sc.Provisioner,
			Status:  c.Status}
	}
	r := Result{Action: ActionProvision, Reason: ReasonExternalProvisioning, Index: -1, Provision: p,
		Message: "waiting for a volume to be created either by the external provisioner " + p.Provisioner +
			" or manually by the system administrator",
		Status: c.Status}
	// The controller compares only the GA annotation before writing both.
	if v, ok := c.Annotations[AnnStorageProvisioner]; !ok || v != p.Provisioner {
		r.ClaimUpdate.StorageProvisioner = p.Provisioner
	}
	return r
}

// DefaultClass returns the default StorageClass: annotated
// is-default-class "true" (GA or beta key); among several the newest, ties by
// name. Nil when there is none.
func DefaultClass(classes []StorageClass) *StorageClass {
	var best *StorageClass
	for i := range classes {
		sc := &classes[i]
		if sc.Annotations[AnnDefaultClass] != annotationValueDefaultTrue && sc.Annotations[AnnBetaDefaultClass] != annotationValueDefaultTrue {
			continue
		}
		if best == nil || sc.CreationTimestamp.After(best.CreationTimestamp) ||
			sc.CreationTimestamp.Equal(best.CreationTimestamp) && sc.Name < best.Name {
			best = sc
		}
	}
	return best
}

func findVolume(pvs []Volume, name string) int {
	for i := range pvs {
		if pvs[i].Name == name {
			return i
		}
	}
	return -1
}

// syncNamedClaim is the controller: the claim names its volume.
func syncNamedClaim(pvs []Volume, c *Claim, o *Options) Result {
	i := findVolume(pvs, c.Spec.VolumeName)
	if i < 0 {
		return pending(c, ReasonVolumeNotFound, false, "volume "+c.Spec.VolumeName+" requested by the claim does not exist")
	}
	v := &pvs[i]
	ref := v.Spec.ClaimRef
	if ref == nil {
		if why := unsatisfied(v, c, o); why != "" {
			return pending(c, ReasonVolumeMismatch, true, "cannot bind to requested volume "+v.Name+": "+why)
		}
		return bindResult(pvs, i, c, ReasonVolumeNamed, false, o.Release)
	}
	k := newClaimKey(c)
	if k.refersTo(ref) {
		return bindResult(pvs, i, c, ReasonVolumeNamed, true, o.Release)
	}
	if !hasKey(c.Annotations, AnnBoundByController) {
		return pending(c, ReasonFailedBinding, true, "volume "+v.Name+" already bound to a different claim")
	}
	return Result{Action: ActionNone, Reason: ReasonBindConflict, Warning: true, Index: i, Volume: v.Name,
		Message: "claim was bound by the controller to volume " + v.Name + ", which now belongs to claim " + ref.Namespace + "/" + ref.Name,
		Status:  c.Status}
}

// unsatisfied is why a named, unclaimed volume does not satisfy the
// claim, or "".
func unsatisfied(v *Volume, c *Claim, o *Options) string {
	if !v.DeletionTimestamp.IsZero() {
		return "the volume is marked for deletion"
	}
	if v.Spec.Capacity.CeilBytes().Cmp(c.Spec.Request.CeilBytes()) < 0 {
		return "requested PV is too small"
	}
	if VolumeClass(v) != ClaimClass(c) {
		return "storageClassName does not match"
	}
	k := newClaimKey(c)
	if !vacEnabled(o.Release) {
		if k.vac != "" || v.Spec.VolumeAttributesClassName != nil && *v.Spec.VolumeAttributesClassName != "" {
			return "volumeAttributesClassName is not supported when the feature-gate VolumeAttributesClass is disabled"
		}
	} else if vacReject(v, &k, &MatchOptions{}) != "" {
		return "volumeAttributesClassName does not match"
	}
	if normMode(v.Spec.VolumeMode) != normMode(c.Spec.VolumeMode) {
		return "incompatible volumeMode"
	}
	if modesOf(v.Spec.AccessModes)&k.modes != k.modes {
		return "incompatible accessMode"
	}
	return ""
}

// syncBoundClaim is a claim that finished binding once.
func syncBoundClaim(pvs []Volume, c *Claim, rel Release) Result {
	lost := func(reason Reason, msg string) Result {
		if c.Status.Phase == ClaimLost {
			// Already Lost: Kubernetes writes nothing and sends no event again.
			return Result{Action: ActionNone, Reason: reason, Message: msg, Index: -1, Status: c.Status}
		}
		return Result{Action: ActionMarkLost, Reason: reason, Warning: true, Message: msg, Index: -1,
			Status: ClaimStatus{Phase: ClaimLost}}
	}
	if c.Spec.VolumeName == "" {
		return lost(ReasonClaimLost, "bound claim has lost reference to its volume; data on the volume is lost")
	}
	i := findVolume(pvs, c.Spec.VolumeName)
	if i < 0 {
		return lost(ReasonClaimLost, "bound claim has lost its volume "+c.Spec.VolumeName+"; data on the volume is lost")
	}
	v := &pvs[i]
	if v.Spec.ClaimRef == nil || v.Spec.ClaimRef.UID == c.UID {
		return bindResult(pvs, i, c, ReasonVolumeNamed, v.Spec.ClaimRef != nil, rel)
	}
	r := lost(ReasonClaimMisbound, "two claims are bound to the same volume "+v.Name+"; this one is bound incorrectly")
	r.Volume, r.Index = v.Name, i
	return r
}
