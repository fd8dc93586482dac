package directory

import (
	"bytes"
	"io/fs"
	"sort"
	"time"
)

// Overlay returns base with more top-level files, by name (replacing files of the same
// name). faro directory import validates an imported file together with the rest of
// the data this way before writing it.
func Overlay(base fs.FS, files map[string][]byte) fs.FS {
	return overlayFS{base: base, files: files}
}

type overlayFS struct {
	base  fs.FS
	files map[string][]byte
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if content, ok := o.files[name]; ok {
		return &memFile{Reader: bytes.NewReader(content), name: name, size: int64(len(content))}, nil
	}
	return o.base.Open(name)
}

func (o overlayFS) ReadDir(name string) ([]fs.DirEntry, error) {
	des, err := fs.ReadDir(o.base, name)
	if err != nil || name != "." {
		return des, err
	}
	var out []fs.DirEntry
	for n, content := range o.files {
		out = append(out, fs.FileInfoToDirEntry(memInfo{n, int64(len(content))}))
	}
	for _, de := range des {
		if _, over := o.files[de.Name()]; !over {
			out = append(out, de)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return memInfo{f.name, f.size}, nil }
func (f *memFile) Close() error               { return nil }

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }
