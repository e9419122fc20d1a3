package difftest

import (
	"github.com/purectl/purectl/examples/kube/internal/testmain"
	"strings"
	"testing"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	k8slabels "k8s.io/apimachinery/pkg/labels"
	k8sintstr "k8s.io/apimachinery/pkg/util/intstr"
	k8svalidation "k8s.io/apimachinery/pkg/util/validation"
	k8sfield "k8s.io/apimachinery/pkg/util/validation/field"
	corev1helpers "k8s.io/component-helpers/scheduling/corev1"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"
	"pgregory.net/rapid"

	"github.com/purectl/purectl/internal/field"
	"github.com/purectl/purectl/internal/intstr"
	"github.com/purectl/purectl/internal/labels"
	"github.com/purectl/purectl/internal/nodeselector"
	"github.com/purectl/purectl/internal/taints"
)

// Small alphabets so that random keys and values collide often; a few are
// invalid on purpose.
var (
	keys      = []string{"zone", "tier", "cores", "example.com/team", "-bad", "a/b/c"}
	values    = []string{"", "a", "b", "16", "-3", "x y", "007"}
	labelOps  = []string{"In", "NotIn", "Exists", "DoesNotExist", "Gt", ""}
	nodeOps   = []string{"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "Equals"}
	nodeNames = []string{"n1", "n2", ""}
)

func genLabels(t *rapid.T, name string) map[string]string {
	m := map[string]string{}
	for _, k := range keys[:4] {
		if rapid.Bool().Draw(t, name+"has"+k) {
			m[k] = rapid.SampledFrom(values[:5]).Draw(t, name+"val"+k)
		}
	}
	return m
}

func genValues(t *rapid.T) []string {
	return rapid.SliceOfN(rapid.SampledFrom(values), 0, 3).Draw(t, "values")
}

// Label selectors: purectl's matcher and validation against apimachinery's
// LabelSelectorAsSelector and ValidateLabelSelector.
func TestLabelSelectorAgainstApimachinery(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var k8sSel *metav1.LabelSelector
		var our *labels.Selector
		if !rapid.Bool().Draw(t, "nil") {
			k8sSel, our = &metav1.LabelSelector{}, &labels.Selector{}
			if rapid.Bool().Draw(t, "hasLabels") {
				k8sSel.MatchLabels, our.MatchLabels = map[string]string{}, map[string]string{}
				for i, n := 0, rapid.IntRange(0, 2).Draw(t, "nLabels"); i < n; i++ {
					k, v := rapid.SampledFrom(keys).Draw(t, "lk"), rapid.SampledFrom(values).Draw(t, "lv")
					k8sSel.MatchLabels[k], our.MatchLabels[k] = v, v
				}
			}
			for i, n := 0, rapid.IntRange(0, 3).Draw(t, "nExprs"); i < n; i++ {
				k, op, vs := rapid.SampledFrom(keys).Draw(t, "ek"), rapid.SampledFrom(labelOps).Draw(t, "op"), genValues(t)
				k8sSel.MatchExpressions = append(k8sSel.MatchExpressions, metav1.LabelSelectorRequirement{Key: k, Operator: metav1.LabelSelectorOperator(op), Values: vs})
				our.MatchExpressions = append(our.MatchExpressions, labels.Requirement{Key: k, Operator: labels.Operator(op), Values: vs})
			}
		}
		lbls := genLabels(t, "pod")

		k8sErrs := metav1validation.ValidateLabelSelector(k8sSel, metav1validation.LabelSelectorValidationOptions{}, k8sfield.NewPath("spec", "selector"))
		ourErrs := labels.WordsFor(testmain.Release()).Validate(our, field.NewPath("spec", "selector"))
		if (len(k8sErrs) == 0) != (len(ourErrs) == 0) {
			t.Fatalf("validation disagrees:\n k8s: %v\n our: %v", k8sErrs.ToAggregate(), ourErrs.ToAggregate())
		}
		if len(k8sErrs) > 0 {
			// Both reject; the first error must name the same field.
			if k8sErrs[0].Field != ourErrs[0].Field || k8sErrs[0].Type.String() != string(ourErrs[0].Type) {
				t.Fatalf("first error differs:\n k8s: %v\n our: %v", k8sErrs[0], ourErrs[0])
			}
			return
		}
		k8sMatcher, err := metav1.LabelSelectorAsSelector(k8sSel)
		if err != nil {
			t.Fatalf("apimachinery rejects a selector that validates: %v", err)
		}
		if got, want := our.Matches(lbls), k8sMatcher.Matches(k8slabels.Set(lbls)); got != want {
			t.Fatalf("selector %+v on %v: purectl %v, apimachinery %v", k8sSel, lbls, got, want)
		}
	})
}

