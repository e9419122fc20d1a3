package pv

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kfield "k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/kubernetes/pkg/apis/core"
	corev1defaults "k8s.io/kubernetes/pkg/apis/core/v1"
	corevalidation "k8s.io/kubernetes/pkg/apis/core/validation"
	storagev1defaults "k8s.io/kubernetes/pkg/apis/storage/v1"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
	"github.com/purectl/purectl/volume"
)

var rawQuantities = []string{"1Gi", "1500m", "0.0001", "1.0005", "10", "0", "-1Gi", "800E", "2.5Ki"}

// rawVolume draws a PersistentVolume as a client may send it: defaulted
// fields left out, some values the API server rejects.
func rawVolume(t *rapid.T) *v1.PersistentVolume {
	pv := &v1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: rapid.SampledFrom([]string{"pv-1", "a/b", "..", "x%y"}).Draw(t, "name")}}
	s := &pv.Spec
	switch rapid.IntRange(0, 5).Draw(t, "capacityKind") {
	case 0:
	case 1:
		s.Capacity = v1.ResourceList{v1.ResourceStorage: resource.MustParse(rapid.SampledFrom(rawQuantities).Draw(t, "capacity")),
			v1.ResourceCPU: resource.MustParse("1")}
	default:
		s.Capacity = v1.ResourceList{v1.ResourceStorage: resource.MustParse(rapid.SampledFrom(rawQuantities).Draw(t, "capacity"))}
	}
	s.AccessModes = rapid.SliceOfN(rapid.SampledFrom([]v1.PersistentVolumeAccessMode{v1.ReadWriteOnce, v1.ReadOnlyMany,
		v1.ReadWriteMany, v1.ReadWriteOncePod, "Bogus"}), 0, 3).Draw(t, "modes")
	s.PersistentVolumeReclaimPolicy = rapid.SampledFrom([]v1.PersistentVolumeReclaimPolicy{"", "Retain", "Delete", "Recycle", "Bogus"}).Draw(t, "policy")
	s.StorageClassName = rapid.SampledFrom([]string{"", "gold", "Bad_Class"}).Draw(t, "class")
	if rapid.Bool().Draw(t, "hasMode") {
		m := rapid.SampledFrom([]v1.PersistentVolumeMode{v1.PersistentVolumeBlock, v1.PersistentVolumeFilesystem, "Bogus"}).Draw(t, "mode")
		s.VolumeMode = &m
	}
	if rapid.IntRange(0, 3).Draw(t, "hasVAC") == 0 {
		vac := rapid.SampledFrom([]string{"", "fast", "Bad_VAC"}).Draw(t, "vac")
		s.VolumeAttributesClassName = &vac
	}
	if rapid.IntRange(0, 3).Draw(t, "hasAffinity") == 0 {
		s.NodeAffinity = &v1.VolumeNodeAffinity{Required: &v1.NodeSelector{NodeSelectorTerms: []v1.NodeSelectorTerm{{
			MatchExpressions: []v1.NodeSelectorRequirement{{Key: "zone", Operator: v1.NodeSelectorOpIn, Values: []string{"a"}}}}}}}
	}
	for i, n := 0, rapid.IntRange(0, 2).Draw(t, "nSources"); i < n; i++ {
		switch rapid.IntRange(0, 3).Draw(t, "source") {
		case 0:
			hp := &v1.HostPathVolumeSource{Path: rapid.SampledFrom([]string{"/tmp/x", "", "/a/../b", "/"}).Draw(t, "hostPath")}
			if rapid.Bool().Draw(t, "hostPathType") {
				ty := rapid.SampledFrom([]v1.HostPathType{"", v1.HostPathDirectory, v1.HostPathFileOrCreate, "Bogus"}).Draw(t, "type")
				hp.Type = &ty
			}
			s.HostPath = hp
		case 1:
			s.NFS = &v1.NFSVolumeSource{Server: rapid.SampledFrom([]string{"nfs", ""}).Draw(t, "server"),
				Path: rapid.SampledFrom([]string{"/export", "", "relative"}).Draw(t, "nfsPath")}
		case 2:
			s.CSI = &v1.CSIPersistentVolumeSource{Driver: rapid.SampledFrom([]string{"csi.example.com", ""}).Draw(t, "driver"),
				VolumeHandle: rapid.SampledFrom([]string{"h", ""}).Draw(t, "handle")}
		default:
			s.Local = &v1.LocalVolumeSource{Path: rapid.SampledFrom([]string{"/mnt", "", "/a/../b"}).Draw(t, "localPath")}
		}
	}
	pv.Status.Phase = rapid.SampledFrom([]v1.PersistentVolumePhase{"", v1.VolumeAvailable, v1.VolumeBound}).Draw(t, "phase")
	return pv
}

