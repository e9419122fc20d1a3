package statefulsetdiff

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	k8sintstr "k8s.io/apimachinery/pkg/util/intstr"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/component-base/featuregate"
	featuregatetesting "k8s.io/component-base/featuregate/testing"
	appsdefaults "k8s.io/kubernetes/pkg/apis/apps/v1"
	"k8s.io/utils/ptr"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
	"github.com/purectl/purectl/statefulset"
)

const ns = "ns"

// world is the in-memory cluster a trajectory runs in. Its clock is virtual;
// before each pass every timestamp is shifted so that the world's now is
// the wall clock, which the real controller reads (metav1.Now). Events are
// stamped half a second before a whole second and the clock moves in whole
// seconds, so no availability deadline falls within the microseconds that
// separate the two sides' readings of the clock.
type world struct {
	set       *appsv1.StatefulSet
	pods      []*v1.Pod
	claims    []*v1.PersistentVolumeClaim
	revisions []*appsv1.ControllerRevision
	now       time.Time
	seq       int
	gate      bool // MaxUnavailableStatefulSet is on
	recreate  bool // the Recreate strategy is drawn
	opts      statefulset.Options
	log       []string
}

func (w *world) uid(kind string) types.UID {
	w.seq++
	return types.UID(fmt.Sprintf("%s-uid-%d", kind, w.seq))
}

func (w *world) stamp() metav1.Time { return metav1.NewTime(w.now.Add(-500 * time.Millisecond)) }

// shift moves every timestamp of the world by d.
func (w *world) shift(d time.Duration) {
	mv := func(t *metav1.Time) {
		if t != nil && !t.IsZero() {
			t.Time = t.Add(d)
		}
	}
	mvp := func(t **metav1.Time) {
		if *t != nil {
			nt := metav1.NewTime((*t).Add(d))
			*t = &nt
		}
	}
	mvp(&w.set.DeletionTimestamp)
	for _, p := range w.pods {
		mv(&p.CreationTimestamp)
		mvp(&p.DeletionTimestamp)
		for i := range p.Status.Conditions {
			mv(&p.Status.Conditions[i].LastTransitionTime)
		}
	}
	for _, c := range w.claims {
		mvp(&c.DeletionTimestamp)
	}
	w.now = w.now.Add(d)
}

func (w *world) cluster() Cluster {
	c := Cluster{Set: w.set.DeepCopy()}
	for _, p := range w.pods {
		c.Pods = append(c.Pods, p.DeepCopy())
	}
	for _, pvc := range w.claims {
		c.Claims = append(c.Claims, pvc.DeepCopy())
	}
	for _, r := range w.revisions {
		c.Revisions = append(c.Revisions, r.DeepCopy())
	}
	return c
}

var claimTemplates = []v1.PersistentVolumeClaim{
	{ObjectMeta: metav1.ObjectMeta{Name: "data"}, Spec: v1.PersistentVolumeClaimSpec{AccessModes: []v1.PersistentVolumeAccessMode{v1.ReadWriteOnce},
		Resources: v1.VolumeResourceRequirements{Requests: v1.ResourceList{v1.ResourceStorage: resource.MustParse("1Gi")}}}},
	{ObjectMeta: metav1.ObjectMeta{Name: "logs", Labels: map[string]string{"tier": "logs"}}, Spec: v1.PersistentVolumeClaimSpec{
		AccessModes: []v1.PersistentVolumeAccessMode{v1.ReadWriteOnce},
		Resources:   v1.VolumeResourceRequirements{Requests: v1.ResourceList{v1.ResourceStorage: resource.MustParse("2Gi")}}}},
	{ObjectMeta: metav1.ObjectMeta{Name: "cache"}, Spec: v1.PersistentVolumeClaimSpec{AccessModes: []v1.PersistentVolumeAccessMode{v1.ReadWriteOnce},
		Resources: v1.VolumeResourceRequirements{Requests: v1.ResourceList{v1.ResourceStorage: resource.MustParse("1Gi")}}}},
}

var policies = []appsv1.PersistentVolumeClaimRetentionPolicyType{appsv1.RetainPersistentVolumeClaimRetentionPolicyType, appsv1.DeletePersistentVolumeClaimRetentionPolicyType}

func drawStrategy(t *rapid.T, gate, recreate bool, replicas int32) appsv1.StatefulSetUpdateStrategy {
	if recreate && rapid.IntRange(0, 2).Draw(t, "recreate") > 0 {
		// Before 1.37 an unknown type: the controller rolls the update.
		return appsv1.StatefulSetUpdateStrategy{Type: "Recreate"}
	}
	switch rapid.IntRange(0, 5).Draw(t, "strategy") {
	case 0:
		return appsv1.StatefulSetUpdateStrategy{} // defaulted: RollingUpdate, partition 0
	case 1:
		return appsv1.StatefulSetUpdateStrategy{Type: appsv1.OnDeleteStatefulSetStrategyType}
	case 2:
		// Type set but no rollingUpdate: defaulting leaves it nil, and the
		// controller then keeps slots below status.currentReplicas at the
		// current revision.
		return appsv1.StatefulSetUpdateStrategy{Type: appsv1.RollingUpdateStatefulSetStrategyType}
	default:
		ru := &appsv1.RollingUpdateStatefulSetStrategy{Partition: ptr.To(rapid.Int32Range(0, replicas+1).Draw(t, "partition"))}
		if gate && rapid.Bool().Draw(t, "hasMaxUnavailable") {
			v := rapid.SampledFrom([]k8sintstr.IntOrString{k8sintstr.FromInt32(1), k8sintstr.FromInt32(2), k8sintstr.FromInt32(3),
				k8sintstr.FromString("50%"), k8sintstr.FromString("34%"), k8sintstr.FromString("100%"), k8sintstr.FromString("10%")}).Draw(t, "maxUnavailable")
			ru.MaxUnavailable = &v
		}
		return appsv1.StatefulSetUpdateStrategy{Type: appsv1.RollingUpdateStatefulSetStrategyType, RollingUpdate: ru}
	}
}

func drawRetention(t *rapid.T) *appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy {
	if rapid.IntRange(0, 3).Draw(t, "retentionNil") == 0 {
		return nil
	}
	return &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
		WhenDeleted: rapid.SampledFrom(policies).Draw(t, "whenDeleted"),
		WhenScaled:  rapid.SampledFrom(policies).Draw(t, "whenScaled")}
}

// genSet draws a StatefulSet the API server would accept, defaulted as
// stored.
func genSet(t *rapid.T, gate, recreate bool) *appsv1.StatefulSet {
	replicas := rapid.Int32Range(0, 5).Draw(t, "replicas")
	ss := &appsv1.StatefulSet{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: ns, UID: "set-uid", Generation: 1},
		Spec: appsv1.StatefulSetSpec{
			Replicas: ptr.To(replicas),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "c", Image: "img:1"}}},
			},
			ServiceName:                          "svc",
			PodManagementPolicy:                  rapid.SampledFrom([]appsv1.PodManagementPolicyType{"", appsv1.OrderedReadyPodManagement, appsv1.ParallelPodManagement}).Draw(t, "policy"),
			UpdateStrategy:                       drawStrategy(t, gate, recreate, replicas),
			MinReadySeconds:                      rapid.SampledFrom([]int32{0, 0, 3, 30}).Draw(t, "minReadySeconds"),
			PersistentVolumeClaimRetentionPolicy: drawRetention(t),
		},
	}
	if rapid.Bool().Draw(t, "hasOrdinals") {
		ss.Spec.Ordinals = &appsv1.StatefulSetOrdinals{Start: rapid.Int32Range(0, 3).Draw(t, "start")}
	}
	if rapid.IntRange(0, 2).Draw(t, "hasHistoryLimit") > 0 {
		ss.Spec.RevisionHistoryLimit = ptr.To(rapid.Int32Range(0, 2).Draw(t, "historyLimit"))
	}
	for _, i := range rapid.SliceOfNDistinct(rapid.IntRange(0, len(claimTemplates)-1), 0, 2, rapid.ID[int]).Draw(t, "claimTemplates") {
		ss.Spec.VolumeClaimTemplates = append(ss.Spec.VolumeClaimTemplates, *claimTemplates[i].DeepCopy())
	}
	if len(ss.Spec.VolumeClaimTemplates) > 0 && rapid.Bool().Draw(t, "templateVolumeShadowed") {
		// A template volume of a claim template's name is replaced by the claim.
		ss.Spec.Template.Spec.Volumes = []v1.Volume{{Name: ss.Spec.VolumeClaimTemplates[0].Name, VolumeSource: v1.VolumeSource{EmptyDir: &v1.EmptyDirVolumeSource{}}},
			{Name: "config", VolumeSource: v1.VolumeSource{EmptyDir: &v1.EmptyDirVolumeSource{}}}}
	}
	appsdefaults.SetObjectDefaults_StatefulSet(ss)
	return ss
}

// specChanged re-defaults the set and bumps its generation, as the API
// server does on a spec update.
func (w *world) specChanged() {
	appsdefaults.SetObjectDefaults_StatefulSet(w.set)
	w.set.Generation++
}

