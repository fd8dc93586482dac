package flows

import (
	"math"
	"strconv"
	"strings"
)

// Localizer renders a locale key in a language with template data.
type Localizer interface {
	Text(lang, key string, data any) string
}

// Keys of the card templates. Every locale must have them (faro check).
const (
	KeyCardDistance    = "card.distance"
	KeyCardOpenNow     = "card.open_now"
	KeyCardUntil       = "card.until"
	KeyCardClosed      = "card.closed"
	KeyCardAlways      = "card.always"
	KeyCardFree        = "card.free"
	KeyCardDocsNone    = "card.docs_none"
	KeyCardDocsDNI     = "card.docs_dni"
	KeyCardDocsID      = "card.docs_id"
	KeyCardUnconfirmed = "card.unconfirmed"
	KeyCardVerified    = "card.verified"
	KeyCardPhone       = "card.phone"
	KeyCardWhatsApp    = "card.whatsapp"
	KeyCardWeb         = "card.web"
	KeyCardAddress     = "card.address"
	KeyCardPlace       = "card.place"
	KeyCardHours       = "card.hours"
	// KeyCardLanguages is the line saying in which languages a line answers; each
	// language is named by KeyCardLang + its code ("card.lang.qu" = "quechua").
	KeyCardLanguages = "card.languages"
	KeyCardLang      = "card.lang."
)

// CardKeys lists the card keys for completeness checks.
var CardKeys = []string{
	KeyCardDistance, KeyCardOpenNow, KeyCardUntil, KeyCardClosed, KeyCardAlways, KeyCardFree,
	KeyCardDocsNone, KeyCardDocsDNI, KeyCardDocsID, KeyCardUnconfirmed, KeyCardVerified,
	KeyCardPhone, KeyCardWhatsApp, KeyCardWeb, KeyCardAddress, KeyCardPlace, KeyCardHours,
	KeyCardLanguages,
}

// Message is the replies of one step rendered as one chat message.
type Message struct {
	Text        string
	Options     []MessageOption
	AskLocation bool
	// LocationLabel is the label of the "share my location" button, when AskLocation.
	LocationLabel string
}

// MessageOption is a rendered choice: the label shown and the payload a button sends.
type MessageOption struct {
	Label   string
	Payload string
}

// Render turns the replies of one step into one message in lang: the texts in order,
// separated by blank lines, the cards, the footer; the options of the last reply
// that has options.
func Render(l Localizer, lang string, replies []Reply) Message {
	var m Message
	var b strings.Builder
	b.Grow(1024) // most replies fit: one allocation instead of a doubling series
	block := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(s)
	}
	footer := ""
	var lastDesc, lastNote string
	for _, r := range replies {
		prev := ""
		for _, k := range r.Keys {
			if strings.HasPrefix(k, KeyLanguageWelcome) && strings.HasPrefix(prev, KeyLanguageWelcome) {
				// the welcome's language lines are one block, a line each
				if s := strings.TrimSpace(l.Text(lang, k, r.Vars)); s != "" {
					b.WriteString("\n")
					b.WriteString(s)
				}
			} else {
				block(l.Text(lang, k, r.Vars))
			}
			prev = k
		}
		if r.Ask != 0 {
			renderAnswers(&b, l, lang, r)
			continue
		}
		for _, c := range r.Cards {
			// Cards of one kind in a row share their description and caveat: say them
			// once, under the first card, so the message stays short.
			desc, note := c.Desc, c.Note
			if c.Desc == lastDesc {
				c.Desc = ""
			}
			if c.Note == lastNote {
				c.Note = ""
			}
			lastDesc, lastNote = desc, note
			block(renderCard(l, lang, c))
		}
		if r.Options != nil {
			m.Options = m.Options[:0]
			for _, o := range r.Options {
				label := o.Label
				if !o.Literal {
					label = l.Text(lang, o.Label, r.Vars)
				}
				m.Options = append(m.Options, MessageOption{Label: label, Payload: o.Payload})
			}
			footer = r.Footer
		}
		if r.AskLocation {
			m.AskLocation = true
		}
	}
	if footer != "" {
		block(l.Text(lang, footer, nil))
	}
	m.Text = b.String()
	if m.AskLocation {
		m.LocationLabel = l.Text(lang, KeyShareLocation, nil)
	}
	return m
}

