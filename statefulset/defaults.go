package statefulset

import "github.com/purectl/purectl/api"

// Default returns set with the apps/v1 defaults the API server of release
// rel applies (SetDefaults_StatefulSet and the pod template's
// restartPolicy): podManagementPolicy OrderedReady; an empty strategy type
// becomes RollingUpdate with an empty rollingUpdate, and a rollingUpdate
// gets partition 0 (and, where the release enables
// MaxUnavailableStatefulSet, from 1.37 by default, maxUnavailable 1); an
// explicit RollingUpdate without rollingUpdate stays without one, as
// in Kubernetes; the claim retention policy Retain/Retain; replicas 1;
// revisionHistoryLimit 10; restartPolicy Always. set is not modified: the
// fields behind pointers are copied before they are filled in.
func Default(set Set, rel Release) Set {
	s := &set.Spec
	if s.PodManagementPolicy == "" {
		s.PodManagementPolicy = OrderedReady
	}
	if s.UpdateStrategy.Type == "" {
		s.UpdateStrategy.Type = RollingUpdate
		if s.UpdateStrategy.RollingUpdate == nil {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateStrategy{}
		}
	}
	if s.UpdateStrategy.Type == RollingUpdate && s.UpdateStrategy.RollingUpdate != nil {
		ru := *s.UpdateStrategy.RollingUpdate
		if ru.Partition == nil {
			zero := int32(0)
			ru.Partition = &zero
		}
		if rel.Enabled(api.MaxUnavailableStatefulSet) && ru.MaxUnavailable == nil {
			one := IntOrString{IntVal: 1}
			ru.MaxUnavailable = &one
		}
		s.UpdateStrategy.RollingUpdate = &ru
	}
	rp := RetentionPolicy{}
	if s.PersistentVolumeClaimRetentionPolicy != nil {
		rp = *s.PersistentVolumeClaimRetentionPolicy
	}
	if rp.WhenDeleted == "" {
		rp.WhenDeleted = Retain
	}
	if rp.WhenScaled == "" {
		rp.WhenScaled = Retain
	}
	s.PersistentVolumeClaimRetentionPolicy = &rp
	if s.Replicas == nil {
		one := int32(1)
		s.Replicas = &one
	}
	if s.RevisionHistoryLimit == nil {
		ten := int32(10)
		s.RevisionHistoryLimit = &ten
	}
	if s.Template.RestartPolicy == "" {
		s.Template.RestartPolicy = "Always"
	}
	return set
}
