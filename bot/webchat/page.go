package webchat

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"golang.org/x/text/language"
)

//go:embed static
var static embed.FS

// PageKeys are the locale keys of the page's sentences; every language has them
// (tested, and `faro check` keeps the locales complete against es.toml).
var PageKeys = []string{
	"webchat.title", "webchat.status", "webchat.operator", "webchat.placeholder", "webchat.send",
	"webchat.typing", "webchat.offline", "webchat.pick_district", "webchat.search_district",
	"webchat.close", "webchat.no_district", "webchat.retry", "webchat.noscript",
	"webchat.error.empty", "webchat.error.too_long", "webchat.error.invalid", "webchat.error.session",
	"webchat.error.busy", "webchat.error.slow", "webchat.error.network",
}

// asset is a static file, with its gzipped body and an ETag.
type asset struct {
	ctype string
	body  []byte
	gz    []byte
	etag  string
}

func newAsset(ctype string, body []byte) (*asset, error) {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("webchat: gzip: %w", err)
	}
	if _, err := zw.Write(body); err != nil {
		return nil, fmt.Errorf("webchat: gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("webchat: gzip: %w", err)
	}
	sum := sha256.Sum256(body)
	return &asset{ctype: ctype, body: body, gz: b.Bytes(), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}, nil
}

// serve writes the asset, gzipped when the browser takes it; cacheFor is its
// Cache-Control.
func (a *asset) serve(w http.ResponseWriter, r *http.Request, cacheFor string) {
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("Cache-Control", cacheFor)
	h.Set("ETag", a.etag)
	h.Add("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == a.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.body
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	_, _ = w.Write(body)
}

// loadAssets reads the script and the style.
func loadAssets() (map[string]*asset, error) {
	out := map[string]*asset{}
	for name, ctype := range map[string]string{"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"} {
		b, err := static.ReadFile("static/" + name)
		if err != nil {
			return nil, fmt.Errorf("webchat: %w", err)
		}
		a, err := newAsset(ctype, b)
		if err != nil {
			return nil, err
		}
		out[name] = a
	}
	return out, nil
}

// placesAsset is the district list as the page reads it: [[code, name, region], ...].
func placesAsset(places []Place) (*asset, error) {
	rows := make([][3]string, len(places))
	for i, p := range places {
		rows[i] = [3]string{p.Code, p.Name, p.Region}
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return nil, fmt.Errorf("webchat: places: %w", err)
	}
	return newAsset("application/json", b)
}

// pageRenderer renders the page in each language once.
type pageRenderer struct {
	langs   []string
	matcher language.Matcher
	pages   map[string]*asset
}

// pageData is what page.html gets.
type pageData struct {
	Lang    string
	T       map[string]string
	JS, CSS string
}

func newPageRenderer(texts Localizer, langs []string, assets map[string]*asset) (*pageRenderer, error) {
	tpl, err := template.ParseFS(static, "static/page.html")
	if err != nil {
		return nil, fmt.Errorf("webchat: page template: %w", err)
	}
	p := &pageRenderer{langs: langs, pages: map[string]*asset{}}
	tags := make([]language.Tag, len(langs))
	for i, l := range langs {
		tags[i] = language.Make(l)
		d := pageData{Lang: l, T: map[string]string{},
			JS:  AssetsPath + "app.js?v=" + strings.Trim(assets["app.js"].etag, `"`),
			CSS: AssetsPath + "app.css?v=" + strings.Trim(assets["app.css"].etag, `"`)}
		for _, k := range PageKeys {
			d.T[strings.ReplaceAll(strings.TrimPrefix(k, "webchat."), ".", "_")] = texts.Text(l, k, nil)
		}
		var b bytes.Buffer
		if err := tpl.Execute(&b, d); err != nil {
			return nil, fmt.Errorf("webchat: page %s: %w", l, err)
		}
		if p.pages[l], err = newAsset("text/html; charset=utf-8", b.Bytes()); err != nil {
			return nil, err
		}
	}
	p.matcher = language.NewMatcher(tags)
	return p, nil
}

// lang picks the page language from the browser's Accept-Language.
func (p *pageRenderer) lang(r *http.Request) string {
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return p.langs[0]
	}
	_, i, conf := p.matcher.Match(tags...)
	if conf == language.No {
		return p.langs[0]
	}
	return p.langs[i]
}
