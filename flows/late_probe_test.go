package flows_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/understand"
)

// lateJudges tell, for each kind of line of the late probes, whether Faro's first answer
// to it, at the main menu, is right.
var lateJudges = map[string]func(p understand.Prediction, s flows.Session, replies []flows.Reply, effects []flows.Effect) bool{
	// a man who will not leave her room: the numbers, or the one question before them
	"wontleave": func(p understand.Prediction, _ flows.Session, replies []flows.Reply, _ []flows.Effect) bool {
		return numbersGiven(replies) || understand.IsSafety(p.Intent)
	},
	// violence told with fear: the violence page, or the numbers
	"hurtfear": func(p understand.Prediction, _ flows.Session, replies []flows.Reply, _ []flows.Effect) bool {
		return p.Intent == "violence" || numbersGiven(replies) || understand.IsSafety(p.Intent)
	},
	// «me pegó la gripe», «hit me up»: not the violence page, not the numbers at once
	"hurtnot": func(p understand.Prediction, _ flows.Session, replies []flows.Reply, _ []flows.Effect) bool {
		return p.Intent != "violence" && !hasKey(replies, "emergency.intro") && !hasKey(replies, "crisis.body")
	},
	// going quiet for a while: the menu with the emergency option first
	"quiet": func(_ understand.Prediction, _ flows.Session, replies []flows.Reply, _ []flows.Effect) bool {
		return hasKey(replies, "help.intro")
	},
	// more than going quiet: anything but that menu
	"quietnot": func(_ understand.Prediction, _ flows.Session, replies []flows.Reply, _ []flows.Effect) bool {
		return !hasKey(replies, "help.intro")
	},
	// nobody answers the phone: what to do when the lines do not answer
	"noanswer": func(_ understand.Prediction, _ flows.Session, replies []flows.Reply, _ []flows.Effect) bool {
		return hasKey(replies, "emergency.nocall")
	},
	// someone she knows does not answer: not that
	"noanswernot": func(_ understand.Prediction, _ flows.Session, replies []flows.Reply, _ []flows.Effect) bool {
		return !hasKey(replies, "emergency.nocall")
	},
	// wanting to die, said veiled or plain: the numbers, or the one question before them
	"selfharm": func(p understand.Prediction, _ flows.Session, replies []flows.Reply, _ []flows.Effect) bool {
		return numbersGiven(replies) || understand.IsSafety(p.Intent)
	},
	// the same words as a joke, tiredness, another job: not the numbers, no question
	"selfharmnot": func(p understand.Prediction, _ flows.Session, replies []flows.Reply, _ []flows.Effect) bool {
		return !understand.IsSafety(p.Intent) && !numbersGiven(replies)
	},
	// signs of trafficking: its page, or the numbers
	"trafficking": intentOrSafety("trafficking"),
	// her documents kept by whoever runs her work: the trafficking page, or the numbers
	"docskept": intentOrSafety("trafficking"),
	// her documents lost, stolen, expired: the migrants' pages, or the one question
	// before the numbers with «no» leading there
	"docslost": func(p understand.Prediction, _ flows.Session, _ []flows.Reply, _ []flows.Effect) bool {
		return p.Intent == "migrant" || p.Ask && p.Then == "migrant"
	},
	// going back to her country: the migrants' pages, or the one question with «no»
	// leading there
	"home": func(p understand.Prediction, _ flows.Session, replies []flows.Reply, _ []flows.Effect) bool {
		return hasKey(replies, "migrant.intro") || p.Ask && p.Then == "migrant"
	},
	// the same words meaning something else: not that page
	"homenot": func(p understand.Prediction, _ flows.Session, replies []flows.Reply, _ []flows.Effect) bool {
		return !hasKey(replies, "migrant.intro") && !(p.Ask && p.Then == "migrant")
	},
	// a need said with a plea for guidance or the words of the menu: the need, not «how
	// can I help», the menu or «no te entendí»
	"needword": func(_ understand.Prediction, _ flows.Session, replies []flows.Reply, _ []flows.Effect) bool {
		return !hasKey(replies, "help.intro") && !hasKey(replies, "home.say") && !hasKey(replies, "input.unknown")
	},
	// those words alone: «how can I help», or the menu
	"navnot": func(_ understand.Prediction, _ flows.Session, replies []flows.Reply, _ []flows.Effect) bool {
		return hasKey(replies, "help.intro") || hasKey(replies, "home.say")
	},
	// other messages naming documents: not the trafficking page
	"docsnot": func(p understand.Prediction, _ flows.Session, _ []flows.Reply, _ []flows.Effect) bool {
		return p.Intent != "trafficking"
	},
	// someone who runs her work keeps her earnings: the trafficking page (exploitation),
	// or the numbers
	"earnings": intentOrSafety("trafficking"),
	// a robbery, a client, a gang's fee, the police, her own money, her data: not that
	// page
	"earningsnot": func(p understand.Prediction, _ flows.Session, _ []flows.Reply, _ []flows.Effect) bool {
		return p.Intent != "trafficking"
	},
	// everyday needs, never danger (late_probe6): the page of the need, or a search for
	// services of its kind
	"health_test":    intentIs("health", "services"),
	"health_prevent": intentIs("health", "services"),
	"health_care":    intentIs("health", "services"),
	"feelings":       intentIs("feelings", "services"),
	"migrant":        intentIs("migrant"),
	"legal":          intentIs("legal", "rights"),
	"report":         intentIs("report", "violence", "legal", "complain"),
	"rights":         intentIs("rights", "sexwork", "complain", "detention", "police", "legal"),
	// a client who robbed her or did not pay: the violence pages (one is on exactly that),
	// reporting, or the numbers
	"robbery": intentOrSafety("violence", "report", "extortion", "legal", "complain"),
	// a fee to work, threats: the extortion page, or the numbers
	"extortion": intentOrSafety("extortion"),
	// a condom that broke or was taken off: her health (what to do within 72 hours)
	"condom": intentOrSafety("health"),
	// pregnancy: her health
	"pregnancy": func(p understand.Prediction, _ flows.Session, _ []flows.Reply, _ []flows.Effect) bool {
		return p.Intent == "health"
	},
	// a person, not a bot
	"person": func(p understand.Prediction, _ flows.Session, _ []flows.Reply, _ []flows.Effect) bool {
		return p.Intent == "cmd_operator"
	},
	// trouble with the police or the municipal guards: the police pages, or the numbers
	"police": intentOrSafety("police", "detention", "complain", "extortion", "violence"),
	// detained, or afraid of it: what to do when detained, or the numbers
	"detention": intentOrSafety("detention", "police", "legal"),
	// HIV treatment: her health
	"hiv": intentOrSafety("health"),
	// nowhere to sleep tonight: a safe place, the violence pages, or the numbers
	"shelter": intentOrSafety("shelter", "violence"),
	// mistreated at a public service: how to complain, or her rights
	"complain": intentOrSafety("complain", "rights", "legal"),
	// another language asked for: the language question (TestLateProbes also takes the
	// language itself, changed)
	"language": func(p understand.Prediction, s flows.Session, _ []flows.Reply, _ []flows.Effect) bool {
		return p.Intent == "cmd_language" || s.Node == "language"
	},
	// greetings alone: greeted, nothing else
	"greetnot": func(p understand.Prediction, _ flows.Session, replies []flows.Reply, _ []flows.Effect) bool {
		return p.Intent == "greet" && !numbersGiven(replies)
	},
	// thanks at the end: thanked
	"thanks": func(p understand.Prediction, _ flows.Session, _ []flows.Reply, _ []flows.Effect) bool {
		return p.Intent == "thanks"
	},
}

