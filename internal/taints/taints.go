// Package taints implements node taints and pod tolerations as Kubernetes
// v1.34 matches them, with the API's validation rules. The types and
// Toleration.Tolerates live in package api.
package taints

import (
	"time"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/field"
	"github.com/purectl/purectl/internal/labels"
)

// The taint and toleration types are those of package api, so that callers
// see their fields and docs; these names keep the mechanics here short.
type (
	// Effect is what a taint does to pods that do not tolerate it.
	Effect = api.TaintEffect
	// Operator is a toleration operator. Empty means Equal.
	Operator = api.TolerationOperator
	// Taint is a node taint.
	Taint = api.Taint
	// Toleration is a pod toleration; its Tolerates method matches one taint.
	Toleration = api.Toleration
)

// The taint effects.
const (
	EffectNoSchedule       = api.TaintEffectNoSchedule
	EffectPreferNoSchedule = api.TaintEffectPreferNoSchedule
	EffectNoExecute        = api.TaintEffectNoExecute
)

// The toleration operators of v1.34.
const (
	OpEqual  = api.TolerationOpEqual
	OpExists = api.TolerationOpExists
)

// Tolerated reports whether at least one toleration tolerates taint.
func Tolerated(tols []Toleration, taint *Taint) bool {
	for i := range tols {
		if tols[i].Tolerates(taint) {
			return true
		}
	}
	return false
}

// FirstUntolerated returns the index of the first taint accepted by filter
// (nil accepts all) that no toleration tolerates, or -1.
func FirstUntolerated(nodeTaints []Taint, tols []Toleration, filter func(*Taint) bool) int {
	for i := range nodeTaints {
		t := &nodeTaints[i]
		if filter != nil && !filter(t) {
			continue
		}
		if !Tolerated(tols, t) {
			return i
		}
	}
	return -1
}

// EvictionDelay returns how long a pod with tols may stay on a node with the
// NoExecute taint, as the taint eviction controller computes it: ok is false
// when no toleration matches (evict at once); forever is true when every
// matching toleration lacks tolerationSeconds; otherwise d is the smallest
// tolerationSeconds among them, and zero or negative seconds mean at once.
func EvictionDelay(tols []Toleration, taint *Taint) (d time.Duration, forever, ok bool) {
	const maxSeconds = int64(1<<63-1) / int64(time.Second) // keeps the Duration from overflowing
	minSeconds := int64(-1)
	for i := range tols {
		t := &tols[i]
		if !t.Tolerates(taint) {
			continue
		}
		ok = true
		if t.TolerationSeconds == nil {
			continue
		}
		s := min(max(*t.TolerationSeconds, 0), maxSeconds)
		if minSeconds < 0 || s < minSeconds {
			minSeconds = s
		}
	}
	if !ok {
		return 0, false, false
	}
	if minSeconds < 0 {
		return 0, true, true
	}
	return time.Duration(minSeconds) * time.Second, false, true
}

var effects = []string{string(EffectNoSchedule), string(EffectPreferNoSchedule), string(EffectNoExecute)}

func validEffect(e Effect) bool {
	return e == EffectNoSchedule || e == EffectPreferNoSchedule || e == EffectNoExecute
}

// ValidateTolerations checks a pod's tolerations as the API server does.
func ValidateTolerations(tols []Toleration, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, t := range tols {
		ip := p.Index(i)
		if t.Key != "" {
			errs = append(errs, labels.ValidateQualifiedName(t.Key, ip.Child("key"))...)
		}
		if t.Key == "" && t.Operator != OpExists {
			errs = append(errs, field.Invalid(ip.Child("operator"), string(t.Operator),
				"operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
		}
		if t.TolerationSeconds != nil && t.Effect != EffectNoExecute {
			errs = append(errs, field.Invalid(ip.Child("effect"), string(t.Effect),
				"effect must be 'NoExecute' when `tolerationSeconds` is set"))
		}
		switch t.Operator {
		case OpEqual, "":
			errs = append(errs, labels.ValidateLabelValue(t.Value, ip.Child("value"))...)
		case OpExists:
			if t.Value != "" {
				errs = append(errs, field.Invalid(ip.Child("operator"), t.Value, "value must be empty when `operator` is 'Exists'"))
			}
		default:
			errs = append(errs, field.NotSupported(ip.Child("operator"), string(t.Operator), []string{string(OpEqual), string(OpExists)}))
		}
		if t.Effect != "" && !validEffect(t.Effect) {
			errs = append(errs, field.NotSupported(ip.Child("effect"), string(t.Effect), effects))
		}
	}
	return errs
}

// ValidateTaints checks a node's taints: key required, effect required and
// known, no two taints with the same key and effect.
func ValidateTaints(ts []Taint, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	type ke struct {
		k string
		e Effect
	}
	seen := map[ke]bool{}
	for i, t := range ts {
		ip := p.Index(i)
		if t.Key == "" {
			errs = append(errs, field.Required(ip.Child("key"), ""))
		} else {
			errs = append(errs, labels.ValidateQualifiedName(t.Key, ip.Child("key"))...)
		}
		errs = append(errs, labels.ValidateLabelValue(t.Value, ip.Child("value"))...)
		switch {
		case t.Effect == "":
			errs = append(errs, field.Required(ip.Child("effect"), ""))
		case !validEffect(t.Effect):
			errs = append(errs, field.NotSupported(ip.Child("effect"), string(t.Effect), effects))
		}
		if seen[ke{t.Key, t.Effect}] {
			errs = append(errs, field.Duplicate(ip, t.Key+":"+string(t.Effect)))
		}
		seen[ke{t.Key, t.Effect}] = true
	}
	return errs
}
