package adapt

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8sintstr "k8s.io/apimachinery/pkg/util/intstr"

	"github.com/purectl/purectl/api"
)

func TestConvertSharedTypes(t *testing.T) {
	if LabelSelector(nil) != nil || NodeSelector(nil) != nil || RequiredNodeAffinity(&v1.Affinity{}) != nil || IntOrString(nil) != nil {
		t.Fatal("nil must stay nil")
	}
	sel := LabelSelector(&metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"},
		MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"canary"}}}})
	want := &api.LabelSelector{MatchLabels: map[string]string{"app": "web"},
		MatchExpressions: []api.LabelRequirement{{Key: "tier", Operator: api.LabelOpNotIn, Values: []string{"canary"}}}}
	if d := cmp.Diff(want, sel); d != "" {
		t.Errorf("label selector (-want +got):\n%s", d)
	}

	aff := RequiredNodeAffinity(&v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &v1.NodeSelector{
		NodeSelectorTerms: []v1.NodeSelectorTerm{{MatchFields: []v1.NodeSelectorRequirement{{Key: "metadata.name", Operator: v1.NodeSelectorOpIn, Values: []string{"n1"}}}}}}}})
	wantAff := &api.NodeSelector{Terms: []api.NodeSelectorTerm{{MatchFields: []api.NodeSelectorRequirement{{Key: "metadata.name", Operator: api.NodeOpIn, Values: []string{"n1"}}}}}}
	if d := cmp.Diff(wantAff, aff); d != "" {
		t.Errorf("affinity (-want +got):\n%s", d)
	}

	secs := int64(300)
	added := metav1.NewTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	tols := Tolerations([]v1.Toleration{{Key: "k", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoExecute, TolerationSeconds: &secs}})
	if d := cmp.Diff([]api.Toleration{{Key: "k", Operator: api.TolerationOpExists, Effect: api.TaintEffectNoExecute, TolerationSeconds: &secs}}, tols); d != "" {
		t.Errorf("tolerations (-want +got):\n%s", d)
	}
	ts := Taints([]v1.Taint{{Key: "k", Value: "v", Effect: v1.TaintEffectNoSchedule, TimeAdded: &added}})
	if d := cmp.Diff([]api.Taint{{Key: "k", Value: "v", Effect: api.TaintEffectNoSchedule, TimeAdded: added.Time}}, ts); d != "" {
		t.Errorf("taints (-want +got):\n%s", d)
	}

	pct, n := k8sintstr.FromString("25%"), k8sintstr.FromInt32(2)
	if *IntOrString(&pct) != api.FromString("25%") || *IntOrString(&n) != api.FromInt(2) {
		t.Error("int-or-string")
	}
	if !Time(MetaTime(added.Time)).Equal(added.Time) || MetaTime(time.Time{}) != nil || !Time(nil).IsZero() {
		t.Error("time round trip")
	}
	ready, since := PodReady(&v1.Pod{Status: v1.PodStatus{Conditions: []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: added}}}})
	if !ready || !since.Equal(added.Time) {
		t.Error("PodReady")
	}
	if ready, _ := PodReady(&v1.Pod{}); ready {
		t.Error("a pod without conditions is not ready")
	}
}
