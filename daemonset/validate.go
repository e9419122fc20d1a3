package daemonset

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/purectl/purectl/internal/field"
	"github.com/purectl/purectl/internal/intstr"
	"github.com/purectl/purectl/internal/labels"
	"github.com/purectl/purectl/internal/nodeselector"
	"github.com/purectl/purectl/internal/taints"
)

// Validate checks a DaemonSet spec as the apps/v1 API server does after
// defaulting, with the same field paths, for the fields this package models,
// as release rel's API server does on create. The releases differ only in
// the Lt and Gt toleration operators: accepted only where rel enables
// TaintTolerationComparisonOperators (v1.35 on, alpha), and then with a
// value that is a decimal integer in canonical form within int64. It
// returns nil or a *FieldErrors.
func Validate(spec Spec, rel Release) error {
	return validateSpec(&spec, field.NewPath("spec"), rel).ToAggregate()
}

func validateSpec(s *Spec, p *field.Path, rel Release) field.ErrorList {
	var errs field.ErrorList
	sp := p.Child("selector")
	// A nil selector selects nothing, so it fails the template check; the
	// API reports no separate Required error for it.
	w := labels.WordsFor(rel)
	selErrs := w.Validate(s.Selector, sp)
	errs = append(errs, selErrs...)
	// The match is checked only for a selector that parses.
	if len(selErrs) == 0 && !s.Selector.Matches(s.Template.Labels) {
		errs = append(errs, field.Invalid(p.Child("template", "metadata", "labels"), asJSON(s.Template.Labels),
			"`selector` does not match template `labels`"))
	}
	if s.Selector.IsEmpty() {
		errs = append(errs, field.Invalid(sp, rendered("{}"), "empty selector is invalid for daemonset"))
	}

	tp := p.Child("template")
	// The template's metadata is checked as object metadata at the template's
	// own path (spec.template.labels), unlike the selector match above.
	errs = append(errs, w.ValidateLabels(s.Template.Labels, tp.Child("labels"))...)
	ps := tp.Child("spec")
	// In the order the pod spec validation checks them.
	errs = append(errs, w.ValidateLabels(s.Template.NodeSelector, ps.Child("nodeSelector"))...)
	errs = append(errs, nodeselector.Validate(s.Template.RequiredNodeAffinity,
		ps.Child("affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"), w)...)
	if n := s.Template.NodeName; n != "" {
		if msg := labels.DNSSubdomainProblem(n); msg != "" {
			errs = append(errs, field.Invalid(ps.Child("nodeName"), n, msg))
		}
	}
	if ad := s.Template.ActiveDeadlineSeconds; ad != nil && (*ad < 1 || *ad > math.MaxInt32) {
		errs = append(errs, field.Invalid(ps.Child("activeDeadlineSeconds"), *ad, fmt.Sprintf("must be between %d and %d, inclusive", 1, math.MaxInt32)))
	}
	errs = append(errs, taints.ValidateTolerations(s.Template.Tolerations, ps.Child("tolerations"), rel)...)
	if rp := s.Template.RestartPolicy; rp != "" && rp != RestartAlways {
		errs = append(errs, field.NotSupported(ps.Child("restartPolicy"), string(rp), []string{string(RestartAlways)}))
	}
	if ad := s.Template.ActiveDeadlineSeconds; ad != nil {
		errs = append(errs, field.Forbidden(ps.Child("activeDeadlineSeconds"), "activeDeadlineSeconds in DaemonSet is not Supported"))
	}

	if s.MinReadySeconds < 0 {
		errs = append(errs, field.Invalid(p.Child("minReadySeconds"), int64(s.MinReadySeconds), "must be greater than or equal to 0"))
	}
	errs = append(errs, validateStrategy(&s.UpdateStrategy, p.Child("updateStrategy"))...)
	if l := s.RevisionHistoryLimit; l != nil && *l < 0 {
		errs = append(errs, field.Invalid(p.Child("revisionHistoryLimit"), int64(*l), "must be greater than or equal to 0"))
	}
	return errs
}

