package pv

import (
	"flag"
	"fmt"
	"math/big"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
	"github.com/purectl/purectl/volume"
)

// passes is the length of each trajectory; -rapid.checks says how many
// trajectories run (default 100 here, so 2,000 passes).
var passes = flag.Int("pv.passes", 20, "passes per trajectory")

// TestMain runs each property 100 times unless -rapid.checks says otherwise.
func TestMain(m *testing.M) { os.Exit(testmain.Run(m, "100")) }

type pvView struct {
	Phase, Message string
	ClaimRef       string
	Annotations    map[string]string
	Finalizers     []string
}

type pvcView struct {
	Phase, VolumeName string
	Class             string
	Annotations       map[string]string
	Modes             []v1.PersistentVolumeAccessMode
	Capacity          string
	VAC               string
}

func ptr(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// An empty annotation map and none are the same stored object (the API
// omits empty maps), so both read as nil.
func anns(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// view is what the suite compares: every field the controller writes.
// claimRef is compared by namespace, name and UID (the controller also
// records the claim's resourceVersion, which only its fake API server
// numbers); quantities by exact value, whatever their spelling.
func view(c *cluster) (map[string]pvView, map[string]pvcView) {
	pvs := map[string]pvView{}
	for n, pv := range c.pvs {
		v := pvView{Phase: string(pv.Status.Phase), Message: pv.Status.Message, Annotations: anns(pv.Annotations), Finalizers: pv.Finalizers}
		if r := pv.Spec.ClaimRef; r != nil {
			v.ClaimRef = r.Namespace + "/" + r.Name + "/" + string(r.UID)
		}
		if len(v.Finalizers) == 0 {
			v.Finalizers = nil
		}
		pvs[n] = v
	}
	pvcs := map[string]pvcView{}
	for k, pvc := range c.pvcs {
		v := pvcView{Phase: string(pvc.Status.Phase), VolumeName: pvc.Spec.VolumeName, Class: ptr(pvc.Spec.StorageClassName),
			Annotations: anns(pvc.Annotations), Modes: pvc.Status.AccessModes, VAC: ptr(pvc.Status.CurrentVolumeAttributesClassName)}
		if len(v.Modes) == 0 {
			v.Modes = nil
		}
		if q, ok := pvc.Status.Capacity[v1.ResourceStorage]; ok {
			r, _ := new(big.Rat).SetString(q.AsDec().String())
			v.Capacity = r.RatString()
		}
		pvcs[k] = v
	}
	return pvs, pvcs
}

func describe(c *cluster) string {
	var b strings.Builder
	for _, sc := range c.classes {
		fmt.Fprintf(&b, "  class %s provisioner=%s mode=%s ann=%v\n", sc.Name, sc.Provisioner, *sc.VolumeBindingMode, sc.Annotations)
	}
	for _, pv := range c.volumes() {
		q := pv.Spec.Capacity[v1.ResourceStorage]
		fmt.Fprintf(&b, "  pv %s cap=%s modes=%v class=%q mode=%v vac=%s policy=%s phase=%s ref=%v ann=%v fin=%v del=%v src=%s labels=%v\n",
			pv.Name, q.String(), pv.Spec.AccessModes, pv.Spec.StorageClassName, *pv.Spec.VolumeMode, ptr(pv.Spec.VolumeAttributesClassName),
			pv.Spec.PersistentVolumeReclaimPolicy, pv.Status.Phase, refString(pv.Spec.ClaimRef), pv.Annotations, pv.Finalizers,
			pv.DeletionTimestamp != nil, source(pv), pv.Labels)
	}
	for _, pvc := range c.claims() {
		q := pvc.Spec.Resources.Requests[v1.ResourceStorage]
		fmt.Fprintf(&b, "  pvc %s uid=%s req=%s modes=%v class=%s mode=%v vac=%s sel=%v volumeName=%q ann=%v phase=%s\n",
			pvc.Name, pvc.UID, q.String(), pvc.Spec.AccessModes, ptr(pvc.Spec.StorageClassName), *pvc.Spec.VolumeMode,
			ptr(pvc.Spec.VolumeAttributesClassName), pvc.Spec.Selector, pvc.Spec.VolumeName, pvc.Annotations, pvc.Status.Phase)
	}
	for _, p := range c.pods {
		fmt.Fprintf(&b, "  pod %s/%s node=%q phase=%s del=%v vols=%d\n", p.Namespace, p.Name, p.Spec.NodeName, p.Status.Phase, p.DeletionTimestamp != nil, len(p.Spec.Volumes))
	}
	return b.String()
}

func refString(r *v1.ObjectReference) string {
	if r == nil {
		return "-"
	}
	return r.Namespace + "/" + r.Name + "/" + string(r.UID)
}

func source(pv *v1.PersistentVolume) string {
	switch {
	case pv.Spec.HostPath != nil:
		return "hostPath:" + pv.Spec.HostPath.Path
	case pv.Spec.NFS != nil:
		return "nfs"
	case pv.Spec.CSI != nil:
		return "csi"
	case pv.Spec.ISCSI != nil:
		return "iscsi"
	case pv.Spec.Local != nil:
		return "local"
	}
	return "?"
}

// kubernetesPass runs the real controller over the cluster: syncClaim for
// every claim (in claimOrder), then syncVolume for every volume by name, in
// one controller whose caches see its own writes.
func kubernetesPass(c *cluster) (*cluster, []step) {
	u := newUpstream(c)
	var steps []step
	for _, pvc := range claimOrder(c.claims()) {
		steps = append(steps, u.syncClaim(pvc.Namespace+"/"+pvc.Name))
	}
	for _, pv := range c.volumes() {
		steps = append(steps, u.syncVolume(pv.Name))
	}
	return u.state(c), steps
}

func TestControllerTrajectories(t *testing.T) {
	total := 0
	seen := map[string]int{}
	placed = seen
	t.Cleanup(func() {
		if err := useRelease(nil); err != nil {
			t.Error(err)
		}
	})
	rapid.Check(t, func(rt *rapid.T) {
		gates := drawGates(rt)
		if err := useRelease(gates); err != nil {
			rt.Fatal(err)
		}
		if gates != nil {
			seen["VolumeAttributesClass off"]++
		}
		c := genCluster(rt)
		for pass := 0; pass < *passes; pass++ {
			before := describe(c)
			want, wantSteps := kubernetesPass(c)
			if mapOrder(c, false) || setOrder(c) {
				// Which of two volumes reserved for one claim the
				// controller binds is its cache's map order: no answer to
				// compare. The trajectory goes on from its choice.
				seen["skipped: map order"]++
				c = want
				evolve(rt, c)
				continue
			}
			got, gotSteps, err := ours(c)
			if err != nil {
				rt.Fatalf("pass %d: purectl error %v\nstate:\n%s", pass, err, before)
			}
			wpv, wpvc := view(want)
			gpv, gpvc := view(got)
			if d := cmp.Diff(wpv, gpv); d != "" {
				rt.Fatalf("pass %d: volumes differ (-kubernetes +purectl):\n%s\nstate:\n%s\nkubernetes: %+v\npurectl: %+v", pass, d, before, wantSteps, gotSteps)
			}
			if d := cmp.Diff(wpvc, gpvc); d != "" {
				rt.Fatalf("pass %d: claims differ (-kubernetes +purectl):\n%s\nstate:\n%s\nkubernetes: %+v\npurectl: %+v", pass, d, before, wantSteps, gotSteps)
			}
			if d := cmp.Diff(wantSteps, gotSteps); d != "" {
				rt.Fatalf("pass %d: errors, events or plugin calls differ (-kubernetes +purectl):\n%s\nstate:\n%s", pass, d, before)
			}
			tally(seen, c, want, wantSteps)
			total++
			c = want
			evolve(rt, c)
		}
	})
	t.Logf("%d passes compared; outcomes: %v", total, seen)
	if !t.Failed() {
		// Outcomes every run of 2,000 passes reaches dozens of times; the
		// rarer ones (an in-tree delete, a scheduler pre-binding: a handful
		// per 2,000 passes) are required only of longer runs, so that the
		// default run cannot fail by bad luck.
		required := []string{"bind", "release", "unbind", "Normal ExternalProvisioning", "Warning ProvisioningFailed",
			"Normal WaitForFirstConsumer", "Warning ClaimLost", "default class", "placed", "placed with provisioning", "no fit"}
		if total >= 10000 {
			required = append(required, "delete", "recycle", "Warning VolumeFailedDelete", "placed with a bind")
		}
		for _, k := range required {
			if seen[k] == 0 {
				t.Errorf("no pass produced %q: the generator misses a case", k)
			}
		}
	}
}

// tally counts what the real controller did in a pass, to show (and check)
// that the trajectories reach every kind of decision.
func tally(seen map[string]int, before, after *cluster, steps []step) {
	for _, s := range steps {
		for _, e := range s.Events {
			seen[e]++
		}
		for _, op := range s.Ops {
			seen[strings.Fields(op)[0]]++
		}
	}
	for k, pvc := range after.pvcs {
		old := before.pvcs[k]
		if pvc.Status.Phase == v1.ClaimBound && old.Status.Phase != v1.ClaimBound {
			seen["bind"]++
		}
		if old.Spec.StorageClassName == nil && pvc.Spec.StorageClassName != nil {
			seen["default class"]++
		}
	}
	for n, pv := range after.pvs {
		old := before.pvs[n]
		if old == nil {
			continue
		}
		if pv.Status.Phase == v1.VolumeReleased && old.Status.Phase != v1.VolumeReleased {
			seen["release"]++
		}
		if old.Spec.ClaimRef != nil && old.Spec.ClaimRef.UID != "" && (pv.Spec.ClaimRef == nil || pv.Spec.ClaimRef.UID == "") {
			seen["unbind"]++
		}
	}
}

// evolve applies what happens between two passes: users, pods, the
// external provisioner and deleter, an administrator, and time.
func evolve(t *rapid.T, c *cluster) {
	c.now = c.now.Add(time.Duration(rapid.IntRange(1, 86400).Draw(t, "elapsed")) * time.Second)
	for i, n := 0, rapid.IntRange(0, 2).Draw(t, "nEvents"); i < n; i++ {
		switch rapid.IntRange(0, 13).Draw(t, "event") {
		case 0: // a new volume
			if pv := genVolume(t, c, c.usedCapacities()); pv != nil {
				c.addVolume(pv)
			}
		case 1: // a new claim
			var names []string
			for _, pv := range c.volumes() {
				names = append(names, pv.Name)
			}
			if pvc := genClaim(t, c, names); pvc != nil {
				c.addClaim(pvc)
			}
		case 2: // a claim is deleted
			if cl := c.claims(); len(cl) > 0 {
				pvc := rapid.SampledFrom(cl).Draw(t, "deleteClaim")
				delete(c.pvcs, pvc.Namespace+"/"+pvc.Name)
			}
		case 3: // a volume is deleted, or marked for deletion
			if vs := c.volumes(); len(vs) > 0 {
				pv := rapid.SampledFrom(vs).Draw(t, "deleteVolume")
				if rapid.Bool().Draw(t, "volumeGone") {
					delete(c.pvs, pv.Name)
				} else if pv.DeletionTimestamp == nil {
					ts := metav1.NewTime(c.now)
					pv.DeletionTimestamp = &ts
				}
			}
		case 4: // a pod
			c.pods = append(c.pods, genPod(t, c))
		case 5: // a pod finishes or is deleted
			if len(c.pods) > 0 {
				i := rapid.IntRange(0, len(c.pods)-1).Draw(t, "pod")
				switch rapid.IntRange(0, 2).Draw(t, "podChange") {
				case 0:
					c.pods[i].Status.Phase = v1.PodSucceeded
				case 1:
					ts := metav1.NewTime(c.now)
					c.pods[i].DeletionTimestamp = &ts
				default:
					c.pods = append(c.pods[:i:i], c.pods[i+1:]...)
				}
			}
		case 6: // the external provisioner makes a volume for a claim that asks it
			externalProvision(t, c)
		case 7: // the external deleter removes a released volume it provisioned
			for _, pv := range c.volumes() {
				if pv.Annotations["pv.kubernetes.io/provisioned-by"] == "example.com/ext" && pv.Status.Phase == v1.VolumeReleased &&
					pv.Spec.PersistentVolumeReclaimPolicy == v1.PersistentVolumeReclaimDelete {
					delete(c.pvs, pv.Name)
				}
			}
		case 8: // an administrator clears the claimRef of a released volume
			for _, pv := range c.volumes() {
				if pv.Status.Phase == v1.VolumeReleased && rapid.Bool().Draw(t, "adminClears") {
					pv.Spec.ClaimRef = nil
				}
			}
		case 9: // a user pre-binds a volume to a claim name
			if vs := c.volumes(); len(vs) > 0 {
				pv := rapid.SampledFrom(vs).Draw(t, "prebind")
				name := rapid.SampledFrom(claimNames).Draw(t, "prebindName")
				if pv.Spec.ClaimRef == nil && !c.refTaken(name) {
					pv.Spec.ClaimRef = &v1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: ns, Name: name}
				}
			}
		case 10, 12, 13: // the scheduler places a pending pod
			schedulePod(t, c)
		case 11: // the default class changes
			if len(c.classes) > 0 {
				sc := rapid.SampledFrom(c.classes).Draw(t, "defaultClass")
				if sc.Annotations["storageclass.kubernetes.io/is-default-class"] == "true" {
					sc.Annotations = nil
				} else {
					sc.Annotations = map[string]string{"storageclass.kubernetes.io/is-default-class": "true"}
					sc.CreationTimestamp = metav1.NewTime(c.now)
				}
			}
		}
	}
}

// schedulePod asks the real volume binder and purectl where an unscheduled
// pod's claims fit on a node, compares, and on a fit writes the pre-binding
// and selected-node annotations and binds the pod.
// mapOrder reports a state in which two volumes reserved for one unbound
// claim compete: within one access-mode set for the controller (flat, for
// the scheduler), the first one in the cache's map order wins.
func mapOrder(c *cluster, flat bool) bool {
	seen := map[string]bool{}
	for _, pv := range c.pvs {
		r := pv.Spec.ClaimRef
		if r == nil {
			continue
		}
		pvc := c.pvcs[r.Namespace+"/"+r.Name]
		if pvc == nil || pvc.Spec.VolumeName != "" || r.UID != "" && r.UID != pvc.UID {
			continue
		}
		key := r.Namespace + "/" + r.Name
		if !flat {
			key += fmt.Sprint(coveringSet(pv.Spec.AccessModes))
		}
		if seen[key] {
			return true
		}
		seen[key] = true
	}
	return false
}

// setOrder reports whether the controller's choice for a claim it searches
// for depends on the order of two access-mode sets of one size: it searches
// the sets fewest modes first (allPossibleMatchingAccessModes sorts by size
// only, keys from a map), so when the smallest sets holding a volume the
// claim would take are two, which one wins is the map's order.
func setOrder(c *cluster) bool {
	pvs := c.volumes()
	vs := make([]volume.Volume, len(pvs))
	for i, pv := range pvs {
		vs[i], _ = adapt.PersistentVolume(pv)
	}
	var classes []volume.StorageClass
	for _, sc := range c.classes {
		classes = append(classes, adapt.StorageClass(sc))
	}
	for _, pvc := range c.claims() {
		if _, done := pvc.Annotations[volume.AnnBindCompleted]; done || pvc.Spec.VolumeName != "" {
			continue
		}
		cl, err := adapt.PersistentVolumeClaim(pvc)
		if err != nil {
			continue
		}
		delayed, _ := volume.IsDelayBinding(&cl, classes)
		bySize := map[int]map[string]bool{}
		smallest := -1
		for _, r := range volume.Explain(vs, &cl, volume.MatchOptions{DelayBinding: delayed, Release: release}) {
			if r.Reason != volume.Chosen && r.Reason != volume.RejectNotBest {
				continue
			}
			set := coveringSet(pvs[r.Index].Spec.AccessModes)
			if bySize[len(set)] == nil {
				bySize[len(set)] = map[string]bool{}
			}
			bySize[len(set)][fmt.Sprint(set)] = true
			if smallest < 0 || len(set) < smallest {
				smallest = len(set)
			}
		}
		if smallest >= 0 && len(bySize[smallest]) > 1 {
			return true
		}
	}
	return false
}

func coveringSet(ms []v1.PersistentVolumeAccessMode) []v1.PersistentVolumeAccessMode {
	var out []v1.PersistentVolumeAccessMode
	set := dedup(ms)
	for _, m := range []v1.PersistentVolumeAccessMode{v1.ReadWriteOnce, v1.ReadOnlyMany, v1.ReadWriteMany, v1.ReadWriteOncePod} {
		if set[m] {
			out = append(out, m)
		}
	}
	return out
}

// placed counts the scheduler's answers (set by the test running).
var placed = map[string]int{}

func schedulePod(t *rapid.T, c *cluster) {
	// A workload that uses claims of delayed binding (or bound ones): the
	// pods the scheduler's volume step is for.
	var usable []string
	for _, pvc := range c.claims() {
		_, done := pvc.Annotations["pv.kubernetes.io/bind-completed"]
		if cls := pvc.Spec.StorageClassName; cls != nil && (*cls == "wait" || *cls == "local") || done && pvc.Spec.VolumeName != "" {
			usable = append(usable, pvc.Name)
		}
	}
	if len(usable) > 0 && rapid.Bool().Draw(t, "newWorkload") {
		n := c.next()
		p := &v1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: fmt.Sprintf("pod-%d", n), UID: types.UID(fmt.Sprintf("pod-uid-%d", n))},
			Status: v1.PodStatus{Phase: v1.PodPending}}
		for _, cl := range rapid.SliceOfNDistinct(rapid.SampledFrom(usable), 1, 2, func(s string) string { return s }).Draw(t, "workloadClaims") {
			p.Spec.Volumes = append(p.Spec.Volumes, v1.Volume{Name: "v-" + cl, VolumeSource: v1.VolumeSource{
				PersistentVolumeClaim: &v1.PersistentVolumeClaimVolumeSource{ClaimName: cl}}})
		}
		c.pods = append(c.pods, p)
		// and, often, a local volume made for it by an administrator
		if rapid.Bool().Draw(t, "localVolume") {
			localVolume(t, c)
		}
	}
	var cands []*v1.Pod
	for _, p := range c.pods {
		if _, ok := podClaims(c, p); ok && p.Namespace == ns && p.Spec.NodeName == "" && p.DeletionTimestamp == nil &&
			p.Status.Phase == v1.PodPending {
			cands = append(cands, p)
		}
	}
	if len(cands) == 0 {
		return
	}
	pod := rapid.SampledFrom(cands).Draw(t, "schedulePod")
	node := rapid.SampledFrom(nodes).Draw(t, "scheduleNode")
	want := kubernetesPlace(c, pod, node)
	if mapOrder(c, true) {
		placed["skipped placement: map order"]++
		return
	}
	got, results, pvcs := ourPlace(c, pod, node)
	if os.Getenv("PV_DEBUG") != "" {
		fmt.Fprintf(os.Stderr, "place %s on %s: %s\n%s\n", pod.Name, node.Name, placementString(want), describe(c))
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("pod %s on %s: placement differs (-kubernetes +purectl):\n%s\nstate:\n%s", pod.Name, node.Name, d, describe(c))
	}
	if got.Feasible {
		applyPlacement(c, pod, node, results, pvcs)
		placed["placed"]++
		if len(got.Binds) > 0 {
			placed["placed with a bind"]++
		}
		if len(got.Provision) > 0 {
			placed["placed with provisioning"]++
		}
	} else {
		placed["no fit"]++
	}
}

