package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/faro-chat/faro/bot/config"
	"github.com/faro-chat/faro/bot/outreach"
	"github.com/faro-chat/faro/directory"
)

// runLinks writes the outreach material of the community organizations: per
// organization its Telegram deep link and WhatsApp links, their QR codes (PNG, SVG)
// and printable flyers (see outreach.Maker.Write).
func runLinks(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("links", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "folder to write to (created if missing; files in it are replaced)")
	org := fs.String("org", "", "only this organization (its id in orgs.yaml); default: every one")
	tg := fs.String("telegram-bot", config.Lookup(os.Getenv, "FARO_TELEGRAM_BOT_USERNAME"), "the bot's Telegram username, without @ (env FARO_TELEGRAM_BOT_USERNAME)")
	wa := fs.String("whatsapp", config.Lookup(os.Getenv, "FARO_TWILIO_WHATSAPP_FROM"), "the bot's WhatsApp number, +51987654321 or whatsapp:+51987654321 (env FARO_TWILIO_WHATSAPP_FROM)")
	langs := fs.String("lang", "", "flyer languages, comma-separated (default: every one: es, en, pt)")
	dirFlag := fs.String("directory", config.Lookup(os.Getenv, "FARO_DIRECTORY_DIR"), "folder with directory data (orgs.yaml) instead of the embedded data (env FARO_DIRECTORY_DIR)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: faro links [--org ID] [--telegram-bot NAME] [--whatsapp NUMBER] [--lang es,en] --out DIR")
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "faro links: %v\n", err)
		return 1
	}
	d, err := loadDirectory(*dirFlag)
	if err != nil {
		return fail(err)
	}
	if ps := d.OrgProblems(); len(ps) > 0 {
		for _, p := range ps {
			fmt.Fprintln(stderr, p)
		}
		return fail(fmt.Errorf("%d problems with the organizations (%s): fix them first (faro check)", len(ps), directory.OrgsFile))
	}
	orgs := d.Orgs()
	if *org != "" {
		o, ok := d.OrgByID(*org)
		if !ok {
			var ids []string
			for _, o := range orgs {
				ids = append(ids, o.ID)
			}
			return fail(fmt.Errorf("no organization %q (have: %s)", *org, strings.Join(ids, ", ")))
		}
		orgs = []directory.Org{o}
	}
	if len(orgs) == 0 {
		return fail(fmt.Errorf("no organizations in the directory data (%s)", directory.OrgsFile))
	}
	m, err := outreach.New(outreach.Options{TelegramBot: *tg, WhatsAppNumber: *wa})
	if err != nil {
		return fail(err)
	}
	var only []string
	for _, l := range strings.Split(*langs, ",") {
		if l = strings.TrimSpace(l); l != "" {
			only = append(only, l)
		}
	}
	files, err := m.Write(ctx, *out, orgs, only)
	if err != nil {
		return fail(err)
	}
	for _, o := range orgs {
		l, _ := m.Links(o)
		fmt.Fprintf(stdout, "%s (code %s)\n", o.ID, o.Code)
		if l.Telegram != "" {
			fmt.Fprintf(stdout, "  telegram  %s\n", l.Telegram)
		}
		for _, lang := range m.Langs() {
			if link := l.WhatsApp[lang]; link != "" && (len(only) == 0 || contains(only, lang)) {
				fmt.Fprintf(stdout, "  whatsapp  %s\n", link)
			}
		}
	}
	fmt.Fprintf(stdout, "faro links: %d files in %s (QR codes, flyers to print: open flyer-*.html and print double-sided on A4)\n", len(files), *out)
	return 0
}

// loadDirectory loads the directory data of dir, or the embedded data when dir is "".
func loadDirectory(dir string) (*directory.Directory, error) {
	if dir == "" {
		return directory.Default()
	}
	return directory.Load(os.DirFS(dir))
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
