// Package app assembles Faro's content — the flow, the locales and the directory — into
// a running engine, from the embedded defaults or from folders that override them.
package content

import (
	"fmt"
	"io/fs"
	"os"

	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/locales"
)

// Sources says where content comes from; an empty field means the embedded default.
type Sources struct {
	FlowsDir     string // folder with main.yaml
	LocalesDir   string // folder with es.toml, en.toml, ...
	DirectoryDir string // folder with the directory's data files
	// Enabled names the draft locales to offer besides the reviewed ones ("all" for
	// every one); see locales.Catalog.Enabled.
	Enabled []string
}

// Content is the loaded content and the engine built from it.
type Content struct {
	Flow      *flows.Flow
	Texts     *locales.Catalog
	Directory *directory.Directory
	Engine    *flows.Engine
}

// FlowFS returns the folder the flow is read from.
func (s Sources) FlowFS() fs.FS {
	if s.FlowsDir != "" {
		return os.DirFS(s.FlowsDir)
	}
	return flows.Embedded()
}

// LocalesFS returns the folder the locales are read from.
func (s Sources) LocalesFS() fs.FS {
	if s.LocalesDir != "" {
		return os.DirFS(s.LocalesDir)
	}
	return locales.Embedded()
}

// Load loads and validates everything and builds the engine. Content that does not
// validate is an error here: Faro does not start on a broken flow.
func Load(s Sources) (*Content, error) {
	f, err := flows.Load(s.FlowFS(), flows.DefaultFile)
	if err != nil {
		return nil, err
	}
	texts, err := locales.Load(s.LocalesFS())
	if err != nil {
		return nil, fmt.Errorf("load locales: %w", err)
	}
	if texts, err = texts.Enabled(s.Enabled); err != nil {
		return nil, fmt.Errorf("enable locales: %w", err)
	}
	var dir *directory.Directory
	if s.DirectoryDir != "" {
		dir, err = directory.Load(os.DirFS(s.DirectoryDir))
	} else {
		dir, err = directory.Default()
	}
	if err != nil {
		return nil, fmt.Errorf("load directory: %w", err)
	}
	e, err := flows.New(f, texts, dir)
	if err != nil {
		return nil, err
	}
	return &Content{Flow: f, Texts: texts, Directory: dir, Engine: e}, nil
}
