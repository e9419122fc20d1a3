package adapt

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/cronjob"
	"github.com/purectl/purectl/daemonset"
	"github.com/purectl/purectl/job"
	"github.com/purectl/purectl/statefulset"
	"github.com/purectl/purectl/volume"
)

var (
	timeType     = reflect.TypeFor[time.Time]()
	quantityType = reflect.TypeFor[volume.Quantity]()
	intOrStrType = reflect.TypeFor[api.IntOrString]()
)

// quantities are spellings a quantity round-trips through
// resource.Quantity with.
var quantities = []string{"0", "1", "1500m", "10Gi", "500M", "2Ti", "3e3", "100Ki"}

// arbitrary draws a value of typ field by field: every exported field of
// every struct, so that a field added to purectl's types is drawn (and
// must then survive the round trip) without this generator knowing it.
// Empty slices and maps are nil; times are whole seconds in UTC.
func arbitrary(t *rapid.T, typ reflect.Type, label string, depth int) reflect.Value {
	v := reflect.New(typ).Elem()
	switch {
	case typ == timeType:
		if rapid.IntRange(0, 3).Draw(t, label+"/zero?") > 0 {
			v.Set(reflect.ValueOf(time.Unix(rapid.Int64Range(1, 4e9).Draw(t, label), 0).UTC()))
		}
		return v
	case typ == intOrStrType:
		if rapid.Bool().Draw(t, label+"/string?") {
			v.Set(reflect.ValueOf(api.FromString(rapid.SampledFrom([]string{"", "25%", "x"}).Draw(t, label))))
		} else {
			v.Set(reflect.ValueOf(api.FromInt(rapid.Int32Range(-2, 5).Draw(t, label))))
		}
		return v
	case typ == quantityType:
		if i := rapid.IntRange(-1, len(quantities)-1).Draw(t, label); i >= 0 {
			v.Set(reflect.ValueOf(volume.MustParseQuantity(quantities[i])))
		}
		return v
	}
	switch typ.Kind() {
	case reflect.String:
		v.SetString(rapid.StringMatching(`[a-z0-9]{0,3}`).Draw(t, label))
	case reflect.Bool:
		v.SetBool(rapid.Bool().Draw(t, label))
	case reflect.Int, reflect.Int32:
		v.SetInt(int64(rapid.Int32Range(-5, 1000).Draw(t, label)))
	case reflect.Int64:
		v.SetInt(rapid.Int64Range(-5, 1e6).Draw(t, label))
	case reflect.Pointer:
		if depth < 6 && rapid.Bool().Draw(t, label+"/set?") {
			p := reflect.New(typ.Elem())
			p.Elem().Set(arbitrary(t, typ.Elem(), label+"*", depth+1))
			v.Set(p)
		}
	case reflect.Slice:
		if n := rapid.IntRange(0, 2).Draw(t, label+"/len"); n > 0 && depth < 6 {
			s := reflect.MakeSlice(typ, n, n)
			for i := range n {
				s.Index(i).Set(arbitrary(t, typ.Elem(), fmt.Sprintf("%s[%d]", label, i), depth+1))
			}
			v.Set(s)
		}
	case reflect.Map:
		if n := rapid.IntRange(0, 2).Draw(t, label+"/len"); n > 0 && depth < 6 {
			m := reflect.MakeMap(typ)
			for i := range n {
				m.SetMapIndex(arbitrary(t, typ.Key(), fmt.Sprintf("%s/key%d", label, i), depth+1),
					arbitrary(t, typ.Elem(), fmt.Sprintf("%s/val%d", label, i), depth+1))
			}
			v.Set(m)
		}
	case reflect.Struct:
		for i := range typ.NumField() {
			if f := typ.Field(i); f.IsExported() {
				v.Field(i).Set(arbitrary(t, f.Type, label+"."+f.Name, depth+1))
			}
		}
	}
	return v
}

func draw[T any](t *rapid.T, label string) T {
	return arbitrary(t, reflect.TypeFor[T](), label, 0).Interface().(T)
}

// zeroFields zeroes the named fields of the struct *p that exist: state a
// Kubernetes object does not hold (controller memory, caller options).
func zeroFields(p any, names ...string) {
	v := reflect.ValueOf(p).Elem()
	for _, n := range names {
		if f := v.FieldByName(n); f.IsValid() && f.CanSet() {
			f.Set(reflect.Zero(f.Type()))
		}
	}
}

var roundTripOpts = cmp.Options{
	cmpopts.EquateEmpty(),
	cmp.Comparer(func(a, b volume.Quantity) bool { return a.IsSet() == b.IsSet() && a.Cmp(b) == 0 }),
}

func checkRoundTrip[T any](t *rapid.T, what string, want, got T) {
	if d := cmp.Diff(want, got, roundTripOpts...); d != "" {
		t.Fatalf("%s does not survive the round trip (-want +got):\n%s", what, d)
	}
}

