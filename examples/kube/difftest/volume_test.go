package difftest

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	storagehelpers "k8s.io/component-helpers/storage/volume"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
	"github.com/purectl/purectl/volume"
)

var (
	allModes   = []v1.PersistentVolumeAccessMode{v1.ReadWriteOnce, v1.ReadOnlyMany, v1.ReadWriteMany, v1.ReadWriteOncePod}
	capacities = []string{"500Mi", "1G", "1Gi", "1073741824", "2Gi", "10Gi", "800E"}
	classes    = []string{"", "gold", "slow"}
)

func pick[T any](t *rapid.T, label string, xs []T) T { return rapid.SampledFrom(xs).Draw(t, label) }

func genModes(t *rapid.T, label string, min, max int) []v1.PersistentVolumeAccessMode {
	return rapid.SliceOfN(rapid.SampledFrom(allModes), min, max).Draw(t, label)
}

func genClaim(t *rapid.T) *v1.PersistentVolumeClaim {
	c := &v1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "claim", UID: "claim-uid"}}
	c.Spec.AccessModes = genModes(t, "claimModes", 1, 2)
	c.Spec.Resources.Requests = v1.ResourceList{v1.ResourceStorage: resource.MustParse(pick(t, "request", capacities[:6]))}
	switch rapid.IntRange(0, 5).Draw(t, "claimClassKind") {
	case 0: // unset
	case 1, 4, 5:
		cls := pick(t, "claimClass", classes)
		c.Spec.StorageClassName = &cls
	case 2:
		c.Annotations = map[string]string{"volume.beta.kubernetes.io/storage-class": pick(t, "claimBetaClass", classes)}
	default:
		cls := pick(t, "claimClass2", classes)
		c.Spec.StorageClassName = &cls
		c.Annotations = map[string]string{"volume.beta.kubernetes.io/storage-class": pick(t, "claimBetaClass2", classes)}
	}
	switch rapid.IntRange(0, 5).Draw(t, "selectorKind") {
	case 1:
		c.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"tier": pick(t, "selTier", []string{"fast", "slow"})}}
	case 2:
		c.Spec.Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"slow"}}}}
	}
	if rapid.IntRange(0, 5).Draw(t, "claimBlock") == 0 {
		m := v1.PersistentVolumeBlock
		c.Spec.VolumeMode = &m
	}
	if rapid.IntRange(0, 6).Draw(t, "claimVAC") == 0 {
		vac := "fast"
		c.Spec.VolumeAttributesClassName = &vac
	}
	return c
}

func genVolume(t *rapid.T, i int) *v1.PersistentVolume {
	pv := &v1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("pv-%d", i)}}
	minModes := 1
	if rapid.IntRange(0, 9).Draw(t, "pvNoModes") == 0 {
		minModes = 0 // a volume without modes matches no claim
	}
	pv.Spec.AccessModes = genModes(t, "pvModes", minModes, 4)
	pv.Spec.Capacity = v1.ResourceList{v1.ResourceStorage: resource.MustParse(pick(t, "capacity", capacities))}
	pv.Spec.StorageClassName = pick(t, "pvClass", classes)
	if rapid.IntRange(0, 4).Draw(t, "pvBeta") == 0 {
		pv.Annotations = map[string]string{"volume.beta.kubernetes.io/storage-class": pick(t, "pvBetaClass", classes)}
	}
	pv.Status.Phase = pick(t, "phase", []v1.PersistentVolumePhase{v1.VolumeAvailable, v1.VolumeAvailable, v1.VolumeAvailable, v1.VolumeAvailable, v1.VolumeBound, v1.VolumeReleased, v1.VolumePending})
	switch rapid.IntRange(0, 9).Draw(t, "claimRefKind") {
	case 1:
		pv.Spec.ClaimRef = &v1.ObjectReference{Namespace: "ns", Name: "claim"}
	case 2:
		pv.Spec.ClaimRef = &v1.ObjectReference{Namespace: "ns", Name: "claim", UID: "claim-uid"}
	case 3:
		pv.Spec.ClaimRef = &v1.ObjectReference{Namespace: "ns", Name: "claim", UID: "old-uid"}
	case 4:
		pv.Spec.ClaimRef = &v1.ObjectReference{Namespace: "other", Name: "claim"}
	}
	if rapid.Bool().Draw(t, "pvLabelled") {
		pv.Labels = map[string]string{"tier": pick(t, "pvTier", []string{"fast", "slow"})}
	}
	if rapid.IntRange(0, 5).Draw(t, "pvBlock") == 0 {
		m := v1.PersistentVolumeBlock
		pv.Spec.VolumeMode = &m
	}
	if rapid.IntRange(0, 6).Draw(t, "pvVAC") == 0 {
		vac := pick(t, "pvVACName", []string{"fast", "slow"})
		pv.Spec.VolumeAttributesClassName = &vac
	}
	if rapid.IntRange(0, 8).Draw(t, "pvDeleted") == 0 {
		ts := metav1.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		pv.DeletionTimestamp = &ts
	}
	if rapid.IntRange(0, 2).Draw(t, "pvAffinity") == 0 {
		pv.Spec.NodeAffinity = &v1.VolumeNodeAffinity{Required: &v1.NodeSelector{NodeSelectorTerms: []v1.NodeSelectorTerm{{
			MatchExpressions: []v1.NodeSelectorRequirement{{Key: "zone", Operator: v1.NodeSelectorOpIn, Values: []string{pick(t, "pvZone", []string{"a", "b"})}}}}}}}
	}
	return pv
}

