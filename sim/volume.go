package sim

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/purectl/purectl/statefulset"
	"github.com/purectl/purectl/volume"
)

// hostnameLabel is the node label a provisioned volume's node affinity uses.
const hostnameLabel = "kubernetes.io/hostname"

// stepVolumes is one pass of garbage collection for claims whose owners are
// gone and of the PV controller over every claim (volume.BindClaims), with
// an external provisioner that creates each volume it is asked for at once.
func (w *World) stepVolumes(pass *Pass) error {
	w.collectClaims(pass)
	w.removeDeletedClaims(pass)
	if err := w.bindClaims(pass); err != nil {
		return err
	}
	return w.syncVolumes(pass)
}

// bindClaims is the PV controller's claim worker: it decides every claim
// not yet Bound to a volume that names it, all together.
func (w *World) bindClaims(pass *Pass) error {
	if len(w.Claims) == 0 {
		return nil
	}
	for i := range w.Volumes {
		// syncVolume: a new volume no claim names is Available.
		if v := &w.Volumes[i]; v.Status.Phase == "" || v.Status.Phase == volume.VolumePending {
			v.Status.Phase = volume.VolumeAvailable
		}
	}
	// A claim Bound to a volume that names it has nothing more to decide
	// (syncBoundClaim writes nothing); the others are decided together.
	byName := make(map[string]*volume.Volume, len(w.Volumes))
	for i := range w.Volumes {
		byName[w.Volumes[i].Name] = &w.Volumes[i]
	}
	var claims []volume.Claim
	var idx []int
	for i := range w.Claims {
		c := &w.Claims[i].Claim
		if v := byName[c.Spec.VolumeName]; c.Status.Phase == volume.ClaimBound && v != nil && boundTo(v, c) && v.Status.Phase == volume.VolumeBound {
			continue
		}
		claims = append(claims, *c)
		idx = append(idx, i)
	}
	if len(claims) == 0 {
		return nil
	}
	res, err := volume.BindClaims(w.Volumes, claims, volume.Options{Classes: w.StorageClasses, Pods: w.volumePods(), Release: w.VolumeRelease})
	// A claim whose sync fails (volume.ClaimErrors) keeps only the
	// annotation write made before the failure, and is tried again on the
	// next pass; the others go on, as in the controller.
	var failed volume.ClaimErrors
	if err != nil && !errors.As(err, &failed) {
		return fmt.Errorf("persistentvolume-controller: %w", err)
	}
	for k, r := range res {
		c := &w.Claims[idx[k]]
		c.why = r.Message
		if i := slices.IndexFunc(failed, func(f *volume.ClaimError) bool { return f.Index == k }); i >= 0 {
			c.why = "the claim's sync fails: " + failed[i].Err.Error()
		}
		object := "persistentvolumeclaim/" + c.Namespace + "/" + c.Name
		act := func(verb, target string) {
			pass.Actions = append(pass.Actions, Action{Object: object, Verb: verb, Target: target, Reason: string(r.Reason), Message: r.Message})
		}
		switch r.Action {
		case volume.ActionBind:
			// The controller writes the volume (its claimRef, annotation
			// and phase) and then the claim; a refused write ends the
			// binding there. After a refused claim write the volume stays
			// reserved for the claim, and the next pass finishes the
			// binding from it. (Each object's spec and status writes are
			// taken as one here.)
			if w.lose("persistentvolume/"+r.Volume, "bind", c.Namespace+"/"+c.Name) {
				pass.Actions = append(pass.Actions, Action{Object: "persistentvolume/" + r.Volume, Verb: "bind", Target: c.Namespace + "/" + c.Name,
					Reason: string(r.Reason), Message: r.Message, Lost: true})
				continue
			}
			if r.Index >= 0 && r.Index < len(w.Volumes) {
				applyVolumeUpdate(&w.Volumes[r.Index], r.VolumeUpdate)
			}
			if w.lose(object, "bind", r.Volume) {
				pass.Actions = append(pass.Actions, Action{Object: object, Verb: "bind", Target: r.Volume, Reason: string(r.Reason), Message: r.Message, Lost: true})
				continue
			}
			applyClaimUpdate(&c.Claim, r.ClaimUpdate)
			c.Status = r.Status
			c.Status.AccessModes = slices.Clone(r.Status.AccessModes)
			act("bind", r.Volume)
		case volume.ActionSetDefaultClass:
			applyClaimUpdate(&c.Claim, r.ClaimUpdate)
			act("update", r.ClaimUpdate.StorageClassName)
		case volume.ActionMarkLost:
			c.Status = r.Status
			c.Status.Phase = volume.ClaimLost
			act("update", r.Volume)
		case volume.ActionProvision:
			applyClaimUpdate(&c.Claim, r.ClaimUpdate)
			name := r.Provision.VolumeName
			done, asked := w.provisioning[name]
			if !asked {
				done = w.Now.Add(w.Lifecycle.Provision)
				if w.provisioning == nil {
					w.provisioning = map[string]time.Time{}
				}
				w.provisioning[name] = done
			}
			if w.Now.Before(done) {
				continue
			}
			delete(w.provisioning, name)
			if w.provision(c, r.Provision) {
				msg := "the external provisioner " + r.Provision.Provisioner + " created volume " + r.Provision.VolumeName
				if r.Provision.SelectedNode != "" {
					msg += " on node " + r.Provision.SelectedNode
				}
				pass.Actions = append(pass.Actions, Action{Object: object, Verb: "provision", Target: r.Provision.VolumeName, Reason: string(r.Reason), Message: msg})
			}
		default:
			applyClaimUpdate(&c.Claim, r.ClaimUpdate)
		}
	}
	return nil
}

