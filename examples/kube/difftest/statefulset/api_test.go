package statefulsetdiff

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8sintstr "k8s.io/apimachinery/pkg/util/intstr"
	kfield "k8s.io/apimachinery/pkg/util/validation/field"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	featuregatetesting "k8s.io/component-base/featuregate/testing"
	"k8s.io/kubernetes/pkg/apis/apps"
	appsdefaults "k8s.io/kubernetes/pkg/apis/apps/v1"
	"k8s.io/kubernetes/pkg/features"
	"k8s.io/utils/ptr"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/examples/kube/adapt"
	"github.com/purectl/purectl/examples/kube/internal/testmain"
	"github.com/purectl/purectl/statefulset"
)

// rawSet draws an apps/v1 StatefulSet as a client may send it: any of the
// defaulted fields left out, some values the API server rejects.
func rawSet(t *rapid.T) *appsv1.StatefulSet {
	ss := &appsv1.StatefulSet{
		ObjectMeta: metav1.ObjectMeta{Name: rapid.SampledFrom([]string{"web", "Web", "db-1", "a-very-long-name-that-goes-on-and-on-beyond-the-sixty-three-characters-of-a-label"}).Draw(t, "name"),
			Namespace: "ns"},
		Spec: appsv1.StatefulSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "c", Image: "img:1", ImagePullPolicy: v1.PullIfNotPresent, TerminationMessagePolicy: v1.TerminationMessageReadFile}}, DNSPolicy: v1.DNSClusterFirst},
			},
			ServiceName: rapid.SampledFrom([]string{"svc", "", "Bad_Svc"}).Draw(t, "serviceName"),
		},
	}
	s := &ss.Spec
	if rapid.Bool().Draw(t, "hasReplicas") {
		s.Replicas = ptr.To(rapid.Int32Range(-1, 3).Draw(t, "replicas"))
	}
	s.PodManagementPolicy = rapid.SampledFrom([]appsv1.PodManagementPolicyType{"", "OrderedReady", "Parallel", "Burst"}).Draw(t, "policy")
	s.UpdateStrategy.Type = rapid.SampledFrom([]appsv1.StatefulSetUpdateStrategyType{"", "RollingUpdate", "OnDelete", "Recreate"}).Draw(t, "type")
	if rapid.Bool().Draw(t, "hasRollingUpdate") {
		ru := &appsv1.RollingUpdateStatefulSetStrategy{}
		if rapid.Bool().Draw(t, "hasPartition") {
			ru.Partition = ptr.To(rapid.Int32Range(-1, 3).Draw(t, "partition"))
		}
		if rapid.Bool().Draw(t, "hasMaxUnavailable") {
			v := rapid.SampledFrom([]k8sintstr.IntOrString{k8sintstr.FromInt32(0), k8sintstr.FromInt32(-1), k8sintstr.FromInt32(2),
				k8sintstr.FromString("0%"), k8sintstr.FromString("50%"), k8sintstr.FromString("101%"), k8sintstr.FromString("abc"),
				k8sintstr.FromString("50")}).Draw(t, "maxUnavailable")
			ru.MaxUnavailable = &v
		}
		s.UpdateStrategy.RollingUpdate = ru
	}
	s.MinReadySeconds = rapid.Int32Range(-1, 5).Draw(t, "minReadySeconds")
	if rapid.Bool().Draw(t, "hasOrdinals") {
		s.Ordinals = &appsv1.StatefulSetOrdinals{Start: rapid.Int32Range(-1, 2).Draw(t, "start")}
	}
	if rapid.Bool().Draw(t, "hasRetention") {
		vals := []appsv1.PersistentVolumeClaimRetentionPolicyType{"", "Retain", "Delete", "Keep"}
		s.PersistentVolumeClaimRetentionPolicy = &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
			WhenDeleted: rapid.SampledFrom(vals).Draw(t, "whenDeleted"), WhenScaled: rapid.SampledFrom(vals).Draw(t, "whenScaled")}
	}
	if rapid.Bool().Draw(t, "hasHistoryLimit") {
		s.RevisionHistoryLimit = ptr.To(rapid.Int32Range(-1, 3).Draw(t, "historyLimit"))
	}
	// Malformed label keys are left out: the shared label checks word
	// their messages the newer way, v1.34's label selector checks the
	// older way.
	switch rapid.IntRange(0, 3).Draw(t, "selector") {
	case 1:
		s.Selector = &metav1.LabelSelector{}
	case 2:
		s.Template.Labels = map[string]string{"app": "db"}
	}
	s.Template.Spec.RestartPolicy = rapid.SampledFrom([]v1.RestartPolicy{"", "Always", "Never"}).Draw(t, "restartPolicy")
	if rapid.IntRange(0, 3).Draw(t, "hasDeadline") == 0 {
		s.Template.Spec.ActiveDeadlineSeconds = ptr.To[int64](5)
	}
	for _, i := range rapid.SliceOfNDistinct(rapid.IntRange(0, len(claimTemplates)-1), 0, 2, rapid.ID[int]).Draw(t, "claimTemplates") {
		s.VolumeClaimTemplates = append(s.VolumeClaimTemplates, *claimTemplates[i].DeepCopy())
	}
	return ss
}

