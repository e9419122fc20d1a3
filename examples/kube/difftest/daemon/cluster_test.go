package daemon

import (
	"fmt"
	"maps"
	"slices"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	appsdefaults "k8s.io/kubernetes/pkg/apis/apps/v1"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/daemonset"
)

// cluster is the test's in-memory cluster: what both controllers read, and
// where the writes they agree on land.
type cluster struct {
	now       time.Time
	ds        *appsv1.DaemonSet
	nodes     map[string]*v1.Node
	pods      map[string]*v1.Pod
	revisions []*appsv1.ControllerRevision
	// backoff is purectl's failed-pod backoff record, handed back each pass.
	backoff []daemonset.NodeBackoff
	serial  int
}

func (c *cluster) newName() string {
	c.serial++
	return fmt.Sprintf("%s-%04d", c.ds.Name, c.serial)
}

func (c *cluster) sortedNodes() []*v1.Node {
	out := make([]*v1.Node, 0, len(c.nodes))
	for _, k := range slices.Sorted(maps.Keys(c.nodes)) {
		out = append(out, c.nodes[k])
	}
	return out
}

func (c *cluster) sortedPods() []*v1.Pod {
	out := make([]*v1.Pod, 0, len(c.pods))
	for _, k := range slices.Sorted(maps.Keys(c.pods)) {
		out = append(out, c.pods[k])
	}
	return out
}

// podFor is the pod the API server stores for a create: the template, the
// controller reference, created now, Pending.
func (c *cluster) podFor(w write) *v1.Pod {
	t := w.template.DeepCopy()
	pod := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: w.pod, Namespace: c.ds.Namespace, Labels: t.Labels, Annotations: t.Annotations,
			UID: typesUID("uid-" + w.pod), CreationTimestamp: metav1.NewTime(c.now)},
		Spec:   t.Spec,
		Status: v1.PodStatus{Phase: v1.PodPending},
	}
	if w.ref != nil {
		pod.OwnerReferences = []metav1.OwnerReference{*w.ref}
	}
	return pod
}

func typesUID(s string) types.UID { return types.UID(s) }

var (
	nodeNames = []string{"n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7"}
	images    = []string{"agent:1", "agent:2", "agent:3"}
	taintPool = []v1.Taint{
		{Key: "node.kubernetes.io/not-ready", Effect: v1.TaintEffectNoExecute},
		{Key: "node.kubernetes.io/unreachable", Effect: v1.TaintEffectNoExecute},
		{Key: "node.kubernetes.io/unschedulable", Effect: v1.TaintEffectNoSchedule},
		{Key: "dedicated", Value: "gpu", Effect: v1.TaintEffectNoSchedule},
		{Key: "dedicated", Value: "gpu", Effect: v1.TaintEffectNoExecute},
		{Key: "soft", Effect: v1.TaintEffectPreferNoSchedule},
	}
	intOrPct = []intstr.IntOrString{
		intstr.FromInt32(0), intstr.FromInt32(1), intstr.FromInt32(2), intstr.FromInt32(3),
		intstr.FromString("0%"), intstr.FromString("25%"), intstr.FromString("50%"), intstr.FromString("100%"),
	}
)

func genNode(t *rapid.T, name string) *v1.Node {
	n := &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, UID: typesUID("uid-" + name), Labels: map[string]string{}}}
	n.Labels["zone"] = rapid.SampledFrom([]string{"a", "b"}).Draw(t, "zone")
	if rapid.Bool().Draw(t, "tier") {
		n.Labels["tier"] = rapid.SampledFrom([]string{"x", "y"}).Draw(t, "tierValue")
	}
	n.Spec.Taints = genTaints(t)
	return n
}

func genTaints(t *rapid.T) []v1.Taint {
	if rapid.IntRange(0, 2).Draw(t, "tainted") > 0 {
		return nil
	}
	return rapid.SliceOfNDistinct(rapid.SampledFrom(taintPool), 1, 2, func(t v1.Taint) string { return t.Key + string(t.Effect) }).Draw(t, "taints")
}

