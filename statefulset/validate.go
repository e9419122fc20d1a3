package statefulset

import (
	"slices"

	"github.com/purectl/purectl/internal/field"
	"github.com/purectl/purectl/internal/intstr"
	"github.com/purectl/purectl/internal/labels"
)

// Validate checks set as the API server validates a StatefulSet (apps/v1,
// Kubernetes v1.34) and returns every problem found, with API field paths.
// NextStatefulAction does not require a valid set: it plans as the
// controller does and lists these problems in Result.Warnings.
func Validate(set *Set) error {
	return validate(set).ToAggregate()
}

// refuse lists what makes the controller itself refuse the set, or this
// package unable to plan it: no name (the controller finds no object), no
// selector or one it cannot parse (the controller gives up on the set), a
// negative replica count (it cannot size its replica list), a negative
// partition under a rolling update (it would index below its list), a
// negative start ordinal (pod names that cannot be read back), and no
// UpdateRevision (an input of this package).
func refuse(set *Set) field.ErrorList {
	var errs field.ErrorList
	spec := &set.Spec
	sp := field.NewPath("spec")
	if set.Name == "" {
		errs = append(errs, field.Required(field.NewPath("metadata", "name"), "name or generateName is required"))
	}
	if spec.Selector == nil {
		errs = append(errs, field.Required(sp.Child("selector"), ""))
	} else {
		errs = append(errs, labels.Validate(spec.Selector, sp.Child("selector"))...)
	}
	if spec.Replicas != nil && *spec.Replicas < 0 {
		errs = append(errs, field.Invalid(sp.Child("replicas"), int64(*spec.Replicas), "must be greater than or equal to 0"))
	}
	if spec.Ordinals != nil && spec.Ordinals.Start < 0 {
		errs = append(errs, field.Invalid(sp.Child("ordinals", "start"), int64(spec.Ordinals.Start), "must be greater than or equal to 0"))
	}
	if ru := spec.UpdateStrategy.RollingUpdate; ru != nil && ru.Partition != nil && *ru.Partition < 0 && spec.UpdateStrategy.Type != OnDelete {
		errs = append(errs, field.Invalid(sp.Child("updateStrategy", "rollingUpdate", "partition"), int64(*ru.Partition),
			"must be greater than or equal to 0"))
	}
	if set.UpdateRevision == "" {
		errs = append(errs, field.Required(field.NewPath("status", "updateRevision"),
			"the name of the revision of the current template is required"))
	}
	return errs
}