func (w *world) pick(t *rapid.T, label string, ok func(*v1.Pod) bool) *v1.Pod {
	var c []*v1.Pod
	for _, p := range w.pods {
		if ok(p) {
			c = append(c, p)
		}
	}
	if len(c) == 0 {
		return nil
	}
	return c[rapid.IntRange(0, len(c)-1).Draw(t, label)]
}

func setReady(p *v1.Pod, status v1.ConditionStatus, at metav1.Time) {
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == v1.PodReady {
			if p.Status.Conditions[i].Status != status {
				p.Status.Conditions[i].Status, p.Status.Conditions[i].LastTransitionTime = status, at
			}
			return
		}
	}
	p.Status.Conditions = append(p.Status.Conditions, v1.PodCondition{Type: v1.PodReady, Status: status, LastTransitionTime: at})
}

// removePod deletes a pod for good, and lets garbage collection start
// deleting the claims it owns.
func (w *world) removePod(p *v1.Pod) {
	w.pods = slices.DeleteFunc(w.pods, func(q *v1.Pod) bool { return q == p })
	for _, c := range w.claims {
		for _, r := range c.OwnerReferences {
			if r.UID == p.UID && c.DeletionTimestamp == nil {
				ts := w.stamp()
				c.DeletionTimestamp = &ts
			}
		}
	}
}