// intentIs judges right a reading among intents, and nothing else: the numbers for a
// need that is no danger are not.
func intentIs(intents ...string) func(p understand.Prediction, s flows.Session, replies []flows.Reply, effects []flows.Effect) bool {
	return func(p understand.Prediction, _ flows.Session, _ []flows.Reply, _ []flows.Effect) bool {
		return slices.Contains(intents, p.Intent)
	}
}

// intentOrSafety judges right a reading among intents, or the numbers (or the one
// question before them).
func intentOrSafety(intents ...string) func(p understand.Prediction, s flows.Session, replies []flows.Reply, effects []flows.Effect) bool {
	return func(p understand.Prediction, _ flows.Session, replies []flows.Reply, _ []flows.Effect) bool {
		return slices.Contains(intents, p.Intent) || numbersGiven(replies) || understand.IsSafety(p.Intent)
	}
}

// lateKindJudge: a kind of service with a place is a search for that kind (or the
// homonyms' question with that kind kept).
func lateKindJudge(kind string, s flows.Session, effects []flows.Effect) bool {
	return hasEvent(effects, flows.EventSearch+kind+":found") || hasEvent(effects, flows.EventSearch+kind+":none") ||
		s.Vars["category"] == kind
}

// TestLateProbes measures, on probes written by helpers who read neither the corpus
// nor the code, a man who will not leave, violence told with fear, going quiet, nobody
// answering and a kind of service with a place: late_probe.tsv (its misses were read
// and their families fixed) and late_probe2.tsv (written after, blind; then its misses
// were read too: the README keeps its blind figures); and late_probe3.tsv, self-harm
// said veiled, trafficking, robbery, extortion, a condom, pregnancy and asking for a
// person, and late_probe4.tsv, the police, detention, HIV treatment, nowhere to sleep,
// a complaint, another language, greetings and thanks, late_probe5.tsv, her earnings
// kept by whoever runs her work, late_probe6.tsv, everyday needs, late_probe7.tsv, her
// documents kept or lost, and late_probe8.tsv, going back to her country and a need
// said with the words of the menu (their blind
// figures in comments below, then read too). Each kind has a floor: a change
// that loses lines fails; `-v` prints the misses and the counts.
func TestLateProbes(t *testing.T) {
	e, _ := realEngine(t)
	now := time.Date(2026, 12, 3, 22, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		file   string
		floors map[string]int
	}{
		{"testdata/late_probe.tsv", map[string]int{"wontleave": 28, "hurtfear": 28, "hurtnot": 17, "quiet": 27, "quietnot": 20, "noanswer": 20, "noanswernot": 15, "kindplace": 29}},
		{"testdata/late_probe2.tsv", map[string]int{"wontleave": 29, "hurtfear": 29, "hurtnot": 17, "quiet": 27, "quietnot": 20, "noanswer": 20, "noanswernot": 14, "kindplace": 30}},
		// blind: selfharm 24, selfharmnot 13, trafficking 22, robbery 19, extortion 16,
		// condom 18, pregnancy 11, person 16 (of 24, 16, 24, 20, 20, 20, 14, 20); then
		// read, and the families of its misses fixed
		{"testdata/late_probe3.tsv", map[string]int{"selfharm": 24, "selfharmnot": 13, "trafficking": 22, "robbery": 19, "extortion": 19, "condom": 18, "pregnancy": 14, "person": 19}},
		// blind: police 19, detention 11, hiv 13, shelter 16, complain 14, language 12,
		// greetnot 14, thanks 12 (of 20, 16, 16, 16, 16, 14, 14, 14); then read, and the
		// families of its misses fixed
		{"testdata/late_probe4.tsv", map[string]int{"police": 20, "detention": 16, "hiv": 16, "shelter": 16, "complain": 16, "language": 14, "greetnot": 14, "thanks": 14}},
		// blind: earnings 22 of 36 before understand.EarningsKept, 32 after; earningsnot
		// 24 of 24 both; then read, and the families of its misses fixed (the one left,
		// «la administradora se agarra el 70%... es legal eso??», is the sex work page)
		{"testdata/late_probe5.tsv", map[string]int{"earnings": 35, "earningsnot": 24}},
		// blind: health_test 12, health_prevent 14, health_care 12, feelings 14, migrant 15,
		// legal 5, report 15, rights 15 (of 15 each); then read, and the families of its
		// misses fixed
		{"testdata/late_probe6.tsv", map[string]int{"health_test": 13, "health_prevent": 15, "health_care": 12,
			"feelings": 15, "migrant": 15, "legal": 12, "report": 15, "rights": 15}},
		// the third part, blind: docskept 23 of 25 before understand.DocumentsKept (16 the
		// trafficking page, 7 the numbers), 24 after; docslost 9 of 25 before
		// understand.DocumentsLost, 16 after; docsnot unchanged. The whole file before
		// the rules: docskept 71 of 85 (the rest the migrants', violence, extortion or
		// sex work page, or «no te entendí»)
		{"testdata/late_probe7.tsv", map[string]int{"docskept": 84, "docslost": 64, "docsnot": 72}},
		// blind: home 9 of 30 before understand.ReturnHomeTold, 17 after; needword 17 of
		// 30 before a need beside the words of cmd.help was its page, 24 with it, 28 with
		// those of cmd.back and cmd.menu too; homenot 13 of 15 and navnot 12 of 15 all
		// along. Then read, and the families of its misses fixed
		{"testdata/late_probe8.tsv", map[string]int{"home": 28, "homenot": 13, "needword": 28, "navnot": 12}},
	} {
		right, total := map[string]int{}, map[string]int{}
		for _, l := range probeLines(t, c.file) {
			s, replies, effects := e.Step(flows.Session{Lang: l.lang, Node: "home"}, flows.Input{Kind: flows.InputText, Text: l.text, Now: now})
			kind, ok := l.kind, false
			if k, isKind := strings.CutPrefix(kind, "kindplace:"); isKind {
				kind, ok = "kindplace", lateKindJudge(k, s, effects)
			} else if judge := lateJudges[kind]; judge != nil {
				ok = judge(e.Understand(l.text), s, replies, effects) || kind == "language" && s.Lang != l.lang
			} else {
				t.Fatalf("%s: unknown kind %q", c.file, l.kind)
			}
			total[kind]++
			if ok {
				right[kind]++
			} else {
				t.Logf("%s: %s miss (%s): %q, at %s, events %v, vars %v", c.file, kind, l.lang, l.text, s.Node, events(effects), s.Vars)
			}
		}
		for kind, n := range total {
			t.Logf("%s: %-11s %d of %d", c.file, kind, right[kind], n)
			if right[kind] < c.floors[kind] {
				t.Errorf("%s: %s right %d of %d, floor %d", c.file, kind, right[kind], n, c.floors[kind])
			}
		}
	}
}
