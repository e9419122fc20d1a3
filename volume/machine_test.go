package volume_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/sim"
	"github.com/purectl/purectl/statefulset"
	"github.com/purectl/purectl/volume"
)

// The lifecycle state machine drives the PV controller in package sim's
// world: users create volumes and claims, delete claims and run pods that
// consume them; every Step runs the controller's claim worker
// (volume.BindClaims), its volume worker (volume.SyncVolume, which
// reclaims under the volume's policy), the external provisioners and the
// scheduler's volume binding.

var (
	machineClaims = []string{"a", "b", "c", "d"}
	machineModes  = []volume.AccessMode{volume.ReadWriteOnce, volume.ReadOnlyMany, volume.ReadWriteMany}
)

func drawAccessModes(t *rapid.T, label string) []volume.AccessMode {
	if rapid.IntRange(0, 5).Draw(t, label+"-rwop") == 0 {
		return []volume.AccessMode{volume.ReadWriteOncePod}
	}
	n := rapid.IntRange(1, 3).Draw(t, label+"-n")
	var out []volume.AccessMode
	for i := range n {
		out = append(out, rapid.SampledFrom(machineModes).Draw(t, fmt.Sprintf("%s-%d", label, i)))
	}
	return out
}

func findClaim(w *sim.World, name string) *sim.Claim {
	i := slices.IndexFunc(w.Claims, func(c sim.Claim) bool { return c.Name == name })
	if i < 0 {
		return nil
	}
	return &w.Claims[i]
}