// event applies one random change of the world between passes.
func (w *world) event(t *rapid.T) {
	notDeleting := func(p *v1.Pod) bool { return p.DeletionTimestamp == nil }
	kinds := []string{"run", "ready", "ready", "unready", "fail", "succeed", "gone", "gone", "delete", "scale", "scale", "template",
		"partition", "strategy", "minReady", "start", "retention", "time", "time", "claimDelete", "claimGone", "orphan", "relabel",
		"foreignRef", "historyLimit", "invalid", "strayPod", "deleteSet"}
	if w.gate {
		kinds = append(kinds, "maxUnavailable", "maxUnavailable")
	}
	if w.recreate {
		// New templates are what a Recreate update acts on.
		kinds = append(kinds, "template", "template", "template")
	}
	kind := rapid.SampledFrom(kinds).Draw(t, "event")
	var what string
	switch kind {
	case "run":
		if p := w.pick(t, "pod", func(p *v1.Pod) bool { return p.Status.Phase == v1.PodPending }); p != nil {
			p.Status.Phase = v1.PodRunning
			what = p.Name
		}
	case "ready":
		if p := w.pick(t, "pod", func(p *v1.Pod) bool { return p.Status.Phase == v1.PodRunning }); p != nil {
			setReady(p, v1.ConditionTrue, w.stamp())
			what = p.Name
		}
	case "unready":
		if p := w.pick(t, "pod", func(p *v1.Pod) bool { return p.Status.Phase == v1.PodRunning }); p != nil {
			setReady(p, v1.ConditionFalse, w.stamp())
			what = p.Name
		}
	case "fail", "succeed":
		if p := w.pick(t, "pod", func(p *v1.Pod) bool { return p.Status.Phase == v1.PodRunning || p.Status.Phase == v1.PodPending }); p != nil {
			p.Status.Phase = map[string]v1.PodPhase{"fail": v1.PodFailed, "succeed": v1.PodSucceeded}[kind]
			setReady(p, v1.ConditionFalse, w.stamp())
			what = p.Name
		}
	case "gone":
		if p := w.pick(t, "pod", func(p *v1.Pod) bool { return p.DeletionTimestamp != nil }); p != nil {
			w.removePod(p)
			what = p.Name
		}
	case "delete":
		if p := w.pick(t, "pod", notDeleting); p != nil {
			if rapid.Bool().Draw(t, "graceful") {
				ts := w.stamp()
				p.DeletionTimestamp = &ts
			} else {
				w.removePod(p)
			}
			what = p.Name
		}
	case "scale":
		w.set.Spec.Replicas = ptr.To(rapid.Int32Range(0, 6).Draw(t, "replicas"))
		w.specChanged()
		what = fmt.Sprint(*w.set.Spec.Replicas)
	case "template":
		img := rapid.SampledFrom([]string{"img:1", "img:2", "img:3"}).Draw(t, "image")
		w.set.Spec.Template.Spec.Containers[0].Image = img
		w.specChanged()
		what = img
	case "partition":
		if ru := w.set.Spec.UpdateStrategy.RollingUpdate; ru != nil {
			ru.Partition = ptr.To(rapid.Int32Range(0, 6).Draw(t, "partition"))
			w.specChanged()
			what = fmt.Sprint(*ru.Partition)
		}
	case "strategy":
		w.set.Spec.UpdateStrategy = drawStrategy(t, w.gate, w.recreate, *w.set.Spec.Replicas)
		w.specChanged()
		what = string(w.set.Spec.UpdateStrategy.Type)
	case "maxUnavailable":
		if ru := w.set.Spec.UpdateStrategy.RollingUpdate; ru != nil {
			v := rapid.SampledFrom([]k8sintstr.IntOrString{k8sintstr.FromInt32(1), k8sintstr.FromInt32(2), k8sintstr.FromInt32(4),
				k8sintstr.FromString("50%"), k8sintstr.FromString("100%"), k8sintstr.FromString("20%")}).Draw(t, "maxUnavailable")
			ru.MaxUnavailable = &v
			w.specChanged()
			what = v.String()
		}
	case "minReady":
		w.set.Spec.MinReadySeconds = rapid.SampledFrom([]int32{0, 3, 30}).Draw(t, "minReadySeconds")
		w.specChanged()
		what = fmt.Sprint(w.set.Spec.MinReadySeconds)
	case "start":
		w.set.Spec.Ordinals = &appsv1.StatefulSetOrdinals{Start: rapid.Int32Range(0, 3).Draw(t, "start")}
		w.specChanged()
		what = fmt.Sprint(w.set.Spec.Ordinals.Start)
	case "retention":
		w.set.Spec.PersistentVolumeClaimRetentionPolicy = drawRetention(t)
		w.specChanged()
		what = fmt.Sprint(w.set.Spec.PersistentVolumeClaimRetentionPolicy)
	case "historyLimit":
		w.set.Spec.RevisionHistoryLimit = ptr.To(rapid.Int32Range(0, 2).Draw(t, "historyLimit"))
		w.specChanged()
		what = fmt.Sprint(*w.set.Spec.RevisionHistoryLimit)
	case "time":
		d := time.Duration(rapid.SampledFrom([]int{1, 2, 3, 5, 31, 600, 172800}).Draw(t, "seconds")) * time.Second
		w.now = w.now.Add(d)
		what = d.String()
	case "invalid":
		// A spec the API server rejects today but the controller may
		// observe (stored before validation tightened, or written past
		// it): purectl must plan it as the controller does.
		sp := &w.set.Spec
		switch rapid.IntRange(0, 7).Draw(t, "invalidKind") {
		case 0:
			sp.PodManagementPolicy = "Burst"
		case 1:
			sp.UpdateStrategy = appsv1.StatefulSetUpdateStrategy{Type: "Recreate"}
		case 2:
			sp.UpdateStrategy = appsv1.StatefulSetUpdateStrategy{Type: appsv1.OnDeleteStatefulSetStrategyType,
				RollingUpdate: &appsv1.RollingUpdateStatefulSetStrategy{Partition: ptr.To(rapid.Int32Range(0, 4).Draw(t, "partition"))}}
		case 3:
			sp.PersistentVolumeClaimRetentionPolicy = &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
				WhenDeleted: rapid.SampledFrom([]appsv1.PersistentVolumeClaimRetentionPolicyType{"Keep", "Retain", "Delete"}).Draw(t, "whenDeleted"),
				WhenScaled:  rapid.SampledFrom([]appsv1.PersistentVolumeClaimRetentionPolicyType{"Keep", "Retain", "Delete"}).Draw(t, "whenScaled")}
		case 4:
			if ru := sp.UpdateStrategy.RollingUpdate; ru != nil {
				v := rapid.SampledFrom([]k8sintstr.IntOrString{k8sintstr.FromInt32(0), k8sintstr.FromInt32(-1), k8sintstr.FromString("0%"),
					k8sintstr.FromString("101%"), k8sintstr.FromString("abc"), k8sintstr.FromString("50")}).Draw(t, "maxUnavailable")
				ru.MaxUnavailable = &v
			}
		case 5:
			sp.MinReadySeconds = -1
		case 6:
			sp.Selector = &metav1.LabelSelector{}
		case 7:
			sp.Template.Labels = map[string]string{"app": "web", "tier": "x"}
			if rapid.Bool().Draw(t, "mismatch") {
				sp.Template.Labels = map[string]string{"app": "db"}
			}
		}
		w.specChanged()
		what = fmt.Sprintf("%+v", sp.UpdateStrategy)
	case "strayPod":
		// A pod whose ordinal does not fit an int32: the controller claims
		// it by its parent name, yet no slot holds it.
		if !slices.ContainsFunc(w.pods, func(p *v1.Pod) bool { return p.Name == "web-99999999999" }) {
			w.pods = append(w.pods, &v1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web-99999999999", Namespace: ns, UID: w.uid("pod"),
				Labels: map[string]string{"app": "web", appsv1.StatefulSetRevisionLabel: w.set.Status.CurrentRevision}},
				Status: v1.PodStatus{Phase: v1.PodRunning}})
			what = "web-99999999999"
		}
	case "deleteSet":
		// Rare, as the rest of the trajectory only reports status.
		if w.set.DeletionTimestamp == nil && rapid.IntRange(0, 9).Draw(t, "reallyDeleteSet") == 0 {
			ts := w.stamp()
			w.set.DeletionTimestamp = &ts
			what = "web"
		}
	case "claimDelete":
		if len(w.claims) > 0 {
			c := w.claims[rapid.IntRange(0, len(w.claims)-1).Draw(t, "claim")]
			if c.DeletionTimestamp == nil {
				ts := w.stamp()
				c.DeletionTimestamp = &ts
			}
			what = c.Name
		}
	case "claimGone":
		var c []*v1.PersistentVolumeClaim
		for _, pvc := range w.claims {
			if pvc.DeletionTimestamp != nil {
				c = append(c, pvc)
			}
		}
		if len(c) > 0 {
			gone := c[rapid.IntRange(0, len(c)-1).Draw(t, "claim")]
			w.claims = slices.DeleteFunc(w.claims, func(x *v1.PersistentVolumeClaim) bool { return x == gone })
			what = gone.Name
		}
	case "orphan":
		if p := w.pick(t, "pod", func(p *v1.Pod) bool { return len(p.OwnerReferences) > 0 }); p != nil {
			p.OwnerReferences = nil
			what = p.Name
		}
	case "relabel":
		// Half the time a relabelled pod gets its label back, so that
		// foreign pods holding a slot's name do not pile up.
		p := w.pick(t, "relabelled", func(p *v1.Pod) bool { return p.Labels["app"] != "web" })
		if p == nil || rapid.Bool().Draw(t, "relabelAnother") {
			p = w.pick(t, "pod", func(*v1.Pod) bool { return true })
		}
		if p != nil {
			if p.Labels["app"] == "web" {
				p.Labels["app"] = "other"
			} else {
				p.Labels["app"] = "web"
			}
			what = p.Name + " app=" + p.Labels["app"]
		}
	case "foreignRef":
		if len(w.claims) > 0 {
			c := w.claims[rapid.IntRange(0, len(w.claims)-1).Draw(t, "claim")]
			if rapid.Bool().Draw(t, "controller") {
				c.OwnerReferences = append(c.OwnerReferences, metav1.OwnerReference{APIVersion: "example.com/v1", Kind: "Backup",
					Name: "b", UID: "backup-uid", Controller: ptr.To(true)})
			} else {
				// An earlier set of the same name.
				c.OwnerReferences = append(c.OwnerReferences, metav1.OwnerReference{APIVersion: "apps/v1", Kind: "StatefulSet",
					Name: "web", UID: "old-set-uid", Controller: ptr.To(true)})
			}
			what = c.Name
		}
	}
	w.log = append(w.log, kind+" "+what)
}