// statefulset.Default against SetObjectDefaults_StatefulSet, on sets with
// any defaulted field left out, with the MaxUnavailableStatefulSet gate
// off and on, at the release the suite is built for.
func TestDefaultAgainstKubernetes(t *testing.T) {
	for _, gate := range []bool{false, true} {
		t.Run(fmt.Sprintf("MaxUnavailableStatefulSet=%v", gate), func(t *testing.T) {
			featuregatetesting.SetFeatureGateDuringTest(t, utilfeature.DefaultFeatureGate, features.MaxUnavailableStatefulSet, gate)
			rapid.Check(t, func(t *rapid.T) {
				raw := rawSet(t)
				want := raw.DeepCopy()
				appsdefaults.SetObjectDefaults_StatefulSet(want)
				in := adapt.StatefulSet(raw, nil)
				rel := testmain.Release()
				rel.FeatureGates = map[api.Gate]bool{api.MaxUnavailableStatefulSet: gate}
				kept := raw.DeepCopy()
				got := statefulset.Default(in, rel)
				if !reflect.DeepEqual(raw, kept) {
					t.Fatalf("Default modified its input")
				}
				if d := cmp.Diff(adapt.StatefulSet(want, nil).Spec, got.Spec); d != "" {
					t.Fatalf("spec %+v\n(-kubernetes +purectl):\n%s", raw.Spec, d)
				}
			})
		})
	}
}

// comparableError is a field error: its type, path and detail, and the
// whole message as printed.
type comparableError struct{ Type, Field, Detail, Text string }

func kubernetesErrors(errs kfield.ErrorList) []comparableError {
	var out []comparableError
	for _, e := range errs {
		c := comparableError{Type: e.Type.String(), Field: e.Field, Detail: e.Detail, Text: e.Error()}
		out = append(out, c)
	}
	return out
}

// statefulset.Validate against ValidateStatefulSet of pkg/apis/apps/
// validation, on defaulted sets (what the API server validates): the same
// errors, in the same order, with the same paths and details; from 1.37
// with StatefulSetRecreateStrategy off and on.
func TestValidateAgainstKubernetes(t *testing.T) {
	recreate := []bool{false}
	if testmain.Release().AtLeast("1.37") {
		recreate = append(recreate, true)
	}
	for _, allow := range recreate {
		t.Run(fmt.Sprintf("StatefulSetRecreateStrategy=%v", allow), func(t *testing.T) {
			rel := testmain.Release()
			if allow {
				rel.FeatureGates = map[api.Gate]bool{api.StatefulSetRecreateStrategy: true}
			}
			rapid.Check(t, func(t *rapid.T) {
				raw := rawSet(t)
				appsdefaults.SetObjectDefaults_StatefulSet(raw)
				var internal apps.StatefulSet
				if err := appsdefaults.Convert_v1_StatefulSet_To_apps_StatefulSet(raw, &internal, nil); err != nil {
					t.Fatal(err)
				}
				want := kubernetesErrors(validateStatefulSet(&internal, allow))
				set := adapt.StatefulSet(raw, nil)
				var got []comparableError
				for _, e := range statefulset.AsFieldErrors(statefulset.Validate(&set, rel)) {
					got = append(got, comparableError{Type: string(e.Type), Field: e.Field, Detail: e.Detail, Text: e.Error()})
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Fatalf("spec %+v\nerrors (-kubernetes +purectl):\n%s", raw.Spec, d)
				}
			})
		})
	}
}
