package labels

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/field"
	"pgregory.net/rapid"
)

func TestMatches(t *testing.T) {
	web := map[string]string{"app": "web", "tier": "front"}
	cases := []struct {
		name string
		sel  *Selector
		lbls map[string]string
		want bool
	}{
		{"nil selector selects nothing", nil, web, false},
		{"empty selector selects everything", &Selector{}, web, true},
		{"empty selector selects unlabelled", &Selector{}, nil, true},
		{"matchLabels equal", &Selector{MatchLabels: map[string]string{"app": "web"}}, web, true},
		{"matchLabels differ", &Selector{MatchLabels: map[string]string{"app": "db"}}, web, false},
		{"matchLabels missing key", &Selector{MatchLabels: map[string]string{"zone": "a"}}, web, false},
		{"matchLabels empty value needs the key", &Selector{MatchLabels: map[string]string{"x": ""}}, web, false},
		{"matchLabels empty value present", &Selector{MatchLabels: map[string]string{"x": ""}}, map[string]string{"x": ""}, true},
		{"In present", sel(Requirement{Key: "tier", Operator: OpIn, Values: []string{"back", "front"}}), web, true},
		{"In absent key", sel(Requirement{Key: "zone", Operator: OpIn, Values: []string{"a"}}), web, false},
		{"NotIn absent key matches", sel(Requirement{Key: "zone", Operator: OpNotIn, Values: []string{"a"}}), web, true},
		{"NotIn listed value", sel(Requirement{Key: "tier", Operator: OpNotIn, Values: []string{"front"}}), web, false},
		{"Exists", sel(Requirement{Key: "app", Operator: OpExists, Values: nil}), web, true},
		{"Exists absent", sel(Requirement{Key: "zone", Operator: OpExists, Values: nil}), web, false},
		{"DoesNotExist", sel(Requirement{Key: "zone", Operator: OpDoesNotExist, Values: nil}), web, true},
		{"DoesNotExist present", sel(Requirement{Key: "app", Operator: OpDoesNotExist, Values: nil}), web, false},
		{"unknown operator matches nothing", sel(Requirement{Key: "app", Operator: "Equals", Values: []string{"web"}}), web, false},
		{"labels and expressions are ANDed", &Selector{MatchLabels: map[string]string{"app": "web"},
			MatchExpressions: []Requirement{{Key: "tier", Operator: OpIn, Values: []string{"back"}}}}, web, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.sel.Matches(c.lbls); got != c.want {
				t.Errorf("Matches = %v, want %v", got, c.want)
			}
		})
	}
}

func sel(rs ...Requirement) *Selector { return &Selector{MatchExpressions: rs} }

func TestIsEmpty(t *testing.T) {
	var nilSel *Selector
	if nilSel.IsEmpty() || !(&Selector{}).IsEmpty() || (&Selector{MatchLabels: map[string]string{"a": "b"}}).IsEmpty() {
		t.Fatal("IsEmpty must be true only for a non-nil selector without terms")
	}
}

