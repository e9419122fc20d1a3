package intstr

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/purectl/purectl/internal/field"
	"pgregory.net/rapid"
)

// Kubernetes scales maxUnavailable/maxSurge percentages with
// GetScaledValueFromIntOrPercent: DaemonSets round up, StatefulSet
// maxUnavailable rounds down; integers are used as they are, uncapped.
func TestScaled(t *testing.T) {
	cases := []struct {
		v       IntOrString
		total   int
		roundUp bool
		want    int
	}{
		{FromInt(3), 10, true, 3},
		{FromInt(30), 10, true, 30},
		{FromString("25%"), 10, true, 3},
		{FromString("25%"), 10, false, 2},
		{FromString("25%"), 4, false, 1},
		{FromString("1%"), 1, true, 1},
		{FromString("1%"), 1, false, 0},
		{FromString("0%"), 100, true, 0},
		{FromString("100%"), 7, false, 7},
		{FromString("150%"), 10, true, 15},
		{FromString("33%"), 0, true, 0},
		{FromString("10%"), 5000, true, 500},
		{FromString("007%"), 100, true, 7},
	}
	for _, c := range cases {
		got, err := c.v.Scaled(c.total, c.roundUp)
		if err != nil || got != c.want {
			t.Errorf("%s of %d (up=%v) = %d, %v; want %d", c.v, c.total, c.roundUp, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "%", "25", "2.5%", "-5%", "+5%", "five%", "5 %"} {
		if _, err := FromString(bad).Scaled(10, true); !errors.Is(err, ErrNotPercent) {
			t.Errorf("%q: want ErrNotPercent, got %v", bad, err)
		}
	}
}

// Exact rounding against big.Rat for every percentage and total, including
// products far beyond float64's exact range.
func TestScaledIsExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := rapid.Int64Range(0, 1<<40).Draw(t, "pct")
		total := rapid.IntRange(-1<<20, 1<<22).Draw(t, "total")
		up := rapid.Bool().Draw(t, "up")
		got, err := FromString(big.NewInt(p).String()+"%").Scaled(total, up)
		if err != nil {
			t.Fatal(err)
		}
		r := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(p), big.NewInt(int64(total))), big.NewInt(100))
		q := new(big.Int).Quo(r.Num(), r.Denom()) // truncated toward zero
		if !r.IsInt() {
			if up && r.Sign() > 0 {
				q.Add(q, big.NewInt(1))
			}
			if !up && r.Sign() < 0 {
				q.Sub(q, big.NewInt(1))
			}
		}
		if q.Int64() != int64(got) {
			t.Fatalf("%d%% of %d (up=%v) = %d, want %s", p, total, up, got, q)
		}
	})
}

func TestScaledSaturates(t *testing.T) {
	got, err := FromString("99999999999999999%").Scaled(math.MaxInt32, true)
	if err != nil || got <= 0 {
		t.Fatalf("overflowing product must saturate positive, got %d %v", got, err)
	}
}

func TestParseAndString(t *testing.T) {
	for in, want := range map[string]IntOrString{
		"3": FromInt(3), "-1": FromInt(-1), "25%": FromString("25%"), "abc": FromString("abc"),
		"99999999999": FromString("99999999999"),
	} {
		if got := Parse(in); got != want || got.String() != in {
			t.Errorf("Parse(%q) = %+v (%s)", in, got, got)
		}
	}
}

func TestValidate(t *testing.T) {
	p := field.NewPath("spec", "updateStrategy", "rollingUpdate", "maxUnavailable")
	cases := []struct {
		v    IntOrString
		want string
	}{
		{FromInt(0), ""},
		{FromInt(5), ""},
		{FromString("0%"), ""},
		{FromString("100%"), ""},
		{FromInt(-1), p.String() + ": Invalid value: -1: must be greater than or equal to 0"},
		{FromString("5"), p.String() + `: Invalid value: "5": a valid percent string`},
		{FromString("-5%"), p.String() + `: Invalid value: "-5%"`},
		{FromString("101%"), p.String() + `: Invalid value: "101%": must not be greater than 100%`},
	}
	for _, c := range cases {
		errs := append(ValidateNonNegative(c.v, p), ValidateAtMost100Percent(c.v, p)...)
		if c.want == "" {
			if len(errs) != 0 {
				t.Errorf("%s: unexpected %v", c.v, errs)
			}
			continue
		}
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.v, errs, c.want)
		}
	}
}

func TestIsZeroAndIsPercent(t *testing.T) {
	if !FromInt(0).IsZero() || !FromString("0%").IsZero() || FromString("1%").IsZero() || FromString("x").IsZero() || FromInt(1).IsZero() {
		t.Error("IsZero wrong")
	}
	if !FromString("5%").IsPercent() || FromString("5").IsPercent() || FromInt(5).IsPercent() {
		t.Error("IsPercent wrong")
	}
}

func FuzzScaled(f *testing.F) {
	f.Add("25%", 10, true)
	f.Add("100%", 0, false)
	f.Add("9223372036854775807%", 9, true)
	f.Fuzz(func(t *testing.T, s string, total int, up bool) {
		v := Parse(s)
		got, err := v.Scaled(total, up)
		valid := len(ValidateNonNegative(v, field.NewPath("x"))) == 0
		if v.IsString && valid && err != nil {
			t.Fatalf("valid percent %q failed to scale: %v", s, err)
		}
		if v.IsString && err == nil && !valid {
			t.Fatalf("invalid percent %q scaled", s)
		}
		if err == nil && v.IsString && total >= 0 && got < 0 {
			t.Fatalf("%q of %d scaled negative: %d", s, total, got)
		}
	})
}