// modeKey is the controller's index key for a volume's access modes: the
// set, duplicates dropped, in the order RWO, ROX, RWX, RWOP.
func modeKey(ms []v1.PersistentVolumeAccessMode) []v1.PersistentVolumeAccessMode {
	var out []v1.PersistentVolumeAccessMode
	for _, m := range allModes {
		for _, x := range ms {
			if x == m {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

func containsAll(have, want []v1.PersistentVolumeAccessMode) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if !found {
			return false
		}
	}
	return true
}

// kubernetesControllerMatch is the PV controller's search: volumes indexed by
// access-mode set, the sets that hold every requested mode visited with the
// fewest modes first, FindMatchingVolume on each. Where Kubernetes leaves the
// order open (sets of equal size, volumes within a set) it follows purectl's
// documented tie-break: sets by their mode list, volumes by name.
func kubernetesControllerMatch(claim *v1.PersistentVolumeClaim, pvs []*v1.PersistentVolume, delay bool) string {
	bySet := map[string][]*v1.PersistentVolume{}
	sets := map[string][]v1.PersistentVolumeAccessMode{}
	for _, pv := range pvs {
		k := modeKey(pv.Spec.AccessModes)
		key := fmt.Sprint(k)
		bySet[key] = append(bySet[key], pv)
		sets[key] = k
	}
	var keys []string
	for key, ms := range sets {
		if containsAll(ms, claim.Spec.AccessModes) {
			keys = append(keys, key)
		}
	}
	rank := func(m v1.PersistentVolumeAccessMode) int {
		for i, x := range allModes {
			if x == m {
				return i
			}
		}
		return len(allModes)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := sets[keys[i]], sets[keys[j]]
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		for k := range a {
			if a[k] != b[k] {
				return rank(a[k]) < rank(b[k])
			}
		}
		return false
	})
	for _, key := range keys {
		vols := bySet[key]
		sort.Slice(vols, func(i, j int) bool { return vols[i].Name < vols[j].Name })
		pv, err := storagehelpers.FindMatchingVolume(claim, vols, nil, nil, delay, true)
		if err != nil {
			return "error: " + err.Error()
		}
		if pv != nil {
			return pv.Name
		}
	}
	return ""
}

func convert(t *rapid.T, claim *v1.PersistentVolumeClaim, pvs []*v1.PersistentVolume) (volume.Claim, []volume.Volume) {
	c, err := adapt.PersistentVolumeClaim(claim)
	if err != nil {
		t.Fatal(err)
	}
	ours := make([]volume.Volume, len(pvs))
	for i, pv := range pvs {
		if ours[i], err = adapt.PersistentVolume(pv); err != nil {
			t.Fatal(err)
		}
	}
	return c, ours
}

func ourChoice(pvs []volume.Volume, claim *volume.Claim, opts volume.MatchOptions) string {
	i, _ := volume.FindMatch(pvs, claim, opts)
	if i < 0 {
		return ""
	}
	return pvs[i].Name
}

// keepOnePreBound points the claimRef of every volume but the first that is
// pre-bound to the claim elsewhere: with several volumes pre-bound to one
// claim Kubernetes returns whichever its cache lists first, so the case has
// no single expected answer.
func keepOnePreBound(pvs []*v1.PersistentVolume, claim *v1.PersistentVolumeClaim) {
	seen := false
	for _, pv := range pvs {
		if storagehelpers.IsVolumeBoundToClaim(pv, claim) {
			if seen {
				pv.Spec.ClaimRef = &v1.ObjectReference{Namespace: "other", Name: "claim"}
			}
			seen = true
		}
	}
}

// The PV controller's choice (immediate and WaitForFirstConsumer) against
// component-helpers' FindMatchingVolume with the controller's grouping.
func TestVolumeMatchAgainstFindMatchingVolume(t *testing.T) {
	outcomes := map[bool]int{}
	defer requireBothOutcomes(t, outcomes)
	rapid.Check(t, func(t *rapid.T) {
		claim := genClaim(t)
		var pvs []*v1.PersistentVolume
		for i, n := 0, rapid.IntRange(0, 10).Draw(t, "nVolumes"); i < n; i++ {
			pvs = append(pvs, genVolume(t, i))
		}
		keepOnePreBound(pvs, claim)
		delay := rapid.Bool().Draw(t, "delay")
		c, ours := convert(t, claim, pvs)
		want := kubernetesControllerMatch(claim, pvs, delay)
		got := ourChoice(ours, &c, volume.MatchOptions{DelayBinding: delay, Release: testmain.Release()})
		outcomes[got != ""]++
		if got != want {
			t.Fatalf("claim %s\nvolumes:\n%s\ndelay=%v: purectl %q, Kubernetes %q", describeClaim(claim), describeVolumes(pvs), delay, got, want)
		}
	})
}

// The scheduler's search with a node: one flat list of the claim's class,
// node affinity checked, access modes checked for unbound volumes.
func TestVolumeSchedulerMatchAgainstFindMatchingVolume(t *testing.T) {
	outcomes := map[bool]int{}
	defer requireBothOutcomes(t, outcomes)
	rapid.Check(t, func(t *rapid.T) {
		claim := genClaim(t)
		var pvs []*v1.PersistentVolume
		for i, n := 0, rapid.IntRange(0, 10).Draw(t, "nVolumes"); i < n; i++ {
			pvs = append(pvs, genVolume(t, i))
		}
		keepOnePreBound(pvs, claim)
		node := &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1", Labels: map[string]string{"zone": pick(t, "nodeZone", []string{"a", "b"})}}}
		class := storagehelpers.GetPersistentVolumeClaimClass(claim)
		var ofClass []*v1.PersistentVolume
		for _, pv := range pvs {
			if storagehelpers.GetPersistentVolumeClass(pv) == class {
				ofClass = append(ofClass, pv)
			}
		}
		sort.Slice(ofClass, func(i, j int) bool { return ofClass[i].Name < ofClass[j].Name })
		k8sPV, err := storagehelpers.FindMatchingVolume(claim, ofClass, node, nil, true, true)
		want := ""
		if err != nil {
			want = "error"
		} else if k8sPV != nil {
			want = k8sPV.Name
		}
		c, ours := convert(t, claim, pvs)
		got := ourChoice(ours, &c, volume.MatchOptions{Node: &volume.Node{Name: node.Name, Labels: node.Labels}, Release: testmain.Release()})
		outcomes[got != ""]++
		if got != want {
			t.Fatalf("claim %s node zone %s\nvolumes:\n%s\npurectl %q, Kubernetes %q", describeClaim(claim), node.Labels["zone"], describeVolumes(pvs), got, want)
		}
	})
}

// requireBothOutcomes fails a run in which the generator never produced a
// match, or never a miss: agreement on such a run would prove little.
func requireBothOutcomes(t *testing.T, outcomes map[bool]int) {
	t.Helper()
	if !t.Failed() && (outcomes[true] == 0 || outcomes[false] == 0) {
		t.Fatalf("generated cases were one-sided: %d matched, %d did not", outcomes[true], outcomes[false])
	}
	t.Logf("%d cases matched a volume, %d did not", outcomes[true], outcomes[false])
}

func describeClaim(c *v1.PersistentVolumeClaim) string {
	q := c.Spec.Resources.Requests[v1.ResourceStorage]
	return fmt.Sprintf("modes=%v request=%s class=%q sel=%v mode=%v vac=%v", c.Spec.AccessModes, q.String(),
		storagehelpers.GetPersistentVolumeClaimClass(c), c.Spec.Selector, ptrStr(c.Spec.VolumeMode), ptrStr(c.Spec.VolumeAttributesClassName))
}

func describeVolumes(pvs []*v1.PersistentVolume) string {
	var b strings.Builder
	for _, pv := range pvs {
		q := pv.Spec.Capacity[v1.ResourceStorage]
		fmt.Fprintf(&b, "  %s modes=%v cap=%s class=%q phase=%s ref=%v labels=%v mode=%v vac=%v deleted=%v affinity=%v\n", pv.Name, pv.Spec.AccessModes,
			q.String(), storagehelpers.GetPersistentVolumeClass(pv), pv.Status.Phase, pv.Spec.ClaimRef, pv.Labels, ptrStr(pv.Spec.VolumeMode),
			ptrStr(pv.Spec.VolumeAttributesClassName), pv.DeletionTimestamp != nil, pv.Spec.NodeAffinity != nil)
	}
	return b.String()
}

func ptrStr[T ~string](p *T) string {
	if p == nil {
		return "<nil>"
	}
	return string(*p)
}
