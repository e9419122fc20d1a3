package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/purectl/purectl/statefulset"
)

func init() { register(20, "StatefulSet: ordered identities and their claims", statefulSetChapter) }

// stsWorld is a namespace in memory: it applies each plan like the API
// server would, and lets new pods start.
type stsWorld struct {
	w      io.Writer
	set    statefulset.Set
	pods   map[string]statefulset.Pod
	claims map[string]statefulset.Claim
	now    time.Time
	uids   int
}

func (s *stsWorld) uid(prefix string) string {
	s.uids++
	return fmt.Sprintf("%s-%d", prefix, s.uids)
}

// pass runs one controller pass and applies its actions; it returns false
// when there was nothing to do.
func (s *stsWorld) pass() (bool, error) {
	var pods []statefulset.Pod
	for _, p := range s.pods {
		pods = append(pods, p)
	}
	var claims []statefulset.Claim
	for _, c := range s.claims {
		claims = append(claims, c)
	}
	r, err := statefulset.NextStatefulAction(s.set, pods, claims, s.now, statefulset.Options{})
	if err != nil {
		return false, err
	}
	for _, a := range r.Actions {
		fmt.Fprintf(s.w, "  %-11s %-13s %s\n", a.Type, a.Reason, a.Message)
		switch a.Type {
		case statefulset.CreateClaim:
			s.claims[a.Claim] = statefulset.Claim{Name: a.Claim, Namespace: "shop", UID: s.uid("pvc"), OwnerRefs: a.NewClaim.OwnerRefs}
		case statefulset.CreatePod:
			labels := map[string]string{"app": "db"}
			for k, v := range a.NewPod.Labels {
				labels[k] = v
			}
			s.pods[a.Pod] = statefulset.Pod{Name: a.Pod, Namespace: "shop", UID: s.uid("pod"), ControllerUID: s.set.UID,
				Labels: labels, Phase: statefulset.PodPending, Volumes: a.NewPod.Volumes}
		case statefulset.DeletePod:
			delete(s.pods, a.Pod)
		}
	}
	if r.StatusChanged {
		s.set.Status = r.Status
	}
	// The kubelet starts what was created; a second later it is Ready.
	s.now = s.now.Add(time.Second)
	for name, p := range s.pods {
		if p.Phase == statefulset.PodPending {
			p.Phase, p.Ready, p.ReadySince = statefulset.PodRunning, true, s.now
			s.pods[name] = p
		}
	}
	if len(r.Actions) == 0 && r.Blocked != nil {
		fmt.Fprintf(s.w, "  waiting: %s (%s)\n", r.Blocked.Message, r.Blocked.Reason)
	}
	return len(r.Actions) > 0, nil
}

// settle runs passes until one has nothing to do.
func (s *stsWorld) settle() error {
	for i := 0; i < 50; i++ {
		did, err := s.pass()
		if err != nil || !did {
			return err
		}
	}
	return fmt.Errorf("statefulset %s did not settle", s.set.Name)
}

func (s *stsWorld) show() {
	var names []string
	for n := range s.pods {
		names = append(names, n)
	}
	sort.Strings(names)
	var parts []string
	for _, n := range names {
		p := s.pods[n]
		parts = append(parts, fmt.Sprintf("%s@%s[%s]", n, p.Labels[statefulset.RevisionLabel], p.Volumes[0].ClaimName))
	}
	st := s.set.Status
	fmt.Fprintf(s.w, "  pods: %s\n", strings.Join(parts, " "))
	fmt.Fprintf(s.w, "  status: replicas=%d ready=%d current=%d updated=%d currentRevision=%s updateRevision=%s\n",
		st.Replicas, st.ReadyReplicas, st.CurrentReplicas, st.UpdatedReplicas, st.CurrentRevision, st.UpdateRevision)
}

func (s *stsWorld) claimNames() string {
	var names []string
	for n := range s.claims {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

func statefulSetChapter(w io.Writer) error {
	replicas := int32(3)
	s := &stsWorld{w: w, pods: map[string]statefulset.Pod{}, claims: map[string]statefulset.Claim{},
		now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.set = statefulset.Set{
		Name: "db", Namespace: "shop", UID: "sts-1", Generation: 1,
		Spec: statefulset.Spec{
			Replicas:             &replicas,
			Selector:             &statefulset.LabelSelector{MatchLabels: map[string]string{"app": "db"}},
			Template:             statefulset.PodTemplate{Labels: map[string]string{"app": "db"}},
			ServiceName:          "db",
			VolumeClaimTemplates: []statefulset.ClaimTemplate{{Name: "data"}},
		},
		UpdateRevision: "db-v1",
	}

	fmt.Fprintln(w, "StatefulSet db, 3 replicas, OrderedReady, one claim template \"data\": each pass creates the")
	fmt.Fprintln(w, "lowest missing ordinal, its claim first, and waits for it to be Ready before the next.")
	if err := s.settle(); err != nil {
		return err
	}
	s.show()

	fmt.Fprintln(w, "\nScale to 5: db-3, then db-4.")
	replicas = 5
	s.set.Generation++
	if err := s.settle(); err != nil {
		return err
	}
	s.show()

	fmt.Fprintln(w, "\nNew template db-v2 with rollingUpdate.partition=3: only slots 3 and 4 move, highest first.")
	partition := int32(3)
	s.set.Generation++
	s.set.UpdateRevision = "db-v2"
	s.set.Spec.UpdateStrategy = statefulset.UpdateStrategy{Type: statefulset.RollingUpdate,
		RollingUpdate: &statefulset.RollingUpdateStrategy{Partition: &partition}}
	if err := s.settle(); err != nil {
		return err
	}
	s.show()

	fmt.Fprintln(w, "\nSomeone deletes pod db-0: it comes back with the same name and the same claim,")
	fmt.Fprintln(w, "at the current revision because slot 0 is below the partition.")
	before := s.claims["data-db-0"].UID
	delete(s.pods, "db-0")
	if err := s.settle(); err != nil {
		return err
	}
	s.show()
	fmt.Fprintf(w, "  claim data-db-0 reused: %v\n", s.claims["data-db-0"].UID == before)

	fmt.Fprintln(w, "\nDelete the StatefulSet: the controller only reports status; garbage collection removes")
	fmt.Fprintln(w, "the pods, and the claims stay (persistentVolumeClaimRetentionPolicy whenDeleted=Retain).")
	s.set.Deleting = true
	if _, err := s.pass(); err != nil {
		return err
	}
	for name, p := range s.pods {
		if p.ControllerUID == s.set.UID {
			delete(s.pods, name)
		}
	}
	fmt.Fprintf(w, "  pods left: %d; claims kept: %s\n", len(s.pods), s.claimNames())
	return nil
}
