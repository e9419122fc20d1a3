package pv

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	v1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	corev1defaults "k8s.io/kubernetes/pkg/apis/core/v1"
	storagev1defaults "k8s.io/kubernetes/pkg/apis/storage/v1"
	"pgregory.net/rapid"
)

const ns = "ns"

// cluster is the test's in-memory API server: every object as stored, API
// defaults applied.
type cluster struct {
	pvs     map[string]*v1.PersistentVolume
	pvcs    map[string]*v1.PersistentVolumeClaim // by namespace/name
	classes []*storagev1.StorageClass
	pods    []*v1.Pod
	now     time.Time
	serial  int // for new names and UIDs
}

func (c *cluster) shallow() *cluster {
	out := *c
	return &out
}

func (c *cluster) volumes() []*v1.PersistentVolume {
	out := make([]*v1.PersistentVolume, 0, len(c.pvs))
	for _, pv := range c.pvs {
		out = append(out, pv)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (c *cluster) claims() []*v1.PersistentVolumeClaim {
	out := make([]*v1.PersistentVolumeClaim, 0, len(c.pvcs))
	for _, pvc := range c.pvcs {
		out = append(out, pvc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (c *cluster) addVolume(pv *v1.PersistentVolume) {
	corev1defaults.SetObjectDefaults_PersistentVolume(pv)
	pv.ResourceVersion = "1"
	c.pvs[pv.Name] = pv
}

func (c *cluster) addClaim(pvc *v1.PersistentVolumeClaim) {
	corev1defaults.SetObjectDefaults_PersistentVolumeClaim(pvc)
	pvc.ResourceVersion = "1"
	c.pvcs[pvc.Namespace+"/"+pvc.Name] = pvc
}

func (c *cluster) next() int {
	c.serial++
	return c.serial
}

// Sizes are drawn without replacement (and provisioned volumes get a size
// of their own), so that no two volumes have equal capacity: the controller
// keeps the first of two equally small volumes in its cache's map order,
// which has no answer to compare with.
var capacities = []string{"500Mi", "1G", "1Gi", "1500M", "2Gi", "3G", "5Gi", "10G", "10Gi", "20Gi", "100Gi", "800E"}
var requests = []string{"100Mi", "500Mi", "1G", "1Gi", "2Gi", "5Gi", "1500m", "950E"}

// Access-mode lists are drawn from a family in which no two different sets
// of the same size share a mode ({RWO}, {ROX}, {RWOP}, {RWO,ROX},
// {RWO,ROX,RWX}, all four), in any order and with repeats: the controller
// visits equal-size sets in map order, which has no answer to compare with
// (purectl's rule for that case is checked against FindMatchingVolume in
// the parent package).
var modeFamily = [][]v1.PersistentVolumeAccessMode{
	{v1.ReadWriteOnce}, {v1.ReadOnlyMany}, {v1.ReadWriteOncePod},
	{v1.ReadWriteOnce, v1.ReadOnlyMany}, {v1.ReadOnlyMany, v1.ReadWriteOnce, v1.ReadWriteOnce},
	{v1.ReadWriteMany, v1.ReadWriteOnce, v1.ReadOnlyMany},
	{v1.ReadWriteOnce, v1.ReadOnlyMany, v1.ReadWriteMany, v1.ReadWriteOncePod},
}

var claimModes = [][]v1.PersistentVolumeAccessMode{
	{v1.ReadWriteOnce}, {v1.ReadWriteOnce}, {v1.ReadOnlyMany}, {v1.ReadWriteMany}, {v1.ReadWriteOncePod},
	{v1.ReadOnlyMany, v1.ReadWriteOnce}, {v1.ReadWriteOnce, v1.ReadWriteMany}, nil,
}

var claimNames = []string{"a", "b", "c", "d", "e"}

// Classes: immediate and delayed binding with an external provisioner, a
// class that does not provision, the in-tree hostPath provisioner (disabled
// in kube-controller-manager by default) and a CSI-migrated in-tree one.
func genClasses(t *rapid.T, now time.Time) []*storagev1.StorageClass {
	wffc := storagev1.VolumeBindingWaitForFirstConsumer
	imm := storagev1.VolumeBindingImmediate
	retain := v1.PersistentVolumeReclaimRetain
	all := []*storagev1.StorageClass{
		{ObjectMeta: metav1.ObjectMeta{Name: "gold"}, Provisioner: "example.com/ext", VolumeBindingMode: &imm},
		{ObjectMeta: metav1.ObjectMeta{Name: "wait"}, Provisioner: "example.com/ext", VolumeBindingMode: &wffc, ReclaimPolicy: &retain,
			AllowedTopologies: []v1.TopologySelectorTerm{{MatchLabelExpressions: []v1.TopologySelectorLabelRequirement{{Key: "zone", Values: []string{"a"}}}}}},
		{ObjectMeta: metav1.ObjectMeta{Name: "local"}, Provisioner: "kubernetes.io/no-provisioner", VolumeBindingMode: &wffc},
		{ObjectMeta: metav1.ObjectMeta{Name: "static"}, Provisioner: "kubernetes.io/no-provisioner"},
		{ObjectMeta: metav1.ObjectMeta{Name: "hp"}, Provisioner: "kubernetes.io/host-path"},
		{ObjectMeta: metav1.ObjectMeta{Name: "ebs"}, Provisioner: "kubernetes.io/aws-ebs"},
	}
	var out []*storagev1.StorageClass
	for i, sc := range all {
		if i > 1 && rapid.IntRange(0, 5).Draw(t, "classPresent") == 0 {
			continue
		}
		sc.CreationTimestamp = metav1.NewTime(now.Add(-time.Duration(rapid.IntRange(0, 3).Draw(t, "classAge")) * time.Hour))
		switch rapid.IntRange(0, 7).Draw(t, "classDefault") {
		case 0:
			sc.Annotations = map[string]string{"storageclass.kubernetes.io/is-default-class": "true"}
		case 1:
			sc.Annotations = map[string]string{"storageclass.beta.kubernetes.io/is-default-class": "true"}
		case 2:
			sc.Annotations = map[string]string{"storageclass.kubernetes.io/is-default-class": "True"}
		}
		storagev1defaults.SetObjectDefaults_StorageClass(sc)
		out = append(out, sc)
	}
	return out
}

var volumeClasses = []string{"", "", "gold", "wait", "local", "local", "static", "hp", "nope"}

func genVolume(t *rapid.T, c *cluster, used map[string]bool) *v1.PersistentVolume {
	n := c.next()
	pv := &v1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("pv-%02d", n), UID: types.UID("pv-uid-" + strconv.Itoa(n))}}
	var free []string
	for _, q := range capacities {
		if !used[q] {
			free = append(free, q)
		}
	}
	if len(free) == 0 {
		return nil
	}
	q := rapid.SampledFrom(free).Draw(t, "capacity")
	used[q] = true
	pv.Spec.Capacity = v1.ResourceList{v1.ResourceStorage: resource.MustParse(q)}
	if rapid.IntRange(0, 15).Draw(t, "pvNoModes") > 0 {
		pv.Spec.AccessModes = rapid.SampledFrom(modeFamily).Draw(t, "pvModes")
	}
	pv.Spec.StorageClassName = rapid.SampledFrom(volumeClasses).Draw(t, "pvClass")
	ann := map[string]string{}
	if rapid.IntRange(0, 6).Draw(t, "pvBeta") == 0 {
		ann["volume.beta.kubernetes.io/storage-class"] = rapid.SampledFrom(volumeClasses).Draw(t, "pvBetaClass")
	}
	switch rapid.IntRange(0, 5).Draw(t, "pvMode") {
	case 0:
		m := v1.PersistentVolumeBlock
		pv.Spec.VolumeMode = &m
	case 1:
		m := v1.PersistentVolumeFilesystem
		pv.Spec.VolumeMode = &m
	}
	if rapid.IntRange(0, 9).Draw(t, "pvVAC") == 0 {
		vac := "fast"
		pv.Spec.VolumeAttributesClassName = &vac
	}
	pv.Spec.PersistentVolumeReclaimPolicy = rapid.SampledFrom([]v1.PersistentVolumeReclaimPolicy{
		"", v1.PersistentVolumeReclaimRetain, v1.PersistentVolumeReclaimDelete, v1.PersistentVolumeReclaimDelete,
		v1.PersistentVolumeReclaimRecycle, v1.PersistentVolumeReclaimRecycle, "Bogus"}).Draw(t, "reclaim")
	switch rapid.IntRange(0, 5).Draw(t, "source") {
	case 0, 1:
		path := rapid.SampledFrom([]string{"/tmp/a", "/tmp/", "/var/tmp/x", "/data", "/", "/tmpx/y"}).Draw(t, "hostPath")
		pv.Spec.HostPath = &v1.HostPathVolumeSource{Path: path}
	case 2:
		pv.Spec.NFS = &v1.NFSVolumeSource{Server: "nfs", Path: "/export"}
	case 3:
		pv.Spec.CSI = &v1.CSIPersistentVolumeSource{Driver: "csi.example.com", VolumeHandle: pv.Name}
	case 4:
		pv.Spec.ISCSI = &v1.ISCSIPersistentVolumeSource{TargetPortal: "1.2.3.4:3260", IQN: "iqn.2001-04.com.example:disk", Lun: 0}
	default:
		pv.Spec.Local = &v1.LocalVolumeSource{Path: "/mnt/disk"}
	}
	switch rapid.IntRange(0, 9).Draw(t, "provisionedBy") {
	case 0:
		ann["pv.kubernetes.io/provisioned-by"] = "example.com/ext"
	case 1:
		ann["pv.kubernetes.io/provisioned-by"] = "kubernetes.io/host-path"
	case 2:
		ann["pv.kubernetes.io/provisioned-by"] = "kubernetes.io/gce-pd"
	}
	if rapid.IntRange(0, 12).Draw(t, "pvMigrated") == 0 {
		ann["pv.kubernetes.io/migrated-to"] = "pd.csi.storage.gke.io"
	}
	switch rapid.IntRange(0, 9).Draw(t, "pvFinalizer") {
	case 0:
		pv.Finalizers = []string{"kubernetes.io/pv-controller"}
	case 1:
		pv.Finalizers = []string{"external-provisioner.volume.kubernetes.io/finalizer"}
	case 2:
		pv.Finalizers = []string{"kubernetes.io/pv-protection"}
	}
	if rapid.IntRange(0, 2).Draw(t, "pvAffinity") == 0 {
		pv.Spec.NodeAffinity = &v1.VolumeNodeAffinity{Required: &v1.NodeSelector{NodeSelectorTerms: []v1.NodeSelectorTerm{{
			MatchExpressions: []v1.NodeSelectorRequirement{{Key: "zone", Operator: v1.NodeSelectorOpIn,
				Values: []string{rapid.SampledFrom([]string{"a", "b"}).Draw(t, "pvZone")}}}}}}}
	}
	// At most one volume names each claim: of two volumes pre-bound to one
	// claim, the controller and the scheduler take whichever their cache
	// lists first (map order).
	var refFree []string
	for _, n := range claimNames {
		if !c.refTaken(n) {
			refFree = append(refFree, n)
		}
	}
	switch k := rapid.IntRange(0, 9).Draw(t, "claimRef"); {
	case len(refFree) == 0:
	case k < 2:
		pv.Spec.ClaimRef = &v1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: ns,
			Name: rapid.SampledFrom(refFree).Draw(t, "refName")}
	case k == 2:
		name := rapid.SampledFrom(refFree).Draw(t, "refName")
		pv.Spec.ClaimRef = &v1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: ns, Name: name,
			UID: types.UID(rapid.SampledFrom([]string{"uid-" + name, "old-uid"}).Draw(t, "refUID"))}
		if rapid.Bool().Draw(t, "pvBoundByCtrl") {
			ann["pv.kubernetes.io/bound-by-controller"] = "yes"
		}
	case k == 3:
		pv.Spec.ClaimRef = &v1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: "other", Name: "a", UID: "uid-other"}
	}
	pv.Status.Phase = rapid.SampledFrom([]v1.PersistentVolumePhase{"", v1.VolumeAvailable, v1.VolumeAvailable, v1.VolumeBound,
		v1.VolumeReleased, v1.VolumeFailed}).Draw(t, "pvPhase")
	if rapid.IntRange(0, 9).Draw(t, "pvLabels") < 5 {
		pv.Labels = map[string]string{"tier": rapid.SampledFrom([]string{"fast", "slow"}).Draw(t, "tier")}
	}
	if rapid.IntRange(0, 12).Draw(t, "pvDeleting") == 0 {
		ts := metav1.NewTime(c.now)
		pv.DeletionTimestamp = &ts
	}
	if len(ann) > 0 {
		pv.Annotations = ann
	}
	return pv
}

