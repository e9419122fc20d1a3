package api

import "slices"

// LabelOperator is the operator of a LabelRequirement: how the requirement's
// values are compared with the value of its label key.
type LabelOperator string

// The operators a label selector accepts (metav1.LabelSelectorOperator).
const (
	// LabelOpIn matches an object that has the key with one of the values.
	LabelOpIn LabelOperator = "In"
	// LabelOpNotIn matches an object that lacks the key or whose value is
	// none of the values.
	LabelOpNotIn LabelOperator = "NotIn"
	// LabelOpExists matches an object that has the key, whatever its value.
	LabelOpExists LabelOperator = "Exists"
	// LabelOpDoesNotExist matches an object that lacks the key.
	LabelOpDoesNotExist LabelOperator = "DoesNotExist"
)

// LabelRequirement is one matchExpressions entry of a LabelSelector
// (metav1.LabelSelectorRequirement).
type LabelRequirement struct {
	// Key is the label key the requirement looks at, e.g. "app" or
	// "app.kubernetes.io/name".
	Key string
	// Operator says how Values are compared with the label's value. An
	// operator other than the four LabelOp constants matches nothing
	// (validation rejects it).
	Operator LabelOperator
	// Values are the label values for In and NotIn, which need at least one;
	// Exists and DoesNotExist take none. Their order does not matter.
	Values []string
}

// LabelSelector selects objects by their labels (metav1.LabelSelector), as a
// Deployment, DaemonSet or StatefulSet selects its pods or a claim selects
// volumes. Every MatchLabels pair and every MatchExpressions requirement
// must hold.
//
// A nil *LabelSelector selects nothing; a non-nil one with no terms selects
// everything, as metav1.LabelSelectorAsSelector has it.
type LabelSelector struct {
	// MatchLabels requires each key to be present with exactly this value;
	// {"app": "web"} is the requirement app In (web). A pair with an empty
	// value still needs the key. Nil and empty add no requirement.
	MatchLabels map[string]string
	// MatchExpressions are further requirements, all of which must hold. Nil
	// and empty add none.
	MatchExpressions []LabelRequirement
}

// IsEmpty reports whether s is non-nil and has no terms (it selects
// everything). A nil selector is not empty: it selects nothing.
func (s *LabelSelector) IsEmpty() bool {
	return s != nil && len(s.MatchLabels) == 0 && len(s.MatchExpressions) == 0
}

// Matches reports whether the labels satisfy s. A nil selector matches
// nothing; a requirement with an unknown operator matches nothing (validation
// reports it). It does not allocate.
func (s *LabelSelector) Matches(labels map[string]string) bool {
	if s == nil {
		return false
	}
	for k, v := range s.MatchLabels {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	for i := range s.MatchExpressions {
		if !s.MatchExpressions[i].Matches(labels) {
			return false
		}
	}
	return true
}

// Matches reports whether the labels satisfy this one requirement. An
// unknown operator matches nothing.
func (r *LabelRequirement) Matches(labels map[string]string) bool {
	v, ok := labels[r.Key]
	switch r.Operator {
	case LabelOpIn:
		return ok && slices.Contains(r.Values, v)
	case LabelOpNotIn:
		return !ok || !slices.Contains(r.Values, v)
	case LabelOpExists:
		return ok
	case LabelOpDoesNotExist:
		return !ok
	}
	return false
}
