package api

import "time"

// TaintEffect is what a taint does to pods that do not tolerate it
// (corev1.TaintEffect).
type TaintEffect string

// The taint effects.
const (
	// TaintEffectNoSchedule keeps new pods that do not tolerate the taint off
	// the node; pods already running stay.
	TaintEffectNoSchedule TaintEffect = "NoSchedule"
	// TaintEffectPreferNoSchedule asks the scheduler to avoid the node for
	// pods that do not tolerate the taint, without forbidding it.
	TaintEffectPreferNoSchedule TaintEffect = "PreferNoSchedule"
	// TaintEffectNoExecute keeps new pods off like NoSchedule and also evicts
	// running pods that do not tolerate it, and those whose toleration has
	// TolerationSeconds once that time has passed.
	TaintEffectNoExecute TaintEffect = "NoExecute"
)

// TolerationOperator says how a Toleration's Value is compared with a
// taint's value (corev1.TolerationOperator). The empty operator means
// TolerationOpEqual.
type TolerationOperator string

// The toleration operators of Kubernetes v1.34. (Lt and Gt, alpha in v1.35,
// tolerate nothing here.)
const (
	// TolerationOpEqual tolerates a taint whose value equals the
	// toleration's Value.
	TolerationOpEqual TolerationOperator = "Equal"
	// TolerationOpExists tolerates a taint of the key whatever its value.
	TolerationOpExists TolerationOperator = "Exists"
)

// Taint is a node taint (an entry of a node's spec.taints): it repels the
// pods that do not tolerate it.
type Taint struct {
	// Key is the taint key, e.g. "node.kubernetes.io/unreachable"; required.
	Key string
	// Value is the taint value; it may be empty.
	Value string
	// Effect is what the taint does to pods that do not tolerate it;
	// required.
	Effect TaintEffect
	// TimeAdded is when a NoExecute taint was added (timeAdded); it only
	// matters for eviction after a toleration's TolerationSeconds. The zero
	// time stands for an unset timeAdded.
	TimeAdded time.Time
}

// Toleration is a pod toleration (an entry of a pod's spec.tolerations): it
// lets the pod run on nodes with the taints it matches. The zero Toleration
// tolerates only taints with an empty value (Equal, "" == "").
type Toleration struct {
	// Key is the taint key the toleration matches; empty matches every key,
	// which validation allows only with the Exists operator (tolerate
	// everything).
	Key string
	// Operator says how Value is compared with the taint's value; empty
	// means Equal.
	Operator TolerationOperator
	// Value is the taint value to match with Equal; with Exists it must be
	// empty.
	Value string
	// Effect is the taint effect the toleration matches; empty matches every
	// effect.
	Effect TaintEffect
	// TolerationSeconds bounds how long a tolerated NoExecute taint is
	// tolerated before the pod is evicted; nil means forever, zero or
	// negative means evict at once. It may be set only with the NoExecute
	// effect and plays no part in whether a taint is tolerated.
	TolerationSeconds *int64
}

// Tolerates reports whether t tolerates taint: the effects and keys agree
// (an empty one in t matches any) and, for Equal, so do the values. An
// operator other than Equal, empty and Exists tolerates nothing. It does not
// allocate.
func (t *Toleration) Tolerates(taint *Taint) bool {
	if t.Effect != "" && t.Effect != taint.Effect {
		return false
	}
	if t.Key != "" && t.Key != taint.Key {
		return false
	}
	switch t.Operator {
	case TolerationOpExists:
		return true
	case TolerationOpEqual, "":
		return t.Value == taint.Value
	}
	// Lt and Gt are v1.35 alpha; v1.34 tolerates nothing with them.
	return false
}