// provision creates the volume an external provisioner makes for c:
// pre-bound to the claim, of its request and access modes, reachable from
// the selected node only when binding waited for one. It reports whether
// it created one.
func (w *World) provision(c *Claim, p volume.Provision) bool {
	if slices.ContainsFunc(w.Volumes, func(v volume.Volume) bool { return v.Name == p.VolumeName }) {
		return false
	}
	v := volume.Volume{Name: p.VolumeName, UID: w.nextName("pv-uid-"),
		Annotations: map[string]string{volume.AnnProvisionedBy: p.Provisioner},
		Spec: volume.VolumeSpec{
			ClaimRef:         &volume.ObjectReference{Namespace: c.Namespace, Name: c.Name, UID: c.UID},
			Capacity:         c.Spec.Request,
			AccessModes:      slices.Clone(c.Spec.AccessModes),
			StorageClassName: p.Class,
			VolumeMode:       c.Spec.VolumeMode,
			ReclaimPolicy:    p.ReclaimPolicy,
			Source:           volume.VolumeSource{CSI: &volume.CSISource{Driver: p.Provisioner, VolumeHandle: p.VolumeName}},
		},
		Status: volume.VolumeStatus{Phase: volume.VolumeAvailable}}
	if p.SelectedNode != "" {
		v.Spec.NodeAffinity = &volume.NodeSelector{Terms: []volume.NodeSelectorTerm{{MatchExpressions: []volume.NodeSelectorRequirement{
			{Key: hostnameLabel, Operator: volume.NodeOpIn, Values: []string{p.SelectedNode}}}}}}
	}
	w.Volumes = append(w.Volumes, v)
	return true
}

// collectClaims deletes, as garbage collection does, the claims that have
// owner references and none of whose owners (pods and StatefulSets) is
// left; the volume worker then reclaims their volumes.
func (w *World) collectClaims(pass *Pass) {
	if !slices.ContainsFunc(w.Claims, func(c Claim) bool { return len(c.OwnerRefs) > 0 }) {
		return
	}
	alive := map[string]bool{}
	for i := range w.Pods {
		alive[w.Pods[i].UID] = true
	}
	for i := range w.StatefulSets {
		alive[w.StatefulSets[i].UID] = true
	}
	w.Claims = slices.DeleteFunc(w.Claims, func(c Claim) bool {
		if len(c.OwnerRefs) == 0 || slices.ContainsFunc(c.OwnerRefs, func(r statefulset.OwnerRef) bool { return alive[r.UID] }) {
			return false
		}
		pass.Actions = append(pass.Actions, Action{Object: "persistentvolumeclaim/" + c.Namespace + "/" + c.Name,
			Verb: "delete", Target: c.Name, Reason: "GarbageCollected", Message: "every owner of the claim is gone"})
		return true
	})
}

// removeDeletedClaims removes the claims being deleted (DeleteClaim) that
// no pod uses any more, as the PVC protection controller lets them go.
func (w *World) removeDeletedClaims(pass *Pass) {
	w.Claims = slices.DeleteFunc(w.Claims, func(c Claim) bool {
		if c.DeletionTimestamp.IsZero() || w.claimInUse(c.Namespace, c.Name) {
			return false
		}
		pass.Actions = append(pass.Actions, Action{Object: "persistentvolumeclaim/" + c.Namespace + "/" + c.Name,
			Verb: "delete", Target: c.Name, Reason: "ClaimDeleted", Message: "the claim was deleted and no pod uses it"})
		return true
	})
}

