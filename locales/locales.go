// Package locales holds every sentence Faro says, one TOML file per language
// (es.toml is the reference), embedded in the binary and rendered with go-i18n.
package locales

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed *.toml
var embedded embed.FS

// Embedded returns the locale files compiled into the binary.
func Embedded() fs.FS { return embedded }

// Reference is the language every other locale is compared with, and the fallback.
const Reference = "es"

// Catalog is the loaded locales. It is immutable after Load and safe for concurrent use.
type Catalog struct {
	langs  []string                     // Reference first, then the others sorted
	raw    map[string]map[string]string // lang -> key -> text
	locs   map[string]*i18n.Localizer
	bundle *i18n.Bundle
}

// Default loads the embedded locales.
func Default() (*Catalog, error) { return Load(embedded) }

// Load reads every <lang>.toml of fsys. Each file is a flat table of quoted keys and
// string values ("menu.title" = "…"); anything else is an error.
func Load(fsys fs.FS) (*Catalog, error) {
	names, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, fmt.Errorf("list locales: %w", err)
	}
	c := &Catalog{
		raw:    map[string]map[string]string{},
		locs:   map[string]*i18n.Localizer{},
		bundle: i18n.NewBundle(language.Spanish),
	}
	c.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, name := range names {
		lang := strings.TrimSuffix(path.Base(name), ".toml")
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read locale %s: %w", name, err)
		}
		texts, err := parseFlat(data)
		if err != nil {
			return nil, fmt.Errorf("locale %s: %w", name, err)
		}
		if _, err := c.bundle.ParseMessageFileBytes(data, lang+".toml"); err != nil {
			return nil, fmt.Errorf("locale %s: %w", name, err)
		}
		c.raw[lang] = texts
		c.langs = append(c.langs, lang)
	}
	if _, ok := c.raw[Reference]; !ok {
		return nil, fmt.Errorf("no %s.toml: the reference locale is missing", Reference)
	}
	sort.Slice(c.langs, func(i, j int) bool {
		if (c.langs[i] == Reference) != (c.langs[j] == Reference) {
			return c.langs[i] == Reference
		}
		return c.langs[i] < c.langs[j]
	})
	for _, l := range c.langs {
		c.locs[l] = i18n.NewLocalizer(c.bundle, l)
	}
	return c, nil
}

// reserved are the field names go-i18n reads as parts of a message, not as keys.
var reserved = map[string]bool{"id": true, "description": true, "hash": true, "leftdelim": true,
	"rightdelim": true, "zero": true, "one": true, "two": true, "few": true, "many": true, "other": true}

func parseFlat(data []byte) (map[string]string, error) {
	var m map[string]any
	if err := toml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("parse toml: %w", err)
	}
	out := make(map[string]string, len(m))
	var errs []error
	for k, v := range m {
		s, ok := v.(string)
		if !ok {
			errs = append(errs, fmt.Errorf("key %q: want a string, got %T (write keys quoted and flat)", k, v))
			continue
		}
		if last := k[strings.LastIndex(k, ".")+1:]; reserved[strings.ToLower(last)] || reserved[strings.ToLower(k)] {
			errs = append(errs, fmt.Errorf("key %q: a key may not end in %q (go-i18n reads it as a plural form)", k, last))
			continue
		}
		out[k] = s
	}
	return out, errors.Join(errs...)
}

// Langs lists the languages, the reference first.
func (c *Catalog) Langs() []string { return c.langs }

// Has tells whether lang has key.
func (c *Catalog) Has(lang, key string) bool {
	_, ok := c.raw[lang][key]
	return ok
}

// Raw returns the text of key in lang as written, untemplated ("" if missing).
func (c *Catalog) Raw(lang, key string) string { return c.raw[lang][key] }

// Keys lists the keys of lang, sorted.
func (c *Catalog) Keys(lang string) []string {
	keys := make([]string, 0, len(c.raw[lang]))
	for k := range c.raw[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Text renders key in lang with template data. A key missing in lang falls back to
// the reference language; a key missing everywhere renders as the key itself, so a
// content bug shows up in tests and never crashes a conversation.
func (c *Catalog) Text(lang, key string, data any) string {
	// Most texts are not templates: say them as written, without go-i18n's work.
	if s, ok := c.raw[lang][key]; ok && !strings.Contains(s, "{{") {
		return s
	}
	loc := c.locs[lang]
	if loc == nil {
		loc = c.locs[Reference]
	}
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: data})
	if err != nil && s == "" {
		return key
	}
	return s
}

// Render is Text with the error: a missing key, a template that does not parse or
// execute, or a template field the data lacks ("<no value>"). For checks and tests.
func (c *Catalog) Render(lang, key string, data any) (string, error) {
	loc := c.locs[lang]
	if loc == nil {
		return "", fmt.Errorf("no locale %q", lang)
	}
	if !c.Has(lang, key) {
		return "", fmt.Errorf("%s: key %q is missing", lang, key)
	}
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: data})
	if err != nil {
		return s, fmt.Errorf("%s: key %q: %w", lang, key, err)
	}
	if strings.Contains(s, "<no value>") {
		return s, fmt.Errorf("%s: key %q uses a template field the data does not have", lang, key)
	}
	return s, nil
}
