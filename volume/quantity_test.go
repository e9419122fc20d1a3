package volume

import (
	"math/big"
	"testing"

	"pgregory.net/rapid"
)

// The quantity syntax and exact values of apimachinery's ParseQuantity.
func TestParseQuantity(t *testing.T) {
	cases := []struct {
		in    string
		bytes int64 // expected value when it is an int64 integer
		ok    bool
	}{
		{"1Gi", 1 << 30, true},
		{"1G", 1_000_000_000, true},
		{"1073741824", 1 << 30, true},
		{"1024Ki", 1 << 20, true},
		{"1.5Gi", 3 << 29, true},
		{"1E3", 1000, true},  // exponent form
		{"1e3", 1000, true},  // exponent form, lower case
		{"1e+3", 1000, true}, // signed exponent
		{"2E", 2e18, true},   // plain E is exa
		{"1.", 1, true},      // trailing dot
		{".5k", 500, true},   // leading dot
		{"Gi", 0, true},      // a bare suffix is zero
		{"-1Gi", -(1 << 30), true},
		{"+5", 5, true},
		{"0", 0, true},
		{"8Ei", 1<<63 - 1, true}, // binary values are capped
		{"9Ei", 1<<63 - 1, true},
		{"", 0, false},
		{".", 0, true},   // apimachinery reads a number without digits as 0
		{"+", 0, true},   // likewise
		{"-.", 0, true},  // likewise
		{"1K", 0, false}, // K is not a suffix
		{"1KB", 0, false},
		{"1 Gi", 0, false},
		{"0x10", 0, false},
		{"1e1.5", 0, false},
		{"1e", 0, false},
		{"1Gii", 0, false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseQuantity(c.in)
			if (err == nil) != c.ok {
				t.Fatalf("ParseQuantity(%q) error = %v, want ok=%v", c.in, err, c.ok)
			}
			if !c.ok {
				return
			}
			v, isInt := got.Int64()
			if !isInt || v != c.bytes {
				t.Fatalf("ParseQuantity(%q) = %d (int %v), want %d", c.in, v, isInt, c.bytes)
			}
		})
	}
}

// Exact comparison across notations and beyond int64.
func TestQuantityCmp(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"1G", "1Gi", -1}, // 10^9 < 2^30
		{"1Gi", "1073741824", 0},
		{"1024Ki", "1Mi", 0},
		{"800E", "950E", -1}, // beyond int64
		{"950E", "800E", 1},  // beyond int64
		{"9223372036854775808", "8Ei", 1},
		{"1500m", "2", -1},        // fraction vs integer
		{"1500m", "1", 1},         // fraction vs integer
		{"1500m", "1.5", 0},       // same value, two notations
		{"0.0000000001", "1n", 0}, // rounded up to 1n
		{"0.0000000001", "0", 1},  // non-zero never becomes zero
		{"-1500m", "-1", -1},      // negatives
		{"-800E", "-950E", 1},     // negative big values
		{"-1", "1500m", -1},       // mixed signs
		{"1e20", "100E", 0},       // exponent vs suffix
		{"100000000000000000000", "1e20", 0},
	}
	for _, c := range cases {
		t.Run(c.a+" vs "+c.b, func(t *testing.T) {
			a, b := MustParseQuantity(c.a), MustParseQuantity(c.b)
			if got := a.Cmp(b); got != c.want {
				t.Errorf("Cmp = %d, want %d", got, c.want)
			}
			if got := b.Cmp(a); got != -c.want {
				t.Errorf("reverse Cmp = %d, want %d", got, -c.want)
			}
		})
	}
}

// A named volume compares whole bytes rounded up: 1500m becomes 2.
func TestCeilBytes(t *testing.T) {
	cases := []struct{ in, want string }{
		{"1500m", "2"}, {"100m", "1"}, {"2", "2"}, {"-1500m", "-2"}, {"1n", "1"}, {"1000000000001m", "1000000001"},
	}
	for _, c := range cases {
		if got := MustParseQuantity(c.in).CeilBytes(); got.Cmp(MustParseQuantity(c.want)) != 0 {
			t.Errorf("CeilBytes(%s) = %s, want %s", c.in, got.decimal(), c.want)
		}
	}
}

func TestQuantityZeroValue(t *testing.T) {
	var z Quantity
	if z.IsSet() || z.Sign() != 0 || z.Cmp(MustParseQuantity("0")) != 0 || z.String() != "0" {
		t.Fatalf("zero Quantity: set=%v sign=%d str=%q", z.IsSet(), z.Sign(), z.String())
	}
	if !MustParseQuantity("0").IsSet() || !Bytes(5).IsSet() {
		t.Fatal("parsed or built quantities must count as set")
	}
}

// Property: Cmp agrees with exact rational arithmetic for numbers written
// with every suffix, including fractions and values beyond int64.
func TestQuantityCmpMatchesRationals(t *testing.T) {
	suffixes := []struct {
		s string
		r *big.Rat
	}{
		{"", big.NewRat(1, 1)}, {"k", big.NewRat(1000, 1)}, {"M", big.NewRat(1e6, 1)}, {"G", big.NewRat(1e9, 1)},
		{"E", new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil))},
		{"Ki", big.NewRat(1024, 1)}, {"Mi", big.NewRat(1<<20, 1)}, {"Gi", big.NewRat(1<<30, 1)}, {"Ti", big.NewRat(1<<40, 1)},
		{"m", big.NewRat(1, 1000)}, {"e2", big.NewRat(100, 1)},
	}
	value := func(t *rapid.T, label string) (string, *big.Rat) {
		n := rapid.Int64Range(-1_000_000_000, 1_000_000_000).Draw(t, label+"n")
		frac := rapid.IntRange(0, 3).Draw(t, label+"frac")
		sf := suffixes[rapid.IntRange(0, len(suffixes)-1).Draw(t, label+"suffix")]
		r := new(big.Rat).SetFrac(big.NewInt(n), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(frac)), nil))
		r.Mul(r, sf.r)
		// binary-suffixed amounts are capped at 2^63-1.
		if capv := new(big.Rat).SetInt64(1<<63 - 1); len(sf.s) == 2 && sf.s[1] == 'i' && r.Cmp(capv) > 0 {
			r = capv
		}
		text := big.NewInt(n).String()
		neg := n < 0
		if neg {
			text = text[1:]
		}
		for len(text) <= frac {
			text = "0" + text
		}
		if frac > 0 {
			text = text[:len(text)-frac] + "." + text[len(text)-frac:]
		}
		if neg {
			text = "-" + text
		}
		return text + sf.s, r
	}
	rapid.Check(t, func(t *rapid.T) {
		as, ar := value(t, "a")
		bs, br := value(t, "b")
		a, err := ParseQuantity(as)
		if err != nil {
			t.Fatalf("%q: %v", as, err)
		}
		b, err := ParseQuantity(bs)
		if err != nil {
			t.Fatalf("%q: %v", bs, err)
		}
		// Values are rounded up to 10^-9; the generated ones are multiples
		// of 10^-6 or coarser, so the rational is exact.
		if got, want := a.Cmp(b), ar.Cmp(br); got != want {
			t.Fatalf("Cmp(%s, %s) = %d, want %d", as, bs, got, want)
		}
	})
}
