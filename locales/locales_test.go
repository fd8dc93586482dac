package locales_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/faro-chat/faro/locales"
)

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return m
}

// TestLanguageWithoutPluralRule: go-i18n has no CLDR plural rule for Quechua or
// Aymara, so a bundle refuses their files; the catalog, whose messages are all
// single-form, loads and renders them, templates included.
func TestLanguageWithoutPluralRule(t *testing.T) {
	qu := `"greet" = "Napaykullayki{{if .name}}, {{.name}}{{end}}."` + "\n"
	b := i18n.NewBundle(language.Spanish)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	if _, err := b.ParseMessageFileBytes([]byte(qu), "qu.toml"); err == nil || !strings.Contains(err.Error(), "plural rule") {
		t.Fatalf("go-i18n now accepts qu (%v): the workaround may go", err)
	}
	c, err := locales.Load(mapFS(map[string]string{
		"es.toml": `"greet" = "Hola{{if .name}}, {{.name}}{{end}}."` + "\n",
		"qu.toml": qu,
		"ay.toml": `"greet" = "Kamisaki{{if .name}}, {{.name}}{{end}}."` + "\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"qu": "Napaykullayki, Rosa.", "ay": "Kamisaki, Rosa.", "es": "Hola, Rosa."} {
		got, err := c.Render(lang, "greet", map[string]any{"name": "Rosa"})
		if err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", lang, got, err, want)
		}
		if got := c.Text(lang, "greet", nil); strings.Contains(got, "name") || strings.Contains(got, "{{") {
			t.Errorf("%s without a name: %q", lang, got)
		}
	}
}

// TestShippedLocales: every shipped locale loads, Quechua and Portuguese included,
// each with its review record; only the reviewed ones are on by default.
func TestShippedLocales(t *testing.T) {
	c, err := locales.Default()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.All(), ","); got != "es,en,pt,qu" {
		t.Errorf("locales %s", got)
	}
	for lang, want := range map[string]string{"es": locales.StatusReviewed, "en": locales.StatusReviewed, "pt": locales.StatusReviewed, "qu": locales.StatusDraft} {
		if got := c.Review(lang).Status; got != want {
			t.Errorf("%s: %s, want %s", lang, got, want)
		}
	}
	on, err := c.Enabled(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(on.Langs(), ","); got != "es,en,pt" {
		t.Errorf("on by default: %s, want es,en,pt", got)
	}
	on, err = c.Enabled([]string{"qu"})
	if err != nil || strings.Join(on.Langs(), ",") != "es,en,pt,qu" {
		t.Errorf("qu enabled: %v %v", on.Langs(), err)
	}
	on, _ = c.Enabled(nil)
	if on.Text("qu", "check.yes", nil) != "Arí" {
		t.Error("a locale that is off still renders (for checks and old sessions)")
	}
	if all, _ := c.Enabled([]string{"all"}); len(all.Langs()) != 4 {
		t.Errorf("all: %v", all.Langs())
	}
	if _, err := c.Enabled([]string{"fr"}); err == nil {
		t.Error("enabling a locale that does not exist is an error")
	}
}

// TestReviewRecords: a record lists what changed in Spanish since; a reviewed record
// needs its date and reviewer; an unknown status or field is an error.
func TestReviewRecords(t *testing.T) {
	files := map[string]string{
		"es.toml": "\"a\" = \"uno\"\n\"b\" = \"dos\"\n",
		"pt.toml": "\"a\" = \"um\"\n\"b\" = \"dois\"\n",
	}
	c, err := locales.Load(mapFS(files))
	if err != nil {
		t.Fatal(err)
	}
	if c.Review("pt").Status != locales.StatusDraft || len(c.Stale("pt")) != 2 {
		t.Errorf("no record: a draft with every key to check: %+v %v", c.Review("pt"), c.Stale("pt"))
	}
	r, err := c.Record("pt", locales.StatusReviewed, "2026-11-30", "Colectivo X", "")
	if err != nil {
		t.Fatal(err)
	}
	data, err := r.Encode("pt")
	if err != nil {
		t.Fatal(err)
	}
	files["review/pt.toml"] = string(data)
	files["es.toml"] = "\"a\" = \"uno\"\n\"b\" = \"dos, cambiado\"\n\"c\" = \"tres\"\n"
	if c, err = locales.Load(mapFS(files)); err != nil {
		t.Fatal(err)
	}
	if rv := c.Review("pt"); !rv.Reviewed() || rv.Reviewer != "Colectivo X" || rv.ReviewedAt != "2026-11-30" {
		t.Errorf("record read back: %+v", rv)
	}
	if got := strings.Join(c.Stale("pt"), ","); got != "b,c" {
		t.Errorf("changed since the review: %s, want b,c", got)
	}
	if _, err := c.Record("pt", locales.StatusReviewed, "2026-11-30", "", ""); err == nil {
		t.Error("a review without a reviewer")
	}
	for name, rec := range map[string]string{
		"no reviewer":   "status = \"reviewed\"\nreviewed_at = \"2026-11-30\"\n",
		"bad status":    "status = \"done\"\n",
		"unknown field": "status = \"draft\"\nreviwer = \"x\"\n",
	} {
		files["review/pt.toml"] = rec
		if _, err := locales.Load(mapFS(files)); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}
