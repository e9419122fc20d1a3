package volume

import (
	"fmt"
	"sort"
	"testing"

	"pgregory.net/rapid"
)

// world is a tiny in-memory cluster: the PV controller's decisions are
// applied to it as a controller would write them.
type world struct {
	pvs     map[string]*Volume
	claims  map[string]*Claim
	classes []StorageClass
	nextUID int
}

func (w *world) volumeList() []Volume {
	names := make([]string, 0, len(w.pvs))
	for n := range w.pvs {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]Volume, 0, len(names))
	for _, n := range names {
		out = append(out, *w.pvs[n])
	}
	return out
}

func (w *world) claimNames() []string {
	names := make([]string, 0, len(w.claims))
	for n := range w.claims {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func setAnn(m *map[string]string, k string) {
	if *m == nil {
		*m = map[string]string{}
	}
	(*m)[k] = "yes"
}

// applyClaim writes a claim decision into the world.
func (w *world) applyClaim(c *Claim, r Result) {
	switch r.Action {
	case ActionBind:
		v := w.pvs[r.Volume]
		vu, cu := r.VolumeUpdate, r.ClaimUpdate
		if vu.SetClaimRef {
			ref := vu.ClaimRef
			v.Spec.ClaimRef = &ref
		}
		if vu.AddBoundByController {
			setAnn(&v.Annotations, AnnBoundByController)
		}
		if vu.Phase != "" {
			v.Status.Phase = vu.Phase
		}
		if cu.VolumeName != "" {
			c.Spec.VolumeName = cu.VolumeName
		}
		if cu.AddBoundByController {
			setAnn(&c.Annotations, AnnBoundByController)
		}
		if cu.AddBindCompleted {
			setAnn(&c.Annotations, AnnBindCompleted)
		}
	case ActionSetDefaultClass:
		c.Spec.StorageClassName = strp(r.ClaimUpdate.StorageClassName)
	case ActionProvision:
		// The external provisioner makes a volume of exactly the request.
		v := Volume{Name: r.Provision.VolumeName,
			Annotations: map[string]string{AnnBoundByController: "yes", AnnProvisionedBy: r.Provision.Provisioner},
			Spec: VolumeSpec{Capacity: c.Spec.Request, AccessModes: c.Spec.AccessModes, StorageClassName: r.Provision.Class,
				ReclaimPolicy: r.Provision.ReclaimPolicy, VolumeMode: c.Spec.VolumeMode,
				ClaimRef: &ObjectReference{Namespace: c.Namespace, Name: c.Name, UID: c.UID},
				Source:   VolumeSource{CSI: &CSISource{Driver: r.Provision.Provisioner, VolumeHandle: c.UID}}},
			Status: VolumeStatus{Phase: VolumeBound}}
		w.pvs[v.Name] = &v
	}
	c.Status.Phase = r.Status.Phase
	c.Status.Capacity = r.Status.Capacity
	c.Status.AccessModes = r.Status.AccessModes
}

// applyVolume writes a volume decision into the world.
func (w *world) applyVolume(v *Volume, r VolumeResult) {
	if r.Action == VolumeDeleteAsset {
		delete(w.pvs, v.Name)
		return
	}
	if r.ClearClaimRef {
		v.Spec.ClaimRef = nil
		delete(v.Annotations, AnnBoundByController)
	}
	if r.ClearClaimRefUID && v.Spec.ClaimRef != nil {
		ref := *v.Spec.ClaimRef
		ref.UID = ""
		v.Spec.ClaimRef = &ref
	}
	if r.Phase != "" {
		v.Status.Phase = r.Phase
	}
}

// TestLifecycleStateMachine drives claims and volumes through creation,
// binding, provisioning, deletion and reclaim, applying every plan, and
// checks over whole trajectories that no volume serves two claims, that no
// claim is bound below its request, and that phases agree with claimRefs.
func TestLifecycleStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := &world{pvs: map[string]*Volume{}, claims: map[string]*Claim{}, classes: []StorageClass{
			sc("ext", "example.com/ext", Immediate),
			sc("local", "example.com/local", WaitForFirstConsumer),
		}}
		if rapid.Bool().Draw(t, "default-class") {
			w.classes[0].Annotations = map[string]string{AnnDefaultClass: "true"}
		}
		t.Repeat(map[string]func(*rapid.T){
			"createVolume": func(t *rapid.T) {
				n := fmt.Sprintf("pv-%d", len(w.pvs)+w.nextUID)
				w.nextUID++
				v := pv(n, rapid.SampledFrom([]string{"1Gi", "2Gi", "5Gi"}).Draw(t, "size"))
				v.Status.Phase = VolumePending
				v.Spec.AccessModes = drawModes(t, "modes")
				v.Spec.StorageClassName = rapid.SampledFrom([]string{"", "ext", "local"}).Draw(t, "class")
				v.Spec.ReclaimPolicy = rapid.SampledFrom([]ReclaimPolicy{Retain, Delete, Recycle}).Draw(t, "policy")
				if rapid.IntRange(0, 3).Draw(t, "prebind") == 0 {
					v.Spec.ClaimRef = &ObjectReference{Namespace: "default", Name: rapid.SampledFrom(genClaims).Draw(t, "for")}
				}
				w.pvs[n] = &v
			},
			"createClaim": func(t *rapid.T) {
				n := rapid.SampledFrom(genClaims).Draw(t, "claim")
				if w.claims[n] != nil {
					t.Skip("exists")
				}
				w.nextUID++
				c := pvc(n, rapid.SampledFrom([]string{"1Gi", "1500Mi", "3Gi"}).Draw(t, "size"))
				c.UID = fmt.Sprintf("uid-%s-%d", n, w.nextUID)
				c.Spec.AccessModes = drawModes(t, "modes")
				if cl := rapid.SampledFrom([]string{"-", "", "ext", "local"}).Draw(t, "class"); cl != "-" {
					c.Spec.StorageClassName = strp(cl)
				}
				w.claims[n] = &c
			},
			"deleteClaim": func(t *rapid.T) {
				names := w.claimNames()
				if len(names) == 0 {
					t.Skip("no claims")
				}
				delete(w.claims, rapid.SampledFrom(names).Draw(t, "victim"))
			},
			"syncClaim": func(t *rapid.T) {
				names := w.claimNames()
				if len(names) == 0 {
					t.Skip("no claims")
				}
				c := w.claims[rapid.SampledFrom(names).Draw(t, "claim")]
				opts := Options{Classes: w.classes}
				if rapid.IntRange(0, 3).Draw(t, "sched") == 0 {
					opts.Node = &Node{Name: "n1"}
				}
				r, err := BindPVC(w.volumeList(), *c, opts)
				if err != nil {
					t.Fatal(err)
				}
				if r.Message == "" || r.Reason == "" {
					t.Fatalf("result without reason or message: %+v", r)
				}
				if opts.Node != nil {
					// The scheduler only pre-binds the volume or picks
					// the node for provisioning.
					if r.Action == ActionBind {
						v := w.pvs[r.Volume]
						if r.VolumeUpdate.SetClaimRef {
							ref := r.VolumeUpdate.ClaimRef
							v.Spec.ClaimRef = &ref
						}
						if r.VolumeUpdate.AddBoundByController {
							setAnn(&v.Annotations, AnnBoundByController)
						}
					}
					if r.ClaimUpdate.SelectedNode != "" {
						if c.Annotations == nil {
							c.Annotations = map[string]string{}
						}
						c.Annotations[AnnSelectedNode] = r.ClaimUpdate.SelectedNode
					}
					return
				}
				w.applyClaim(c, r)
			},
			"syncVolume": func(t *rapid.T) {
				if len(w.pvs) == 0 {
					t.Skip("no volumes")
				}
				list := w.volumeList()
				v := w.pvs[list[rapid.IntRange(0, len(list)-1).Draw(t, "volume")].Name]
				var claim *Claim
				if ref := v.Spec.ClaimRef; ref != nil {
					claim = w.claims[ref.Name]
				}
				r, err := SyncVolume(*v, claim, nil, Release{})
				if err != nil {
					t.Fatal(err)
				}
				w.applyVolume(v, r)
				// Once synced, a volume whose claim is gone is not Available
				// nor Bound.
				if v.Spec.ClaimRef != nil && v.Spec.ClaimRef.UID != "" && w.pvs[v.Name] != nil {
					if c := w.claims[v.Spec.ClaimRef.Name]; c == nil || c.UID != v.Spec.ClaimRef.UID {
						if v.Status.Phase == VolumeAvailable || v.Status.Phase == VolumeBound {
							t.Fatalf("volume %s of a deleted claim is %s after sync", v.Name, v.Status.Phase)
						}
					}
				}
			},
			"": func(t *rapid.T) { checkWorld(t, w) },
		})
	})
}

func checkWorld(t *rapid.T, w *world) {
	owners := map[string]string{}
	for _, n := range w.claimNames() {
		c := w.claims[n]
		if c.Status.Phase != ClaimBound {
			continue
		}
		v := w.pvs[c.Spec.VolumeName]
		if v == nil {
			continue // the next claim sync marks it Lost
		}
		if prev, ok := owners[v.Name]; ok {
			t.Fatalf("volume %s serves claims %s and %s", v.Name, prev, n)
		}
		owners[v.Name] = n
		if v.Spec.ClaimRef != nil && v.Spec.ClaimRef.UID == c.UID && v.Spec.Capacity.CeilBytes().Cmp(c.Spec.Request.CeilBytes()) < 0 {
			t.Fatalf("claim %s (%s) bound to %s (%s)", n, c.Spec.Request, v.Name, v.Spec.Capacity)
		}
	}
	for _, v := range w.volumeList() {
		if v.Status.Phase == VolumeBound && (v.Spec.ClaimRef == nil || v.Spec.ClaimRef.UID == "") {
			t.Fatalf("volume %s is Bound without a claim UID", v.Name)
		}
	}
}