var claimClasses = []string{"<nil>", "<nil>", "", "gold", "gold", "wait", "wait", "wait", "local", "local", "static", "hp", "ebs", "nope"}

func genClaim(t *rapid.T, c *cluster, volumeNames []string) *v1.PersistentVolumeClaim {
	var free []string
	for _, n := range claimNames {
		if c.pvcs[ns+"/"+n] == nil {
			free = append(free, n)
		}
	}
	if len(free) == 0 {
		return nil
	}
	name := rapid.SampledFrom(free).Draw(t, "claimName")
	uid := "uid-" + name
	if rapid.IntRange(0, 3).Draw(t, "claimNewUID") == 0 {
		uid = fmt.Sprintf("uid-%s-%d", name, c.next())
	}
	pvc := &v1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, UID: types.UID(uid),
		CreationTimestamp: metav1.NewTime(c.now)}}
	pvc.Spec.AccessModes = rapid.SampledFrom(claimModes).Draw(t, "claimModes")
	if rapid.IntRange(0, 15).Draw(t, "noRequest") > 0 {
		pvc.Spec.Resources.Requests = v1.ResourceList{v1.ResourceStorage: resource.MustParse(rapid.SampledFrom(requests).Draw(t, "request"))}
	}
	ann := map[string]string{}
	if cls := rapid.SampledFrom(claimClasses).Draw(t, "claimClass"); cls != "<nil>" {
		pvc.Spec.StorageClassName = &cls
	}
	if rapid.IntRange(0, 6).Draw(t, "claimBeta") == 0 {
		ann["volume.beta.kubernetes.io/storage-class"] = rapid.SampledFrom(claimClasses[2:]).Draw(t, "claimBetaClass")
	}
	switch rapid.IntRange(0, 6).Draw(t, "selector") {
	case 0:
		pvc.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"tier": "fast"}}
	case 1:
		pvc.Spec.Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"slow"}}}}
	}
	switch rapid.IntRange(0, 5).Draw(t, "claimMode") {
	case 0:
		m := v1.PersistentVolumeBlock
		pvc.Spec.VolumeMode = &m
	}
	if rapid.IntRange(0, 9).Draw(t, "claimVAC") == 0 {
		vac := "fast"
		pvc.Spec.VolumeAttributesClassName = &vac
	}
	if len(volumeNames) > 0 && rapid.IntRange(0, 5).Draw(t, "claimNamesVolume") == 0 {
		var names []string
		for _, n := range volumeNames {
			if pv := c.pvs[n]; pv != nil {
				if q := pv.Spec.Capacity[v1.ResourceStorage]; q.Cmp(resource.MustParse("8Ei")) >= 0 {
					continue
				}
			}
			names = append(names, n)
		}
		pvc.Spec.VolumeName = rapid.SampledFrom(append(names, "pv-missing")).Draw(t, "volumeName")
		// The check of a named volume compares sizes as int64 byte counts,
		// which wrap beyond 2^63 bytes in Kubernetes; purectl compares them
		// exactly (a documented difference). Such a claim names no volume
		// that large and asks for less, where both agree.
		if q := pvc.Spec.Resources.Requests[v1.ResourceStorage]; q.Cmp(resource.MustParse("8Ei")) >= 0 {
			pvc.Spec.Resources.Requests[v1.ResourceStorage] = resource.MustParse("5Gi")
		}
		if rapid.Bool().Draw(t, "claimBoundByCtrl") {
			ann["pv.kubernetes.io/bound-by-controller"] = "yes"
		}
	}
	if rapid.IntRange(0, 7).Draw(t, "claimBindCompleted") == 0 {
		ann["pv.kubernetes.io/bind-completed"] = "yes"
	}
	switch rapid.IntRange(0, 9).Draw(t, "claimProvAnn") {
	case 0:
		ann["volume.kubernetes.io/storage-provisioner"] = "example.com/ext"
	case 1:
		ann["volume.beta.kubernetes.io/storage-provisioner"] = "example.com/ext"
	case 2:
		ann["volume.kubernetes.io/storage-provisioner"] = "kubernetes.io/gce-pd"
	}
	if rapid.IntRange(0, 6).Draw(t, "claimSelectedNode") == 0 {
		ann["volume.kubernetes.io/selected-node"] = "node-1"
	}
	pvc.Status.Phase = rapid.SampledFrom([]v1.PersistentVolumeClaimPhase{"", v1.ClaimPending, v1.ClaimPending, v1.ClaimBound, v1.ClaimLost}).Draw(t, "claimPhase")
	if pvc.Status.Phase == v1.ClaimBound && rapid.Bool().Draw(t, "claimStatusFilled") {
		pvc.Status.AccessModes = pvc.Spec.AccessModes
		pvc.Status.Capacity = v1.ResourceList{v1.ResourceStorage: resource.MustParse("1Gi")}
	}
	if len(ann) > 0 {
		pvc.Annotations = ann
	}
	return pvc
}