func genNodeSelector(t *rapid.T) (*v1.NodeSelector, *nodeselector.Selector) {
	k8s, our := &v1.NodeSelector{}, &nodeselector.Selector{}
	for i, n := 0, rapid.IntRange(0, 3).Draw(t, "nTerms"); i < n; i++ {
		var kt v1.NodeSelectorTerm
		var ot nodeselector.Term
		for j, m := 0, rapid.IntRange(0, 2).Draw(t, "nExprs"); j < m; j++ {
			k, op, vs := rapid.SampledFrom(keys).Draw(t, "k"), rapid.SampledFrom(nodeOps).Draw(t, "op"), genValues(t)
			kt.MatchExpressions = append(kt.MatchExpressions, v1.NodeSelectorRequirement{Key: k, Operator: v1.NodeSelectorOperator(op), Values: vs})
			ot.MatchExpressions = append(ot.MatchExpressions, nodeselector.Requirement{Key: k, Operator: nodeselector.Operator(op), Values: vs})
		}
		for j, m := 0, rapid.IntRange(0, 1).Draw(t, "nFields"); j < m; j++ {
			k := rapid.SampledFrom([]string{"metadata.name", "metadata.name", "spec.x"}).Draw(t, "fk")
			op := rapid.SampledFrom([]string{"In", "NotIn", "Exists"}).Draw(t, "fop")
			vs := rapid.SliceOfN(rapid.SampledFrom(nodeNames), 0, 2).Draw(t, "fvals")
			kt.MatchFields = append(kt.MatchFields, v1.NodeSelectorRequirement{Key: k, Operator: v1.NodeSelectorOperator(op), Values: vs})
			ot.MatchFields = append(ot.MatchFields, nodeselector.Requirement{Key: k, Operator: nodeselector.Operator(op), Values: vs})
		}
		k8s.NodeSelectorTerms = append(k8s.NodeSelectorTerms, kt)
		our.Terms = append(our.Terms, ot)
	}
	return k8s, our
}

// Required node affinity plus nodeSelector: purectl against
// component-helpers' GetRequiredNodeAffinity (what the DaemonSet controller
// and the scheduler use).
func TestNodeAffinityAgainstComponentHelpers(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		node := &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: rapid.SampledFrom(nodeNames).Draw(t, "node"), Labels: genLabels(t, "node")}}
		pod := &v1.Pod{}
		var ourSel *nodeselector.Selector
		if rapid.Bool().Draw(t, "hasAffinity") {
			k8sSel, o := genNodeSelector(t)
			ourSel = o
			pod.Spec.Affinity = &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: k8sSel}}
		}
		if rapid.Bool().Draw(t, "hasNodeSelector") {
			pod.Spec.NodeSelector = genLabels(t, "nodeSelector")
		}
		want, _ := nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)
		c := nodeselector.CompileRequired(ourSel)
		got := nodeselector.MatchMap(pod.Spec.NodeSelector, node.Labels) && c.Match(node.Name, node.Labels)
		if got != want {
			t.Fatalf("node %s %v, nodeSelector %v, affinity %+v: purectl %v, component-helpers %v",
				node.Name, node.Labels, pod.Spec.NodeSelector, ourSel, got, want)
		}
		if ourSel != nil {
			k8sTerms := pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
			want2, _ := corev1helpers.MatchNodeSelectorTerms(node, &v1.NodeSelector{NodeSelectorTerms: k8sTerms})
			if got2 := nodeselector.Match(ourSel, node.Name, node.Labels); got2 != want2 {
				t.Fatalf("MatchNodeSelectorTerms: purectl %v, component-helpers %v", got2, want2)
			}
		}
	})
}

var (
	taintKeys = []string{"", "dedicated", "node.kubernetes.io/unreachable"}
	taintVals = []string{"", "gpu", "1", "7", "-2", "01", "9223372036854775808"}
	effects   = []string{"", "NoSchedule", "PreferNoSchedule", "NoExecute"}
	tolOps    = []string{"", "Equal", "Exists", "Lt", "Gt"}
)

