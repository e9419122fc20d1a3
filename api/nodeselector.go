package api

// NodeSelectorOperator is the operator of a NodeSelectorRequirement: how the
// requirement's values are compared with a node's label or field.
type NodeSelectorOperator string

// The operators a node selector requirement accepts
// (corev1.NodeSelectorOperator). A matchFields requirement accepts only
// NodeOpIn and NodeOpNotIn.
const (
	// NodeOpIn matches a node that has the key with one of the values.
	NodeOpIn NodeSelectorOperator = "In"
	// NodeOpNotIn matches a node that lacks the key or whose value is none of
	// the values.
	NodeOpNotIn NodeSelectorOperator = "NotIn"
	// NodeOpExists matches a node that has the label key.
	NodeOpExists NodeSelectorOperator = "Exists"
	// NodeOpDoesNotExist matches a node that lacks the label key.
	NodeOpDoesNotExist NodeSelectorOperator = "DoesNotExist"
	// NodeOpGt matches a node whose label value, read as a decimal integer,
	// is greater than the single value. A missing or non-integer label does
	// not match.
	NodeOpGt NodeSelectorOperator = "Gt"
	// NodeOpLt matches a node whose label value, read as a decimal integer,
	// is less than the single value. A missing or non-integer label does not
	// match.
	NodeOpLt NodeSelectorOperator = "Lt"
)

// FieldMetadataName is the only node field a matchFields requirement may
// name: the node's metadata.name.
const FieldMetadataName = "metadata.name"

// NodeSelectorRequirement is one matchExpressions or matchFields entry of a
// NodeSelectorTerm (corev1.NodeSelectorRequirement).
type NodeSelectorRequirement struct {
	// Key is the node label key for a matchExpressions entry, e.g.
	// "topology.kubernetes.io/zone", and the node field for a matchFields
	// entry, which validation allows to be only FieldMetadataName.
	Key string
	// Operator says how Values are compared with the node's label or field.
	Operator NodeSelectorOperator
	// Values are what the operator compares with: at least one for In and
	// NotIn (exactly one in matchFields), none for Exists and DoesNotExist,
	// and exactly one decimal integer for Gt and Lt. In matchExpressions
	// every value must be a valid label value, so a negative bound such as
	// "-3" is malformed.
	Values []string
}

// NodeSelectorTerm is one term of a NodeSelector (corev1.NodeSelectorTerm):
// a node matches it when every requirement of both lists holds.
//
// A term with no requirements at all matches no node, and a term with a
// malformed requirement (an unknown operator, the wrong number of values, or
// an invalid label key or value) never matches, while the selector's other terms still count; this is how
// Kubernetes' node affinity matcher treats them.
type NodeSelectorTerm struct {
	// MatchExpressions are requirements on the node's labels.
	MatchExpressions []NodeSelectorRequirement
	// MatchFields are requirements on the node's fields: In or NotIn on
	// metadata.name, with one value. A node without a name skips them.
	MatchFields []NodeSelectorRequirement
}

// NodeSelector says on which nodes something may run or be reached
// (corev1.NodeSelector): a pod's required node affinity
// (spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution)
// or a persistent volume's spec.nodeAffinity.required. A node matches when at
// least one term matches.
//
// A selector with no terms, or with only empty terms, matches no node
// (validation rejects one with no terms). A nil *NodeSelector is the absence of the field:
// where these types are used for node affinity it puts no constraint, and the
// field that holds it says so.
type NodeSelector struct {
	// Terms are the nodeSelectorTerms, ORed.
	Terms []NodeSelectorTerm
}