// TestLifecycleStateMachine drives claims and volumes through creation,
// binding, provisioning, deletion and reclaim, and checks over whole
// trajectories that no volume serves two claims, that no claim is bound
// below its request, that phases agree with claimRefs, and that once the
// volume worker has run a volume whose claim is gone is neither Available
// nor Bound.
func TestLifecycleStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		immediate, wait := volume.Immediate, volume.WaitForFirstConsumer
		w := &sim.World{Now: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC),
			Nodes: []daemonset.Node{{Name: "n1", Labels: map[string]string{"kubernetes.io/hostname": "n1"}}},
			StorageClasses: []volume.StorageClass{
				{Name: "ext", Provisioner: "example.com/ext", VolumeBindingMode: &immediate},
				{Name: "local", Provisioner: "example.com/local", VolumeBindingMode: &wait},
			}}
		if rapid.Bool().Draw(t, "default-class") {
			w.StorageClasses[0].Annotations = map[string]string{volume.AnnDefaultClass: "true"}
		}
		seq := 0
		t.Repeat(map[string]func(*rapid.T){
			"createVolume": func(t *rapid.T) {
				seq++
				n := fmt.Sprintf("pv-%d", seq)
				v := volume.Volume{Name: n, Spec: volume.VolumeSpec{
					Capacity:         volume.MustParseQuantity(rapid.SampledFrom([]string{"1Gi", "2Gi", "5Gi"}).Draw(t, "size")),
					AccessModes:      drawAccessModes(t, "modes"),
					StorageClassName: rapid.SampledFrom([]string{"", "ext", "local"}).Draw(t, "class"),
					ReclaimPolicy:    rapid.SampledFrom([]volume.ReclaimPolicy{volume.Retain, volume.Delete, volume.Recycle}).Draw(t, "policy"),
					Source:           volume.VolumeSource{NFS: &volume.NFSSource{Server: "nfs", Path: "/" + n}}},
					Status: volume.VolumeStatus{Phase: volume.VolumePending}}
				if rapid.IntRange(0, 3).Draw(t, "prebind") == 0 {
					v.Spec.ClaimRef = &volume.ObjectReference{Namespace: "default", Name: rapid.SampledFrom(machineClaims).Draw(t, "for")}
				}
				w.Volumes = append(w.Volumes, v)
			},
			"createClaim": func(t *rapid.T) {
				n := rapid.SampledFrom(machineClaims).Draw(t, "claim")
				if findClaim(w, n) != nil {
					t.Skip("exists")
				}
				seq++
				c := volume.Claim{Namespace: "default", Name: n, UID: fmt.Sprintf("uid-%s-%d", n, seq), Spec: volume.ClaimSpec{
					AccessModes: drawAccessModes(t, "modes"),
					Request:     volume.MustParseQuantity(rapid.SampledFrom([]string{"1Gi", "1500Mi", "3Gi"}).Draw(t, "size"))},
					Status: volume.ClaimStatus{Phase: volume.ClaimPending}}
				if cl := rapid.SampledFrom([]string{"-", "", "ext", "local"}).Draw(t, "class"); cl != "-" {
					c.Spec.StorageClassName = &cl
				}
				w.Claims = append(w.Claims, sim.Claim{Claim: c})
			},
			"deleteClaim": func(t *rapid.T) {
				if len(w.Claims) == 0 {
					t.Skip("no claims")
				}
				// An error is a claim already being deleted (a pod uses it).
				_ = w.DeleteClaim("default", w.Claims[rapid.IntRange(0, len(w.Claims)-1).Draw(t, "victim")].Name)
			},
			"consume": func(t *rapid.T) {
				// A pod that uses a claim: the scheduler picks its node,
				// reserving a volume or selecting the node to provision on.
				n := rapid.SampledFrom(machineClaims).Draw(t, "claim")
				seq++
				w.Pods = append(w.Pods, sim.Pod{Name: fmt.Sprint("user-", seq), Namespace: "default", UID: fmt.Sprint("uid-user-", seq),
					Kind: sim.KindStatefulSet, Index: -1, Phase: sim.Pending, Created: w.Now,
					Volumes: []statefulset.Volume{{Name: "data", ClaimName: n}}})
			},
			"podGone": func(t *rapid.T) {
				var live []string
				for _, p := range w.Pods {
					if p.Deleted.IsZero() {
						live = append(live, p.Name)
					}
				}
				if len(live) == 0 {
					t.Skip("no pods")
				}
				if err := w.DeletePod("default", rapid.SampledFrom(live).Draw(t, "pod")); err != nil {
					t.Fatal(err)
				}
			},
			"step": func(t *rapid.T) {
				pass, err := w.Step()
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range pass.Actions {
					if a.Reason == "" || a.Message == "" {
						t.Fatalf("action without reason or message: %+v", a)
					}
				}
				// Once synced, a volume whose claim is gone is not
				// Available nor Bound.
				for _, v := range w.Volumes {
					ref := v.Spec.ClaimRef
					if ref == nil || ref.UID == "" {
						continue
					}
					if c := findClaim(w, ref.Name); c == nil || c.UID != ref.UID {
						if v.Status.Phase == volume.VolumeAvailable || v.Status.Phase == volume.VolumeBound {
							t.Fatalf("volume %s of a deleted claim is %s after sync", v.Name, v.Status.Phase)
						}
					}
				}
			},
			"": func(t *rapid.T) { checkWorld(t, w) },
		})
	})
}

func checkWorld(t *rapid.T, w *sim.World) {
	owners := map[string]string{}
	for _, c := range w.Claims {
		if c.Status.Phase != volume.ClaimBound {
			continue
		}
		i := slices.IndexFunc(w.Volumes, func(v volume.Volume) bool { return v.Name == c.Spec.VolumeName })
		if i < 0 {
			continue // the next claim sync marks it Lost
		}
		v := &w.Volumes[i]
		if prev, ok := owners[v.Name]; ok {
			t.Fatalf("volume %s serves claims %s and %s", v.Name, prev, c.Name)
		}
		owners[v.Name] = c.Name
		if v.Spec.ClaimRef != nil && v.Spec.ClaimRef.UID == c.UID && v.Spec.Capacity.CeilBytes().Cmp(c.Spec.Request.CeilBytes()) < 0 {
			t.Fatalf("claim %s (%s) bound to %s (%s)", c.Name, c.Spec.Request, v.Name, v.Spec.Capacity)
		}
	}
	for _, v := range w.Volumes {
		if v.Status.Phase == volume.VolumeBound && (v.Spec.ClaimRef == nil || v.Spec.ClaimRef.UID == "") {
			t.Fatalf("volume %s is Bound without a claim UID", v.Name)
		}
	}
}
