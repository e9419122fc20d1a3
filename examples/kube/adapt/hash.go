package adapt

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/dump"
	"k8s.io/apimachinery/pkg/util/rand"
)

// TemplateHash is the controller-revision-hash Kubernetes gives a pod
// template: FNV-32a of the template's hash dump, salted with the collision
// count when there is one, in the API's safe alphabet. The API server
// defaults templates before the controller hashes them, so the hash of a
// template read from a file matches a cluster's only once defaulted alike.
func TemplateHash(t *v1.PodTemplateSpec, collisionCount *int32) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%v", dump.ForHash(*t))
	if collisionCount != nil {
		b := make([]byte, 8)
		binary.LittleEndian.PutUint32(b, uint32(*collisionCount))
		h.Write(b)
	}
	return rand.SafeEncodeString(fmt.Sprint(h.Sum32()))
}