// Tolerations: purectl against k8s.io/api's ToleratesTaint and
// component-helpers' FindMatchingUntoleratedTaint.
func TestTolerationsAgainstComponentHelpers(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var kTaints []v1.Taint
		var oTaints []taints.Taint
		for i, n := 0, rapid.IntRange(0, 3).Draw(t, "nTaints"); i < n; i++ {
			k, v, e := rapid.SampledFrom(taintKeys[1:]).Draw(t, "tk"), rapid.SampledFrom(taintVals).Draw(t, "tv"), rapid.SampledFrom(effects[1:]).Draw(t, "te")
			kTaints = append(kTaints, v1.Taint{Key: k, Value: v, Effect: v1.TaintEffect(e)})
			oTaints = append(oTaints, taints.Taint{Key: k, Value: v, Effect: taints.Effect(e)})
		}
		var kTols []v1.Toleration
		var oTols []taints.Toleration
		for i, n := 0, rapid.IntRange(0, 3).Draw(t, "nTols"); i < n; i++ {
			k, op := rapid.SampledFrom(taintKeys).Draw(t, "k"), rapid.SampledFrom(tolOps).Draw(t, "op")
			v, e := rapid.SampledFrom(taintVals).Draw(t, "v"), rapid.SampledFrom(effects).Draw(t, "e")
			kTols = append(kTols, v1.Toleration{Key: k, Operator: v1.TolerationOperator(op), Value: v, Effect: v1.TaintEffect(e)})
			oTols = append(oTols, taints.Toleration{Key: k, Operator: taints.Operator(op), Value: v, Effect: taints.Effect(e)})
		}
		// The gate is drawn where the release has it; v1.34's helpers
		// take none (Lt and Gt tolerate nothing there).
		cmpOps := comparisonOperatorsExist && rapid.Bool().Draw(t, "comparisonOperators")
		for i := range kTaints {
			for j := range kTols {
				if got, want := oTols[j].ToleratesWith(&oTaints[i], cmpOps), k8sToleratesTaint(&kTols[j], &kTaints[i], cmpOps); got != want {
					t.Fatalf("%+v vs %+v (comparison operators %v): purectl %v, k8s.io/api %v", kTols[j], kTaints[i], cmpOps, got, want)
				}
			}
		}
		noScheduleOrExecute := func(t *v1.Taint) bool {
			return t.Effect == v1.TaintEffectNoSchedule || t.Effect == v1.TaintEffectNoExecute
		}
		wantFound := k8sUntolerated(kTaints, kTols, noScheduleOrExecute, cmpOps)
		gotIdx := taints.FirstUntolerated(oTaints, oTols, func(t *taints.Taint) bool {
			return t.Effect == taints.EffectNoSchedule || t.Effect == taints.EffectNoExecute
		}, cmpOps)
		if (gotIdx >= 0) != wantFound {
			t.Fatalf("untolerated taint: purectl index %d, component-helpers found %v", gotIdx, wantFound)
		}
	})
}

// Percent scaling: purectl's exact integer arithmetic against apimachinery's
// floating-point GetScaledValueFromIntOrPercent over the realistic range.
func TestScaledAgainstApimachinery(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var k k8sintstr.IntOrString
		var o intstr.IntOrString
		if rapid.Bool().Draw(t, "isString") {
			s := rapid.SampledFrom([]string{"0%", "1%", "10%", "25%", "33%", "50%", "99%", "100%", "150%", "x", "5"}).Draw(t, "s")
			k, o = k8sintstr.FromString(s), intstr.FromString(s)
		} else {
			n := int32(rapid.IntRange(0, 1000).Draw(t, "n"))
			k, o = k8sintstr.FromInt32(n), intstr.FromInt(n)
		}
		total := rapid.IntRange(0, 200000).Draw(t, "total")
		up := rapid.Bool().Draw(t, "up")
		want, wantErr := k8sintstr.GetScaledValueFromIntOrPercent(&k, total, up)
		got, gotErr := o.Scaled(total, up)
		if (wantErr != nil) != (gotErr != nil) || got != want {
			t.Fatalf("%s of %d (up=%v): purectl %d %v, apimachinery %d %v", o, total, up, got, gotErr, want, wantErr)
		}
	})
}