// claimInUse reports whether a pod that has not ended names the claim.
func (w *World) claimInUse(ns, name string) bool {
	return slices.ContainsFunc(w.Pods, func(p Pod) bool {
		return p.Namespace == ns && (p.Phase == Pending || p.Phase == Running) &&
			slices.ContainsFunc(p.Volumes, func(v statefulset.Volume) bool { return v.ClaimName == name })
	})
}

// syncVolumes is the PV controller's volume worker (volume.SyncVolume)
// over every volume: it sets phases, unbinds a volume whose claim is bound
// to another, and reclaims a volume whose claim is gone under its policy.
// A volume to be deleted (by an in-tree plugin, or by the external
// provisioner or CSI driver the controller leaves it to) is gone at once;
// one to be recycled is scrubbed at once and Available. Finalizer and
// annotation writes are not modelled.
func (w *World) syncVolumes(pass *Pass) error {
	if len(w.Volumes) == 0 {
		return nil
	}
	claims := make(map[string]*volume.Claim, len(w.Claims))
	for i := range w.Claims {
		c := &w.Claims[i].Claim
		claims[c.Namespace+"/"+c.Name] = c
	}
	pods := w.volumePods()
	gone := map[string]bool{}
	for i := range w.Volumes {
		v := &w.Volumes[i]
		var claim *volume.Claim
		if ref := v.Spec.ClaimRef; ref != nil {
			claim = claims[ref.Namespace+"/"+ref.Name]
		}
		r, err := volume.SyncVolume(*v, claim, pods, w.VolumeRelease)
		if err != nil {
			return fmt.Errorf("persistentvolume-controller: volume %s: %w", v.Name, err)
		}
		act := func(verb string) {
			pass.Actions = append(pass.Actions, Action{Object: "persistentvolume/" + v.Name, Verb: verb, Target: v.Name, Reason: string(r.Reason), Message: r.Message})
		}
		if r.Phase != "" {
			v.Status.Phase = r.Phase
		}
		switch {
		case r.Action == volume.VolumeDeleteAsset || r.External && r.Status.Phase == volume.VolumeReleased && v.Spec.ReclaimPolicy == volume.Delete:
			gone[v.Name] = true
			act("delete")
			continue
		case r.ClearClaimRef:
			v.Spec.ClaimRef = nil
			if _, ok := v.Annotations[volume.AnnBoundByController]; ok {
				v.Annotations = maps.Clone(v.Annotations)
				delete(v.Annotations, volume.AnnBoundByController)
			}
		case r.ClearClaimRefUID && v.Spec.ClaimRef != nil:
			ref := *v.Spec.ClaimRef
			ref.UID = ""
			v.Spec.ClaimRef = &ref
		default:
			continue
		}
		act("update")
	}
	if len(gone) > 0 {
		w.Volumes = slices.DeleteFunc(w.Volumes, func(v volume.Volume) bool { return gone[v.Name] })
	}
	return nil
}

func boundTo(v *volume.Volume, c *volume.Claim) bool {
	r := v.Spec.ClaimRef
	return r != nil && r.Namespace == c.Namespace && r.Name == c.Name && r.UID == c.UID
}

