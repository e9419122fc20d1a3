package taints

import (
	"strings"
	"testing"
	"time"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/field"
	"pgregory.net/rapid"
)

var (
	rel134    = api.Release{Version: "1.34"}
	rel135    = api.Release{Version: "1.35"}
	rel137    = api.Release{Version: "1.37"}
	rel135Cmp = api.Release{Version: "1.35", FeatureGates: map[api.Gate]bool{api.TaintTolerationComparisonOperators: true}}
	rel137Cmp = api.Release{Version: "1.37", FeatureGates: map[api.Gate]bool{api.TaintTolerationComparisonOperators: true}}
	releases  = []string{"1.34", "1.35", "1.36", "1.37"}
)

func secs(n int64) *int64 { return &n }

// Toleration matching as component-helpers' ToleratesTaint has it (v1.34).
func TestTolerates(t *testing.T) {
	taint := Taint{Key: "dedicated", Value: "gpu", Effect: EffectNoSchedule}
	cases := []struct {
		name string
		tol  Toleration
		want bool
	}{
		{"Equal same value", Toleration{Key: "dedicated", Operator: OpEqual, Value: "gpu", Effect: EffectNoSchedule}, true},
		{"empty operator means Equal", Toleration{Key: "dedicated", Value: "gpu", Effect: EffectNoSchedule}, true},
		{"Equal other value", Toleration{Key: "dedicated", Operator: OpEqual, Value: "cpu", Effect: EffectNoSchedule}, false},
		{"values are case sensitive", Toleration{Key: "dedicated", Operator: OpEqual, Value: "GPU"}, false},
		{"Exists ignores value", Toleration{Key: "dedicated", Operator: OpExists, Effect: EffectNoSchedule}, true},
		{"other key", Toleration{Key: "team", Operator: OpExists}, false},
		{"empty key with Exists matches all keys", Toleration{Operator: OpExists}, true},
		{"empty key with Equal and empty value needs an empty taint value", Toleration{}, false},
		{"empty effect matches all effects", Toleration{Key: "dedicated", Operator: OpExists}, true},
		{"other effect", Toleration{Key: "dedicated", Operator: OpExists, Effect: EffectNoExecute}, false},
		{"Lt is not v1.34", Toleration{Key: "dedicated", Operator: "Lt", Value: "5"}, false},
		{"tolerationSeconds plays no part in matching", Toleration{Key: "dedicated", Operator: OpExists, TolerationSeconds: secs(1)}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.tol.Tolerates(&taint); got != c.want {
				t.Errorf("Tolerates = %v, want %v", got, c.want)
			}
		})
	}
	if !(&Toleration{}).Tolerates(&Taint{Key: "k", Effect: EffectNoExecute}) {
		t.Error("an empty toleration tolerates a taint with an empty value of any key (Equal, \"\" == \"\")")
	}
}

func TestFirstUntolerated(t *testing.T) {
	ts := []Taint{
		{Key: "soft", Effect: EffectPreferNoSchedule},
		{Key: "a", Value: "1", Effect: EffectNoSchedule},
		{Key: "b", Effect: EffectNoExecute},
	}
	hard := func(t *Taint) bool { return t.Effect != EffectPreferNoSchedule }
	if got := FirstUntolerated(ts, nil, hard, false); got != 1 {
		t.Errorf("no tolerations: got %d, want 1 (PreferNoSchedule filtered out)", got)
	}
	if got := FirstUntolerated(ts, nil, nil, false); got != 0 {
		t.Errorf("nil filter: got %d, want 0", got)
	}
	tols := []Toleration{{Key: "a", Value: "1"}}
	if got := FirstUntolerated(ts, tols, hard, false); got != 2 {
		t.Errorf("got %d, want 2", got)
	}
	tols = append(tols, Toleration{Key: "b", Operator: OpExists, Effect: EffectNoExecute})
	if got := FirstUntolerated(ts, tols, hard, false); got != -1 {
		t.Errorf("got %d, want -1", got)
	}
}

