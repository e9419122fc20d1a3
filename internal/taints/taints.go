// Package taints implements node taints and pod tolerations as each
// supported Kubernetes release matches them, with the API's validation
// rules. The types and Toleration.ToleratesWith live in package api.
//
// The releases differ in one gate, TaintTolerationComparisonOperators
// (alpha in v1.35, off by default): with it the Lt and Gt operators compare
// values as integers and validation accepts them; without it they tolerate
// nothing, and validation rejects them, naming Lt and Gt among the
// supported values from v1.35 on but not in v1.34.
package taints

import (
	"strconv"
	"strings"
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

// The toleration operators (Lt and Gt gated, from v1.35).
const (
	OpEqual  = api.TolerationOpEqual
	OpExists = api.TolerationOpExists
	OpLt     = api.TolerationOpLt
	OpGt     = api.TolerationOpGt
)

// ComparisonOperators reports whether rel lets Lt and Gt compare values:
// the value the matching functions here take as cmpOps.
func ComparisonOperators(rel api.Release) bool {
	return rel.Enabled(api.TaintTolerationComparisonOperators)
}

// Tolerated reports whether at least one toleration tolerates taint
// (TolerationsTolerateTaint); cmpOps is the comparison operators' gate.
func Tolerated(tols []Toleration, taint *Taint, cmpOps bool) bool {
	for i := range tols {
		if tols[i].ToleratesWith(taint, cmpOps) {
			return true
		}
	}
	return false
}

// FirstUntolerated returns the index of the first taint accepted by filter
// (nil accepts all) that no toleration tolerates, or -1
// (FindMatchingUntoleratedTaint); cmpOps is the comparison operators' gate.
func FirstUntolerated(nodeTaints []Taint, tols []Toleration, filter func(*Taint) bool, cmpOps bool) int {
	for i := range nodeTaints {
		t := &nodeTaints[i]
		if filter != nil && !filter(t) {
			continue
		}
		if !Tolerated(tols, t, cmpOps) {
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
// cmpOps is the comparison operators' gate.
func EvictionDelay(tols []Toleration, taint *Taint, cmpOps bool) (d time.Duration, forever, ok bool) {
	const maxSeconds = int64(1<<63-1) / int64(time.Second) // keeps the Duration from overflowing
	minSeconds := int64(-1)
	for i := range tols {
		t := &tols[i]
		if !t.ToleratesWith(taint, cmpOps) {
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

// ValidateTolerations checks a pod's tolerations as the API server of rel
// does on create (ValidateTolerations): Lt and Gt only where rel enables
// TaintTolerationComparisonOperators, and then with a value that is a
// canonical decimal integer within int64.
func ValidateTolerations(tols []Toleration, p *field.Path, rel api.Release) field.ErrorList {
	w := labels.WordsFor(rel)
	cmpOps := ComparisonOperators(rel)
	// From v1.35 the rejection of a gated operator names all four.
	supported := []string{string(OpEqual), string(OpExists)}
	if rel.AtLeast("1.35") {
		supported = []string{string(OpEqual), string(OpExists), string(OpLt), string(OpGt)}
	}
	var errs field.ErrorList
	for i, t := range tols {
		ip := p.Index(i)
		if t.Key != "" {
			errs = append(errs, w.ValidateQualifiedName(t.Key, ip.Child("key"))...)
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
			// The API server reports a bad value at the operator, with its
			// problems joined in one message.
			if msgs := w.LabelValueErrors(t.Value); len(msgs) > 0 {
				errs = append(errs, field.Invalid(ip.Child("operator"), t.Value, strings.Join(msgs, ";")))
			}
		case OpExists:
			if t.Value != "" {
				errs = append(errs, field.Invalid(ip.Child("operator"), t.Value, "value must be empty when `operator` is 'Exists'"))
			}
		case OpLt, OpGt:
			if !cmpOps {
				errs = append(errs, field.NotSupported(ip.Child("operator"), string(t.Operator), supported))
				break
			}
			errs = append(errs, validateInteger(t.Value, ip.Child("value"))...)
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

// validateInteger checks a comparison toleration's value as the API server
// does: first its canonical form, then (separately, so that a value can get
// both errors) whether strconv reads it as an int64.
func validateInteger(v string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if msg := decimalIntegerProblem(v); msg != "" {
		errs = append(errs, field.Invalid(p, v, msg))
	}
	if _, err := strconv.ParseInt(v, 10, 64); err != nil {
		errs = append(errs, field.Invalid(p, v, err.Error()))
	}
	return errs
}

// decimalIntegerProblem words what keeps v from being a decimal integer in
// canonical form (the shape check only; the range is strconv's business).
func decimalIntegerProblem(v string) string {
	const bad = "must be a valid decimal integer in canonical form"
	if v == "" {
		return "must be non-empty"
	}
	i := 0
	if v[0] == '-' {
		if len(v) == 1 {
			return bad
		}
		i = 1
	}
	if v[i] == '0' {
		if len(v) == 1 {
			return ""
		}
		return bad
	}
	for ; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return bad
		}
	}
	return ""
}
