package directory

import (
	"strings"
	"time"

	"github.com/faro-chat/faro/directory/hours"
	"github.com/faro-chat/faro/flows"
)

// card renders a record in lang. A zero now leaves the open state unknown unless the
// place never closes.
func (d *Directory) card(r *record, lang string, now time.Time) flows.Card {
	e := &r.e
	c := flows.Card{
		ID:          e.ID,
		Name:        e.Name,
		Desc:        e.Desc.In(lang),
		Phones:      r.phones,
		WhatsApp:    e.WhatsApp,
		Web:         e.Web,
		Address:     e.Address,
		Place:       r.place,
		District:    e.District,
		Distance:    -1,
		Free:        e.Free,
		Docs:        e.Docs,
		Unconfirmed: e.Unconfirmed,
		Verified:    e.Verified,
		Languages:   e.Languages,
	}
	notes := make([]string, 0, len(e.Texts)+2)
	notes = append(notes, e.Note.In(lang))
	for _, k := range e.Texts {
		shared := d.texts[k]
		if c.Desc == "" {
			c.Desc = shared.Desc.In(lang)
		}
		notes = append(notes, shared.Note.In(lang))
	}
	if r.approx && !r.national {
		c.Approx = true
		notes = append(notes, d.texts[textApprox].Note.In(lang))
	}
	c.Note = joinNotes(notes...)
	switch {
	case r.hours != nil:
		c.Hours = r.hoursIn[lang]
		if c.Hours == "" {
			c.Hours = r.hoursIn[fallbackLang]
		}
		if r.hours.Always() {
			c.Open = flows.Always
		} else if !now.IsZero() {
			st := r.hours.Eval(now, d.loc, d.hol.is)
			if st.Open {
				c.Open = flows.OpenNow
				c.Until = hours.Until(now.In(d.loc), st.Until, lang)
			} else {
				c.Open = flows.ClosedNow
				c.Opens = hours.Opens(now.In(d.loc), st.Opens, lang)
			}
		}
	default:
		c.Hours = e.HoursText
	}
	return c
}

func joinNotes(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, " ")
}
