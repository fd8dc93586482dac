package directory

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Org is a community organization that shares Faro in its outreach: the links, QR
// codes and flyers of `faro links` are made for each one, and the code of its links
// is what the session keeps of how a person came. Organizations are data, in the
// organizations section of a data file (orgs.yaml), validated with the directory.
type Org struct {
	// ID is unique: lower case letters, digits and dashes ("redtrasex-peru").
	ID string `yaml:"id"`
	// Name is the organization's name as its sources write it.
	Name string `yaml:"name"`
	// Code is what its links carry (Telegram's start parameter, the code in the
	// WhatsApp greeting): 1 to 64 of A-Z a-z 0-9 _ -, unique whatever the case. It is
	// seen by the person on her phone: keep it short and saying nothing of the service.
	Code string `yaml:"code"`
	// Entry is the id of the organization's entry in the directory (category
	// community), when it has one; the two must agree: the entry's name contains the
	// organization's ("INPPARES – sede central"), and the contact is one of the entry's.
	Entry string `yaml:"entry,omitempty"`
	// Contact is how a coordinator reaches the organization, as a source gives it: a
	// web address, an E.164 phone number or an email. Empty when no source gives one:
	// never made up.
	Contact string `yaml:"contact,omitempty"`
	// Regions are the INEI ubigeo codes of the departments or provinces it works in
	// ("150100" Lima Metropolitana), when a source says; empty when not stated.
	Regions []string `yaml:"regions,flow,omitempty"`
	// Source is the URL (or URLs separated by " ; ") its facts come from.
	Source string `yaml:"source"`
	// Verified is when they were last checked, if known: YYYY, YYYY-MM or YYYY-MM-DD.
	Verified string `yaml:"verified,omitempty"`
}

// locatedOrg is an organization and the file it was read from.
type locatedOrg struct {
	Org
	file string
}

// OrgsFile is the data file the Peru organizations are kept in.
const OrgsFile = "orgs.yaml"