// renderCard renders a phone line (no distance) compactly, and a service with its
// distance, address, contacts, opening and how sure the facts are.
func renderCard(l Localizer, lang string, c Card) string {
	t := func(key string, data map[string]any) string { return strings.TrimSpace(l.Text(lang, key, data)) }
	var lines []string
	join := func(parts ...string) {
		var kept []string
		for _, p := range parts {
			if p != "" {
				kept = append(kept, p)
			}
		}
		if len(kept) > 0 {
			lines = append(lines, strings.Join(kept, " · "))
		}
	}
	phones := strings.Join(c.Phones, " / ")
	phone := ""
	if phones != "" {
		phone = t(KeyCardPhone, map[string]any{"Phone": phones})
	}
	whatsapp, web := "", ""
	if c.WhatsApp != "" {
		whatsapp = t(KeyCardWhatsApp, map[string]any{"WhatsApp": c.WhatsApp})
	}
	if c.Web != "" {
		web = t(KeyCardWeb, map[string]any{"Web": c.Web})
	}
	free := ""
	if c.Free {
		free = t(KeyCardFree, nil)
	}
	docs := docsText(t, c.Docs)
	langs := cardLanguages(t, c.Languages)
	sure := ""
	if c.Unconfirmed {
		sure = t(KeyCardUnconfirmed, nil)
	}
	if c.Distance < 0 {
		// a phone line: "☎ 100 · Línea 100", what it is for, then hours and flags
		join(phone, c.Name)
		join(c.Desc)
		join(langs)
		join(hours(t, c), free, docs, sure)
		join(c.Note)
		join(whatsapp, web)
		return strings.Join(lines, "\n")
	}
	join(c.Name, distance(t, c, lang))
	join(c.Desc)
	switch {
	case c.Address != "":
		join(t(KeyCardAddress, map[string]any{"Address": c.Address}))
	case c.Place != "":
		// no street address in the source: at least the district, to ask the way
		join(t(KeyCardPlace, map[string]any{"Place": c.Place}))
	}
	join(phone, whatsapp, web)
	join(langs)
	open := hours(t, c)
	if open == "" {
		open = t(KeyCardHoursUnknown, nil)
	}
	join(open, free, docs)
	verified := ""
	if c.Verified != "" {
		verified = t(KeyCardVerified, map[string]any{"Date": c.Verified})
	}
	join(sure, verified)
	join(c.Note)
	return strings.Join(lines, "\n")
}

// cardLanguages says in which languages a place answers, as its source says: ""
// when the source says nothing (no guess). A language with no name in the locale is
// left out rather than shown as a code.
func cardLanguages(t func(string, map[string]any) string, codes []string) string {
	var names []string
	for _, code := range codes {
		if n := t(KeyCardLang+code, nil); n != "" && n != KeyCardLang+code {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return t(KeyCardLanguages, map[string]any{"Languages": strings.Join(names, ", ")})
}

// docsText says what a source says is asked for ("" when it says nothing).
func docsText(t func(string, map[string]any) string, docs string) string {
	switch docs {
	case "none":
		return t(KeyCardDocsNone, nil)
	case "dni":
		return t(KeyCardDocsDNI, nil)
	case "id":
		return t(KeyCardDocsID, nil)
	}
	return ""
}

func hours(t func(string, map[string]any) string, c Card) string {
	switch c.Open {
	case Always:
		return t(KeyCardAlways, nil)
	case OpenNow:
		if c.Until != "" {
			return t(KeyCardUntil, map[string]any{"Until": c.Until})
		}
		return t(KeyCardOpenNow, nil)
	case ClosedNow:
		return t(KeyCardClosed, map[string]any{"Opens": c.Opens})
	}
	if c.Hours != "" {
		return t(KeyCardHours, map[string]any{"Hours": c.Hours})
	}
	return ""
}

// distance says how far a service is; for one placed at its district's capital, in
// whole kilometres and as approximate, never "0,0 km".
func distance(t func(string, map[string]any) string, c Card, lang string) string {
	if !c.Approx {
		return t(KeyCardDistance, map[string]any{"Km": km(c.Distance, lang)})
	}
	if c.Distance < 1000 {
		return t(KeyCardDistanceApproxNear, nil)
	}
	return t(KeyCardDistanceApprox, map[string]any{"Km": strconv.Itoa(int(math.Round(c.Distance / 1000)))})
}

// km formats metres as kilometres with one decimal, with the language's decimal mark.
func km(m float64, lang string) string {
	s := strconv.FormatFloat(m/1000, 'f', 1, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