func validateStrategy(u *UpdateStrategy, p *field.Path) field.ErrorList {
	switch u.Type {
	case OnDelete:
		return nil
	case RollingUpdate, "":
	default:
		return field.ErrorList{field.NotSupported(p, strategyValue(u), // the API reports the whole strategy here
			[]string{string(RollingUpdate), string(OnDelete)})}
	}
	maxUnavailable, maxSurge := rollingParams(u)
	rp := p.Child("rollingUpdate")
	up, sp := rp.Child("maxUnavailable"), rp.Child("maxSurge")
	errs := intstr.ValidateNonNegative(maxUnavailable, up)
	errs = append(errs, intstr.ValidateNonNegative(maxSurge, sp)...)
	errs = append(errs, intstr.ValidateAtMost100Percent(maxUnavailable, up)...)
	errs = append(errs, intstr.ValidateAtMost100Percent(maxSurge, sp)...)
	hasUnavailable, hasSurge := nominal(maxUnavailable) != 0, nominal(maxSurge) != 0
	switch {
	case hasUnavailable && hasSurge:
		errs = append(errs, field.Invalid(sp, asJSON(intOrStringJSON(maxSurge)), "may not be set when maxUnavailable is non-zero"))
	case !hasUnavailable && !hasSurge:
		errs = append(errs, field.Required(up, "cannot be 0 when maxSurge is 0"))
	}
	return errs
}

// rendered is a bad value the API prints as it is, as it prints an object
// (as JSON) rather than a quoted string.
type rendered string

func (r rendered) String() string { return string(r) }

// strategyValue renders a strategy as the API prints it in this error: the
// server's internal form as JSON, with Go field names, unset values as 0.
func strategyValue(u *UpdateStrategy) rendered {
	type ru struct {
		MaxUnavailable, MaxSurge any
	}
	v := struct {
		Type          string
		RollingUpdate *ru
	}{Type: string(u.Type)}
	if r := u.RollingUpdate; r != nil {
		v.RollingUpdate = &ru{MaxUnavailable: 0, MaxSurge: 0}
		if r.MaxUnavailable != nil {
			v.RollingUpdate.MaxUnavailable = intOrStringJSON(*r.MaxUnavailable)
		}
		if r.MaxSurge != nil {
			v.RollingUpdate.MaxSurge = intOrStringJSON(*r.MaxSurge)
		}
	}
	return asJSON(v)
}

func intOrStringJSON(v IntOrString) any {
	if v.IsString {
		return v.StrVal
	}
	return v.IntVal
}

// asJSON renders an object bad value as the API prints one.
func asJSON(v any) rendered {
	b, err := json.Marshal(v)
	if err != nil {
		return rendered(fmt.Sprint(v))
	}
	return rendered(b)
}

// rollingParams applies the apps/v1 defaults: maxUnavailable 1, maxSurge 0.
func rollingParams(u *UpdateStrategy) (maxUnavailable, maxSurge IntOrString) {
	maxUnavailable = intstr.FromInt(1)
	if r := u.RollingUpdate; r != nil {
		if r.MaxUnavailable != nil {
			maxUnavailable = *r.MaxUnavailable
		}
		if r.MaxSurge != nil {
			maxSurge = *r.MaxSurge
		}
	}
	return maxUnavailable, maxSurge
}

// nominal is the number validation compares with zero: the percentage of a
// percent string, else the integer (a non-numeric string reads as 0, as the
// API's helper has it).
func nominal(v IntOrString) int64 {
	if !v.IsString {
		return int64(v.IntVal)
	}
	if v.IsPercent() {
		n, _ := v.Scaled(100, true) // the percentage itself
		return int64(n)
	}
	n, _ := strconv.Atoi(v.StrVal)
	return int64(n)
}