var (
	orgIDRE   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	orgCodeRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	e164RE    = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	emailRE   = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[a-z]{2,}$`)
)

// ValidOrgCode tells whether code may be an organization's code: what Telegram
// allows in a deep link's start parameter.
// see https://core.telegram.org/bots/features#deep-linking
func ValidOrgCode(code string) bool { return orgCodeRE.MatchString(code) }

// Orgs returns the community organizations, in the order read.
func (d *Directory) Orgs() []Org {
	out := make([]Org, len(d.orgs))
	copy(out, d.orgs)
	return out
}

// OrgProblems returns the problems of the organization records that Load left out of
// Orgs (Validate reports them as errors; Load does not fail on them).
func (d *Directory) OrgProblems() []Problem { return append([]Problem(nil), d.orgProbs...) }

// OrgByCode returns the organization whose links carry code (case does not matter).
func (d *Directory) OrgByCode(code string) (Org, bool) {
	for _, o := range d.orgs {
		if strings.EqualFold(o.Code, code) {
			return o, true
		}
	}
	return Org{}, false
}

// OrgCode returns the code of the organization whose links carry code, as the data
// writes it ("SJM" gives "sjm"), or ok false when no organization has it.
func (d *Directory) OrgCode(code string) (string, bool) {
	o, ok := d.OrgByCode(code)
	return o.Code, ok
}

// OrgByID returns the organization with id.
func (d *Directory) OrgByID(id string) (Org, bool) {
	for _, o := range d.orgs {
		if o.ID == id {
			return o, true
		}
	}
	return Org{}, false
}

// orgErr records a problem with an organization record.
func (c *checker) orgErr(o *locatedOrg, format string, args ...any) {
	c.add(errorf(o.file, "org "+o.ID, format, args...))
}

// checkOrgs checks the organization records on their own and against the entries:
// ids and codes unique, codes fit for a deep link, regions in the gazetteer, sources
// given, and every community entry named by exactly one record that agrees with it.
// It returns the records that have no error.
func (c *checker) checkOrgs(orgs []*locatedOrg, entries []*located) []Org {
	byID := map[string]*located{}
	for _, e := range entries {
		if _, dup := byID[e.ID]; !dup {
			byID[e.ID] = e
		}
	}
	seenID := map[string]*locatedOrg{}
	seenCode := map[string]*locatedOrg{}
	seenEntry := map[string]*locatedOrg{}
	var good []Org
	for _, o := range orgs {
		before := len(c.probs)
		switch {
		case o.ID == "":
			c.orgErr(o, "no id")
		case !orgIDRE.MatchString(o.ID):
			c.orgErr(o, "id %q: want lower case letters, digits and dashes", o.ID)
		}
		if first, dup := seenID[o.ID]; dup && o.ID != "" {
			c.orgErr(o, "duplicate id (first in %s)", first.file)
		}
		seenID[o.ID] = o
		if strings.TrimSpace(o.Name) == "" {
			c.orgErr(o, "no name")
		}
		switch {
		case o.Code == "":
			c.orgErr(o, "no code: its links need one")
		case !orgCodeRE.MatchString(o.Code):
			c.orgErr(o, "code %q: want 1 to 64 of A-Z a-z 0-9 _ - (what a Telegram start parameter allows)", o.Code)
		}
		if first, dup := seenCode[strings.ToLower(o.Code)]; dup && o.Code != "" {
			c.orgErr(o, "code %q is already %s's (codes are unique whatever the case)", o.Code, first.ID)
		}
		seenCode[strings.ToLower(o.Code)] = o
		if o.Contact != "" && !isWebURL(o.Contact) && !e164RE.MatchString(o.Contact) && !emailRE.MatchString(o.Contact) {
			c.orgErr(o, "contact %q: want a web address, an E.164 phone number (+51...) or an email", o.Contact)
		}
		for i, r := range o.Regions {
			if p := c.gaz.byCode[r]; p == nil || p.level == lvDistrict {
				c.orgErr(o, "region %q is not a department or province code of the gazetteer (\"150100\" Lima Metropolitana, \"070000\" Callao)", r)
			}
			if slices.Contains(o.Regions[:i], r) {
				c.orgErr(o, "region %q twice", r)
			}
		}
		c.checkOrgSource(o)
		if o.Entry != "" {
			c.checkOrgEntry(o, byID[o.Entry])
			if first, dup := seenEntry[o.Entry]; dup {
				c.orgErr(o, "entry %q is already %s's", o.Entry, first.ID)
			}
			seenEntry[o.Entry] = o
		}
		if len(c.probs) == before {
			good = append(good, o.Org)
		}
	}
	for _, e := range entries {
		if slices.Contains(e.Categories, CatCommunity) && seenEntry[e.ID] == nil {
			c.errf(e, "a community organization with no record in the organizations section (%s): add one, with the code of its links", OrgsFile)
		}
	}
	return good
}

// checkOrgEntry checks that an organization and its directory entry agree.
func (c *checker) checkOrgEntry(o *locatedOrg, e *located) {
	switch {
	case e == nil:
		c.orgErr(o, "entry %q is not in the directory", o.Entry)
		return
	case !slices.Contains(e.Categories, CatCommunity):
		c.orgErr(o, "entry %q is not a community organization (category %s)", o.Entry, CatCommunity)
	}
	if o.Name == "" || !strings.Contains(strings.ToLower(e.Name), strings.ToLower(o.Name)) {
		c.orgErr(o, "name %q is not in its entry's name %q", o.Name, e.Name)
	}
	if o.Contact != "" && o.Contact != e.Web && o.Contact != e.WhatsApp && !slices.Contains(e.Phones, o.Contact) {
		c.orgErr(o, "contact %q is none of its entry's (web, phones, WhatsApp)", o.Contact)
	}
}

// checkOrgSource checks an organization's source and date.
func (c *checker) checkOrgSource(o *locatedOrg) {
	if strings.TrimSpace(o.Source) == "" {
		c.orgErr(o, "no source: say where the organization's facts come from")
	}
	for _, s := range strings.Split(o.Source, ";") {
		if s = strings.TrimSpace(s); s != "" && !isWebURL(s) {
			c.orgErr(o, "source %q: want http(s) URLs separated by \" ; \"", s)
		}
	}
	if o.Verified == "" {
		return
	}
	v, ok := parseVerified(o.Verified)
	switch {
	case !ok:
		c.orgErr(o, "verified %q: want YYYY, YYYY-MM or YYYY-MM-DD", o.Verified)
	case !c.now.IsZero() && v.After(c.now.AddDate(0, 0, 1)):
		c.orgErr(o, "verified %s is in the future", o.Verified)
	}
}

// String names the organization for a coordinator: "name (id, code)".
func (o Org) String() string { return fmt.Sprintf("%s (%s, code %s)", o.Name, o.ID, o.Code) }
