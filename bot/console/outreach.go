package console

import (
	"errors"
	"fmt"
	"net/http"
	"path"
	"strings"

	"github.com/faro-chat/faro/directory"
)

// outreachOrg is one organization on the outreach page.
type outreachOrg struct {
	directory.Org
	Telegram string
	WhatsApp string // the link with the Spanish greeting
	Flyers   []string
	Codes    []string // QR code files
	Other    []string
}

// outreachPage lists, for coordinators, each community organization's code and links,
// and its flyers and QR codes to download: what `faro links` writes.
func (c *Console) outreachPage(w http.ResponseWriter, r *http.Request, q *request) {
	p := c.newPage(r, q, "")
	p.Title = p.T("outreach.title")
	m := c.cfg.Outreach
	p.OutreachOff = m == nil
	for _, o := range c.cfg.Orgs {
		if m == nil {
			break
		}
		l, err := m.Links(o)
		if err != nil {
			c.fail(w, r, q.lang, err)
			return
		}
		v := outreachOrg{Org: o, Telegram: l.Telegram, WhatsApp: l.WhatsApp["es"]}
		// the names only: each file is made when it is downloaded (outreachFile)
		for _, name := range m.FileNames(l, nil) {
			switch {
			case strings.HasPrefix(name, "flyer-"):
				v.Flyers = append(v.Flyers, name)
			case strings.HasPrefix(name, "qr-"):
				v.Codes = append(v.Codes, name)
			default:
				v.Other = append(v.Other, name)
			}
		}
		p.Orgs = append(p.Orgs, v)
	}
	c.render(w, r, http.StatusOK, "outreach.html", p)
}

// outreachTypes are the content types of the outreach files, by extension.
var outreachTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".png":  "image/png",
	".svg":  "image/svg+xml",
	".txt":  "text/plain; charset=utf-8",
}

// outreachFile sends one file of an organization as a download (a flyer opened from
// disk prints as it should; served here, the console's CSP would block its style).
func (c *Console) outreachFile(w http.ResponseWriter, r *http.Request, q *request) {
	m := c.cfg.Outreach
	id, name := r.PathValue("org"), r.PathValue("file")
	var org *directory.Org
	for i := range c.cfg.Orgs {
		if c.cfg.Orgs[i].ID == id {
			org = &c.cfg.Orgs[i]
		}
	}
	if m == nil || org == nil {
		http.NotFound(w, r)
		return
	}
	l, err := m.Links(*org)
	if err != nil {
		c.fail(w, r, q.lang, err)
		return
	}
	files, err := m.Files(l, nil)
	if err != nil {
		c.fail(w, r, q.lang, fmt.Errorf("outreach files: %w", err))
		return
	}
	for _, f := range files {
		if f.Name != name {
			continue
		}
		ct, ok := outreachTypes[path.Ext(f.Name)]
		if !ok {
			c.fail(w, r, q.lang, errors.New("outreach file of unknown type"))
			return
		}
		// Names are ids and fixed file names: [a-z0-9.-] only, nothing to escape.
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Disposition", `attachment; filename="faro-`+org.ID+"-"+f.Name+`"`)
		_, _ = w.Write(f.Data)
		return
	}
	http.NotFound(w, r)
}
