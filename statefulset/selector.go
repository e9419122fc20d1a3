package statefulset

import (
	"slices"

	"github.com/purectl/purectl/internal/labels"
)

// compiledSelector is a label selector with its matchLabels in a slice, so
// matching thousands of pods does not iterate a map each time.
type compiledSelector struct {
	sel   *labels.Selector
	pairs [][2]string
}

func compileSelector(s *labels.Selector) compiledSelector {
	c := compiledSelector{sel: s}
	if s == nil {
		return c
	}
	for k, v := range s.MatchLabels {
		c.pairs = append(c.pairs, [2]string{k, v})
	}
	slices.SortFunc(c.pairs, func(a, b [2]string) int {
		if a[0] < b[0] {
			return -1
		}
		if a[0] > b[0] {
			return 1
		}
		return 0
	})
	return c
}

// matches is labels.Selector.Matches without the map iteration.
func (c *compiledSelector) matches(m map[string]string) bool {
	if c.sel == nil {
		return false
	}
	for _, kv := range c.pairs {
		if v, ok := m[kv[0]]; !ok || v != kv[1] {
			return false
		}
	}
	for i := range c.sel.MatchExpressions {
		if !c.sel.MatchExpressions[i].Matches(m) {
			return false
		}
	}
	return true
}
