package daemonset

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/purectl/purectl/internal/field"
	"github.com/purectl/purectl/internal/labels"
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
		{"defaults are valid", func(*Spec) {}, nil},
		{"OnDelete ignores rollingUpdate", func(s *Spec) {
			s.UpdateStrategy = UpdateStrategy{Type: OnDelete, RollingUpdate: &RollingUpdateParams{MaxUnavailable: ip(FromInt(-1))}}
		}, nil},
		{"unknown strategy", func(s *Spec) { s.UpdateStrategy.Type = "Recreate" },
			[]string{"spec.updateStrategy|Unsupported value"}},
		{"negative maxUnavailable", func(s *Spec) {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: ip(FromInt(-1)), MaxSurge: ip(FromInt(1))}
		}, []string{"spec.updateStrategy.rollingUpdate.maxUnavailable|Invalid value", "spec.updateStrategy.rollingUpdate.maxSurge|Invalid value"}},
		{"malformed percent", func(s *Spec) {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: ip(FromString("ten%"))}
		}, []string{"spec.updateStrategy.rollingUpdate.maxUnavailable|Invalid value", "spec.updateStrategy.rollingUpdate.maxUnavailable|Required value"}},
		{"more than 100%", func(s *Spec) {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: ip(FromString("101%"))}
		}, []string{"spec.updateStrategy.rollingUpdate.maxUnavailable|Invalid value"}},
		{"both zero", func(s *Spec) {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: ip(FromString("0%"))}
		}, []string{"spec.updateStrategy.rollingUpdate.maxUnavailable|Required value"}},
		{"both non-zero (maxUnavailable defaults to 1)", func(s *Spec) {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxSurge: ip(FromInt(1))}
		}, []string{"spec.updateStrategy.rollingUpdate.maxSurge|Invalid value"}},
		{"surge alone", func(s *Spec) {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: ip(FromInt(0)), MaxSurge: ip(FromString("20%"))}
		}, nil},
		{"a missing selector matches no template", func(s *Spec) { s.Selector = nil }, []string{"spec.template.metadata.labels|Invalid value"}},
		{"empty selector", func(s *Spec) { s.Selector = &LabelSelector{} }, []string{"spec.selector|Invalid value"}},
		{"selector must match the template", func(s *Spec) { s.Template.Labels = map[string]string{"app": "x"} },
			[]string{"spec.template.metadata.labels|Invalid value"}},
		{"bad selector operator", func(s *Spec) {
			s.Selector.MatchExpressions = []LabelRequirement{{Key: "a", Operator: "Like"}}
		}, []string{"spec.selector.matchExpressions[0].operator|Invalid value"}}, // no template match check for a selector that does not parse
		{"restartPolicy must be Always", func(s *Spec) { s.Template.RestartPolicy = RestartNever },
			[]string{"spec.template.spec.restartPolicy|Unsupported value"}},
		{"activeDeadlineSeconds forbidden", func(s *Spec) { s.Template.ActiveDeadlineSeconds = i64(5) },
			[]string{"spec.template.spec.activeDeadlineSeconds|Forbidden"}},
		{"minReadySeconds >= 0", func(s *Spec) { s.MinReadySeconds = -1 }, []string{"spec.minReadySeconds|Invalid value"}},
		{"revisionHistoryLimit >= 0", func(s *Spec) { s.RevisionHistoryLimit = i32(-1) }, []string{"spec.revisionHistoryLimit|Invalid value"}},
		{"revisionHistoryLimit 0 is fine", func(s *Spec) { s.RevisionHistoryLimit = i32(0) }, nil},
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
			err := Validate(ds.Spec, Release{})
			var got []string
			for _, e := range field.AsList(err) {
				got = append(got, e.Field+"|"+string(e.Type))
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("errors (-want +got):\n%s\n%v", diff, err)
			}
			// The plan acts on the object all the same and lists the
			// problems as warnings; only a selector the controller cannot
			// parse makes it refuse.
			plan, perr := PlanDaemonSet(nodesN(1), nil, ds, t0, Options{})
			selectorBroken := len(labelsValidate(ds.Spec.Selector)) > 0
			if (perr != nil) != selectorBroken {
				t.Fatalf("PlanDaemonSet error %v, want one: %v", perr, selectorBroken)
			}
			var agg *FieldErrors
			if perr != nil {
				if !errors.As(perr, &agg) {
					t.Fatalf("error %T is not a *FieldErrors", perr)
				}
				return
			}
			var warned []string
			for _, e := range plan.Warnings {
				warned = append(warned, e.Field+"|"+string(e.Type))
			}
			if diff := cmp.Diff(c.want, warned); diff != "" {
				t.Fatalf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func labelsValidate(s *LabelSelector) field.ErrorList {
	return labels.Validate(s, field.NewPath("spec", "selector"))
}

func TestValidateMessage(t *testing.T) {
	zero := FromInt(0)
	ds := testDS()
	ds.Spec.UpdateStrategy.RollingUpdate = &RollingUpdateParams{MaxUnavailable: &zero, MaxSurge: &zero}
	err := Validate(ds.Spec, Release{})
	want := "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}