func coveringModes(want []v1.PersistentVolumeAccessMode) []v1.PersistentVolumeAccessMode {
	best := modeFamily[len(modeFamily)-1]
	for _, set := range modeFamily {
		ok := true
		for _, m := range want {
			ok = ok && slices.Contains(set, m)
		}
		if ok && len(dedup(set)) < len(dedup(best)) {
			best = set
		}
	}
	return best
}

func dedup(ms []v1.PersistentVolumeAccessMode) map[v1.PersistentVolumeAccessMode]bool {
	out := map[v1.PersistentVolumeAccessMode]bool{}
	for _, m := range ms {
		out[m] = true
	}
	return out
}

// localVolume adds an Available local volume of the delayed class "local"
// on one zone, of a size no other volume has.
func localVolume(t *rapid.T, c *cluster) {
	used := c.usedCapacities()
	var free []string
	for _, q := range capacities {
		if !used[q] {
			free = append(free, q)
		}
	}
	if len(free) == 0 {
		return
	}
	n := c.next()
	q := free[len(free)-1] // the largest size left
	pv := &v1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("pv-%02d", n), UID: types.UID(fmt.Sprintf("pv-uid-%d", n)),
		Labels: map[string]string{"tier": "fast"}},
		Spec: v1.PersistentVolumeSpec{Capacity: v1.ResourceList{v1.ResourceStorage: resource.MustParse(q)},
			AccessModes: modeFamily[len(modeFamily)-1], StorageClassName: "local",
			PersistentVolumeSource: v1.PersistentVolumeSource{Local: &v1.LocalVolumeSource{Path: "/mnt/" + strconv.Itoa(n)}},
			NodeAffinity: &v1.VolumeNodeAffinity{Required: &v1.NodeSelector{NodeSelectorTerms: []v1.NodeSelectorTerm{{
				MatchExpressions: []v1.NodeSelectorRequirement{{Key: "zone", Operator: v1.NodeSelectorOpIn,
					Values: []string{rapid.SampledFrom([]string{"a", "b"}).Draw(t, "localZone")}}}}}}}},
		Status: v1.PersistentVolumeStatus{Phase: v1.VolumeAvailable}}
	c.addVolume(pv)
}