func genPod(t *rapid.T, c *cluster) *v1.Pod {
	n := c.next()
	p := &v1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: rapid.SampledFrom([]string{ns, ns, ns, ns, ns, "other"}).Draw(t, "podNS"),
		Name: fmt.Sprintf("pod-%d", n), UID: types.UID(fmt.Sprintf("pod-uid-%d", n))}}
	for _, cl := range rapid.SliceOfNDistinct(rapid.SampledFrom(claimNames), 1, 2, func(s string) string { return s }).Draw(t, "podClaims") {
		p.Spec.Volumes = append(p.Spec.Volumes, v1.Volume{Name: "v-" + cl, VolumeSource: v1.VolumeSource{
			PersistentVolumeClaim: &v1.PersistentVolumeClaimVolumeSource{ClaimName: cl}}})
	}
	p.Status.Phase = v1.PodPending
	if rapid.IntRange(0, 2).Draw(t, "podScheduled") == 0 {
		p.Spec.NodeName = "node-1"
		p.Status.Phase = rapid.SampledFrom([]v1.PodPhase{v1.PodPending, v1.PodRunning, v1.PodRunning, v1.PodSucceeded, v1.PodFailed}).Draw(t, "podPhase")
	}
	if p.Status.Phase == v1.PodRunning && rapid.Bool().Draw(t, "podContainer") {
		p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "c", State: v1.ContainerState{Running: &v1.ContainerStateRunning{}}}}
	}
	return p
}