// genTemplate draws the part of the pod template the controller reads.
func genTemplate(t *rapid.T, tmpl *v1.PodTemplateSpec) {
	s := &tmpl.Spec
	s.Containers = []v1.Container{{Name: "agent", Image: rapid.SampledFrom(images).Draw(t, "image")}}
	s.NodeSelector = nil
	if rapid.IntRange(0, 3).Draw(t, "nodeSelector") == 0 {
		s.NodeSelector = map[string]string{"zone": "a"}
	}
	s.Affinity = nil
	switch rapid.IntRange(0, 5).Draw(t, "affinity") {
	case 0:
		s.Affinity = &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &v1.NodeSelector{
			NodeSelectorTerms: []v1.NodeSelectorTerm{{MatchExpressions: []v1.NodeSelectorRequirement{{Key: "tier", Operator: v1.NodeSelectorOpNotIn, Values: []string{"y"}}}}}}}}
	case 1:
		s.Affinity = &v1.Affinity{NodeAffinity: &v1.NodeAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []v1.PreferredSchedulingTerm{{
			Weight: 1, Preference: v1.NodeSelectorTerm{MatchExpressions: []v1.NodeSelectorRequirement{{Key: "zone", Operator: v1.NodeSelectorOpIn, Values: []string{"b"}}}}}}}}
	}
	s.Tolerations = nil
	if rapid.IntRange(0, 2).Draw(t, "tolerate") == 0 {
		s.Tolerations = []v1.Toleration{{Key: "dedicated", Operator: v1.TolerationOpExists}}
	}
	s.HostNetwork = rapid.IntRange(0, 4).Draw(t, "hostNetwork") == 0
}

// genStrategy draws an update strategy, including what validation rejects
// (0 and 0, both non-zero) and, rarely, a value the controller cannot read.
func genStrategy(t *rapid.T) appsv1.DaemonSetUpdateStrategy {
	if rapid.IntRange(0, 4).Draw(t, "onDelete") == 0 {
		return appsv1.DaemonSetUpdateStrategy{Type: appsv1.OnDeleteDaemonSetStrategyType}
	}
	ru := &appsv1.RollingUpdateDaemonSet{}
	mu := rapid.SampledFrom(intOrPct).Draw(t, "maxUnavailable")
	ms := intstr.FromInt32(0)
	if rapid.Bool().Draw(t, "surge") {
		ms = rapid.SampledFrom(intOrPct).Draw(t, "maxSurge")
	}
	if rapid.IntRange(0, 40).Draw(t, "garbled") == 0 {
		mu = intstr.FromString("x")
	}
	ru.MaxUnavailable, ru.MaxSurge = &mu, &ms
	return appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType, RollingUpdate: ru}
}

func genCluster(t *rapid.T) *cluster {
	c := &cluster{now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), nodes: map[string]*v1.Node{}, pods: map[string]*v1.Pod{}}
	for _, n := range rapid.SliceOfNDistinct(rapid.SampledFrom(nodeNames), 1, 6, rapid.ID[string]).Draw(t, "nodes") {
		c.nodes[n] = genNode(t, n)
	}
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "ns", UID: "ds-uid", Generation: 1}}
	ds.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "agent"}}
	ds.Spec.Template.Labels = map[string]string{"app": "agent"}
	genTemplate(t, &ds.Spec.Template)
	ds.Spec.UpdateStrategy = genStrategy(t)
	ds.Spec.MinReadySeconds = rapid.SampledFrom([]int32{0, 0, 5, 30, 300}).Draw(t, "minReadySeconds")
	ds.Spec.RevisionHistoryLimit = ptr(rapid.Int32Range(0, 3).Draw(t, "revisionHistoryLimit"))
	if rapid.IntRange(0, 5).Draw(t, "templateGeneration") == 0 {
		ds.Annotations = map[string]string{"deprecated.daemonset.template.generation": "1"}
	}
	appsdefaults.SetObjectDefaults_DaemonSet(ds)
	c.ds = ds
	return c
}