// apply makes the real controller's writes (already checked to agree with
// purectl's) the world's state: new pods get a UID and phase Pending as the
// API server stores them; a deleted pod is gone or, if graceful, stays
// terminating; new claims get a UID.
func (w *world) apply(t *rapid.T, before Cluster, out Outcome) {
	after := out.After
	deleted := map[string]bool{}
	for _, wr := range out.Writes {
		if wr.Op == "delete" && wr.Kind == "Pod" {
			deleted[wr.Name] = true
		}
	}
	w.set = after.Set
	w.pods = nil
	have := map[string]bool{}
	prev := map[string]*v1.Pod{}
	for _, p := range before.Pods {
		prev[p.Name] = p
	}
	for _, p := range after.Pods {
		have[p.Name] = true
		// The fake API server applies a patch (adoption, release) through
		// JSON, which keeps timestamps to the second; the controller never
		// writes a pod's status or timestamps, so they are taken as they
		// were (and the half-second margin of the world's clock holds).
		if q := prev[p.Name]; q != nil && q.UID == p.UID {
			p.Status = *q.Status.DeepCopy()
			p.CreationTimestamp, p.DeletionTimestamp = q.CreationTimestamp, q.DeletionTimestamp
		}
		if p.UID == "" {
			p.UID = w.uid("pod")
			p.CreationTimestamp = w.stamp()
			p.Status.Phase = v1.PodPending
		}
		w.pods = append(w.pods, p)
	}
	w.claims = nil
	for _, c := range after.Claims {
		if c.UID == "" {
			c.UID = w.uid("claim")
		}
		w.claims = append(w.claims, c)
	}
	w.revisions = after.Revisions
	for _, p := range before.Pods {
		if have[p.Name] || !deleted[p.Name] {
			continue
		}
		if p.DeletionTimestamp != nil || rapid.Bool().Draw(t, "graceful") {
			p = p.DeepCopy()
			if p.DeletionTimestamp == nil {
				ts := w.stamp()
				p.DeletionTimestamp = &ts
			}
			w.pods = append(w.pods, p)
		} else {
			w.pods = append(w.pods, p) // for removePod's garbage collection
			w.removePod(p)
		}
	}
	slices.SortFunc(w.pods, func(a, b *v1.Pod) int { return strings.Compare(a.Name, b.Name) })
}