func rawClaim(t *rapid.T) *v1.PersistentVolumeClaim {
	pvc := &v1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Namespace: rapid.SampledFrom([]string{"ns", ""}).Draw(t, "ns"),
		Name: rapid.SampledFrom([]string{"data", ""}).Draw(t, "name")}}
	s := &pvc.Spec
	s.AccessModes = rapid.SliceOfN(rapid.SampledFrom([]v1.PersistentVolumeAccessMode{v1.ReadWriteOnce, v1.ReadOnlyMany,
		v1.ReadWriteMany, v1.ReadWriteOncePod, "Bogus"}), 0, 3).Draw(t, "modes")
	if rapid.IntRange(0, 5).Draw(t, "hasRequest") > 0 {
		s.Resources.Requests = v1.ResourceList{v1.ResourceStorage: resource.MustParse(rapid.SampledFrom(rawQuantities).Draw(t, "request"))}
	}
	if rapid.Bool().Draw(t, "hasClass") {
		c := rapid.SampledFrom([]string{"", "gold", "Bad_Class"}).Draw(t, "class")
		s.StorageClassName = &c
	}
	if rapid.Bool().Draw(t, "hasMode") {
		m := rapid.SampledFrom([]v1.PersistentVolumeMode{v1.PersistentVolumeBlock, v1.PersistentVolumeFilesystem, "Bogus"}).Draw(t, "mode")
		s.VolumeMode = &m
	}
	if rapid.IntRange(0, 3).Draw(t, "hasVAC") == 0 {
		vac := rapid.SampledFrom([]string{"", "fast", "Bad_VAC"}).Draw(t, "vac")
		s.VolumeAttributesClassName = &vac
	}
	switch rapid.IntRange(0, 4).Draw(t, "selector") {
	case 1:
		s.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"tier": "fast"}}
	case 2:
		s.Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier",
			Operator: rapid.SampledFrom([]metav1.LabelSelectorOperator{"In", "NotIn", "Exists", "DoesNotExist"}).Draw(t, "op"),
			Values:   rapid.SliceOfN(rapid.SampledFrom([]string{"a", "b"}), 0, 2).Draw(t, "values")}}}
	}
	if rapid.Bool().Draw(t, "hasStatusCapacity") {
		pvc.Status.Capacity = v1.ResourceList{v1.ResourceStorage: resource.MustParse(rapid.SampledFrom(rawQuantities).Draw(t, "statusCapacity"))}
	}
	return pvc
}

// apiRounds runs each API property this many times the -rapid.checks cases
// (100 by default here): they are cheap.
const apiRounds = 20

func checkMany(t *testing.T, prop func(*rapid.T)) {
	for i := 0; i < apiRounds && !t.Failed(); i++ {
		rapid.Check(t, prop)
	}
}

// DefaultVolume, DefaultClaim and DefaultStorageClass against the core/v1
// and storage/v1 defaulting, on objects with any defaulted field left out.
func TestDefaultsAgainstKubernetes(t *testing.T) {
	t.Run("volume", func(t *testing.T) {
		checkMany(t, func(t *rapid.T) {
			raw := rawVolume(t)
			want := raw.DeepCopy()
			corev1defaults.SetObjectDefaults_PersistentVolume(want)
			in, err := adapt.PersistentVolume(raw)
			if err != nil {
				t.Fatal(err)
			}
			kept := raw.DeepCopy()
			got := volume.DefaultVolume(in, testmain.Release())
			w, err := adapt.PersistentVolume(want)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(raw, kept) {
				t.Fatal("input modified")
			}
			if d := cmp.Diff(comparableVolume(w), comparableVolume(got)); d != "" {
				t.Fatalf("(-kubernetes +purectl):\n%s", d)
			}
		})
	})
	t.Run("claim", func(t *testing.T) {
		checkMany(t, func(t *rapid.T) {
			raw := rawClaim(t)
			want := raw.DeepCopy()
			corev1defaults.SetObjectDefaults_PersistentVolumeClaim(want)
			in, err := adapt.PersistentVolumeClaim(raw)
			if err != nil {
				t.Fatal(err)
			}
			got := volume.DefaultClaim(in, testmain.Release())
			w, err := adapt.PersistentVolumeClaim(want)
			if err != nil {
				t.Fatal(err)
			}
			g := []any{got.Status.Phase, got.Spec.VolumeMode, got.Spec.Request.String(), got.Status.Capacity.String()}
			k := []any{w.Status.Phase, w.Spec.VolumeMode, w.Spec.Request.String(), w.Status.Capacity.String()}
			if got.Spec.Request.Cmp(w.Spec.Request) != 0 || got.Status.Capacity.Cmp(w.Status.Capacity) != 0 || g[0] != k[0] || g[1] != k[1] {
				t.Fatalf("kubernetes %v, purectl %v", k, g)
			}
		})
	})
	t.Run("class", func(t *testing.T) {
		checkMany(t, func(t *rapid.T) {
			raw := &storagev1.StorageClass{ObjectMeta: metav1.ObjectMeta{Name: "c"}, Provisioner: "p"}
			if rapid.Bool().Draw(t, "hasPolicy") {
				p := rapid.SampledFrom([]v1.PersistentVolumeReclaimPolicy{"Retain", "Delete"}).Draw(t, "policy")
				raw.ReclaimPolicy = &p
			}
			if rapid.Bool().Draw(t, "hasMode") {
				m := rapid.SampledFrom([]storagev1.VolumeBindingMode{"Immediate", "WaitForFirstConsumer"}).Draw(t, "mode")
				raw.VolumeBindingMode = &m
			}
			want := raw.DeepCopy()
			storagev1defaults.SetObjectDefaults_StorageClass(want)
			got := volume.DefaultStorageClass(adapt.StorageClass(raw), testmain.Release())
			if d := cmp.Diff(adapt.StorageClass(want), got); d != "" {
				t.Fatalf("(-kubernetes +purectl):\n%s", d)
			}
		})
	})
}

