package daemonset

import "sort"

// pairs is a label map flattened once per pass: iterating a Go map costs a
// random seed and an iterator per call, which dominates a pass over
// thousands of nodes.
type pairs []struct{ k, v string }

func flatten(m map[string]string) pairs {
	if len(m) == 0 {
		return nil
	}
	out := make(pairs, 0, len(m))
	for k, v := range m {
		out = append(out, struct{ k, v string }{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].k < out[j].k })
	return out
}

// subsetOf reports whether every pair is in m.
func (ps pairs) subsetOf(m map[string]string) bool {
	for i := range ps {
		if got, ok := m[ps[i].k]; !ok || got != ps[i].v {
			return false
		}
	}
	return true
}

// podSelector is the DaemonSet's label selector compiled for many pods.
type podSelector struct {
	sel    *LabelSelector
	labels pairs
}

func compileSelector(s *LabelSelector) podSelector {
	if s == nil {
		return podSelector{}
	}
	return podSelector{sel: s, labels: flatten(s.MatchLabels)}
}

func (s *podSelector) matches(m map[string]string) bool {
	if s.sel == nil {
		return false
	}
	if !s.labels.subsetOf(m) {
		return false
	}
	for i := range s.sel.MatchExpressions {
		if !s.sel.MatchExpressions[i].Matches(m) {
			return false
		}
	}
	return true
}
