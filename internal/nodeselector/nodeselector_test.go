package nodeselector

import (
	"strings"
	"testing"

	"github.com/purectl/purectl/internal/field"
	"github.com/purectl/purectl/internal/labels"
	"pgregory.net/rapid"
)

func req(k string, op Operator, vs ...string) Requirement {
	return Requirement{Key: k, Operator: op, Values: vs}
}

func terms(ts ...Term) *Selector { return &Selector{Terms: ts} }

func exprs(rs ...Requirement) Term { return Term{MatchExpressions: rs} }

// Cases follow component-helpers' nodeaffinity matcher (v1.34): terms ORed,
// requirements ANDed, a malformed term never matches.
func TestMatch(t *testing.T) {
	node := map[string]string{"zone": "a", "cores": "16", "gpu": "", "big": "9999999999999999999"}
	cases := []struct {
		name     string
		sel      *Selector
		nodeName string
		want     bool
	}{
		{"nil selector via Compile matches nothing", nil, "n1", false},
		{"empty term list matches nothing", terms(), "n1", false},
		{"only empty terms match nothing", terms(Term{}, Term{}), "n1", false},
		{"empty term dropped, other term counts", terms(Term{}, exprs(req("zone", OpIn, "a"))), "n1", true},
		{"terms are ORed", terms(exprs(req("zone", OpIn, "b")), exprs(req("zone", OpIn, "a"))), "n1", true},
		{"requirements are ANDed", terms(exprs(req("zone", OpIn, "a"), req("cores", OpGt, "32"))), "n1", false},
		{"In", terms(exprs(req("zone", OpIn, "b", "a"))), "n1", true},
		{"In absent", terms(exprs(req("rack", OpIn, "a"))), "n1", false},
		{"NotIn absent key matches", terms(exprs(req("rack", OpNotIn, "a"))), "n1", true},
		{"NotIn listed", terms(exprs(req("zone", OpNotIn, "a"))), "n1", false},
		{"Exists with empty value", terms(exprs(req("gpu", OpExists))), "n1", true},
		{"DoesNotExist", terms(exprs(req("gpu", OpDoesNotExist))), "n1", false},
		{"Gt strict", terms(exprs(req("cores", OpGt, "16"))), "n1", false},
		{"Gt", terms(exprs(req("cores", OpGt, "15"))), "n1", true},
		{"Lt", terms(exprs(req("cores", OpLt, "17"))), "n1", true},
		{"Lt strict", terms(exprs(req("cores", OpLt, "16"))), "n1", false},
		{"Gt negative bound is not a label value, so the term breaks", terms(exprs(req("cores", OpGt, "-5"))), "n1", false},
		{"Gt absent key", terms(exprs(req("mem", OpGt, "1"))), "n1", false},
		{"Gt non-integer label", terms(exprs(req("zone", OpGt, "1"))), "n1", false},
		{"Gt label beyond int64", terms(exprs(req("big", OpGt, "1"))), "n1", false},
		{"In without values breaks the term", terms(exprs(req("zone", OpIn))), "n1", false},
		{"broken term does not break others", terms(exprs(req("zone", OpIn)), exprs(req("zone", OpIn, "a"))), "n1", true},
		{"Exists with values", terms(exprs(req("zone", OpExists, "a"))), "n1", false},
		{"Gt with two values", terms(exprs(req("cores", OpGt, "1", "2"))), "n1", false},
		{"Gt with a non-integer", terms(exprs(req("cores", OpGt, "ten"))), "n1", false},
		{"invalid key", terms(exprs(req("-zone", OpExists))), "n1", false},
		{"invalid value", terms(exprs(req("zone", OpIn, "a b"))), "n1", false},
		{"NotIn with invalid value also breaks", terms(exprs(req("zone", OpNotIn, "a b"))), "n1", false},
		{"unknown operator", terms(exprs(req("zone", "Equals", "a"))), "n1", false},
		{"matchFields In", terms(Term{MatchFields: []Requirement{req(FieldMetadataName, OpIn, "n1")}}), "n1", true},
		{"matchFields In other", terms(Term{MatchFields: []Requirement{req(FieldMetadataName, OpIn, "n2")}}), "n1", false},
		{"matchFields NotIn", terms(Term{MatchFields: []Requirement{req(FieldMetadataName, OpNotIn, "n2")}}), "n1", true},
		{"matchFields two values is a parse error", terms(Term{MatchFields: []Requirement{req(FieldMetadataName, OpIn, "n1", "n2")}}), "n1", false},
		{"matchFields other key reads as empty (v1.34 matcher)", terms(Term{MatchFields: []Requirement{req("metadata.uid", OpIn, "n1")}}), "n1", false},
		{"matchFields other key In empty matches (v1.34 matcher)", terms(Term{MatchFields: []Requirement{req("spec.x", OpIn, "")}}), "n1", true},
		{"matchFields other key NotIn matches (v1.34 matcher)", terms(Term{MatchFields: []Requirement{req("spec.x", OpNotIn, "n1")}}), "n1", true},
		{"matchFields Exists", terms(Term{MatchFields: []Requirement{req(FieldMetadataName, OpExists)}}), "n1", false},
		{"fields ANDed with expressions", terms(Term{MatchExpressions: []Requirement{req("zone", OpIn, "b")},
			MatchFields: []Requirement{req(FieldMetadataName, OpIn, "n1")}}), "n1", false},
		{"quirk: unnamed node skips field requirements", terms(Term{MatchFields: []Requirement{req(FieldMetadataName, OpIn, "n9")}}), "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Match(c.sel, c.nodeName, node); got != c.want {
				t.Errorf("Match = %v, want %v", got, c.want)
			}
		})
	}
}

