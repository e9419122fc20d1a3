// Package indexset implements sets of non-negative indexes kept as sorted,
// disjoint intervals, in the text form Indexed Jobs use for completedIndexes
// and failedIndexes: "1,3-5,7". Operations cost O(intervals), not O(indexes).
package indexset

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Interval is the indexes First..Last, both included.
type Interval struct {
	First, Last int
}

// Set is a set of non-negative indexes. The zero value is the empty set. A Set
// is a value: operations return new sets and never change their operands.
type Set struct {
	iv []Interval // sorted, disjoint and not adjacent
}

// FromIntervals builds a set from intervals in any order; overlapping and
// adjacent ones are merged and intervals with First > Last or a negative
// bound are dropped.
func FromIntervals(ivs ...Interval) Set {
	cp := make([]Interval, 0, len(ivs))
	for _, iv := range ivs {
		if iv.First <= iv.Last && iv.First >= 0 {
			cp = append(cp, iv)
		}
	}
	sort.Slice(cp, func(i, j int) bool { return cp[i].First < cp[j].First })
	return Set{iv: mergeSorted(cp)}
}

// FromIndexes builds a set from indexes in any order; negative ones are dropped.
func FromIndexes(xs ...int) Set {
	cp := make([]int, 0, len(xs))
	for _, x := range xs {
		if x >= 0 {
			cp = append(cp, x)
		}
	}
	sort.Ints(cp)
	var out []Interval
	for _, x := range cp {
		if n := len(out); n > 0 && x <= out[n-1].Last+1 {
			out[n-1].Last = max(out[n-1].Last, x)
			continue
		}
		out = append(out, Interval{x, x})
	}
	return Set{iv: out}
}

