// Package nodeselector implements Kubernetes node selectors: the required
// node affinity of pods and the node affinity of persistent volumes. Terms are
// ORed, the requirements inside a term are ANDed; matchExpressions look at node
// labels and matchFields at the node's metadata.name. The selector types live
// in package api; compiling and matching them lives here.
package nodeselector

import (
	"slices"
	"strconv"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/field"
	"github.com/purectl/purectl/internal/labels"
)

// The selector types are those of package api, so that callers see their
// fields and docs; these names keep the mechanics here short.
type (
	// Operator is a node selector operator.
	Operator = api.NodeSelectorOperator
	// Requirement is one matchExpressions or matchFields entry.
	Requirement = api.NodeSelectorRequirement
	// Term is one nodeSelectorTerm: all of its requirements must hold.
	Term = api.NodeSelectorTerm
	// Selector is a list of terms of which at least one must hold. A
	// selector with no terms (or only empty terms) matches no node; whether
	// a nil *Selector means "no constraint" is the caller's business (for
	// node affinity it does).
	Selector = api.NodeSelector
)

// The operators a node selector requirement accepts.
const (
	OpIn           = api.NodeOpIn
	OpNotIn        = api.NodeOpNotIn
	OpExists       = api.NodeOpExists
	OpDoesNotExist = api.NodeOpDoesNotExist
	OpGt           = api.NodeOpGt
	OpLt           = api.NodeOpLt
)

// FieldMetadataName is the only field API validation lets a matchFields
// requirement name.
const FieldMetadataName = api.FieldMetadataName

// Compiled is a selector parsed once for matching against many nodes. Its
// zero value matches nothing.
type Compiled struct {
	terms []compiledTerm
	all   bool // no constraint at all: see CompileRequired
}

type compiledTerm struct {
	exprs  []compiledReq
	fields []compiledReq
}

type compiledReq struct {
	key    string
	op     Operator
	values []string
	num    int64 // the bound of Gt/Lt
}

// Compile parses s. A term with a malformed requirement never matches (the
// other terms still count), and a term with no requirements is dropped, as
// Kubernetes' node affinity matcher does. Compiling a nil selector gives one
// that matches nothing.
func Compile(s *Selector) Compiled {
	if s == nil {
		return Compiled{}
	}
	var c Compiled
	for _, t := range s.Terms {
		if len(t.MatchExpressions) == 0 && len(t.MatchFields) == 0 {
			continue
		}
		ct, ok := compileTerm(t)
		if !ok {
			continue
		}
		c.terms = append(c.terms, ct)
	}
	return c
}

func compileTerm(t Term) (compiledTerm, bool) {
	var ct compiledTerm
	for _, r := range t.MatchExpressions {
		cr, ok := compileLabelReq(r)
		if !ok {
			return ct, false
		}
		ct.exprs = append(ct.exprs, cr)
	}
	for _, r := range t.MatchFields {
		// The matcher, unlike API validation, accepts any field key: a field
		// the node does not have reads as "" (component-helpers v1.34).
		if (r.Operator != OpIn && r.Operator != OpNotIn) || len(r.Values) != 1 {
			return ct, false
		}
		ct.fields = append(ct.fields, compiledReq{key: r.Key, op: r.Operator, values: r.Values})
	}
	return ct, true
}

func compileLabelReq(r Requirement) (compiledReq, bool) {
	if !labels.IsQualifiedName(r.Key) {
		return compiledReq{}, false
	}
	cr := compiledReq{key: r.Key, op: r.Operator, values: r.Values}
	// Every value must be a valid label value, Gt/Lt bounds included, so a
	// negative bound such as "-3" breaks its term (apimachinery v1.34).
	for _, v := range r.Values {
		if !labels.IsValidLabelValue(v) {
			return cr, false
		}
	}
	switch r.Operator {
	case OpIn, OpNotIn:
		if len(r.Values) == 0 {
			return cr, false
		}
	case OpExists, OpDoesNotExist:
		if len(r.Values) != 0 {
			return cr, false
		}
	case OpGt, OpLt:
		if len(r.Values) != 1 {
			return cr, false
		}
		n, err := strconv.ParseInt(r.Values[0], 10, 64)
		if err != nil {
			return cr, false
		}
		cr.num = n
	default:
		return cr, false
	}
	return cr, true
}

// CompileRequired compiles a required node affinity, where a nil selector
// (no required affinity) imposes nothing and so matches every node, unlike
// Compile. A non-nil selector without usable terms still matches nothing.
func CompileRequired(s *Selector) Compiled {
	if s == nil {
		return Compiled{all: true}
	}
	return Compile(s)
}

// Match reports whether a node with this name and these labels satisfies at
// least one term. It does not allocate.
func (c *Compiled) Match(nodeName string, nodeLabels map[string]string) bool {
	if c.all {
		return true
	}
	for i := range c.terms {
		if c.terms[i].match(nodeName, nodeLabels) {
			return true
		}
	}
	return false
}

// Getter reads a node's labels for MatchGetter, for callers that keep
// labels in something other than a map.
type Getter interface {
	Get(key string) (string, bool)
}

// MatchGetter is Match with the labels read through g.
func (c *Compiled) MatchGetter(nodeName string, g Getter) bool {
	if c.all {
		return true
	}
	for i := range c.terms {
		if c.terms[i].matchGetter(nodeName, g) {
			return true
		}
	}
	return false
}