// Every input purectl reads comes back unchanged through its k8s object:
// adapt.X(adapt.V1X(x)) == x for the shared types, nodes, pods, DaemonSets,
// StatefulSets and their revisions, claims, Jobs and their status,
// CronJobs and their Jobs, PersistentVolumes, claims, StorageClasses and
// the statuses the controllers compute.
func TestInputsRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sel := draw[*api.LabelSelector](t, "selector")
		checkRoundTrip(t, "label selector", sel, LabelSelector(V1LabelSelector(sel)))
		ns := draw[*api.NodeSelector](t, "nodeSelector")
		checkRoundTrip(t, "node selector", ns, RequiredNodeAffinity(V1Affinity(ns)))
		iv := draw[*api.IntOrString](t, "intOrString")
		checkRoundTrip(t, "int-or-string", iv, IntOrString(V1IntOrString(iv)))

		node := draw[daemonset.Node](t, "node")
		checkRoundTrip(t, "node", node, Node(V1Node(node)))
		vnode := draw[volume.Node](t, "volumeNode")
		checkRoundTrip(t, "volume node", vnode, VolumeNode(V1VolumeNode(vnode)))

		ds := draw[daemonset.DaemonSet](t, "daemonSet")
		zeroFields(&ds, "FailedPodBackoff", "WritesObserved", "RequeueAfterMinReady", "Unobserved")
		if ds.TemplateGeneration != "" {
			ds.Annotations = withAnnotation(ds.Annotations, TemplateGenerationAnnotation, ds.TemplateGeneration)
		} else {
			ds.Annotations = withoutAnnotation(ds.Annotations, TemplateGenerationAnnotation)
		}
		back := DaemonSet(V1DaemonSet(ds))
		back.Spec.CurrentHash = ds.Spec.CurrentHash // computed from the template
		checkRoundTrip(t, "DaemonSet", ds, back)
		dp := draw[daemonset.Pod](t, "daemonPod")
		checkRoundTrip(t, "daemon pod", dp, DaemonPod(V1DaemonPod(dp)))
		dst := draw[daemonset.Status](t, "daemonSetStatus")
		checkRoundTrip(t, "DaemonSet status", dst, DaemonSetStatusOf(DaemonSetStatus(V1DaemonSet(ds), dst)))

		set := draw[statefulset.Set](t, "statefulSet")
		zeroFields(&set, "Features")
		sts, revs := V1StatefulSet(set)
		sback := StatefulSet(sts, revs)
		sback.UpdateRevision = set.UpdateRevision // computed from the template
		checkRoundTrip(t, "StatefulSet", set, sback)
		sp := draw[statefulset.Pod](t, "statefulPod")
		checkRoundTrip(t, "stateful pod", sp, StatefulPod(V1StatefulPod(sp)))
		sc := draw[statefulset.Claim](t, "statefulClaim")
		checkRoundTrip(t, "stateful claim", sc, StatefulClaim(V1StatefulClaim(sc)))

		j := draw[job.Job](t, "job")
		zeroFields(&j, "OperationsPending", "WritesUnobserved", "UpstreamQuirks")
		st := draw[job.Status](t, "jobStatus")
		zeroFields(&st, "Backoff")
		jback, stback := Job(V1Job(j, st))
		checkRoundTrip(t, "Job", j, jback)
		checkRoundTrip(t, "Job status", st, stback)
		jp := draw[job.Pod](t, "jobPod")
		for i := range jp.ContainerStatuses {
			jp.ContainerStatuses[i].Sidecar = false // only init containers are sidecars
		}
		for i := range jp.InitContainerStatuses {
			jp.InitContainerStatuses[i].Name = fmt.Sprint(i, jp.InitContainerStatuses[i].Name)
		}
		checkRoundTrip(t, "Job pod", jp, JobPod(V1JobPod(jp)))

		cj := draw[cronjob.CronJob](t, "cronJob")
		checkRoundTrip(t, "CronJob", cj, CronJob(V1CronJob(cj)))
		cjj := draw[cronjob.Job](t, "cronJobJob")
		checkRoundTrip(t, "CronJob's Job", cjj, CronJobJob(V1CronJobJob(cjj)))

		pv := draw[volume.Volume](t, "volume")
		pv.Spec.Source.Other = rapid.SampledFrom([]string{"", "iscsi", "fc", "other"}).Draw(t, "other")
		delete(pv.Spec.OtherCapacity, "storage")
		for name, q := range pv.Spec.OtherCapacity {
			if !q.IsSet() { // a capacity entry always has a value
				pv.Spec.OtherCapacity[name] = volume.MustParseQuantity("1")
			}
		}
		pvback, err := PersistentVolume(V1PersistentVolume(pv))
		if err != nil {
			t.Fatal(err)
		}
		checkRoundTrip(t, "PersistentVolume", pv, pvback)
		claim := draw[volume.Claim](t, "claim")
		cback, err := PersistentVolumeClaim(V1PersistentVolumeClaim(claim))
		if err != nil {
			t.Fatal(err)
		}
		checkRoundTrip(t, "PersistentVolumeClaim", claim, cback)
		class := draw[volume.StorageClass](t, "class")
		checkRoundTrip(t, "StorageClass", class, StorageClass(V1StorageClass(class)))
		vp := draw[volume.Pod](t, "volumePod")
		checkRoundTrip(t, "volume pod", vp, VolumePod(V1VolumePod(vp)))
	})
}

// The generator draws what the round trip needs: fields set, nested
// values, and quantities.
func TestArbitraryDrawsEveryField(t *testing.T) {
	var sawCapacity, sawClaimRef, sawLabels bool
	rapid.Check(t, func(t *rapid.T) {
		pv := draw[volume.Volume](t, "volume")
		sawCapacity = sawCapacity || pv.Spec.Capacity.IsSet()
		sawClaimRef = sawClaimRef || pv.Spec.ClaimRef != nil && pv.Spec.ClaimRef.Name != ""
		sawLabels = sawLabels || len(pv.Labels) > 0
	})
	if !sawCapacity || !sawClaimRef || !sawLabels {
		t.Fatalf("capacity %v, claimRef %v, labels %v", sawCapacity, sawClaimRef, sawLabels)
	}
}
