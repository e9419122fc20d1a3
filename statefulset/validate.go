package statefulset

import (
	"slices"
	"strconv"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/field"
	"github.com/purectl/purectl/internal/labels"
)

// Validate checks set as the API server of release rel validates a new
// StatefulSet (ValidateStatefulSet, apps/v1) and returns every problem
// found, with API field paths. NextStatefulAction does not require a valid
// set: it plans as the controller does and lists these problems in
// Result.Warnings.
//
// What the release changes: from 1.37, with the StatefulSetRecreateStrategy
// gate on, the Recreate strategy is accepted (without rollingUpdate), and
// the message for an unknown strategy names it. rollingUpdate.maxUnavailable
// is checked in every release, as ValidateStatefulSet does; note that where
// the MaxUnavailableStatefulSet gate is off the API server drops the field
// on create before it validates.
func Validate(set *Set, rel Release) error {
	if err := field.CheckRelease(rel); err != nil {
		return err
	}
	return validate(set, rel).ToAggregate()
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

func validate(set *Set, rel Release) field.ErrorList {
	w := labels.WordsFor(rel)
	var errs field.ErrorList
	meta := field.NewPath("metadata")
	if set.Name == "" {
		errs = append(errs, field.Required(meta.Child("name"), "name or generateName is required"))
	} else {
		errs = append(errs, dnsLabelErrors(meta.Child("name"), set.Name)...)
	}
	if set.Namespace != "" {
		errs = append(errs, dnsLabelErrors(meta.Child("namespace"), set.Namespace)...)
	}

	// The order of ValidateStatefulSetSpec.
	spec := &set.Spec
	sp := field.NewPath("spec")
	switch spec.PodManagementPolicy {
	case "", OrderedReady, Parallel:
	default:
		errs = append(errs, field.Invalid(sp.Child("podManagementPolicy"), string(spec.PodManagementPolicy),
			"must be 'OrderedReady' or 'Parallel'"))
	}
	recreate := rel.AtLeast("1.37") && rel.Enabled(api.StatefulSetRecreateStrategy)
	errs = append(errs, validateStrategy(&spec.UpdateStrategy, sp.Child("updateStrategy"), recreate)...)
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
	if spec.Replicas != nil && *spec.Replicas < 0 {
		errs = append(errs, field.Invalid(sp.Child("replicas"), int64(*spec.Replicas), "must be greater than or equal to 0"))
	}
	if spec.MinReadySeconds < 0 {
		errs = append(errs, field.Invalid(sp.Child("minReadySeconds"), int64(spec.MinReadySeconds), "must be greater than or equal to 0"))
	}
	if spec.Ordinals != nil && spec.Ordinals.Start < 0 {
		errs = append(errs, field.Invalid(sp.Child("ordinals.start"), int64(spec.Ordinals.Start), "must be greater than or equal to 0"))
	}
	if spec.ServiceName != "" {
		errs = append(errs, dnsLabelErrors(sp.Child("serviceName"), spec.ServiceName)...)
	}

	selPath := sp.Child("selector")
	selOK := true
	if spec.Selector == nil {
		errs = append(errs, field.Required(selPath, ""))
	} else {
		selErrs := w.Validate(spec.Selector, selPath)
		errs = append(errs, selErrs...)
		selOK = len(selErrs) == 0
		if spec.Selector.IsEmpty() {
			errs = append(errs, field.Invalid(selPath, emptySelectorValue, "empty selector is invalid for statefulset"))
		}
	}
	tp := sp.Child("template")
	if selOK {
		// The template is validated only with a selector that parses; a
		// nil selector selects nothing, and nothing is never "empty".
		if spec.Selector != nil && !spec.Selector.IsEmpty() && !spec.Selector.Matches(spec.Template.Labels) {
			errs = append(errs, field.Invalid(tp.Child("metadata", "labels"), labelsValue(spec.Template.Labels),
				"`selector` does not match template `labels`"))
		}
		errs = append(errs, w.ValidateLabels(spec.Template.Labels, tp.Child("metadata", "labels"))...)
		// Each claim template becomes a pod volume of its name.
		for i, t := range spec.VolumeClaimTemplates {
			vp := tp.Child("spec", "volumes").Index(i).Child("name")
			if t.Name == "" {
				errs = append(errs, field.Required(vp, ""))
			} else {
				errs = append(errs, dnsLabelErrors(vp, t.Name)...)
			}
		}
		// ValidatePodTemplateSpecForStatefulSet checks the labels a
		// second time, under spec.template.labels.
		errs = append(errs, w.ValidateLabels(spec.Template.Labels, tp.Child("labels"))...)
	}
	if rp := spec.Template.RestartPolicy; rp != "" && rp != "Always" {
		errs = append(errs, field.NotSupported(tp.Child("spec", "restartPolicy"), rp, []string{"Always"}))
	}
	if spec.Template.ActiveDeadlineSeconds != nil {
		errs = append(errs, field.Forbidden(tp.Child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in StatefulSet is not Supported"))
	}
	return errs
}

// rendered is a value printed as given: the API server prints values that
// are not plain strings or numbers as JSON.
type rendered string

func (r rendered) String() string { return string(r) }

// dnsLabelErrors is IsDNS1123Label (NameIsDNSLabel): one Invalid error per
// problem, in the API server's words.
func dnsLabelErrors(p *field.Path, v string) field.ErrorList {
	var errs field.ErrorList
	for _, m := range labels.DNSLabelErrors(v) {
		errs = append(errs, field.Invalid(p, v, m))
	}
	return errs
}

// emptySelectorValue is how the API server prints an empty selector (as
// JSON).
const emptySelectorValue = rendered("{}")

// labelsValue prints a label map as the API server's messages do: as
// JSON, keys sorted.
func labelsValue(m map[string]string) rendered {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	s := "{"
	for i, k := range keys {
		if i > 0 {
			s += ","
		}
		s += strconv.Quote(k) + ":" + strconv.Quote(m[k])
	}
	if m == nil {
		return "null"
	}
	return rendered(s + "}")
}

func validateStrategy(s *UpdateStrategy, p *field.Path, recreate bool) field.ErrorList {
	var errs field.ErrorList
	switch {
	case s.Type == "" || s.Type == RollingUpdate:
	case s.Type == OnDelete || s.Type == Recreate && recreate:
		if s.RollingUpdate != nil {
			errs = append(errs, field.Invalid(p.Child("rollingUpdate"), rollingUpdateValue(s.RollingUpdate),
				"only allowed for updateStrategy 'RollingUpdate'"))
		}
		return errs
	default:
		ru := rendered("null")
		if s.RollingUpdate != nil {
			ru = rollingUpdateValue(s.RollingUpdate)
		}
		msg := "must be 'RollingUpdate' or 'OnDelete'"
		if recreate {
			msg = "must be 'RollingUpdate', 'OnDelete', or 'Recreate'"
		}
		return append(errs, field.Invalid(p, rendered(`{"Type":`+strconv.Quote(string(s.Type))+`,"RollingUpdate":`+string(ru)+"}"), msg))
	}
	ru := s.RollingUpdate
	if ru == nil {
		return errs
	}
	rp := p.Child("rollingUpdate")
	if ru.Partition != nil && *ru.Partition < 0 {
		errs = append(errs, field.Invalid(rp.Child("partition"), int64(*ru.Partition), "must be greater than or equal to 0"))
	}
	if mu := ru.MaxUnavailable; mu != nil {
		mp := rp.Child("maxUnavailable")
		val := intOrStringValue(*mu)
		if !mu.IsString {
			if mu.IntVal < 0 {
				errs = append(errs, field.Invalid(mp, int64(mu.IntVal), "must be greater than or equal to 0"))
			}
		} else if !mu.IsPercent() {
			errs = append(errs, field.Invalid(mp, val,
				"a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"))
		}
		if validationValue(*mu) == 0 {
			errs = append(errs, field.Invalid(mp, val, "cannot be 0"))
		}
		if n := validationValue(*mu); mu.IsPercent() && n > 100 {
			errs = append(errs, field.Invalid(mp, val, "must not be greater than 100%"))
		}
	}
	return errs
}

// rollingUpdateValue prints rollingUpdate as the API server does: the JSON
// of its internal type, whose fields have no JSON names.
func rollingUpdateValue(ru *RollingUpdateStrategy) rendered {
	partition := int32(0)
	if ru.Partition != nil {
		partition = *ru.Partition
	}
	mu := "null"
	if ru.MaxUnavailable != nil {
		mu = string(intOrStringValue(*ru.MaxUnavailable))
	}
	return rendered(`{"Partition":` + strconv.Itoa(int(partition)) + `,"MaxUnavailable":` + mu + "}")
}

func intOrStringValue(v IntOrString) rendered {
	if v.IsString {
		return rendered(strconv.Quote(v.StrVal))
	}
	return rendered(strconv.Itoa(int(v.IntVal)))
}

// validationValue is the number the API server's check for 0 reads from
// an int-or-percent: a percentage's number, else the integer, or a string
// read as an integer (0 if it is none).
func validationValue(v IntOrString) int64 {
	if !v.IsString {
		return int64(v.IntVal)
	}
	s := v.StrVal
	if v.IsPercent() {
		s = s[:len(s)-1]
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return int64(n)
}
