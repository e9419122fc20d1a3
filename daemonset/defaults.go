package daemonset

// Default returns ds with the apps/v1 defaults the API server applies
// (SetDefaults_DaemonSet and the pod template's restartPolicy): strategy
// RollingUpdate, and for it maxUnavailable 1 and maxSurge 0 where unset;
// revisionHistoryLimit 10; restartPolicy Always. ds is not modified (the
// strategy parameters are copied before they are filled in). The DaemonSet
// defaults are the same in every supported release; rel is taken so that
// every package's Default has one signature.
func Default(ds DaemonSet, rel Release) DaemonSet {
	s := &ds.Spec
	if s.UpdateStrategy.Type == "" {
		s.UpdateStrategy.Type = RollingUpdate
	}
	if s.UpdateStrategy.Type == RollingUpdate {
		ru := RollingUpdateParams{}
		if s.UpdateStrategy.RollingUpdate != nil {
			ru = *s.UpdateStrategy.RollingUpdate
		}
		if ru.MaxUnavailable == nil {
			one := FromInt(1)
			ru.MaxUnavailable = &one
		}
		if ru.MaxSurge == nil {
			zero := FromInt(0)
			ru.MaxSurge = &zero
		}
		s.UpdateStrategy.RollingUpdate = &ru
	}
	if s.RevisionHistoryLimit == nil {
		ten := int32(10)
		s.RevisionHistoryLimit = &ten
	}
	if s.Template.RestartPolicy == "" {
		s.Template.RestartPolicy = RestartAlways
	}
	return ds
}