// pass runs both sides on the world's state and fails on any difference.
func (w *world) pass(t *rapid.T, n int) {
	// The real controller reads the wall clock. Every deadline is at least
	// half a second from the world's now; a pass that took longer than a
	// quarter of that (a loaded machine) is run again from a new now, so
	// that both sides see the same availability.
	var c Cluster
	var out Outcome
	for attempt := 0; ; attempt++ {
		w.shift(time.Since(w.now))
		c = w.cluster()
		out = New(c).Run(context.Background())
		if time.Since(w.now) < 125*time.Millisecond {
			break
		}
		if attempt == 200 {
			t.Skipf("pass %d: the machine is too loaded to run a pass within the clock margin", n)
		}
	}
	set, pods, claims := Inputs(c, out.Listed, out.UpdateRevision)
	res, err := statefulset.NextStatefulAction(set, pods, claims, w.now, w.opts)
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("pass %d after %s:\n%s\nupstream writes:\n  %s\nrevisions %v err %v\npurectl actions:\n  %s\nblocked %+v\n",
			n, strings.Join(w.log, "; "), fmt.Sprintf(format, args...), joinWrites(out.Writes), out.RevisionWrites, out.Err,
			actions(res), res.Blocked)
	}
	if err != nil {
		fail("purectl error %v", err)
	}
	got, err := PurectlWrites(c, res)
	if err != nil {
		fail("%v", err)
	}
	// The Recreate deletions of a pass come from concurrent goroutines too.
	parallel := c.Set.Spec.PodManagementPolicy == appsv1.ParallelPodManagement ||
		c.Set.Spec.UpdateStrategy.Type == "Recreate" && w.opts.Release.Enabled(api.StatefulSetRecreateStrategy)
	if d := cmp.Diff(Normalise(out.Writes, parallel), Normalise(got, parallel)); d != "" {
		fail("writes differ (-upstream +purectl):\n%s", d)
	}
	if out.Status != nil != res.StatusChanged {
		fail("upstream wrote status: %v, purectl StatusChanged %v (%+v)", out.Status != nil, res.StatusChanged, res.Status)
	}
	if out.Status != nil {
		ours := StatusOf(c.Set, res.Status)
		// A condition's transition time is the controller's clock
		// (metav1.Now), purectl's is the pass's now: the same instant up
		// to how long the pass took.
		for i := range ours.Conditions {
			if i < len(out.Status.Conditions) {
				up := out.Status.Conditions[i].LastTransitionTime
				if d := up.Sub(ours.Conditions[i].LastTransitionTime.Time); d >= 0 && d < time.Second {
					ours.Conditions[i].LastTransitionTime = up
				}
			}
		}
		if d := cmp.Diff(*out.Status, ours); d != "" {
			fail("status differs (-upstream +purectl):\n%s", d)
		}
	}
	// The controller re-queues the set minReadySeconds after a pass that
	// leaves replicas unavailable; purectl gives the instant a pod becomes
	// available instead (a documented difference), which must never be
	// later than the controller's next look.
	if testmain.Release().AtLeast("1.35") {
		// From 1.35 the controller asks again when the first Ready pod
		// becomes available: purectl's instant, up to the pass's duration.
		if !res.RequeueAt.IsZero() && out.Err == nil {
			if len(out.Requeues) == 0 {
				fail("purectl asks again at %s, the controller did not re-queue", res.RequeueAt)
			}
			if d := res.RequeueAt.Sub(w.now); d > slices.Max(out.Requeues)+250*time.Millisecond {
				fail("purectl asks again %s from now, later than the controller's %v", d, out.Requeues)
			}
		}
	} else if !res.RequeueAt.IsZero() && out.Err == nil && res.Status.AvailableReplicas != *c.Set.Spec.Replicas {
		minReady := time.Duration(c.Set.Spec.MinReadySeconds) * time.Second
		if !slices.Contains(out.Requeues, minReady) {
			fail("purectl asks again at %s, the controller did not re-queue (%v)", res.RequeueAt, out.Requeues)
		}
		if res.RequeueAt.Sub(w.now) > minReady+time.Nanosecond {
			fail("purectl asks again %s from now, later than the controller's %s", res.RequeueAt.Sub(w.now), minReady)
		}
	}
	var ours []string
	for _, e := range res.Events {
		if e.Reason == statefulset.ReasonConflictingController {
			ours = append(ours, e.Claim)
		}
	}
	slices.Sort(ours)
	if d := cmp.Diff(ConflictEvents(out.Events), ours); d != "" {
		fail("ConflictingController events differ (-upstream +purectl):\n%s", d)
	}
	checkCreated(fail, out.After, res)
	var unknown []string
	for _, e := range res.Events {
		if e.Reason == statefulset.ReasonUnknownStrategy {
			unknown = append(unknown, "Warning UnknownStrategy "+e.Message)
		}
	}
	if d := cmp.Diff(EventsOf(out.Events, "UnknownStrategy"), unknown); d != "" {
		fail("UnknownStrategy events differ (-upstream +purectl):\n%s", d)
	}
	for _, wr := range out.Writes {
		seen[wr.Op+" "+wr.Kind]++
	}
	if out.Err != nil {
		seen["error"]++
		msg := out.Err.Error()
		if i := strings.IndexAny(msg, "0123456789"); i > 0 {
			msg = msg[:i]
		}
		seen["error: "+msg]++
	}
	if len(ours) > 0 {
		seen["ConflictingController"]++
	}
	if len(res.Warnings) > 0 {
		seen["warnings"]++
	}
	if slices.ContainsFunc(res.Actions, func(a statefulset.Action) bool { return a.Reason == statefulset.ReasonRecreate }) {
		seen["recreate"]++
	}
	if len(unknown) > 0 {
		seen["UnknownStrategy"]++
	}
	w.apply(t, c, out)
}