func validate(set *Set) field.ErrorList {
	var errs field.ErrorList
	meta := field.NewPath("metadata")
	if set.Name == "" {
		errs = append(errs, field.Required(meta.Child("name"), "name or generateName is required"))
	} else if p := labels.DNSLabelProblem(set.Name); p != "" {
		errs = append(errs, field.Invalid(meta.Child("name"), set.Name, p))
	}
	if set.Namespace != "" {
		if p := labels.DNSLabelProblem(set.Namespace); p != "" {
			errs = append(errs, field.Invalid(meta.Child("namespace"), set.Namespace, p))
		}
	}

	spec := &set.Spec
	sp := field.NewPath("spec")
	if spec.Replicas != nil && *spec.Replicas < 0 {
		errs = append(errs, field.Invalid(sp.Child("replicas"), int64(*spec.Replicas), "must be greater than or equal to 0"))
	}
	if spec.MinReadySeconds < 0 {
		errs = append(errs, field.Invalid(sp.Child("minReadySeconds"), int64(spec.MinReadySeconds), "must be greater than or equal to 0"))
	}
	if spec.Ordinals != nil && spec.Ordinals.Start < 0 {
		errs = append(errs, field.Invalid(sp.Child("ordinals", "start"), int64(spec.Ordinals.Start), "must be greater than or equal to 0"))
	}
	switch spec.PodManagementPolicy {
	case "", OrderedReady, Parallel:
	default:
		errs = append(errs, field.NotSupported(sp.Child("podManagementPolicy"), string(spec.PodManagementPolicy),
			[]string{string(OrderedReady), string(Parallel)}))
	}
	errs = append(errs, validateStrategy(&spec.UpdateStrategy, sp.Child("updateStrategy"))...)
	if rp := spec.PersistentVolumeClaimRetentionPolicy; rp != nil {
		pp := sp.Child("persistentVolumeClaimRetentionPolicy")
		for _, f := range []struct {
			name string
			v    RetentionPolicyType
		}{{"whenDeleted", rp.WhenDeleted}, {"whenScaled", rp.WhenScaled}} {
			switch f.v {
			case "", Retain, Delete:
			default:
				errs = append(errs, field.NotSupported(pp.Child(f.name), string(f.v), []string{string(Retain), string(Delete)}))
			}
		}
	}

	seen := make(map[string]bool, len(spec.VolumeClaimTemplates))
	for i, t := range spec.VolumeClaimTemplates {
		np := sp.Child("volumeClaimTemplates").Index(i).Child("metadata", "name")
		switch {
		case t.Name == "":
			errs = append(errs, field.Required(np, "name or generateName is required"))
		case seen[t.Name]:
			errs = append(errs, field.Duplicate(np, t.Name))
		default:
			if p := labels.DNSSubdomainProblem(t.Name); p != "" {
				errs = append(errs, field.Invalid(np, t.Name, p))
			}
		}
		seen[t.Name] = true
		errs = append(errs, labels.ValidateLabels(t.Labels, sp.Child("volumeClaimTemplates").Index(i).Child("metadata", "labels"))...)
	}

	selPath := sp.Child("selector")
	switch {
	case spec.Selector == nil:
		errs = append(errs, field.Required(selPath, ""))
	case spec.Selector.IsEmpty():
		errs = append(errs, field.Invalid(selPath, "{}", "empty selector is invalid for statefulset"))
	default:
		selErrs := labels.Validate(spec.Selector, selPath)
		errs = append(errs, selErrs...)
		if len(selErrs) == 0 && !spec.Selector.Matches(spec.Template.Labels) {
			errs = append(errs, field.Invalid(sp.Child("template", "metadata", "labels"), formatLabels(spec.Template.Labels),
				"`selector` does not match template `labels`"))
		}
	}
	tp := sp.Child("template")
	errs = append(errs, labels.ValidateLabels(spec.Template.Labels, tp.Child("metadata", "labels"))...)
	if rp := spec.Template.RestartPolicy; rp != "" && rp != "Always" {
		errs = append(errs, field.NotSupported(tp.Child("spec", "restartPolicy"), rp, []string{"Always"}))
	}
	if spec.Template.ActiveDeadlineSeconds != nil {
		errs = append(errs, field.Forbidden(tp.Child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in StatefulSet is not Supported"))
	}
	return errs
}

func validateStrategy(s *UpdateStrategy, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch s.Type {
	case "", RollingUpdate:
	case OnDelete:
		if s.RollingUpdate != nil {
			errs = append(errs, field.Invalid(p.Child("rollingUpdate"), "rollingUpdate",
				"only allowed for updateStrategy 'RollingUpdate'"))
		}
	default:
		errs = append(errs, field.NotSupported(p.Child("type"), string(s.Type),
			[]string{string(OnDelete), string(RollingUpdate)}))
	}
	ru := s.RollingUpdate
	if ru == nil || s.Type == OnDelete {
		return errs
	}
	rp := p.Child("rollingUpdate")
	if ru.Partition != nil && *ru.Partition < 0 {
		errs = append(errs, field.Invalid(rp.Child("partition"), int64(*ru.Partition), "must be greater than or equal to 0"))
	}
	if mu := ru.MaxUnavailable; mu != nil {
		mp := rp.Child("maxUnavailable")
		errs = append(errs, intstr.ValidateNonNegative(*mu, mp)...)
		if mu.IsZero() {
			errs = append(errs, field.Invalid(mp, mu.String(), "cannot be 0"))
		}
		errs = append(errs, intstr.ValidateAtMost100Percent(*mu, mp)...)
	}
	return errs
}

// formatLabels prints a label map the way the API server prints it in
// messages: sorted key=value pairs joined by commas.
func formatLabels(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	s := ""
	for i, k := range keys {
		if i > 0 {
			s += ","
		}
		s += k + "=" + m[k]
	}
	return s
}
