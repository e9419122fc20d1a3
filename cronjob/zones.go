package cronjob

import (
	"sync"
	"time"
)

// zones memoises time.LoadLocation by zone name, successes only.
//
// Reading the tz database is most of a pass's cost (Kubernetes reads it up
// to four times a pass). A *time.Location is immutable once loaded, and
// loading a name gives the same zone every time as long as the tz database
// on disk is unchanged, so answering a name from the memo is the same as
// loading it again: results do not depend on which passes ran before. Two
// things a memo could change are kept out: a failed load is not
// remembered (a zone installed later is found on the next pass), and a
// caller that must see tz database updates inside a running process, or
// that wants its own zones, passes Options.LoadLocation, which bypasses
// the memo.
var zones sync.Map // string -> *time.Location

// loadZone is time.LoadLocation through the memo.
func loadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}
