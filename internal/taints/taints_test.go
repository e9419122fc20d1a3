package taints

import (
	"strings"
	"testing"
	"time"

	"github.com/purectl/purectl/internal/field"
	"pgregory.net/rapid"
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
	if got := FirstUntolerated(ts, nil, hard); got != 1 {
		t.Errorf("no tolerations: got %d, want 1 (PreferNoSchedule filtered out)", got)
	}
	if got := FirstUntolerated(ts, nil, nil); got != 0 {
		t.Errorf("nil filter: got %d, want 0", got)
	}
	tols := []Toleration{{Key: "a", Value: "1"}}
	if got := FirstUntolerated(ts, tols, hard); got != 2 {
		t.Errorf("got %d, want 2", got)
	}
	tols = append(tols, Toleration{Key: "b", Operator: OpExists, Effect: EffectNoExecute})
	if got := FirstUntolerated(ts, tols, hard); got != -1 {
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
			d, forever, ok := EvictionDelay(c.tols, &taint)
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
		{"bad value", Toleration{Key: "k", Value: "a b"}, []string{p.String() + `[0].value: Invalid value: "a b"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := ValidateTolerations([]Toleration{c.tol}, p)
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
		if Tolerated(others, &taint) != base {
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
		if d, _, ok := EvictionDelay([]Toleration{tol}, &taint); ok != got || d < 0 {
			t.Fatalf("EvictionDelay disagrees with Tolerates or is negative: %v %v", d, ok)
		}
		_ = ValidateTolerations([]Toleration{tol}, field.NewPath("t"))
		_ = ValidateTaints([]Taint{taint, taint}, field.NewPath("t"))
	})
}