// comparableVolume is a volume with its quantities as exact values.
type cmpVolume struct {
	Phase         volume.VolumePhase
	Policy        volume.ReclaimPolicy
	Mode          volume.VolumeMode
	HostPathType  string
	Capacity      string
	OtherCapacity map[string]string
}

func comparableVolume(v volume.Volume) cmpVolume {
	out := cmpVolume{Phase: v.Status.Phase, Policy: v.Spec.ReclaimPolicy, Mode: v.Spec.VolumeMode, Capacity: exact(v.Spec.Capacity)}
	if hp := v.Spec.Source.HostPath; hp != nil {
		out.HostPathType = "<nil>"
		if hp.Type != nil {
			out.HostPathType = string(*hp.Type)
		}
	}
	for k, q := range v.Spec.OtherCapacity {
		if out.OtherCapacity == nil {
			out.OtherCapacity = map[string]string{}
		}
		out.OtherCapacity[k] = exact(q)
	}
	return out
}

func exact(q volume.Quantity) string {
	r := resource.MustParse(q.String())
	return r.AsDec().String()
}

type apiError struct{ Type, Field, Detail, Text string }

func kubernetesErrors(errs kfield.ErrorList) []apiError {
	var out []apiError
	for _, e := range errs {
		out = append(out, apiError{Type: e.Type.String(), Field: e.Field, Detail: e.Detail, Text: e.Error()})
	}
	return out
}

func ourErrors(errs []*volume.FieldError) []apiError {
	var out []apiError
	for _, e := range errs {
		out = append(out, apiError{Type: string(e.Type), Field: e.Field, Detail: e.Detail, Text: e.Error()})
	}
	return out
}

// ValidateVolume and ValidateClaim (as the Warnings of SyncVolume and
// BindPVC) against ValidatePersistentVolume and
// ValidatePersistentVolumeClaim of pkg/apis/core/validation, on defaulted
// objects: the same errors in the same order, paths, details and text.
func TestValidateAgainstKubernetes(t *testing.T) {
	t.Cleanup(func() {
		if err := useRelease(nil); err != nil {
			t.Error(err)
		}
	})
	t.Run("volume", func(t *testing.T) {
		checkMany(t, func(t *rapid.T) {
			if err := useRelease(drawGates(t)); err != nil {
				t.Fatal(err)
			}
			raw := rawVolume(t)
			corev1defaults.SetObjectDefaults_PersistentVolume(raw)
			var internal core.PersistentVolume
			if err := corev1defaults.Convert_v1_PersistentVolume_To_core_PersistentVolume(raw, &internal, nil); err != nil {
				t.Fatal(err)
			}
			want := kubernetesErrors(corevalidation.ValidatePersistentVolume(&internal, corevalidation.ValidationOptionsForPersistentVolume(&internal, nil)))
			v, err := adapt.PersistentVolume(raw)
			if err != nil {
				t.Fatal(err)
			}
			r, _ := volume.SyncVolume(v, nil, nil, release)
			if d := cmp.Diff(want, ourErrors(r.Warnings)); d != "" {
				t.Fatalf("volume %+v\nerrors (-kubernetes +purectl):\n%s", raw.Spec, d)
			}
		})
	})
	t.Run("claim", func(t *testing.T) {
		checkMany(t, func(t *rapid.T) {
			if err := useRelease(drawGates(t)); err != nil {
				t.Fatal(err)
			}
			raw := rawClaim(t)
			corev1defaults.SetObjectDefaults_PersistentVolumeClaim(raw)
			var internal core.PersistentVolumeClaim
			if err := corev1defaults.Convert_v1_PersistentVolumeClaim_To_core_PersistentVolumeClaim(raw, &internal, nil); err != nil {
				t.Fatal(err)
			}
			want := kubernetesErrors(corevalidation.ValidatePersistentVolumeClaim(&internal, corevalidation.ValidationOptionsForPersistentVolumeClaim(&internal, nil)))
			c, err := adapt.PersistentVolumeClaim(raw)
			if err != nil {
				t.Fatal(err)
			}
			r, _ := volume.BindPVC(nil, c, volume.Options{Release: release})
			if d := cmp.Diff(want, ourErrors(r.Warnings)); d != "" {
				t.Fatalf("claim %+v\nerrors (-kubernetes +purectl):\n%s", raw.Spec, d)
			}
		})
	})
}