// Field errors render exactly as apimachinery renders them.
func TestFieldErrorsRenderLikeApimachinery(t *testing.T) {
	one := int64(1)
	cases := []struct {
		our *field.Error
		k8s *k8sfield.Error
	}{
		{field.Invalid(field.NewPath("spec", "replicas"), int64(-1), "must be greater than or equal to 0"),
			k8sfield.Invalid(k8sfield.NewPath("spec", "replicas"), int64(-1), "must be greater than or equal to 0")},
		{field.Invalid(field.NewPath("spec").Child("schedule"), "* * *", "bad"),
			k8sfield.Invalid(k8sfield.NewPath("spec").Child("schedule"), "* * *", "bad")},
		{field.Invalid(field.NewPath("spec", "x"), &one, "d"), k8sfield.Invalid(k8sfield.NewPath("spec", "x"), &one, "d")},
		{field.Invalid(field.NewPath("spec", "x"), nil, "d"), k8sfield.Invalid(k8sfield.NewPath("spec", "x"), nil, "d")},
		{field.Required(field.NewPath("spec", "selector"), ""), k8sfield.Required(k8sfield.NewPath("spec", "selector"), "")},
		{field.Forbidden(field.NewPath("spec", "a").Index(3), "no"), k8sfield.Forbidden(k8sfield.NewPath("spec", "a").Index(3), "no")},
		{field.NotSupported(field.NewPath("spec", "p"), "X", []string{"A", "B"}), k8sfield.NotSupported(k8sfield.NewPath("spec", "p"), "X", []string{"A", "B"})},
		{field.Duplicate(field.NewPath("m").Key("k"), "v"), k8sfield.Duplicate(k8sfield.NewPath("m").Key("k"), "v")},
		{field.TooMany(field.NewPath("spec", "rules"), 21, 20), k8sfield.TooMany(k8sfield.NewPath("spec", "rules"), 21, 20)},
		{field.TooMany(field.NewPath("spec", "rules"), -1, 1), k8sfield.TooMany(k8sfield.NewPath("spec", "rules"), -1, 1)},
		{field.Invalid(field.NewPath("spec", "rules").Index(0), field.OmitValueType{}, "both set"),
			k8sfield.Invalid(k8sfield.NewPath("spec", "rules").Index(0), k8sfield.OmitValueType{}, "both set")},
	}
	for _, c := range cases {
		if got, want := c.our.Error(), c.k8s.Error(); got != want {
			t.Errorf("\n purectl:      %s\n apimachinery: %s", got, want)
		}
	}
	agg := field.ErrorList{cases[0].our, cases[4].our}.ToAggregate().Error()
	k8sAgg := k8sfield.ErrorList{cases[0].k8s, cases[4].k8s}.ToAggregate().Error()
	if agg != k8sAgg {
		t.Errorf("aggregate:\n purectl:      %s\n apimachinery: %s", agg, k8sAgg)
	}
}

// Name and label errors are worded, counted and ordered as apimachinery's
// IsQualifiedName, IsValidLabelValue, IsDNS1123Subdomain and IsDNS1123Label
// word them, on random strings near every rule's edge.
func TestNameErrorsAsApimachineryWordsThem(t *testing.T) {
	same := func(a, b []string) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	rapid.Check(t, func(t *rapid.T) {
		part := func(name string) string {
			s := rapid.StringOfN(rapid.SampledFrom([]rune("ab9-._A/ ")), 0, 12, -1).Draw(t, name)
			if rapid.IntRange(0, 6).Draw(t, name+"long") == 0 {
				s += strings.Repeat(rapid.SampledFrom([]string{"a", "a-", "a."}).Draw(t, name+"rep"), rapid.IntRange(20, 140).Draw(t, name+"n"))
			}
			return s
		}
		v := part("v")
		if rapid.Bool().Draw(t, "prefixed") {
			v = part("prefix") + "/" + v
		}
		checks := []struct {
			name       string
			ours, want []string
		}{
			{"IsQualifiedName", labels.WordsFor(testmain.Release()).QualifiedNameErrors(v), k8svalidation.IsQualifiedName(v)},
			{"IsValidLabelValue", labels.WordsFor(testmain.Release()).LabelValueErrors(v), k8svalidation.IsValidLabelValue(v)},
			{"IsDNS1123Subdomain", labels.DNSSubdomainErrors(v), k8svalidation.IsDNS1123Subdomain(v)},
			{"IsDNS1123Label", labels.DNSLabelErrors(v), k8svalidation.IsDNS1123Label(v)},
		}
		for _, c := range checks {
			if !same(c.ours, c.want) {
				t.Fatalf("%s(%q):\nours %q\nwant %q", c.name, v, c.ours, c.want)
			}
		}
		if labels.IsDNSSubdomain(v) != (len(k8svalidation.IsDNS1123Subdomain(v)) == 0) {
			t.Fatalf("IsDNSSubdomain(%q) disagrees", v)
		}
	})
}