func ptr[T any](v T) *T { return &v }

// step draws the world's events between two passes: the scheduler, the
// kubelets, users and the node lifecycle controller, then lets time pass.
func (c *cluster) step(t *rapid.T) {
	for range rapid.IntRange(0, 3).Draw(t, "events") {
		c.event(t)
	}
	c.now = c.now.Add(rapid.SampledFrom([]time.Duration{0, time.Second, 3 * time.Second, 10 * time.Second,
		31 * time.Second, 5 * time.Minute, 20 * time.Minute, 3 * time.Hour, 49 * time.Hour}).Draw(t, "advance"))
}

func (c *cluster) pickPod(t *rapid.T, ok func(*v1.Pod) bool) *v1.Pod {
	var cands []*v1.Pod
	for _, p := range c.sortedPods() {
		if ok(p) {
			cands = append(cands, p)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	return cands[rapid.IntRange(0, len(cands)-1).Draw(t, "pod")]
}

func setReady(p *v1.Pod, ready bool, now time.Time) {
	st := v1.ConditionFalse
	if ready {
		st = v1.ConditionTrue
	}
	p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: st, LastTransitionTime: metav1.NewTime(now)}}
}

func (c *cluster) event(t *rapid.T) {
	live := func(p *v1.Pod) bool { return p.DeletionTimestamp == nil }
	switch rapid.IntRange(0, 16).Draw(t, "event") {
	case 0, 1: // the scheduler binds a pod to its target node
		if p := c.pickPod(t, func(p *v1.Pod) bool { return p.Spec.NodeName == "" && c.nodes[targetNode(&p.Spec)] != nil }); p != nil {
			p.Spec.NodeName = targetNode(&p.Spec)
		}
	case 2, 3: // a kubelet starts a pod and it turns ready
		if p := c.pickPod(t, func(p *v1.Pod) bool { return p.Spec.NodeName != "" && p.Status.Phase == v1.PodPending }); p != nil {
			p.Status.Phase = v1.PodRunning
			setReady(p, true, c.now)
		}
	case 4: // a running pod turns unready, or ready again
		if p := c.pickPod(t, func(p *v1.Pod) bool { return p.Status.Phase == v1.PodRunning }); p != nil {
			ready, _ := podReady(p)
			setReady(p, !ready, c.now)
		}
	case 5: // a pod fails or succeeds
		if p := c.pickPod(t, func(p *v1.Pod) bool {
			return p.Spec.NodeName != "" && p.Status.Phase != v1.PodFailed && p.Status.Phase != v1.PodSucceeded
		}); p != nil {
			p.Status.Phase = rapid.SampledFrom([]v1.PodPhase{v1.PodFailed, v1.PodFailed, v1.PodSucceeded}).Draw(t, "phase")
			setReady(p, false, c.now)
		}
	case 6, 7: // a pod being deleted is gone
		if p := c.pickPod(t, func(p *v1.Pod) bool { return p.DeletionTimestamp != nil }); p != nil {
			delete(c.pods, p.Name)
		}
	case 8: // someone deletes a pod
		if p := c.pickPod(t, live); p != nil {
			c.delete(p.Name)
		}
	case 9: // a node joins or leaves
		name := rapid.SampledFrom(nodeNames).Draw(t, "node")
		if c.nodes[name] != nil && len(c.nodes) > 1 {
			delete(c.nodes, name)
		} else {
			c.nodes[name] = genNode(t, name)
		}
	case 10: // node labels or taints change (NotReady, cordon, ...)
		if len(c.nodes) > 0 {
			n := c.sortedNodes()[rapid.IntRange(0, len(c.nodes)-1).Draw(t, "whichNode")]
			fresh := genNode(t, n.Name)
			if rapid.Bool().Draw(t, "labelsToo") {
				n.Labels = fresh.Labels
			}
			n.Spec.Taints = fresh.Spec.Taints
		}
	case 11: // a new template (a new revision hash)
		genTemplate(t, &c.ds.Spec.Template)
		c.bumpGeneration()
		if _, ok := c.ds.Annotations["deprecated.daemonset.template.generation"]; ok {
			// The API server counts template changes in this annotation.
			c.ds.Annotations["deprecated.daemonset.template.generation"] = fmt.Sprint(c.ds.Generation)
		}
	case 12: // a new strategy or minReadySeconds
		if rapid.Bool().Draw(t, "strategyOrMinReady") {
			c.ds.Spec.UpdateStrategy = genStrategy(t)
		} else {
			c.ds.Spec.MinReadySeconds = rapid.SampledFrom([]int32{0, 5, 30, 300}).Draw(t, "minReadySeconds")
		}
		c.bumpGeneration()
	case 13: // an orphan that matches the selector, on some node
		name := rapid.SampledFrom(nodeNames).Draw(t, "orphanNode")
		p := &v1.Pod{ObjectMeta: metav1.ObjectMeta{Name: c.newName(), Namespace: c.ds.Namespace, Labels: map[string]string{"app": "agent"},
			CreationTimestamp: metav1.NewTime(c.now.Add(-time.Minute))}, Spec: v1.PodSpec{NodeName: name}, Status: v1.PodStatus{Phase: v1.PodRunning}}
		p.UID = typesUID("uid-" + p.Name)
		if rapid.Bool().Draw(t, "orphanHash") && len(c.revisions) > 0 {
			p.Labels["controller-revision-hash"] = c.revisions[rapid.IntRange(0, len(c.revisions)-1).Draw(t, "rev")].Labels["controller-revision-hash"]
		}
		setReady(p, rapid.Bool().Draw(t, "orphanReady"), c.now.Add(-time.Minute))
		c.pods[p.Name] = p
	case 14: // an owned pod's labels stop matching (it gets released), or match again
		if p := c.pickPod(t, live); p != nil {
			if p.Labels["app"] == "agent" {
				p.Labels = map[string]string{"app": "other"}
			} else {
				p.Labels = map[string]string{"app": "agent"}
			}
		}
	case 16: // a finished pod is deleted but held by a finalizer
		if p := c.pickPod(t, func(p *v1.Pod) bool {
			return p.DeletionTimestamp == nil && (p.Status.Phase == v1.PodFailed || p.Status.Phase == v1.PodSucceeded)
		}); p != nil {
			at := metav1.NewTime(c.now)
			p.DeletionTimestamp = &at
			p.Finalizers = []string{"example.com/hold"}
		}
	case 15: // an old pod is gone with its node's pod GC
		if p := c.pickPod(t, func(p *v1.Pod) bool { return p.Spec.NodeName != "" && c.nodes[p.Spec.NodeName] == nil }); p != nil {
			delete(c.pods, p.Name)
		}
	}
}

func (c *cluster) bumpGeneration() {
	c.ds.Generation++
	appsdefaults.SetObjectDefaults_DaemonSet(c.ds)
}

// delete applies a delete as the API server does.
func (c *cluster) delete(name string) {
	p := c.pods[name]
	if p == nil {
		return
	}
	if gone, marked := deleted(p, c.now); gone {
		delete(c.pods, name)
	} else {
		c.pods[name] = marked
	}
}

func podReady(p *v1.Pod) (bool, time.Time) {
	for _, c := range p.Status.Conditions {
		if c.Type == v1.PodReady {
			return c.Status == v1.ConditionTrue, c.LastTransitionTime.Time
		}
	}
	return false, time.Time{}
}
