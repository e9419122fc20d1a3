package daemonset

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/purectl/purectl/internal/field"
)

func TestValidate(t *testing.T) {
	ip := func(v IntOrString) *IntOrString { return &v }
	i64 := func(v int64) *int64 { return &v }
	i32 := func(v int32) *int32 { return &v }
	cases := []struct {
		name string
		mod  func(*Spec)
		want []string // "path|type"
	}{
		{"V5 defaults are valid", func(*Spec) {}, nil},
		{"OnDelete ignores rollingUpdate", func(s *Spec) {
			s.UpdateStrategy = UpdateStrategy{Type: OnDelete, RollingUpdate: &RollingUpdateParams{MaxUnavailable: ip(FromInt(-1))}}
		}, nil},
		{"V1 unknown strategy", func(s *Spec) { s.UpdateStrategy.Type = "Recreate" },
			[]string{"spec.updateStrategy|Unsupported value"}},
		{"V2 negative maxUnavailable", func(s *Spec) {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: ip(FromInt(-1)), MaxSurge: ip(FromInt(1))}
		}, []string{"spec.updateStrategy.rollingUpdate.maxUnavailable|Invalid value", "spec.updateStrategy.rollingUpdate.maxSurge|Invalid value"}},
		{"V2 malformed percent", func(s *Spec) {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: ip(FromString("ten%"))}
		}, []string{"spec.updateStrategy.rollingUpdate.maxUnavailable|Invalid value", "spec.updateStrategy.rollingUpdate.maxUnavailable|Required value"}},
		{"V2 more than 100%", func(s *Spec) {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: ip(FromString("101%"))}
		}, []string{"spec.updateStrategy.rollingUpdate.maxUnavailable|Invalid value"}},
		{"V3 both zero", func(s *Spec) {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: ip(FromString("0%"))}
		}, []string{"spec.updateStrategy.rollingUpdate.maxUnavailable|Required value"}},
		{"V3 both non-zero (maxUnavailable defaults to 1)", func(s *Spec) {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxSurge: ip(FromInt(1))}
		}, []string{"spec.updateStrategy.rollingUpdate.maxSurge|Invalid value"}},
		{"V3 surge alone", func(s *Spec) {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: ip(FromInt(0)), MaxSurge: ip(FromString("20%"))}
		}, nil},
		{"V4 a missing selector matches no template", func(s *Spec) { s.Selector = nil }, []string{"spec.template.metadata.labels|Invalid value"}},
		{"V4 empty selector", func(s *Spec) { s.Selector = &LabelSelector{} }, []string{"spec.selector|Invalid value"}},
		{"V4 selector must match the template", func(s *Spec) { s.Template.Labels = map[string]string{"app": "x"} },
			[]string{"spec.template.metadata.labels|Invalid value"}},
		{"V4 bad selector operator", func(s *Spec) {
			s.Selector.MatchExpressions = []LabelRequirement{{Key: "a", Operator: "Like"}}
		}, []string{"spec.selector.matchExpressions[0].operator|Invalid value", "spec.template.metadata.labels|Invalid value"}},
		{"V4 restartPolicy must be Always", func(s *Spec) { s.Template.RestartPolicy = RestartNever },
			[]string{"spec.template.spec.restartPolicy|Unsupported value"}},
		{"V4 activeDeadlineSeconds forbidden", func(s *Spec) { s.Template.ActiveDeadlineSeconds = i64(5) },
			[]string{"spec.template.spec.activeDeadlineSeconds|Invalid value"}},
		{"V4 minReadySeconds >= 0", func(s *Spec) { s.MinReadySeconds = -1 }, []string{"spec.minReadySeconds|Invalid value"}},
		{"V4 revisionHistoryLimit >= 0", func(s *Spec) { s.RevisionHistoryLimit = i32(-1) }, []string{"spec.revisionHistoryLimit|Invalid value"}},
		{"V4 revisionHistoryLimit 0 is fine", func(s *Spec) { s.RevisionHistoryLimit = i32(0) }, nil},
		{"tolerations are validated", func(s *Spec) { s.Template.Tolerations = []Toleration{{Operator: TolerationOpEqual, Value: "x"}} },
			[]string{"spec.template.spec.tolerations[0].operator|Invalid value"}},
		{"node affinity is validated", func(s *Spec) { s.Template.RequiredNodeAffinity = &NodeSelector{} },
			[]string{"spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms|Required value"}},
		{"nodeSelector is validated", func(s *Spec) { s.Template.NodeSelector = map[string]string{"bad key!": "v"} },
			[]string{"spec.template.spec.nodeSelector|Invalid value"}},
		{"nodeName is validated", func(s *Spec) { s.Template.NodeName = "Bad_Name" },
			[]string{"spec.template.spec.nodeName|Invalid value"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := testDS()
			c.mod(&ds.Spec)
			err := Validate(ds.Spec)
			var got []string
			for _, e := range field.AsList(err) {
				got = append(got, e.Field+"|"+string(e.Type))
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("errors (-want +got):\n%s\n%v", diff, err)
			}
			_, perr := PlanDaemonSet(nodesN(1), nil, ds, t0)
			if (perr != nil) != (len(c.want) > 0) {
				t.Fatalf("PlanDaemonSet error %v, want one: %v", perr, len(c.want) > 0)
			}
			var agg *FieldErrors
			if perr != nil && !errors.As(perr, &agg) {
				t.Fatalf("error %T is not a *FieldErrors", perr)
			}
		})
	}
}

func TestValidateMessage(t *testing.T) {
	zero := FromInt(0)
	ds := testDS()
	ds.Spec.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: &zero, MaxSurge: &zero}
	err := Validate(ds.Spec)
	want := "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}