func TestCompileRequiredNilMeansNoConstraint(t *testing.T) {
	all := CompileRequired(nil)
	if !all.Match("n", nil) || all.MatchesNothing() {
		t.Fatal("a nil required affinity must match every node")
	}
	none := CompileRequired(&Selector{})
	if none.Match("n", nil) || !none.MatchesNothing() {
		t.Fatal("a required affinity with no terms must match no node")
	}
	var zero Compiled
	if zero.Match("n", nil) {
		t.Fatal("the zero Compiled must match nothing")
	}
}

func TestMatchMap(t *testing.T) {
	lbls := map[string]string{"a": "1", "b": ""}
	cases := []struct {
		sel  map[string]string
		want bool
	}{
		{nil, true}, {map[string]string{}, true}, {map[string]string{"a": "1"}, true},
		{map[string]string{"a": "2"}, false}, {map[string]string{"b": ""}, true}, {map[string]string{"c": ""}, false},
	}
	for _, c := range cases {
		if got := MatchMap(c.sel, lbls); got != c.want {
			t.Errorf("MatchMap(%v) = %v", c.sel, got)
		}
	}
}

func TestValidate(t *testing.T) {
	p := field.NewPath("spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
	cases := []struct {
		name string
		sel  *Selector
		want []string
	}{
		{"nil", nil, nil},
		{"no terms", terms(), []string{p.String() + ".nodeSelectorTerms: Required value"}},
		{"valid", terms(exprs(req("zone", OpIn, "a"), req("cores", OpGt, "3")),
			Term{MatchFields: []Requirement{req(FieldMetadataName, OpNotIn, "n1")}}), nil},
		{"In without values", terms(exprs(req("zone", OpIn))),
			[]string{p.String() + ".nodeSelectorTerms[0].matchExpressions[0].values: Required value"}},
		{"Exists with values", terms(exprs(req("zone", OpExists, "x"))),
			[]string{p.String() + ".nodeSelectorTerms[0].matchExpressions[0].values: Forbidden"}},
		{"Lt without a single value", terms(Term{}, exprs(req("zone", OpLt))),
			[]string{p.String() + ".nodeSelectorTerms[1].matchExpressions[0].values: Required value"}},
		{"bad operator", terms(exprs(req("zone", "Has"))),
			[]string{p.String() + `.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: "Has"`}},
		{"bad key", terms(exprs(req("a b", OpExists))),
			[]string{p.String() + `.nodeSelectorTerms[0].matchExpressions[0].key: Invalid value: "a b"`}},
		{"field with two values and a bad key", terms(Term{MatchFields: []Requirement{req("spec.x", OpIn, "a", "b")}}),
			[]string{p.String() + ".nodeSelectorTerms[0].matchFields[0].values: Required value",
				p.String() + `.nodeSelectorTerms[0].matchFields[0].key: Invalid value: "spec.x": not a valid field selector key`}},
		{"field values are node names (ValidateNodeFieldSelectorRequirement)", terms(Term{MatchFields: []Requirement{req(FieldMetadataName, OpIn, "Bad_Name")}}),
			[]string{p.String() + `.nodeSelectorTerms[0].matchFields[0].values[0]: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain`}},
		{"field value empty", terms(Term{MatchFields: []Requirement{req(FieldMetadataName, OpNotIn, "")}}),
			[]string{p.String() + `.nodeSelectorTerms[0].matchFields[0].values[0]: Invalid value: "": a lowercase RFC 1123 subdomain`}},
		{"expression values are label values (ValidateNodeSelectorRequirement)", terms(exprs(req("zone", OpIn, "a", "x y"))),
			[]string{p.String() + `.nodeSelectorTerms[0].matchExpressions[0].values[1]: Invalid value: "x y": a valid label must be an empty string`}},
		{"field with Exists", terms(Term{MatchFields: []Requirement{req(FieldMetadataName, OpExists)}}),
			[]string{p.String() + `.nodeSelectorTerms[0].matchFields[0].operator: Invalid value: "Exists"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := Validate(c.sel, p, labels.Words{})
			if len(errs) != len(c.want) {
				t.Fatalf("got %v, want %d errors", errs, len(c.want))
			}
			for i, w := range c.want {
				if !strings.HasPrefix(errs[i].Error(), w) {
					t.Errorf("error %d = %q, want prefix %q", i, errs[i], w)
				}
			}
		})
	}
}

var keys = []string{"zone", "cores", "rack"}
var values = []string{"a", "b", "1", "16", "x1"}

func genReq(t *rapid.T) Requirement {
	op := rapid.SampledFrom([]Operator{OpIn, OpNotIn, OpExists, OpDoesNotExist, OpGt, OpLt}).Draw(t, "op")
	r := Requirement{Key: rapid.SampledFrom(keys).Draw(t, "key"), Operator: op}
	switch op {
	case OpIn, OpNotIn:
		r.Values = rapid.SliceOfN(rapid.SampledFrom(values), 1, 3).Draw(t, "vals")
	case OpGt, OpLt:
		r.Values = []string{rapid.SampledFrom([]string{"0", "1", "16", "007"}).Draw(t, "num")}
	}
	return r
}

func genNode(t *rapid.T) map[string]string {
	m := map[string]string{}
	for _, k := range keys {
		if rapid.Bool().Draw(t, "has"+k) {
			m[k] = rapid.SampledFrom(values).Draw(t, "v"+k)
		}
	}
	return m
}

// For well-formed selectors: a selector matches iff some term matches; term
// order does not matter; a term matches iff each of its requirements does as
// a one-requirement term.
func TestSelectorAlgebra(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		node := genNode(t)
		name := rapid.SampledFrom([]string{"n1", "n2"}).Draw(t, "name")
		ts := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Term {
			return exprs(rapid.SliceOfN(rapid.Custom(genReq), 1, 3).Draw(t, "reqs")...)
		}), 0, 4).Draw(t, "terms")
		if errs := Validate(terms(ts...), field.NewPath("s"), labels.Words{}); len(ts) > 0 && len(errs) > 0 {
			t.Fatalf("generated an invalid selector: %v", errs)
		}
		any := false
		for _, term := range ts {
			all := true
			for _, r := range term.MatchExpressions {
				all = all && Match(terms(exprs(r)), name, node)
			}
			if all != Match(terms(term), name, node) {
				t.Fatalf("term %v is not the AND of its requirements", term)
			}
			any = any || all
		}
		if got := Match(terms(ts...), name, node); got != any {
			t.Fatalf("selector = %v, OR of terms = %v", got, any)
		}
		rev := make([]Term, len(ts))
		for i := range ts {
			rev[len(ts)-1-i] = ts[i]
		}
		if Match(terms(rev...), name, node) != any {
			t.Fatal("term order changed the result")
		}
	})
}

func TestMatchDoesNotAllocate(t *testing.T) {
	c := Compile(terms(exprs(req("zone", OpIn, "a", "b"), req("cores", OpGt, "8")),
		Term{MatchFields: []Requirement{req(FieldMetadataName, OpIn, "n1")}}))
	node := map[string]string{"zone": "b", "cores": "16"}
	if n := testing.AllocsPerRun(100, func() { c.Match("n1", node) }); n != 0 {
		t.Fatalf("Match allocates %v times", n)
	}
}

func FuzzMatch(f *testing.F) {
	f.Add("zone", "In", "a,b", "a", "n1", true)
	f.Add("cores", "Gt", "3", "10", "", false)
	f.Add("metadata.name", "NotIn", "n1", "", "n1", true)
	f.Fuzz(func(t *testing.T, key, op, vals, label, nodeName string, asField bool) {
		var vs []string
		if vals != "" {
			vs = strings.Split(vals, ",")
		}
		r := Requirement{Key: key, Operator: Operator(op), Values: vs}
		term := exprs(r)
		if asField {
			term = Term{MatchFields: []Requirement{r}}
		}
		s := terms(term)
		got := Match(s, nodeName, map[string]string{key: label})
		if len(Validate(s, field.NewPath("s"), labels.Words{})) > 0 && !asField && got {
			// Validation is weaker than the matcher only for label values and
			// integer bounds, never the other way round: a rejected operator
			// or arity must never match.
			switch Operator(op) {
			case OpIn, OpNotIn, OpExists, OpDoesNotExist, OpGt, OpLt:
			default:
				t.Fatalf("unknown operator %q matched", op)
			}
		}
	})
}

func TestMatchesAll(t *testing.T) {
	if c := CompileRequired(nil); !c.MatchesAll() || !c.Match("n", nil) {
		t.Error("a nil required affinity matches every node")
	}
	if c := CompileRequired(&Selector{}); c.MatchesAll() || c.Match("n", nil) {
		t.Error("a required affinity without terms matches no node")
	}
}
