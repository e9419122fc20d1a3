// Package manifest reads multi-document Kubernetes YAML into typed k8s.io/api
// objects, strictly: an unknown field or a wrong type is an error that names
// the document and the field. A document of a kind this package does not
// decode is returned with a nil Obj, so that a caller can say it skips it.
package manifest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"reflect"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"sigs.k8s.io/yaml"
)

// Object is one decoded document.
type Object struct {
	Index      int    // 1-based position in the stream
	APIVersion string // e.g. apps/v1
	Kind       string // e.g. DaemonSet
	Name       string
	Obj        any    // *appsv1.DaemonSet, *v1.Node, ...; nil for a kind not decoded here
	Source     string // the file the document came from, when the caller sets it
}

// What each supported apiVersion/kind decodes into.
var kinds = map[string]func() any{
	"apps/v1/DaemonSet":                       func() any { return &appsv1.DaemonSet{} },
	"apps/v1/StatefulSet":                     func() any { return &appsv1.StatefulSet{} },
	"batch/v1/Job":                            func() any { return &batchv1.Job{} },
	"batch/v1/CronJob":                        func() any { return &batchv1.CronJob{} },
	"v1/PersistentVolume":                     func() any { return &v1.PersistentVolume{} },
	"v1/PersistentVolumeClaim":                func() any { return &v1.PersistentVolumeClaim{} },
	"v1/Node":                                 func() any { return &v1.Node{} },
	"v1/Pod":                                  func() any { return &v1.Pod{} },
	"storage.k8s.io/v1/StorageClass":          func() any { return &storagev1.StorageClass{} },
	"v1/Service":                              func() any { return &v1.Service{} },
	"v1/ConfigMap":                            func() any { return &v1.ConfigMap{} },
	"v1/Namespace":                            func() any { return &v1.Namespace{} },
	"apps/v1/ControllerRevision":              func() any { return &appsv1.ControllerRevision{} },
	"storage.k8s.io/v1/VolumeAttributesClass": func() any { return &storagev1.VolumeAttributesClass{} },
}

// Read decodes every document of r. Empty documents are skipped; a List's
// items are read as documents of their own.
func Read(r io.Reader) ([]Object, error) {
	docs, err := split(r)
	if err != nil {
		return nil, err
	}
	var out []Object
	for i, doc := range docs {
		objs, err := decode(i+1, doc)
		if err != nil {
			return nil, err
		}
		out = append(out, objs...)
	}
	return out, nil
}

type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Items []any `json:"items"`
}

func decode(index int, doc []byte) ([]Object, error) {
	var h header
	if err := yaml.Unmarshal(doc, &h); err != nil {
		return nil, fmt.Errorf("document %d: not valid YAML: %v", index, err)
	}
	if h.APIVersion == "" && h.Kind == "" {
		if len(bytes.TrimSpace(stripComments(doc))) == 0 || string(bytes.TrimSpace(doc)) == "null" {
			return nil, nil
		}
		return nil, fmt.Errorf("document %d: apiVersion and kind are required", index)
	}
	where := fmt.Sprintf("document %d (%s %q)", index, h.Kind, h.Metadata.Name)
	if h.Kind == "List" || strings.HasSuffix(h.Kind, "List") && h.Items != nil {
		var out []Object
		for j, item := range h.Items {
			b, err := yaml.Marshal(item)
			if err != nil {
				return nil, fmt.Errorf("%s, item %d: %v", where, j, err)
			}
			objs, err := decode(index, b)
			if err != nil {
				return nil, fmt.Errorf("%s, item %d: %w", where, j, err)
			}
			out = append(out, objs...)
		}
		return out, nil
	}
	mk, ok := kinds[h.APIVersion+"/"+h.Kind]
	if !ok {
		return []Object{{Index: index, APIVersion: h.APIVersion, Kind: h.Kind, Name: h.Metadata.Name}}, nil
	}
	obj := mk()
	if err := yaml.UnmarshalStrict(doc, obj); err != nil {
		// Name the whole path of an unknown field, which the decoder does not.
		var generic any
		if yaml.Unmarshal(doc, &generic) == nil {
			if p := unknownField(generic, reflect.TypeOf(obj), ""); p != "" {
				return nil, fmt.Errorf("%s: unknown field %q", where, p)
			}
		}
		return nil, fmt.Errorf("%s: %s", where, cleanError(err))
	}
	return []Object{{Index: index, APIVersion: h.APIVersion, Kind: h.Kind, Name: h.Metadata.Name, Obj: obj}}, nil
}

// cleanError drops the decoder's wrapping so the field name stands out.
func cleanError(err error) string {
	s := err.Error()
	for _, p := range []string{"error unmarshaling JSON: ", "while decoding JSON: ", "json: "} {
		s = strings.ReplaceAll(s, p, "")
	}
	return s
}

func stripComments(doc []byte) []byte {
	var b bytes.Buffer
	for _, line := range bytes.Split(doc, []byte("\n")) {
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' {
			b.Write(line)
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// split cuts a stream at lines that are "---" (optionally followed by a
// space and anything).
func split(r io.Reader) ([][]byte, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	var docs [][]byte
	var cur bytes.Buffer
	for sc.Scan() {
		line := sc.Text()
		if line == "---" || strings.HasPrefix(line, "--- ") {
			docs = append(docs, append([]byte(nil), cur.Bytes()...))
			cur.Reset()
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	docs = append(docs, append([]byte(nil), cur.Bytes()...))
	return docs, nil
}