// mergeSorted merges intervals sorted by First in place.
func mergeSorted(ivs []Interval) []Interval {
	out := ivs[:0]
	for _, iv := range ivs {
		if n := len(out); n > 0 && iv.First <= out[n-1].Last+1 {
			out[n-1].Last = max(out[n-1].Last, iv.Last)
			continue
		}
		out = append(out, iv)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Range returns the set first..last, or the empty set when last < first.
func Range(first, last int) Set { return FromIntervals(Interval{first, last}) }

// Intervals returns a copy of the set's intervals in increasing order.
func (s Set) Intervals() []Interval { return append([]Interval(nil), s.iv...) }

// Len returns the number of intervals.
func (s Set) Len() int { return len(s.iv) }

// IsEmpty reports whether the set has no index.
func (s Set) IsEmpty() bool { return len(s.iv) == 0 }

// Count returns the number of indexes in the set.
func (s Set) Count() int {
	n := 0
	for _, iv := range s.iv {
		n += iv.Last - iv.First + 1
	}
	return n
}

// Contains reports whether x is in the set, in O(log intervals).
func (s Set) Contains(x int) bool {
	i := sort.Search(len(s.iv), func(i int) bool { return s.iv[i].Last >= x })
	return i < len(s.iv) && s.iv[i].First <= x
}

// Min returns the smallest index, and false for the empty set.
func (s Set) Min() (int, bool) {
	if len(s.iv) == 0 {
		return 0, false
	}
	return s.iv[0].First, true
}

// Max returns the largest index, and false for the empty set.
func (s Set) Max() (int, bool) {
	if len(s.iv) == 0 {
		return 0, false
	}
	return s.iv[len(s.iv)-1].Last, true
}

// Union returns the indexes in s or o.
func (s Set) Union(o Set) Set {
	if len(o.iv) == 0 {
		return s
	}
	if len(s.iv) == 0 {
		return o
	}
	out := make([]Interval, 0, len(s.iv)+len(o.iv))
	i, j := 0, 0
	for i < len(s.iv) || j < len(o.iv) {
		var next Interval
		if j >= len(o.iv) || i < len(s.iv) && s.iv[i].First <= o.iv[j].First {
			next = s.iv[i]
			i++
		} else {
			next = o.iv[j]
			j++
		}
		if n := len(out); n > 0 && next.First <= out[n-1].Last+1 {
			out[n-1].Last = max(out[n-1].Last, next.Last)
			continue
		}
		out = append(out, next)
	}
	return Set{iv: out}
}

// Intersect returns the indexes in both s and o.
func (s Set) Intersect(o Set) Set {
	var out []Interval
	i, j := 0, 0
	for i < len(s.iv) && j < len(o.iv) {
		a, b := s.iv[i], o.iv[j]
		lo, hi := max(a.First, b.First), min(a.Last, b.Last)
		if lo <= hi {
			out = append(out, Interval{lo, hi})
		}
		if a.Last < b.Last {
			i++
		} else {
			j++
		}
	}
	return Set{iv: out}
}

// Difference returns the indexes in s but not in o.
func (s Set) Difference(o Set) Set {
	var out []Interval
	j := 0
	for _, a := range s.iv {
		cur := a.First
		for j < len(o.iv) && o.iv[j].Last < cur {
			j++
		}
		k := j
		for k < len(o.iv) && o.iv[k].First <= a.Last {
			if o.iv[k].First > cur {
				out = append(out, Interval{cur, o.iv[k].First - 1})
			}
			cur = max(cur, o.iv[k].Last+1)
			k++
		}
		if cur <= a.Last {
			out = append(out, Interval{cur, a.Last})
		}
	}
	return Set{iv: out}
}

// Complement returns the indexes in [0, n) that are not in s.
func (s Set) Complement(n int) Set {
	if n <= 0 {
		return Set{}
	}
	return Range(0, n-1).Difference(s)
}

// Truncate returns the indexes of s below n.
func (s Set) Truncate(n int) Set {
	if n <= 0 {
		return Set{}
	}
	return s.Intersect(Range(0, n-1))
}

// Equal reports whether s and o hold the same indexes.
func (s Set) Equal(o Set) bool {
	if len(s.iv) != len(o.iv) {
		return false
	}
	for i := range s.iv {
		if s.iv[i] != o.iv[i] {
			return false
		}
	}
	return true
}

// Each calls f for each index in increasing order until f returns false.
func (s Set) Each(f func(int) bool) {
	for _, iv := range s.iv {
		for x := iv.First; x <= iv.Last; x++ {
			if !f(x) {
				return
			}
			if x == iv.Last { // guards against overflow at the largest int
				break
			}
		}
	}
}

// First returns up to n smallest indexes of s in increasing order.
func (s Set) First(n int) []int {
	if n <= 0 {
		return nil
	}
	out := make([]int, 0, min(n, s.Count()))
	s.Each(func(x int) bool {
		out = append(out, x)
		return len(out) < n
	})
	return out
}

// String renders the set as "1,3-5,7" and the empty set as "". A run of two
// indexes is written "3,4", not "3-4", as the Job controller writes it
// (orderedIntervals.String in v1.34).
func (s Set) String() string {
	if len(s.iv) == 0 {
		return ""
	}
	buf := make([]byte, 0, len(s.iv)*12)
	for i, iv := range s.iv {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = strconv.AppendInt(buf, int64(iv.First), 10)
		if iv.Last > iv.First {
			if iv.Last == iv.First+1 {
				buf = append(buf, ',')
			} else {
				buf = append(buf, '-')
			}
			buf = strconv.AppendInt(buf, int64(iv.Last), 10)
		}
	}
	return string(buf)
}

// Parse reads the strict form the API server accepts for completedIndexes and
// failedIndexes: comma-separated indexes or "a-b" ranges with a ≤ b, in
// increasing order, not overlapping, each below limit (no bound when limit is
// negative). The empty string is the empty set. It scans the text once and
// allocates only the result.
func Parse(s string, limit int) (Set, error) {
	if s == "" {
		return Set{}, nil
	}
	out := make([]Interval, 0, strings.Count(s, ",")+1)
	prevLast := -1
	for start := 0; start <= len(s); {
		end := start + strings.IndexByte(s[start:], ',')
		if end < start {
			end = len(s)
		}
		part := s[start:end]
		start = end + 1
		iv, err := parseInterval(part)
		if err != nil {
			return Set{}, err
		}
		if iv.First <= prevLast {
			return Set{}, fmt.Errorf("%q: intervals must be in increasing order and must not overlap", part)
		}
		if limit >= 0 && iv.Last >= limit {
			return Set{}, fmt.Errorf("%q: index %d is not below the limit %d", part, iv.Last, limit)
		}
		prevLast = iv.Last
		if n := len(out); n > 0 && iv.First == out[n-1].Last+1 {
			out[n-1].Last = iv.Last
			continue
		}
		out = append(out, iv)
	}
	return Set{iv: out}, nil
}

func parseInterval(part string) (Interval, error) {
	a, b, isRange := strings.Cut(part, "-")
	first, ok := parseIndex(a)
	if !ok {
		return Interval{}, fmt.Errorf("%q: not a non-negative decimal index or range", part)
	}
	if !isRange {
		return Interval{first, first}, nil
	}
	last, ok := parseIndex(b)
	if !ok {
		return Interval{}, fmt.Errorf("%q: not a non-negative decimal index or range", part)
	}
	if last < first {
		return Interval{}, fmt.Errorf("%q: the range ends before it starts", part)
	}
	return Interval{first, last}, nil
}

// parseIndex accepts only plain decimal digits (no sign, no spaces) that fit
// in an int.
func parseIndex(s string) (int, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// ParseLenient reads the text the way the Job controller reads a stored
// status: malformed parts are skipped, parsing stops at the first index at or
// above limit, a range that crosses limit is cut at limit-1, and out-of-order
// parts are merged rather than rejected.
func ParseLenient(s string, limit int) Set {
	if s == "" || limit <= 0 {
		return Set{}
	}
	var ivs []Interval
	for part := range strings.SplitSeq(s, ",") {
		a, b, isRange := strings.Cut(part, "-")
		first, err := strconv.Atoi(a)
		if err != nil || first < 0 {
			continue
		}
		if first >= limit {
			break
		}
		last := first
		if isRange {
			last, err = strconv.Atoi(b)
			if err != nil {
				continue
			}
			last = min(last, limit-1)
		}
		ivs = append(ivs, Interval{first, last})
	}
	return FromIntervals(ivs...)
}
