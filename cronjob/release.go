package cronjob

import (
	"sync"
	"sync/atomic"

	"github.com/purectl/purectl/api"
	"github.com/purectl/purectl/internal/field"
)

// Release names the Kubernetes release to follow, and optionally single
// feature gates to override; the zero value is the newest supported release
// (api.Newest). See api.Release.
type Release = api.Release

// checkRelease is field.CheckRelease, memoised for a usable release without
// gate overrides: its check then depends on the version string alone, and
// checking every gate's dependencies costs more than the rest of a pass.
// Only success is remembered (an error is built afresh for each caller),
// for at most maxCheckedReleases version strings.
func checkRelease(r Release) error {
	if len(r.FeatureGates) != 0 {
		return field.CheckRelease(r)
	}
	if _, ok := checkedReleases.Load(r.Version); ok {
		return nil
	}
	err := field.CheckRelease(r)
	if err == nil && checkedCount.Add(1) <= maxCheckedReleases {
		checkedReleases.Store(r.Version, true)
	}
	return err
}

var (
	checkedReleases sync.Map // Version -> true: usable
	checkedCount    atomic.Int64
)

const maxCheckedReleases = 64

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
