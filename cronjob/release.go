package cronjob

import "github.com/purectl/purectl/api"

// Release names the Kubernetes release to follow, and optionally single
// feature gates to override; the zero value is the newest supported release
// (api.Newest). See api.Release.
type Release = api.Release