// seen counts what the compared passes did, so a test can check that the
// trajectories reach every kind of write.
var seen = map[string]int{}

// checkCoverage fails if some kind of write never came up.
func checkCoverage(t *testing.T, kinds ...string) {
	t.Helper()
	t.Logf("coverage: %v", seen)
	for _, k := range kinds {
		if seen[k] == 0 {
			t.Errorf("no pass did %q: the trajectories do not reach it", k)
		}
	}
}

var everyWrite = []string{"create Pod", "delete Pod", "update Pod", "adopt Pod", "release Pod", "create PersistentVolumeClaim",
	"update PersistentVolumeClaim", "delete ControllerRevision", "error", "ConflictingController"}

func joinWrites(ws []Write) string {
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = w.String()
	}
	return strings.Join(s, "\n  ")
}

func actions(res statefulset.Result) string {
	s := make([]string, len(res.Actions))
	for i, a := range res.Actions {
		s[i] = fmt.Sprintf("%s %s %s %s", a.Type, a.Pod, a.Claim, a.Revision)
	}
	return strings.Join(s, "\n  ")
}

// trajectory runs one random trajectory with purectl at opts (the release
// the suite is built for, and the gates the test set on both sides).
func trajectory(t *rapid.T, opts statefulset.Options, recreate bool) {
	gate := opts.Release.Enabled(api.MaxUnavailableStatefulSet)
	w := &world{set: genSet(t, gate, recreate), now: time.Now().Truncate(time.Second), gate: gate, recreate: recreate, opts: opts}
	passes := rapid.IntRange(20, 30).Draw(t, "passes")
	for n := 0; n < passes; n++ {
		for range rapid.IntRange(0, 3).Draw(t, "events") {
			w.event(t)
		}
		w.now = w.now.Add(time.Second)
		w.pass(t, n)
		passCount++
	}
}

var passCount int

// setGate sets a gate on both sides for the test: the real controller's
// (by name, so that a gate a release does not know still compiles) and in
// the Release purectl is given.
func setGate(t *testing.T, opts *statefulset.Options, gate api.Gate, on bool) {
	featuregatetesting.SetFeatureGateDuringTest(t, utilfeature.DefaultFeatureGate, featuregate.Feature(gate), on)
	if opts.Release.FeatureGates == nil {
		opts.Release.FeatureGates = map[api.Gate]bool{}
	}
	opts.Release.FeatureGates[gate] = on
}

// TestStatefulSetTrajectories runs random trajectories of at least 20
// passes with the release's default feature gates and compares every pass.
func TestStatefulSetTrajectories(t *testing.T) {
	start := passCount
	opts := statefulset.Options{Release: testmain.Release()}
	rapid.Check(t, func(t *rapid.T) { trajectory(t, opts, false) })
	t.Logf("%s: %d passes compared", opts.Release, passCount-start)
	checkCoverage(t, everyWrite...)
}