// MatchesAll reports whether every node matches (a nil required affinity).
func (c *Compiled) MatchesAll() bool { return c.all }

// MatchesNothing reports whether no node can match (no usable term).
func (c *Compiled) MatchesNothing() bool { return !c.all && len(c.terms) == 0 }

func (t *compiledTerm) match(nodeName string, nodeLabels map[string]string) bool {
	for i := range t.exprs {
		r := &t.exprs[i]
		v, ok := nodeLabels[r.key]
		if !r.matchValue(v, ok) {
			return false
		}
	}
	return t.matchFields(nodeName)
}

func (t *compiledTerm) matchGetter(nodeName string, g Getter) bool {
	for i := range t.exprs {
		r := &t.exprs[i]
		v, ok := g.Get(r.key)
		if !r.matchValue(v, ok) {
			return false
		}
	}
	return t.matchFields(nodeName)
}

func (t *compiledTerm) matchFields(nodeName string) bool {
	// Kubernetes builds no field set for a node without a name, and then
	// skips the term's field requirements.
	if nodeName == "" {
		return true
	}
	for i := range t.fields {
		r := &t.fields[i]
		v := ""
		if r.key == FieldMetadataName {
			v = nodeName
		}
		eq := v == r.values[0]
		if eq != (r.op == OpIn) {
			return false
		}
	}
	return true
}

// matchValue matches the node's value v of r.key (ok: the label is set).
func (r *compiledReq) matchValue(v string, ok bool) bool {
	switch r.op {
	case OpIn:
		return ok && slices.Contains(r.values, v)
	case OpNotIn:
		return !ok || !slices.Contains(r.values, v)
	case OpExists:
		return ok
	case OpDoesNotExist:
		return !ok
	case OpGt, OpLt:
		if !ok {
			return false
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return false
		}
		if r.op == OpGt {
			return n > r.num
		}
		return n < r.num
	}
	return false
}

// Match compiles s and matches one node; use Compile for many nodes.
func Match(s *Selector, nodeName string, nodeLabels map[string]string) bool {
	c := Compile(s)
	return c.Match(nodeName, nodeLabels)
}

// MatchMap reports whether every pair of a pod's nodeSelector map is among
// the node's labels. An empty map matches every node.
func MatchMap(sel, nodeLabels map[string]string) bool {
	for k, v := range sel {
		if got, ok := nodeLabels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// Validate checks s as the API server checks a required node selector: at
// least one term, and every requirement well formed, with label keys and
// values worded as w (the release's apimachinery) words them.
func Validate(s *Selector, p *field.Path, w labels.Words) field.ErrorList {
	if s == nil {
		return nil
	}
	var errs field.ErrorList
	tp := p.Child("nodeSelectorTerms")
	if len(s.Terms) == 0 {
		return append(errs, field.Required(tp, "must have at least one node selector term"))
	}
	for i, t := range s.Terms {
		errs = append(errs, ValidateTerm(t, tp.Index(i), w)...)
	}
	return errs
}

// ValidateTerm checks one node selector term.
func ValidateTerm(t Term, p *field.Path, w labels.Words) field.ErrorList {
	var errs field.ErrorList
	for i, r := range t.MatchExpressions {
		errs = append(errs, validateExpr(r, p.Child("matchExpressions").Index(i), w)...)
	}
	for i, r := range t.MatchFields {
		errs = append(errs, validateField(r, p.Child("matchFields").Index(i))...)
	}
	return errs
}

func validateExpr(r Requirement, p *field.Path, w labels.Words) field.ErrorList {
	var errs field.ErrorList
	switch r.Operator {
	case OpIn, OpNotIn:
		if len(r.Values) == 0 {
			errs = append(errs, field.Required(p.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
		}
	case OpExists, OpDoesNotExist:
		if len(r.Values) > 0 {
			errs = append(errs, field.Forbidden(p.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
		}
	case OpGt, OpLt:
		if len(r.Values) != 1 {
			errs = append(errs, field.Required(p.Child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"))
		}
	default:
		errs = append(errs, field.Invalid(p.Child("operator"), string(r.Operator), "not a valid selector operator"))
	}
	errs = append(errs, w.ValidateQualifiedName(r.Key, p.Child("key"))...)
	// Values must be label values, whatever the operator, as on create
	// (ValidateNodeSelectorRequirement without the update-only leniency).
	for i, v := range r.Values {
		errs = append(errs, w.ValidateLabelValue(v, p.Child("values").Index(i))...)
	}
	return errs
}

func validateField(r Requirement, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch r.Operator {
	case OpIn, OpNotIn:
		if len(r.Values) != 1 {
			errs = append(errs, field.Required(p.Child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"))
		}
	default:
		errs = append(errs, field.Invalid(p.Child("operator"), string(r.Operator), "not a valid selector operator"))
	}
	if r.Key != FieldMetadataName {
		return append(errs, field.Invalid(p.Child("key"), r.Key, "not a valid field selector key"))
	}
	// metadata.name values must be node names, DNS subdomains.
	for i, v := range r.Values {
		for _, m := range labels.DNSSubdomainErrors(v) {
			errs = append(errs, field.Invalid(p.Child("values").Index(i), v, m))
		}
	}
	return errs
}