// externalProvision plays the external provisioner: for a claim annotated
// for example.com/ext with no volume named pvc-<uid> yet, it creates that
// volume bound to the claim, sized a little above the request so that no
// two volumes are equally small.
func externalProvision(t *rapid.T, c *cluster) {
	var cands []*v1.PersistentVolumeClaim
	for _, pvc := range c.claims() {
		if pvc.Annotations["volume.kubernetes.io/storage-provisioner"] == "example.com/ext" && pvc.Spec.VolumeName == "" &&
			c.pvs["pvc-"+string(pvc.UID)] == nil {
			cands = append(cands, pvc)
		}
	}
	if len(cands) == 0 {
		return
	}
	pvc := rapid.SampledFrom(cands).Draw(t, "provisionFor")
	for _, pv := range c.pvs {
		if r := pv.Spec.ClaimRef; r != nil && r.Namespace == pvc.Namespace && r.Name == pvc.Name {
			return // one volume per claim: which of two the controller binds is its cache's map order
		}
	}
	req := pvc.Spec.Resources.Requests[v1.ResourceStorage]
	size := req.DeepCopy()
	size.Add(resource.MustParse(fmt.Sprintf("%dKi", c.next())))
	cls := ""
	if pvc.Spec.StorageClassName != nil {
		cls = *pvc.Spec.StorageClassName
	}
	policy := v1.PersistentVolumeReclaimDelete
	for _, sc := range c.classes {
		if sc.Name == cls && sc.ReclaimPolicy != nil {
			policy = *sc.ReclaimPolicy
		}
	}
	pv := &v1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: "pvc-" + string(pvc.UID), UID: types.UID("pv-uid-" + string(pvc.UID)),
		Annotations: map[string]string{"pv.kubernetes.io/provisioned-by": "example.com/ext"},
		Finalizers:  []string{"external-provisioner.volume.kubernetes.io/finalizer"}},
		Spec: v1.PersistentVolumeSpec{Capacity: v1.ResourceList{v1.ResourceStorage: size}, AccessModes: pvc.Spec.AccessModes,
			StorageClassName: cls, VolumeMode: pvc.Spec.VolumeMode, PersistentVolumeReclaimPolicy: policy,
			VolumeAttributesClassName: pvc.Spec.VolumeAttributesClassName,
			PersistentVolumeSource:    v1.PersistentVolumeSource{CSI: &v1.CSIPersistentVolumeSource{Driver: "example.com/ext", VolumeHandle: string(pvc.UID)}},
			ClaimRef:                  &v1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: pvc.Namespace, Name: pvc.Name, UID: pvc.UID}}}
	// The volume offers the smallest set of the generator's family that
	// holds the claim's modes, so that later, once released and made
	// Available again, it keeps equal-size sets apart (see modeFamily).
	pv.Spec.AccessModes = coveringModes(pvc.Spec.AccessModes)
	c.addVolume(pv)
}

var _ = sort.Strings
