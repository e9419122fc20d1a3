package cronjob

import (
	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/field"
)

// Release names the Kubernetes release to follow, and optionally single
// feature gates to override; the zero value is the newest supported release
// (api.Newest). See api.Release.
type Release = api.Release

// checkRelease is the entry points' refusal of an unusable release.
func checkRelease(r Release) error { return field.CheckRelease(r) }

// minor is a release resolved once per call to its minor version (37 for
// "1.37"), so that the checks a pass makes on it are integer comparisons;
// an unsupported release, which entry points refuse first, counts as the
// newest, as Release.AtLeast counts it.
type minor int

func minorOf(r Release) minor {
	if m, ok := r.Minor(); ok {
		return minor(m)
	}
	m, _ := Release{}.Minor()
	return minor(m)
}

// since reports whether the release is 1.<m> or newer.
func (v minor) since(m int) bool { return int(v) >= m }