// TestStatefulSetTrajectoriesMaxUnavailable is the same with the
// MaxUnavailableStatefulSet gate the other way from the release's
// default: on up to 1.36 (the rolling update spends
// rollingUpdate.maxUnavailable, and the API server defaults it to 1), off
// in 1.37.
func TestStatefulSetTrajectoriesMaxUnavailable(t *testing.T) {
	opts := statefulset.Options{Release: testmain.Release()}
	setGate(t, &opts, api.MaxUnavailableStatefulSet, !opts.Release.Enabled(api.MaxUnavailableStatefulSet))
	start := passCount
	rapid.Check(t, func(t *rapid.T) { trajectory(t, opts, false) })
	t.Logf("%s: %d passes compared", opts.Release, passCount-start)
	checkCoverage(t, everyWrite...)
}

// TestStatefulSetTrajectoriesRecreate draws the Recreate strategy too:
// from 1.37 with StatefulSetRecreateStrategy on (alpha) and off (the
// controller refuses the set with an UnknownStrategy warning), before as a
// type the controller does not know (validation rejects it; the controller
// rolls the update).
func TestStatefulSetTrajectoriesRecreate(t *testing.T) {
	gates := []bool{false}
	if testmain.Release().AtLeast("1.37") {
		gates = []bool{true, false}
	}
	for _, on := range gates {
		t.Run(fmt.Sprintf("StatefulSetRecreateStrategy=%v", on), func(t *testing.T) {
			opts := statefulset.Options{Release: testmain.Release()}
			if opts.Release.AtLeast("1.37") {
				setGate(t, &opts, api.StatefulSetRecreateStrategy, on)
			}
			start, seen0 := passCount, seen["recreate"]
			rapid.Check(t, func(t *rapid.T) { trajectory(t, opts, true) })
			t.Logf("%s: %d passes compared, %d with Recreate deletions", opts.Release, passCount-start, seen["recreate"]-seen0)
			kinds := []string{"create Pod", "delete Pod", "update PersistentVolumeClaim", "create PersistentVolumeClaim"}
			if on {
				kinds = append(kinds, "recreate")
			} else if opts.Release.AtLeast("1.37") {
				kinds = append(kinds, "UnknownStrategy")
			}
			checkCoverage(t, kinds...)
		})
	}
}

// checkCreated compares the metadata of every pod and claim purectl
// creates, as its NewPod and NewClaim carry it, with the object the real
// controller created (in the fake API server after the pass): a caller
// who copies them gets the controller's object.
func checkCreated(fail func(string, ...any), after Cluster, res statefulset.Result) {
	refs := func(rs []statefulset.OwnerRef) []metav1.OwnerReference {
		var out []metav1.OwnerReference
		for _, r := range rs {
			out = append(out, metav1.OwnerReference{APIVersion: r.APIVersion, Kind: r.Kind, Name: r.Name, UID: types.UID(r.UID),
				Controller: ptr.To(r.Controller), BlockOwnerDeletion: ptr.To(r.Controller)})
		}
		return out
	}
	for _, a := range res.Actions {
		switch a.Type {
		case statefulset.CreatePod:
			i := slices.IndexFunc(after.Pods, func(p *v1.Pod) bool { return p.Name == a.Pod })
			if i < 0 {
				continue // deleted again in the pass (a Parallel rolling update)
			}
			up, np := after.Pods[i], a.NewPod
			got := map[string]any{"labels": np.Labels, "annotations": np.Annotations, "ownerReferences": refs(np.OwnerRefs),
				"hostname": np.Hostname, "subdomain": np.Subdomain}
			want := map[string]any{"labels": up.Labels, "annotations": up.Annotations, "ownerReferences": up.OwnerReferences,
				"hostname": up.Spec.Hostname, "subdomain": up.Spec.Subdomain}
			if up.UID != "" {
				continue // a pod of that name was there before the pass (the create failed)
			}
			if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
				fail("created pod %s: NewPod differs from the controller's object (-upstream +purectl):\n%s", a.Pod, d)
			}
		case statefulset.CreateClaim:
			i := slices.IndexFunc(after.Claims, func(c *v1.PersistentVolumeClaim) bool { return c.Name == a.Claim })
			if i < 0 || after.Claims[i].UID != "" {
				continue
			}
			up, nc := after.Claims[i], a.NewClaim
			got := map[string]any{"labels": nc.Labels, "annotations": nc.Annotations, "ownerReferences": refs(nc.OwnerRefs)}
			want := map[string]any{"labels": up.Labels, "annotations": up.Annotations, "ownerReferences": up.OwnerReferences}
			if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
				fail("created claim %s: NewClaim differs from the controller's object (-upstream +purectl):\n%s", a.Claim, d)
			}
		}
	}
}