func TestEvictionDelay(t *testing.T) {
	taint := Taint{Key: "node.kubernetes.io/unreachable", Effect: EffectNoExecute}
	match := func(s *int64) Toleration {
		return Toleration{Key: taint.Key, Operator: OpExists, Effect: EffectNoExecute, TolerationSeconds: s}
	}
	cases := []struct {
		name        string
		tols        []Toleration
		d           time.Duration
		forever, ok bool
	}{
		{"untolerated", nil, 0, false, false},
		{"no seconds: forever", []Toleration{match(nil)}, 0, true, true},
		{"300s", []Toleration{match(secs(300))}, 300 * time.Second, false, true},
		{"smallest wins over forever", []Toleration{match(nil), match(secs(60)), match(secs(30))}, 30 * time.Second, false, true},
		{"negative means now", []Toleration{match(secs(-5))}, 0, false, true},
		{"non-matching ignored", []Toleration{{Key: "x", Operator: OpExists, TolerationSeconds: secs(1)}, match(secs(9))}, 9 * time.Second, false, true},
		{"huge does not overflow", []Toleration{match(secs(1 << 62))}, time.Duration(int64(1<<63-1)/int64(time.Second)) * time.Second, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, forever, ok := EvictionDelay(c.tols, &taint, false)
			if d != c.d || forever != c.forever || ok != c.ok {
				t.Errorf("got (%v, %v, %v), want (%v, %v, %v)", d, forever, ok, c.d, c.forever, c.ok)
			}
		})
	}
}

