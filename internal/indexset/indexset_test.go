package indexset

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

func TestStringForm(t *testing.T) {
	cases := []struct {
		in   []int
		want string
	}{
		{nil, ""},
		{[]int{0}, "0"},
		{[]int{3, 4}, "3,4"}, // a run of two is written as two indexes, as the Job controller writes it
		{[]int{3, 4, 5}, "3-5"},
		{[]int{1, 3, 4, 5, 7}, "1,3-5,7"},
		{[]int{7, 5, 1, 4, 3, 5}, "1,3-5,7"},
		{[]int{-1, 2}, "2"},
	}
	for _, c := range cases {
		if got := FromIndexes(c.in...).String(); got != c.want {
			t.Errorf("FromIndexes(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParseStrict(t *testing.T) {
	good := map[string]string{"": "", "0": "0", "1,3-5,7": "1,3-5,7", "1,2": "1,2", "1-2": "1,2", "0-0": "0", "2-3,4-6": "2-6"}
	for in, want := range good {
		s, err := Parse(in, 10)
		if err != nil || s.String() != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, s, err, want)
		}
	}
	bad := []string{",", "1,", "a", "-1", "1-", "-", "3-1", "1,1", "2,1", "1-3,3", "1-3,2-4", " 1", "1 ", "+1", "10", "0-10",
		"99999999999999999999999"}
	for _, in := range bad {
		if s, err := Parse(in, 10); err == nil {
			t.Errorf("Parse(%q) accepted as %q", in, s)
		}
	}
	if _, err := Parse("1000000", -1); err != nil {
		t.Errorf("a negative limit means no bound: %v", err)
	}
}

// The Job controller reads stored indexes tolerantly (parseIndexesFromString):
// bad parts are skipped, reading stops at the first index ≥ completions, and
// a range crossing the limit is cut.
func TestParseLenient(t *testing.T) {
	cases := []struct {
		in    string
		limit int
		want  string
	}{
		{"1,3-5,7", 10, "1,3-5,7"},
		{"1,x,3", 10, "1,3"},
		{"1,3-x,5", 10, "1,5"},
		{"1,8-12", 10, "1,8,9"},
		{"1,12,3", 10, "1"},
		{"5,1", 10, "1,5"},
		{"", 10, ""},
		{"1,2", 0, ""},
	}
	for _, c := range cases {
		if got := ParseLenient(c.in, c.limit).String(); got != c.want {
			t.Errorf("ParseLenient(%q, %d) = %q, want %q", c.in, c.limit, got, c.want)
		}
	}
}

func TestSetOperations(t *testing.T) {
	a := FromIndexes(1, 2, 3, 7, 8, 20)
	b := FromIntervals(Interval{3, 9}, Interval{15, 16})
	check := func(name string, got Set, want string) {
		t.Helper()
		if got.String() != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	check("union", a.Union(b), "1-9,15,16,20")
	check("intersect", a.Intersect(b), "3,7,8")
	check("difference", a.Difference(b), "1,2,20")
	check("difference reversed", b.Difference(a), "4-6,9,15,16")
	check("complement", a.Complement(10), "0,4-6,9")
	check("complement of nothing", Set{}.Complement(3), "0-2")
	check("complement to 0", a.Complement(0), "")
	check("truncate", a.Truncate(8), "1-3,7")
	check("two runs of two", FromIndexes(0, 1, 5, 6), "0,1,5,6")
	check("range", Range(4, 2), "")
	if a.Count() != 6 || b.Count() != 9 || (Set{}).Count() != 0 {
		t.Errorf("counts %d %d", a.Count(), b.Count())
	}
	if lo, _ := a.Min(); lo != 1 {
		t.Error("Min")
	}
	if hi, _ := a.Max(); hi != 20 {
		t.Error("Max")
	}
	if _, ok := (Set{}).Min(); ok {
		t.Error("Min of empty")
	}
	if got := a.First(4); !cmp.Equal(got, []int{1, 2, 3, 7}) {
		t.Errorf("First(4) = %v", got)
	}
	ivs := a.Intervals()
	ivs[0].First = 100
	if a.String() != "1-3,7,8,20" {
		t.Error("Intervals must return a copy")
	}
}

// model is the obvious implementation the interval set must agree with.
type model map[int]bool

func (m model) sorted() []int {
	var out []int
	for x := range m {
		out = append(out, x)
	}
	sort.Ints(out)
	return out
}

func genIndexes(t *rapid.T, name string) []int {
	return rapid.SliceOfN(rapid.IntRange(0, 60), 0, 30).Draw(t, name)
}

func toModel(xs []int) model {
	m := model{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func TestAgainstModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		xs, ys := genIndexes(t, "a"), genIndexes(t, "b")
		a, b := FromIndexes(xs...), FromIndexes(ys...)
		ma, mb := toModel(xs), toModel(ys)
		n := rapid.IntRange(0, 70).Draw(t, "n")

		union, inter, diff, comp := model{}, model{}, model{}, model{}
		for x := range ma {
			union[x] = true
			if mb[x] {
				inter[x] = true
			} else {
				diff[x] = true
			}
		}
		for x := range mb {
			union[x] = true
		}
		for x := 0; x < n; x++ {
			if !ma[x] {
				comp[x] = true
			}
		}
		for name, pair := range map[string]struct {
			got  Set
			want model
		}{"union": {a.Union(b), union}, "intersect": {a.Intersect(b), inter}, "difference": {a.Difference(b), diff}, "complement": {a.Complement(n), comp}} {
			if diff := cmp.Diff(pair.want.sorted(), pair.got.First(1000), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("%s differs from the model (-want +got):\n%s", name, diff)
			}
			if pair.got.Count() != len(pair.want) {
				t.Fatalf("%s count %d, want %d", name, pair.got.Count(), len(pair.want))
			}
		}
		for x := -1; x <= 61; x++ {
			if a.Contains(x) != ma[x] {
				t.Fatalf("Contains(%d) = %v", x, a.Contains(x))
			}
		}
		// The text form round-trips through the strict parser, and intervals
		// are never adjacent (always in the canonical, shortest form).
		back, err := Parse(a.String(), -1)
		if err != nil || !back.Equal(a) {
			t.Fatalf("round trip of %q: %q, %v", a, back, err)
		}
		ivs := a.Intervals()
		for i := 1; i < len(ivs); i++ {
			if ivs[i].First <= ivs[i-1].Last+1 {
				t.Fatalf("intervals %v and %v should have been merged", ivs[i-1], ivs[i])
			}
		}
		if !a.Union(b).Equal(b.Union(a)) {
			t.Fatal("union is not commutative")
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add("1,3-5,7", 10)
	f.Add("0-99999", 100000)
	f.Add("5,1", -1)
	f.Add("1--2,,", 3)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		set, err := Parse(s, limit)
		if err == nil {
			if set.String() != "" && strings.Contains(s, " ") {
				t.Fatalf("accepted spaces in %q", s)
			}
			again, err := Parse(set.String(), limit)
			if err != nil || !again.Equal(set) {
				t.Fatalf("%q parsed to %q which does not parse back: %v", s, set, err)
			}
			if hi, ok := set.Max(); ok && limit >= 0 && hi >= limit {
				t.Fatalf("index %d not below the limit %d", hi, limit)
			}
		}
		lenient := ParseLenient(s, limit)
		if hi, ok := lenient.Max(); ok && hi >= limit {
			t.Fatalf("lenient parse kept %d ≥ %d", hi, limit)
		}
		if err == nil && limit > 0 && !lenient.Equal(set) {
			t.Fatalf("strict %q and lenient %q disagree on valid input %q", set, lenient, s)
		}
	})
}

// A 100,000-completion indexed job: every other index done, which is the
// worst case for the interval form (50,000 intervals).
func BenchmarkUnionAndString100k(b *testing.B) {
	var evens, odds []int
	for i := 0; i < 100000; i++ {
		if i%2 == 0 {
			evens = append(evens, i)
		} else if i%4 == 1 {
			odds = append(odds, i)
		}
	}
	a, c := FromIndexes(evens...), FromIndexes(odds...)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		u := a.Union(c)
		_ = u.Count()
		_ = u.Contains(99999)
		_ = u.String()
	}
}

func BenchmarkParse100k(b *testing.B) {
	var xs []int
	for i := 0; i < 100000; i += 2 {
		xs = append(xs, i)
	}
	s := FromIndexes(xs...).String()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(s, 100000); err != nil {
			b.Fatal(err)
		}
	}
}