// schedule is the scheduler's volume binding for StatefulSet pods that have
// no node yet: the first node, fewest pods first, on which every claim of
// the pod can be satisfied (volume.SchedulePod); there the claims with
// delayed binding get their volume reserved (claimRef) or the node
// selected for provisioning, and the pod is bound to the node. Pods wait
// for a claim that does not exist yet. Without nodes nothing is scheduled.
func (w *World) schedule(pass *Pass) error {
	waiting := func(p *Pod) bool {
		return p.Kind == KindStatefulSet && p.Target == "" && p.Node == "" && p.Phase == Pending && p.Deleted.IsZero()
	}
	if len(w.Nodes) == 0 || !slices.ContainsFunc(w.Pods, func(p Pod) bool { return waiting(&p) }) {
		return nil
	}
	load := map[string]int{}
	for i := range w.Pods {
		if p := &w.Pods[i]; p.Deleted.IsZero() {
			load[cmpOr(p.Node, p.Target)]++
		}
	}
	order := make([]int, len(w.Nodes))
	for i := range order {
		order[i] = i
	}
	for i := range w.Pods {
		p := &w.Pods[i]
		if !waiting(p) {
			continue
		}
		var claims []volume.Claim
		var idx []int
		missing := false
		for _, v := range p.Volumes {
			if v.ClaimName == "" {
				continue
			}
			k := w.findClaim(p.Namespace, v.ClaimName)
			if k < 0 {
				missing = true
				break
			}
			claims = append(claims, w.Claims[k].Claim)
			idx = append(idx, k)
		}
		if missing {
			continue
		}
		slices.SortStableFunc(order, func(a, b int) int { return load[w.Nodes[a].Name] - load[w.Nodes[b].Name] })
		var why []string
		for _, ni := range order {
			n := volume.Node{Name: w.Nodes[ni].Name, Labels: w.Nodes[ni].Labels}
			pv, err := volume.SchedulePod(w.Volumes, claims, volume.Options{Classes: w.StorageClasses, Node: &n, Release: w.VolumeRelease})
			if err != nil {
				return fmt.Errorf("scheduler: pod %s/%s: %w", p.Namespace, p.Name, err)
			}
			if !pv.Feasible {
				why = append(why, n.Name+": "+pv.Message)
				continue
			}
			for j, r := range pv.Claims {
				switch r.Action {
				case volume.ActionBind:
					if r.Index >= 0 && r.Index < len(w.Volumes) {
						applyVolumeUpdate(&w.Volumes[r.Index], r.VolumeUpdate)
					}
				case volume.ActionProvision:
					applyClaimUpdate(&w.Claims[idx[j]].Claim, r.ClaimUpdate)
				}
			}
			p.Target = n.Name
			p.why = ""
			load[n.Name]++
			pass.Actions = append(pass.Actions, Action{Object: "pod/" + p.Namespace + "/" + p.Name, Verb: "schedule", Target: n.Name,
				Reason: "Scheduled", Message: "pod bound to node " + n.Name + "; " + pv.Message})
			break
		}
		if p.Target == "" {
			p.why = "no node fits its volumes: " + strings.Join(why, "; ")
		}
	}
	return nil
}

// volumePods are the world's pods as the PV controller sees them.
func (w *World) volumePods() []volume.Pod {
	var out []volume.Pod
	for i := range w.Pods {
		p := &w.Pods[i]
		if len(p.Volumes) == 0 {
			continue
		}
		vp := volume.Pod{Namespace: p.Namespace, Name: p.Name, UID: p.UID, NodeName: p.Node, Phase: volume.PodPhase(p.Phase)}
		if !p.Deleted.IsZero() {
			t := p.Deleted
			vp.DeletionTimestamp = &t
		}
		for _, v := range p.Volumes {
			if v.ClaimName != "" {
				vp.Claims = append(vp.Claims, v.ClaimName)
			}
		}
		out = append(out, vp)
	}
	return out
}

func applyVolumeUpdate(v *volume.Volume, u volume.VolumeUpdate) {
	if u.SetClaimRef {
		ref := u.ClaimRef
		v.Spec.ClaimRef = &ref
	}
	if u.AddBoundByController {
		v.Annotations = withAnnotation(v.Annotations, volume.AnnBoundByController, "yes")
	}
	if u.Phase != "" {
		v.Status.Phase = u.Phase
	}
}

func applyClaimUpdate(c *volume.Claim, u volume.ClaimUpdate) {
	if u.VolumeName != "" {
		c.Spec.VolumeName = u.VolumeName
	}
	if u.AddBoundByController {
		c.Annotations = withAnnotation(c.Annotations, volume.AnnBoundByController, "yes")
	}
	if u.AddBindCompleted {
		c.Annotations = withAnnotation(c.Annotations, volume.AnnBindCompleted, "yes")
	}
	if u.SetStorageClassName {
		name := u.StorageClassName
		c.Spec.StorageClassName = &name
	}
	if u.StorageProvisioner != "" {
		c.Annotations = withAnnotation(c.Annotations, volume.AnnStorageProvisioner, u.StorageProvisioner)
		c.Annotations[volume.AnnBetaStorageProvisioner] = u.StorageProvisioner
	}
	if u.RemoveSelectedNode && c.Annotations != nil {
		c.Annotations = maps.Clone(c.Annotations)
		delete(c.Annotations, volume.AnnSelectedNode)
	}
	if u.SelectedNode != "" {
		c.Annotations = withAnnotation(c.Annotations, volume.AnnSelectedNode, u.SelectedNode)
	}
	for k, v := range u.SetAnnotations {
		c.Annotations = withAnnotation(c.Annotations, k, v)
	}
	if len(u.RemoveAnnotations) > 0 && c.Annotations != nil {
		c.Annotations = maps.Clone(c.Annotations)
		for _, k := range u.RemoveAnnotations {
			delete(c.Annotations, k)
		}
	}
}

// withAnnotation returns a copy of m with k set to v.
func withAnnotation(m map[string]string, k, v string) map[string]string {
	out := make(map[string]string, len(m)+1)
	maps.Copy(out, m)
	out[k] = v
	return out
}