func TestValidateTolerations(t *testing.T) {
	p := field.NewPath("spec", "template", "spec", "tolerations")
	cases := []struct {
		name string
		tol  Toleration
		want []string
	}{
		{"valid Equal", Toleration{Key: "k", Operator: OpEqual, Value: "v", Effect: EffectNoSchedule}, nil},
		{"valid match-all", Toleration{Operator: OpExists}, nil},
		{"valid seconds on NoExecute", Toleration{Key: "k", Operator: OpExists, Effect: EffectNoExecute, TolerationSeconds: secs(10)}, nil},
		{"empty key needs Exists", Toleration{Operator: OpEqual}, []string{p.String() + `[0].operator: Invalid value: "Equal": operator must be Exists when`}},
		{"seconds need NoExecute", Toleration{Key: "k", Operator: OpExists, Effect: EffectNoSchedule, TolerationSeconds: secs(1)},
			[]string{p.String() + `[0].effect: Invalid value: "NoSchedule": effect must be 'NoExecute'`}},
		{"Exists with a value", Toleration{Key: "k", Operator: OpExists, Value: "v"}, []string{p.String() + `[0].operator: Invalid value: "v"`}},
		{"unknown operator", Toleration{Key: "k", Operator: "Gt", Value: "1"}, []string{p.String() + `[0].operator: Unsupported value: "Gt"`}},
		{"unknown effect", Toleration{Key: "k", Operator: OpExists, Effect: "Evict"}, []string{p.String() + `[0].effect: Unsupported value: "Evict"`}},
		{"bad key", Toleration{Key: "a/b/c", Operator: OpExists}, []string{p.String() + `[0].key: Invalid value: "a/b/c"`}},
		// ValidateTolerations reports a bad Equal value at the operator.
		{"bad value", Toleration{Key: "k", Value: "a b"}, []string{p.String() + `[0].operator: Invalid value: "a b": a valid label must be`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := ValidateTolerations([]Toleration{c.tol}, p, rel134)
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

func TestValidateTaints(t *testing.T) {
	p := field.NewPath("spec", "taints")
	errs := ValidateTaints([]Taint{
		{Key: "a", Effect: EffectNoSchedule},
		{Key: "a", Value: "x", Effect: EffectNoSchedule},
		{Key: "a", Effect: EffectNoExecute},
		{Effect: "Bad"},
	}, p)
	want := []string{
		`spec.taints[1]: Duplicate value: "a:NoSchedule"`,
		`spec.taints[3].key: Required value`,
		`spec.taints[3].effect: Unsupported value: "Bad"`,
	}
	if len(errs) != len(want) {
		t.Fatalf("got %v", errs)
	}
	for i, w := range want {
		if !strings.HasPrefix(errs[i].Error(), w) {
			t.Errorf("error %d = %q, want prefix %q", i, errs[i], w)
		}
	}
}

var effectsGen = rapid.SampledFrom([]Effect{"", EffectNoSchedule, EffectPreferNoSchedule, EffectNoExecute})

// Widening a toleration (dropping its effect, switching to Exists, dropping
// its key with Exists) never tolerates fewer taints; a taint is tolerated by
// a list iff by some member.
func TestToleratesMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		taint := Taint{Key: rapid.SampledFrom([]string{"a", "b"}).Draw(t, "tk"),
			Value: rapid.SampledFrom([]string{"", "1", "2"}).Draw(t, "tv"), Effect: effectsGen.Filter(func(e Effect) bool { return e != "" }).Draw(t, "te")}
		tol := Toleration{Key: rapid.SampledFrom([]string{"", "a", "b"}).Draw(t, "k"),
			Operator: rapid.SampledFrom([]Operator{"", OpEqual, OpExists}).Draw(t, "op"),
			Value:    rapid.SampledFrom([]string{"", "1", "2"}).Draw(t, "v"), Effect: effectsGen.Draw(t, "e")}
		base := tol.Tolerates(&taint)
		wider := []Toleration{tol, tol, tol}
		wider[0].Effect = ""
		wider[1].Operator = OpExists
		wider[2].Operator, wider[2].Key = OpExists, ""
		for _, w := range wider {
			if base && !w.Tolerates(&taint) {
				t.Fatalf("%+v tolerates %+v but the wider %+v does not", tol, taint, w)
			}
		}
		others := []Toleration{{Key: "zz", Operator: OpExists}, tol}
		if Tolerated(others, &taint, false) != base {
			t.Fatal("Tolerated is not the OR of its members")
		}
	})
}

func FuzzTolerates(f *testing.F) {
	f.Add("k", "Equal", "v", "NoSchedule", "k", "v", "NoSchedule", int64(0), false)
	f.Add("", "Exists", "", "", "x", "y", "NoExecute", int64(-1), true)
	f.Fuzz(func(t *testing.T, k, op, v, e, tk, tv, te string, secs int64, withSecs bool) {
		tol := Toleration{Key: k, Operator: Operator(op), Value: v, Effect: Effect(e)}
		if withSecs {
			tol.TolerationSeconds = &secs
		}
		taint := Taint{Key: tk, Value: tv, Effect: Effect(te)}
		got := tol.Tolerates(&taint)
		if got && tol.Effect != "" && tol.Effect != taint.Effect {
			t.Fatal("tolerated a taint of another effect")
		}
		if got && tol.Key != "" && tol.Key != taint.Key {
			t.Fatal("tolerated a taint of another key")
		}
		cmpOps := withSecs // either gate value
		if d, _, ok := EvictionDelay([]Toleration{tol}, &taint, cmpOps); ok != tol.ToleratesWith(&taint, cmpOps) || d < 0 {
			t.Fatalf("EvictionDelay disagrees with Tolerates or is negative: %v %v", d, ok)
		}
		if tol.ToleratesWith(&taint, false) != got {
			t.Fatal("the gate off is Tolerates")
		}
		if got && !tol.ToleratesWith(&taint, true) {
			t.Fatal("enabling the comparison operators took a toleration away")
		}
		for _, r := range []api.Release{rel134, rel135Cmp, rel137} {
			_ = ValidateTolerations([]Toleration{tol}, field.NewPath("t"), r)
		}
		_ = ValidateTaints([]Taint{taint, taint}, field.NewPath("t"))
	})
}

// The Lt and Gt operators of Toleration.ToleratesTaint (v1.35 on, with
// TaintTolerationComparisonOperators): integer comparison of canonical
// decimal values; with the gate off, and in v1.34, they tolerate nothing.
func TestToleratesComparisonOperators(t *testing.T) {
	cases := []struct {
		op         Operator
		tol, taint string
		want       bool
	}{
		{OpGt, "750", "950", true},
		{OpGt, "950", "800", false},
		{OpGt, "950", "950", false},
		{OpLt, "800", "950", false},
		{OpLt, "800", "799", true},
		{OpLt, "0", "-1", true},
		{OpGt, "-5", "0", true},
		{OpGt, "950", "high", false}, // taint value not an integer
		{OpGt, "x", "5", false},      // toleration value not an integer
		{OpLt, "10", "05", false},    // leading zero is not canonical
		{OpLt, "10", "+5", false},    // nor a plus sign
		{OpGt, "-10", "-0", false},   // nor minus zero
		{OpLt, "10", "", false},      // nor the empty value
		{OpGt, "1", "9223372036854775807", true},
		{OpGt, "1", "9223372036854775808", false}, // beyond int64
		{OpLt, "0", "-9223372036854775808", true},
		{OpLt, "0", "-9223372036854775809", false},
	}
	for _, c := range cases {
		tol := Toleration{Key: "sla", Operator: c.op, Value: c.tol, Effect: EffectNoSchedule}
		taint := Taint{Key: "sla", Value: c.taint, Effect: EffectNoSchedule}
		if got := tol.ToleratesWith(&taint, true); got != c.want {
			t.Errorf("%s %q vs taint %q with the gate: got %v, want %v", c.op, c.tol, c.taint, got, c.want)
		}
		for _, r := range []api.Release{rel134, rel135, rel137} {
			if tol.ToleratesIn(&taint, r) || Tolerated([]Toleration{tol}, &taint, ComparisonOperators(r)) {
				t.Errorf("%s %q vs %q tolerated in %s with the gate at its default (off)", c.op, c.tol, c.taint, r.Version)
			}
		}
		for _, r := range []api.Release{rel135Cmp, rel137Cmp} {
			if got := tol.ToleratesIn(&taint, r); got != c.want {
				t.Errorf("%s %q vs %q in %s with the gate: got %v, want %v", c.op, c.tol, c.taint, r.Version, got, c.want)
			}
		}
	}
	// Key and effect still decide first.
	tol := Toleration{Key: "sla", Operator: OpGt, Value: "1", Effect: EffectNoExecute}
	if tol.ToleratesWith(&Taint{Key: "sla", Value: "5", Effect: EffectNoSchedule}, true) {
		t.Error("Gt tolerated a taint of another effect")
	}
	if tol.ToleratesWith(&Taint{Key: "other", Value: "5", Effect: EffectNoExecute}, true) {
		t.Error("Gt tolerated a taint of another key")
	}
}

// ValidateTolerations' Lt and Gt branch: rejected as an unsupported
// operator where the gate is off (v1.34 names two operators, v1.35 on four),
// and with the gate the value must be a canonical decimal integer that
// strconv.ParseInt reads, each check giving its own error.
func TestValidateTolerationsComparisonOperators(t *testing.T) {
	p := field.NewPath("spec", "template", "spec", "tolerations")
	cases := []struct {
		name string
		rel  api.Release
		tol  Toleration
		want []string
	}{
		{"1.34 has no Lt", rel134, Toleration{Key: "k", Operator: OpLt, Value: "1"},
			[]string{`spec.template.spec.tolerations[0].operator: Unsupported value: "Lt": supported values: "Equal", "Exists"`}},
		{"1.35 gate off names all four", rel135, Toleration{Key: "k", Operator: OpGt, Value: "1"},
			[]string{`spec.template.spec.tolerations[0].operator: Unsupported value: "Gt": supported values: "Equal", "Exists", "Lt", "Gt"`}},
		{"1.37 gate off", rel137, Toleration{Key: "k", Operator: OpLt, Value: "x"},
			[]string{`spec.template.spec.tolerations[0].operator: Unsupported value: "Lt": supported values: "Equal", "Exists", "Lt", "Gt"`}},
		{"gate on, valid", rel135Cmp, Toleration{Key: "k", Operator: OpLt, Value: "-12"}, nil},
		{"gate on, zero", rel137Cmp, Toleration{Key: "k", Operator: OpGt, Value: "0"}, nil},
		{"gate on, not a number", rel137Cmp, Toleration{Key: "k", Operator: OpGt, Value: "high"}, []string{
			`spec.template.spec.tolerations[0].value: Invalid value: "high": must be a valid decimal integer in canonical form`,
			`spec.template.spec.tolerations[0].value: Invalid value: "high": strconv.ParseInt: parsing "high": invalid syntax`}},
		{"gate on, empty", rel137Cmp, Toleration{Key: "k", Operator: OpGt}, []string{
			`spec.template.spec.tolerations[0].value: Invalid value: "": must be non-empty`,
			`spec.template.spec.tolerations[0].value: Invalid value: "": strconv.ParseInt: parsing "": invalid syntax`}},
		{"gate on, leading zero parses", rel137Cmp, Toleration{Key: "k", Operator: OpLt, Value: "007"}, []string{
			`spec.template.spec.tolerations[0].value: Invalid value: "007": must be a valid decimal integer in canonical form`}},
		{"gate on, out of range", rel137Cmp, Toleration{Key: "k", Operator: OpLt, Value: "9223372036854775808"}, []string{
			`spec.template.spec.tolerations[0].value: Invalid value: "9223372036854775808": strconv.ParseInt: parsing "9223372036854775808": value out of range`}},
		{"gate on, unknown operator still names two", rel137Cmp, Toleration{Key: "k", Operator: "Ge", Value: "1"},
			[]string{`spec.template.spec.tolerations[0].operator: Unsupported value: "Ge": supported values: "Equal", "Exists"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := ValidateTolerations([]Toleration{c.tol}, p, c.rel)
			if len(errs) != len(c.want) {
				t.Fatalf("got %v, want %q", errs, c.want)
			}
			for i, w := range c.want {
				if errs[i].Error() != w {
					t.Errorf("error %d = %q, want %q", i, errs[i], w)
				}
			}
		})
	}
}

// Lt and Gt are the only operators whose meaning depends on the release:
// for any other toleration every release agrees, and where the gate is off
// Lt and Gt tolerate nothing.
func TestToleratesAcrossReleases(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := api.Release{Version: rapid.SampledFrom(releases).Draw(t, "release")}
		if r.Version != "1.34" && rapid.Bool().Draw(t, "gate") {
			r.FeatureGates = map[api.Gate]bool{api.TaintTolerationComparisonOperators: true}
		}
		vals := []string{"", "1", "2", "10", "-3", "01", "x"}
		tol := Toleration{Key: rapid.SampledFrom([]string{"", "a"}).Draw(t, "k"),
			Operator: rapid.SampledFrom([]Operator{"", OpEqual, OpExists, OpLt, OpGt}).Draw(t, "op"),
			Value:    rapid.SampledFrom(vals).Draw(t, "v"), Effect: effectsGen.Draw(t, "e")}
		taint := Taint{Key: "a", Value: rapid.SampledFrom(vals).Draw(t, "tv"), Effect: EffectNoSchedule}
		got := tol.ToleratesIn(&taint, r)
		if tol.Operator != OpLt && tol.Operator != OpGt {
			if got != tol.Tolerates(&taint) {
				t.Fatalf("%s changed an Equal/Exists toleration", r.Version)
			}
			return
		}
		if got && !ComparisonOperators(r) {
			t.Fatalf("%s without the gate tolerated with %s", r.Version, tol.Operator)
		}
		// (An empty key with Lt or Gt matches every key, though validation
		// asks for Exists there.)
		if got && tol.Key != "" && len(ValidateTolerations([]Toleration{tol}, field.NewPath("t"), r)) > 0 {
			t.Fatalf("a toleration validation rejects tolerated %+v", taint)
		}
	})
}