// genCluster draws a starting state.
func genCluster(t *rapid.T) *cluster {
	c := &cluster{pvs: map[string]*v1.PersistentVolume{}, pvcs: map[string]*v1.PersistentVolumeClaim{},
		now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	c.classes = genClasses(t, c.now)
	used := c.usedCapacities()
	for i, n := 0, rapid.IntRange(0, 7).Draw(t, "nVolumes"); i < n; i++ {
		if pv := genVolume(t, c, used); pv != nil {
			c.addVolume(pv)
		}
	}
	var names []string
	for _, pv := range c.volumes() {
		names = append(names, pv.Name)
	}
	for i, n := 0, rapid.IntRange(0, 5).Draw(t, "nClaims"); i < n; i++ {
		if pvc := genClaim(t, c, names); pvc != nil {
			c.addClaim(pvc)
		}
	}
	for i, n := 0, rapid.IntRange(0, 3).Draw(t, "nPods"); i < n; i++ {
		c.pods = append(c.pods, genPod(t, c))
	}
	return c
}

// refTaken reports whether some volume's claimRef names the claim.
func (c *cluster) refTaken(name string) bool {
	for _, pv := range c.pvs {
		if r := pv.Spec.ClaimRef; r != nil && r.Namespace == ns && r.Name == name {
			return true
		}
	}
	return false
}

func (c *cluster) usedCapacities() map[string]bool {
	used := map[string]bool{}
	for _, pv := range c.pvs {
		q := pv.Spec.Capacity[v1.ResourceStorage]
		for _, s := range capacities {
			if q.Cmp(resource.MustParse(s)) == 0 {
				used[s] = true
			}
		}
	}
	return used
}
