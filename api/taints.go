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

// The toleration operators. Equal and Exists are in every release; Lt and
// Gt exist from v1.35 behind the TaintTolerationComparisonOperators gate
// (alpha, off by default): with the gate off, or in v1.34, they tolerate
// nothing and validation rejects them.
const (
	// TolerationOpEqual tolerates a taint whose value equals the
	// toleration's Value.
	TolerationOpEqual TolerationOperator = "Equal"
	// TolerationOpExists tolerates a taint of the key whatever its value.
	TolerationOpExists TolerationOperator = "Exists"
	// TolerationOpLt tolerates a taint whose value, read as a decimal
	// integer, is less than the toleration's Value (gated, see above).
	TolerationOpLt TolerationOperator = "Lt"
	// TolerationOpGt tolerates a taint whose value, read as a decimal
	// integer, is greater than the toleration's Value (gated, see above).
	TolerationOpGt TolerationOperator = "Gt"
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

// Tolerates reports whether t tolerates taint with every supported
// release's default feature gates: the effects and keys agree (an empty one
// in t matches any) and, for Equal, so do the values. Lt, Gt and any other
// operator tolerate nothing (TaintTolerationComparisonOperators is off by
// default). ToleratesIn follows a chosen release. It does not allocate.
func (t *Toleration) Tolerates(taint *Taint) bool { return t.ToleratesWith(taint, false) }

// ToleratesIn reports whether t tolerates taint in release rel: as
// Tolerates, and where rel enables TaintTolerationComparisonOperators (a
// v1.35 or later release with the gate set) Lt and Gt compare the values as
// ToleratesWith says.
func (t *Toleration) ToleratesIn(taint *Taint, rel Release) bool {
	return t.ToleratesWith(taint, rel.Enabled(TaintTolerationComparisonOperators))
}

// ToleratesWith is Tolerates with the TaintTolerationComparisonOperators
// gate given as comparisonOperators, the way the Kubernetes helpers take it
// (Toleration.ToleratesTaint from v1.35). With it, Lt and Gt tolerate a taint
// whose value compares with the toleration's as the operator says, both read
// as decimal integers in canonical form (an optional minus sign, no leading
// zeros, no plus sign, within int64); a value that is not one tolerates
// nothing. It does not allocate.
func (t *Toleration) ToleratesWith(taint *Taint, comparisonOperators bool) bool {
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
	case TolerationOpLt, TolerationOpGt:
		if !comparisonOperators {
			return false
		}
		want, ok := canonicalInt(t.Value)
		if !ok {
			return false
		}
		got, ok := canonicalInt(taint.Value)
		if !ok {
			return false
		}
		if t.Operator == TolerationOpLt {
			return got < want
		}
		return got > want
	}
	return false
}

// canonicalInt parses s as a decimal integer in canonical form, as the
// Kubernetes comparison operators read toleration and taint values: an
// optional minus sign, then 0 or digits not starting with 0, within int64.
// "+1", "01", "-0", "" and " 1" are not integers.
func canonicalInt(s string) (int64, bool) {
	i, neg := 0, false
	if s != "" && s[0] == '-' {
		i, neg = 1, true
	}
	if i == len(s) {
		return 0, false
	}
	if s[i] == '0' {
		return 0, len(s) == 1
	}
	// Accumulate negatively so that the minimum int64 fits.
	const minInt64 = -1 << 63
	var n int64
	for ; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if n < minInt64/10 || n*10 < minInt64+d {
			return 0, false
		}
		n = n*10 - d
	}
	if neg {
		return n, true
	}
	if n == minInt64 {
		return 0, false
	}
	return -n, true
}