func TestValidateSelector(t *testing.T) {
	p := field.NewPath("spec", "selector")
	cases := []struct {
		name string
		sel  *Selector
		want []string // rendered errors
	}{
		{"nil is valid", nil, nil},
		{"valid", &Selector{MatchLabels: map[string]string{"app": "web"},
			MatchExpressions: []Requirement{{Key: "k", Operator: OpIn, Values: []string{"a"}}, {Key: "example.com/k", Operator: OpExists}}}, nil},
		{"In without values", sel(Requirement{Key: "k", Operator: OpIn, Values: nil}),
			[]string{"spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"}},
		{"Exists with values", sel(Requirement{Key: "k", Operator: OpExists, Values: []string{"a"}}),
			[]string{"spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"}},
		{"bad operator", sel(Requirement{Key: "k", Operator: "Gt", Values: []string{"1"}}),
			[]string{`spec.selector.matchExpressions[0].operator: Invalid value: "Gt": not a valid selector operator`}},
		{"bad key", sel(Requirement{Key: "-k", Operator: OpExists, Values: nil}), []string{`spec.selector.matchExpressions[0].key: Invalid value: "-k"`}},
		{"bad value", sel(Requirement{Key: "k", Operator: OpIn, Values: []string{"a b"}}), []string{`spec.selector.matchExpressions[0].values[0]: Invalid value: "a b"`}},
		{"bad matchLabels key", &Selector{MatchLabels: map[string]string{"a/b/c": "x"}}, []string{`spec.selector.matchLabels: Invalid value: "a/b/c"`}},
		{"bad matchLabels value", &Selector{MatchLabels: map[string]string{"a": "-x"}}, []string{`spec.selector.matchLabels: Invalid value: "-x"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := Validate(c.sel, p)
			if len(errs) != len(c.want) {
				t.Fatalf("got %d errors %v, want %d", len(errs), errs, len(c.want))
			}
			for i, w := range c.want {
				if !strings.HasPrefix(errs[i].Error(), w) {
					t.Errorf("error %d = %q, want prefix %q", i, errs[i].Error(), w)
				}
			}
		})
	}
}

func TestQualifiedNames(t *testing.T) {
	// A 253-character prefix made of DNS labels, the longest allowed.
	longPrefix := strings.Repeat(strings.Repeat("a", 62)+".", 4)[:252] + "a"
	valid := []string{"a", "A", "app", "my.name", "MyName", "123-abc", "example.com/name", "a.b-c.d/x_y.z",
		strings.Repeat("a", 63), longPrefix + "/x"}
	invalid := []string{"", "-a", "a-", "a b", "a/b/c", "/a", "a/", "Example.com/a", "ex_ample.com/a",
		strings.Repeat("a", 64), longPrefix + "a/x", "é"}
	for _, v := range valid {
		if errs := ValidateQualifiedName(v, field.NewPath("k")); len(errs) != 0 {
			t.Errorf("%q: unexpected %v", v, errs)
		}
		if !IsQualifiedName(v) {
			t.Errorf("IsQualifiedName(%q) = false", v)
		}
	}
	for _, v := range invalid {
		if errs := ValidateQualifiedName(v, field.NewPath("k")); len(errs) == 0 {
			t.Errorf("%q: accepted", v)
		}
	}
}

func TestLabelValues(t *testing.T) {
	for _, v := range []string{"", "a", "a-b_c.d", "0", strings.Repeat("z", 63)} {
		if !IsValidLabelValue(v) || len(ValidateLabelValue(v, nil)) != 0 {
			t.Errorf("%q rejected", v)
		}
	}
	for _, v := range []string{"-a", "a-", "_a", "a/b", "a b", strings.Repeat("z", 64), ".", "ü"} {
		if IsValidLabelValue(v) || len(ValidateLabelValue(v, nil)) != 1 { // one problem each: shape or length
			t.Errorf("%q accepted", v)
		}
	}
}

func TestDNSNames(t *testing.T) {
	for _, v := range []string{"a", "a-b", "0a", "web-0"} {
		if DNSLabelProblem(v) != "" {
			t.Errorf("label %q rejected", v)
		}
	}
	for _, v := range []string{"", "A", "a.b", "-a", "a-", strings.Repeat("a", 64)} {
		if DNSLabelProblem(v) == "" {
			t.Errorf("label %q accepted", v)
		}
	}
	for _, v := range []string{"a", "a.b", "example.com", "fast-ssd"} {
		if DNSSubdomainProblem(v) != "" {
			t.Errorf("subdomain %q rejected", v)
		}
	}
	for _, v := range []string{"", "a..b", ".a", "A.b", "a_b", strings.Repeat("a", 254)} {
		if DNSSubdomainProblem(v) == "" {
			t.Errorf("subdomain %q accepted", v)
		}
	}
}

var keys = []string{"app", "tier", "zone", "example.com/team"}
var vals = []string{"", "a", "b", "c"}

func genLabels(t *rapid.T, name string) map[string]string {
	m := map[string]string{}
	for _, k := range keys {
		if rapid.Bool().Draw(t, name+k) {
			m[k] = rapid.SampledFrom(vals).Draw(t, name+k+"v")
		}
	}
	return m
}

func genReq(t *rapid.T) Requirement {
	op := rapid.SampledFrom([]Operator{OpIn, OpNotIn, OpExists, OpDoesNotExist}).Draw(t, "op")
	r := Requirement{Key: rapid.SampledFrom(keys).Draw(t, "key"), Operator: op}
	if op == OpIn || op == OpNotIn {
		r.Values = rapid.SliceOfN(rapid.SampledFrom(vals), 1, 3).Draw(t, "vals")
	}
	return r
}

// Properties that hold for every label set: NotIn negates In, DoesNotExist
// negates Exists, matchLabels k=v means `k In (v)`, and adding a requirement
// never selects more.
func TestSelectorProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		lbls := genLabels(t, "l")
		r := genReq(t)
		neg := r
		switch r.Operator {
		case OpIn:
			neg.Operator = OpNotIn
		case OpNotIn:
			neg.Operator = OpIn
		case OpExists:
			neg.Operator = OpDoesNotExist
		case OpDoesNotExist:
			neg.Operator = OpExists
		}
		if r.Matches(lbls) == neg.Matches(lbls) {
			t.Fatalf("%v and its negation agree on %v", r, lbls)
		}
		k, v := rapid.SampledFrom(keys).Draw(t, "mk"), rapid.SampledFrom(vals).Draw(t, "mv")
		byMap := &Selector{MatchLabels: map[string]string{k: v}}
		byExpr := sel(Requirement{Key: k, Operator: OpIn, Values: []string{v}})
		if byMap.Matches(lbls) != byExpr.Matches(lbls) {
			t.Fatalf("matchLabels %s=%s and In disagree on %v", k, v, lbls)
		}
		base := &Selector{MatchExpressions: rapid.SliceOfN(rapid.Custom(genReq), 0, 3).Draw(t, "base")}
		more := &Selector{MatchExpressions: append(append([]Requirement{}, base.MatchExpressions...), r)}
		if more.Matches(lbls) && !base.Matches(lbls) {
			t.Fatalf("adding %v selected more", r)
		}
	})
}

// FuzzSelector validates and matches arbitrary selectors; a selector that
// validates must behave like the requirement-by-requirement definition.
func FuzzSelector(f *testing.F) {
	f.Add("app", "In", "web,db", "app", "web")
	f.Add("", "Exists", "", "", "")
	f.Add("a/b/c", "NotIn", ",", "x", "\xff")
	f.Fuzz(func(t *testing.T, key, op, values, lkey, lval string) {
		var vs []string
		if values != "" {
			vs = strings.Split(values, ",")
		}
		s := sel(Requirement{Key: key, Operator: Operator(op), Values: vs})
		errs := Validate(s, field.NewPath("selector"))
		got := s.Matches(map[string]string{lkey: lval})
		_, present := map[string]string{lkey: lval}[key]
		if len(errs) > 0 {
			return
		}
		var want bool
		switch Operator(op) {
		case OpIn:
			want = present && slices.Contains(vs, lval)
		case OpNotIn:
			want = !present || !slices.Contains(vs, lval)
		case OpExists:
			want = present
		case OpDoesNotExist:
			want = !present
		default:
			t.Fatalf("operator %q passed validation", op)
		}
		if got != want {
			t.Fatalf("Matches = %v, want %v", got, want)
		}
	})
}

// IsDNSSubdomain agrees with the definition written the obvious way: split at
// dots, every part of the DNS label shape (of any length: apimachinery's
// subdomain pattern sets no per-label limit), at most 253 characters in all.
// It does not allocate.
func TestIsDNSSubdomainAgreesWithSplitModel(t *testing.T) {
	label := regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	model := func(s string) bool {
		if s == "" || len(s) > 253 {
			return false
		}
		for _, part := range strings.Split(s, ".") {
			if !label.MatchString(part) {
				return false
			}
		}
		return true
	}
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.StringOfN(rapid.SampledFrom([]rune("ab0-.A_")), 0, 70, -1).Draw(t, "s")
		if rapid.IntRange(0, 20).Draw(t, "long") == 0 {
			s = strings.Repeat("a", rapid.IntRange(60, 260).Draw(t, "n"))
		}
		if got, want := IsDNSSubdomain(s), model(s); got != want {
			t.Fatalf("IsDNSSubdomain(%q) = %v, want %v", s, got, want)
		}
		if (DNSSubdomainProblem(s) == "") != model(s) {
			t.Fatalf("DNSSubdomainProblem(%q) disagrees with the model", s)
		}
	})
	var ok bool
	if n := testing.AllocsPerRun(100, func() { ok = IsDNSSubdomain("fast-ssd.storage.example.com") }); n != 0 || !ok {
		t.Fatalf("IsDNSSubdomain allocates %v times (valid: %v)", n, ok)
	}
}

// From 1.35 apimachinery checks label keys and values in its content
// package: "a valid label key" for too many slashes, and lengths in bytes;
// a DNS subdomain checked on its own keeps "characters".
func TestWordsByRelease(t *testing.T) {
	long := strings.Repeat("a", 64)
	w34, w35 := WordsFor(api.Release{Version: "1.34"}), WordsFor(api.Release{Version: "1.35"})
	if w34 != (Words{}) || WordsFor(api.Release{}) != w35 {
		t.Fatalf("WordsFor: 1.34 %v, newest %v, 1.35 %v", w34, WordsFor(api.Release{}), w35)
	}
	cases := []struct {
		name     string
		got      []string
		want     string
		contains bool
	}{
		{"1.34 key too long", w34.QualifiedNameErrors(long), "name part must be no more than 63 characters", false},
		{"1.35 key too long", w35.QualifiedNameErrors(long), "name part must be no more than 63 bytes", false},
		{"1.34 value too long", w34.LabelValueErrors(long), "must be no more than 63 characters", false},
		{"1.35 value too long", w35.LabelValueErrors(long), "must be no more than 63 bytes", false},
		{"1.34 slashes", w34.QualifiedNameErrors("a/b/c"), "a qualified name must consist of", true},
		{"1.35 slashes", w35.QualifiedNameErrors("a/b/c"), "a valid label key must consist of", true},
		{"1.35 prefix too long", w35.QualifiedNameErrors(strings.Repeat("a", 254) + "/x"), "prefix part must be no more than 253 bytes", false},
		{"1.35 subdomain alone", DNSSubdomainErrors(strings.Repeat("a", 254)), "must be no more than 253 characters", false},
	}
	for _, c := range cases {
		if len(c.got) == 0 {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if c.contains && !strings.HasPrefix(c.got[0], c.want) || !c.contains && c.got[0] != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got[0], c.want)
		}
	}
	errs := w35.Validate(&Selector{MatchLabels: map[string]string{"k": long}}, field.NewPath("selector"))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "63 bytes") {
		t.Errorf("1.35 selector: %v", errs)
	}
}
