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
)

//go:embed *.toml review/*.toml
var embedded embed.FS

// Embedded returns the locale files compiled into the binary.
func Embedded() fs.FS { return embedded }

// Reference is the language every other locale is compared with, and the fallback.
const Reference = "es"

// Catalog is the loaded locales. It is immutable after Load and safe for concurrent use.
type Catalog struct {
	langs   []string                     // Reference first, then the others sorted
	all     []string                     // every loaded language, as langs
	raw     map[string]map[string]string // lang -> key -> text
	tmpl    map[string]map[string]*i18n.MessageTemplate
	reviews map[string]Review // lang -> its review record (the reference has none)
}

// otherForm is the one plural form a Faro message has. Keys are flat (parseFlat rejects
// plural forms), so a message is always go-i18n's "other" form, and no plural rule is
// consulted: a language CLDR gives none for, such as Quechua (qu) or Aymara (ay), loads
// and renders like any other.
const otherForm = "other"

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
		raw:     map[string]map[string]string{},
		tmpl:    map[string]map[string]*i18n.MessageTemplate{},
		reviews: map[string]Review{},
	}
	var errs []error
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
		tm := make(map[string]*i18n.MessageTemplate, len(texts))
		for k, v := range texts {
			if !strings.Contains(v, "{{") {
				continue
			}
			tm[k] = i18n.NewMessageTemplate(&i18n.Message{ID: k, Other: v})
		}
		c.raw[lang] = texts
		c.tmpl[lang] = tm
		c.all = append(c.all, lang)
		if lang == Reference {
			continue
		}
		r, err := readReview(fsys, lang)
		if err != nil {
			errs = append(errs, err)
		}
		c.reviews[lang] = r
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if _, ok := c.raw[Reference]; !ok {
		return nil, fmt.Errorf("no %s.toml: the reference locale is missing", Reference)
	}
	sortLangs(c.all)
	c.langs = c.all
	return c, nil
}

// sortLangs puts the reference first and the others in order.
func sortLangs(langs []string) {
	sort.Slice(langs, func(i, j int) bool {
		if (langs[i] == Reference) != (langs[j] == Reference) {
			return langs[i] == Reference
		}
		return langs[i] < langs[j]
	})
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

// Langs lists the languages in use, the reference first: every loaded one, or those
// chosen with Only.
func (c *Catalog) Langs() []string { return c.langs }

// All lists every loaded language, the reference first, in use or not.
func (c *Catalog) All() []string { return c.all }

// Only returns the catalog restricted to langs (the reference is always kept): the
// others are loaded, checked and listed by All, but Langs leaves them out, so the
// engine does not offer them. An unknown language is an error.
func (c *Catalog) Only(langs []string) (*Catalog, error) {
	keep := map[string]bool{Reference: true}
	for _, l := range langs {
		if _, ok := c.raw[l]; !ok {
			return nil, fmt.Errorf("no locale %q (have %s)", l, strings.Join(c.all, ", "))
		}
		keep[l] = true
	}
	out := *c
	out.langs = nil
	for _, l := range c.all {
		if keep[l] {
			out.langs = append(out.langs, l)
		}
	}
	return &out, nil
}

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
// the reference language (a draft locale may lack the newest keys; faro check lists
// them); a key missing everywhere renders as the key itself, so a content bug shows up
// in tests and never crashes a conversation.
func (c *Catalog) Text(lang, key string, data any) string {
	if _, ok := c.raw[lang][key]; !ok {
		lang = Reference
	}
	s, ok := c.raw[lang][key]
	if !ok {
		return key
	}
	mt := c.tmpl[lang][key]
	if mt == nil { // most texts are not templates: said as written
		return s
	}
	out, err := mt.Execute(otherForm, data, nil)
	if err != nil && out == "" {
		return key
	}
	return out
}

// Render is Text with the error: a missing key, a template that does not parse or
// execute, or a template field the data lacks ("<no value>"). For checks and tests.
func (c *Catalog) Render(lang, key string, data any) (string, error) {
	if _, ok := c.raw[lang]; !ok {
		return "", fmt.Errorf("no locale %q", lang)
	}
	s, ok := c.raw[lang][key]
	if !ok {
		return "", fmt.Errorf("%s: key %q is missing", lang, key)
	}
	if mt := c.tmpl[lang][key]; mt != nil {
		out, err := mt.Execute(otherForm, data, nil)
		if err != nil {
			return out, fmt.Errorf("%s: key %q: %w", lang, key, err)
		}
		s = out
	}
	if strings.Contains(s, "<no value>") {
		return s, fmt.Errorf("%s: key %q uses a template field the data does not have", lang, key)
	}
	return s, nil
}
