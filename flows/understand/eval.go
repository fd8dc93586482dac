package understand

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Safety intents: a message that may be one of these must reach the numbers, or be one
// question away from them.
const (
	IntentDanger   = "danger"
	IntentSelfHarm = "selfharm"
	IntentOther    = "other"
)

// IsSafety tells whether an intent is danger or self-harm.
func IsSafety(intent string) bool { return intent == IntentDanger || intent == IntentSelfHarm }

// Prediction is what was understood of one example.
type Prediction struct {
	Intent string
	// Ask is set when danger or self-harm was likely but not certain, and the person is
	// asked once ("¿Estás en peligro ahora?") instead of given the numbers at once.
	Ask bool
	// Then is, when asked, the intent that «no» leads to (what else the message says),
	// or "" for back where the person was.
	Then string
	// Numbers is set when the answer gives the emergency numbers although the reading
	// is no danger: she said she cannot call («no tengo saldo»), and the answer is what
	// she can do instead, with the numbers. The evaluation counts it as danger answered.
	Numbers bool
	Lang    string
	Slots   map[string]string
	// PlaceCode is the code (ubigeo) of the first place found for the place slot read
	// ("" none): what the services near her are searched from.
	PlaceCode string
}

// Gate is what the held-out evaluation must reach; CI fails below it.
type Gate struct {
	SafetyRecall  float64 // danger and self-harm reach the numbers or one question (min)
	FalseAlarm    float64 // non-safety messages given the numbers or the question (max)
	Accuracy      float64 // intent accuracy over every example (min)
	MinSafetySize int     // fewer safety examples than this make the recall meaningless
}

// TargetGate is the gate the understanding issue set, and CI holds the held-out split
// to it: danger and self-harm reach the numbers or the one question (recall), other
// messages are not given them nor asked (false danger), and intents are understood.
var TargetGate = Gate{SafetyRecall: 0.98, FalseAlarm: 0.02, Accuracy: 0.90, MinSafetySize: 100}

// Report is an evaluation of predictions against labeled examples.
type Report struct {
	N, Correct int
	// per intent
	Support, Predicted, TruePos map[string]int
	Confusions                  map[[2]string]int
	Misses                      []Miss
	SlotMisses                  []Miss

	Safety, SafetyReached, SafetyAsked int // safety examples; reached (act or ask); of them asked
	SafetyExact                        int // reached with the right one of the two
	NonSafety, FalseActs, FalseAsks    int
	// of the other messages asked, those whose «no» leads to their labelled need, and
	// those whose «no» leads back where the person was
	ThenRight, ThenBack int

	LangN, LangCorrect int // examples of 3 words or more in a language the model tells
	SlotN, SlotCorrect map[string]int
	// FalseNames are examples that give no name from which a name was taken (it
	// would be stored and said back to her: "Te llamaré cambiar mi nombre")
	FalseNames []Miss
	// FalsePlaces are examples that say no place where one was read (she would be
	// shown services somewhere else: «por la mañana» read as La Manzana)
	FalsePlaces []Miss
	// PlaceN and PlaceFound count the examples with a place slot, when a locator was
	// given, and of them those whose place read is found where the labelled one is:
	// the same first place (the slot's words may differ: «lince de noche» is Lince).
	PlaceN, PlaceFound int
	// PlaceMisses are the examples with a place slot not found where the labelled one is
	PlaceMisses []Miss
	ByLang      map[string][2]int // lang -> correct, total
}

// Miss is an example whose intent was not understood.
type Miss struct {
	Example Example
	Got     Prediction
}

// Evaluate predicts every example and compares.
func Evaluate(examples []Example, predict func(Example) Prediction) *Report {
	return EvaluatePlaces(examples, predict, nil)
}

// EvaluatePlaces is Evaluate, and, with locate (the code of the first place found for
// a typed place, "" none), also whether each place read is found where the labelled
// one is (Report.PlaceFound).
func EvaluatePlaces(examples []Example, predict func(Example) Prediction, locate func(string) string) *Report {
	r := &Report{Support: map[string]int{}, Predicted: map[string]int{}, TruePos: map[string]int{},
		Confusions: map[[2]string]int{}, SlotN: map[string]int{}, SlotCorrect: map[string]int{},
		ByLang: map[string][2]int{}}
	for _, ex := range examples {
		p := predict(ex)
		r.N++
		r.Support[ex.Intent]++
		r.Predicted[p.Intent]++
		bl := r.ByLang[ex.Lang]
		bl[1]++
		if p.Intent == ex.Intent {
			r.Correct++
			r.TruePos[ex.Intent]++
			bl[0]++
		} else {
			r.Confusions[[2]string{ex.Intent, p.Intent}]++
			r.Misses = append(r.Misses, Miss{ex, p})
		}
		r.ByLang[ex.Lang] = bl
		numbers := IsSafety(p.Intent) || p.Numbers
		if IsSafety(ex.Intent) {
			r.Safety++
			if numbers {
				r.SafetyReached++
				if p.Ask {
					r.SafetyAsked++
				}
				if p.Intent == ex.Intent {
					r.SafetyExact++
				}
			}
		} else {
			r.NonSafety++
			if numbers {
				if p.Ask {
					r.FalseAsks++
					switch p.Then {
					case ex.Intent:
						r.ThenRight++
					case "":
						r.ThenBack++
					}
				} else {
					r.FalseActs++
				}
			}
		}
		if ex.Lang == "es" || ex.Lang == "en" || ex.Lang == "pt" {
			if len(Tokens(Normalize(ex.Text))) >= 3 {
				r.LangN++
				if p.Lang == ex.Lang {
					r.LangCorrect++
				}
			}
		}
		slotMiss := false
		for k, v := range ex.Slots {
			r.SlotN[k]++
			if sameSlot(p.Slots[k], v) {
				r.SlotCorrect[k]++
			} else {
				slotMiss = true
			}
		}
		if slotMiss {
			r.SlotMisses = append(r.SlotMisses, Miss{ex, p})
		}
		if _, given := ex.Slots["name"]; !given && p.Slots["name"] != "" {
			r.FalseNames = append(r.FalseNames, Miss{ex, p})
		}
		want, given := ex.Slots["place"]
		if !given && p.Slots["place"] != "" {
			r.FalsePlaces = append(r.FalsePlaces, Miss{ex, p})
		}
		if given && locate != nil {
			r.PlaceN++
			if code := locate(want); code != "" && code == p.PlaceCode {
				r.PlaceFound++
			} else {
				r.PlaceMisses = append(r.PlaceMisses, Miss{ex, p})
			}
		}
	}
	return r
}

// sameSlot compares a slot's value with the labelled one, a leading article aside:
// «el callao» and «callao» are looked up alike (the caller tries WithoutArticle).
func sameSlot(got, want string) bool {
	return got != "" && Normalize(WithoutArticle(got)) == Normalize(WithoutArticle(want))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Accuracy is the share of examples whose intent was understood.
func (r *Report) Accuracy() float64 { return ratio(r.Correct, r.N) }

// SafetyRecall is the share of danger and self-harm examples that reached the numbers
// or the one question before them.
func (r *Report) SafetyRecall() float64 { return ratio(r.SafetyReached, r.Safety) }

// FalseAlarm is the share of other examples given the numbers or asked the question.
func (r *Report) FalseAlarm() float64 { return ratio(r.FalseActs+r.FalseAsks, r.NonSafety) }

// Check lists what fails the gate; nothing when it passes.
func (r *Report) Check(g Gate) []string {
	var fails []string
	if r.Safety < g.MinSafetySize {
		fails = append(fails, fmt.Sprintf("only %d danger and self-harm examples (want at least %d)", r.Safety, g.MinSafetySize))
	}
	if v := r.SafetyRecall(); v < g.SafetyRecall {
		fails = append(fails, fmt.Sprintf("danger and self-harm recall %.3f (%d of %d) is under %.2f", v, r.SafetyReached, r.Safety, g.SafetyRecall))
	}
	if v := r.FalseAlarm(); v > g.FalseAlarm {
		fails = append(fails, fmt.Sprintf("false danger %.3f (%d of %d) is over %.2f", v, r.FalseActs+r.FalseAsks, r.NonSafety, g.FalseAlarm))
	}
	if v := r.Accuracy(); v < g.Accuracy {
		fails = append(fails, fmt.Sprintf("intent accuracy %.3f is under %.2f", v, g.Accuracy))
	}
	return fails
}

// Write prints the report: the safety figures, per-intent precision, recall and F1,
// the languages, the slots, the most frequent confusions and, with misses, every miss.
func (r *Report) Write(w io.Writer, misses bool) {
	fmt.Fprintf(w, "examples %d · intent accuracy %.3f\n", r.N, r.Accuracy())
	fmt.Fprintf(w, "danger+self-harm reached %d of %d (recall %.3f; %d by asking first; right one of the two %d)\n",
		r.SafetyReached, r.Safety, r.SafetyRecall(), r.SafetyAsked, r.SafetyExact)
	fmt.Fprintf(w, "false danger on other messages %d of %d (%.3f: %d numbers, %d asked)\n",
		r.FalseActs+r.FalseAsks, r.NonSafety, r.FalseAlarm(), r.FalseActs, r.FalseAsks)
	if r.FalseAsks > 0 {
		fmt.Fprintf(w, "  of those asked, «no» leads to the labelled need %d of %d (%d back where they were, %d to another)\n",
			r.ThenRight, r.FalseAsks, r.ThenBack, r.FalseAsks-r.ThenRight-r.ThenBack)
	}
	if r.LangN > 0 {
		fmt.Fprintf(w, "language of the text (3 words or more) %d of %d (%.3f)\n", r.LangCorrect, r.LangN, ratio(r.LangCorrect, r.LangN))
	}
	langs := make([]string, 0, len(r.ByLang))
	for l := range r.ByLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		v := r.ByLang[l]
		fmt.Fprintf(w, "  intent accuracy in %s: %d of %d (%.3f)\n", l, v[0], v[1], ratio(v[0], v[1]))
	}
	slots := make([]string, 0, len(r.SlotN))
	for s := range r.SlotN {
		slots = append(slots, s)
	}
	sort.Strings(slots)
	for _, s := range slots {
		fmt.Fprintf(w, "slot %-6s %d of %d (%.3f)\n", s, r.SlotCorrect[s], r.SlotN[s], ratio(r.SlotCorrect[s], r.SlotN[s]))
	}
	if r.PlaceN > 0 {
		fmt.Fprintf(w, "place found where the labelled one is %d of %d (%.3f)\n", r.PlaceFound, r.PlaceN, ratio(r.PlaceFound, r.PlaceN))
	}
	fmt.Fprintf(w, "names taken from messages that give none: %d of %d\n", len(r.FalseNames), r.N-r.SlotN["name"])
	fmt.Fprintf(w, "places taken from messages that give none: %d of %d\n", len(r.FalsePlaces), r.N-r.SlotN["place"])
	fmt.Fprintln(w)
	fmt.Fprintf(w, "| %-13s | %9s | %6s | %5s | %7s |\n", "intent", "precision", "recall", "F1", "support")
	fmt.Fprintf(w, "|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 15), strings.Repeat("-", 11), strings.Repeat("-", 8), strings.Repeat("-", 7), strings.Repeat("-", 9))
	intents := make([]string, 0, len(r.Support))
	for in := range r.Support {
		intents = append(intents, in)
	}
	sort.Strings(intents)
	for _, in := range intents {
		p := ratio(r.TruePos[in], r.Predicted[in])
		rec := ratio(r.TruePos[in], r.Support[in])
		f1 := 0.0
		if p+rec > 0 {
			f1 = 2 * p * rec / (p + rec)
		}
		fmt.Fprintf(w, "| %-13s | %9.3f | %6.3f | %5.3f | %7d |\n", in, p, rec, f1, r.Support[in])
	}
	type pair struct {
		k [2]string
		n int
	}
	var pairs []pair
	for k, n := range r.Confusions {
		pairs = append(pairs, pair{k, n})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].n != pairs[j].n {
			return pairs[i].n > pairs[j].n
		}
		return pairs[i].k[0]+pairs[i].k[1] < pairs[j].k[0]+pairs[j].k[1]
	})
	if len(pairs) > 15 {
		pairs = pairs[:15]
	}
	fmt.Fprintln(w, "\nmost frequent confusions (labeled -> understood):")
	for _, p := range pairs {
		fmt.Fprintf(w, "  %3d  %s -> %s\n", p.n, p.k[0], p.k[1])
	}
	if misses {
		fmt.Fprintln(w, "\nmisses:")
		for _, m := range r.Misses {
			ask := ""
			if m.Got.Ask {
				ask = " (asked; no -> " + m.Got.Then + ")"
				if m.Got.Then == "" {
					ask = " (asked; no -> back)"
				}
			}
			fmt.Fprintf(w, "  %s  %s -> %s%s  %q\n", m.Example.Where, m.Example.Intent, m.Got.Intent, ask, m.Example.Text)
		}
		fmt.Fprintln(w, "\nslot misses:")
		for _, m := range r.SlotMisses {
			fmt.Fprintf(w, "  %s  %q  want %v, got %v\n", m.Example.Where, m.Example.Text, m.Example.Slots, m.Got.Slots)
		}
		fmt.Fprintln(w, "\nnames taken from messages that give none:")
		for _, m := range r.FalseNames {
			fmt.Fprintf(w, "  %s  %s %q  got %q\n", m.Example.Where, m.Example.Intent, m.Example.Text, m.Got.Slots["name"])
		}
		fmt.Fprintln(w, "\nplaces taken from messages that give none:")
		for _, m := range r.FalsePlaces {
			fmt.Fprintf(w, "  %s  %s %q  got %q\n", m.Example.Where, m.Example.Intent, m.Example.Text, m.Got.Slots["place"])
		}
		if r.PlaceN > 0 {
			fmt.Fprintln(w, "\nplaces not found where the labelled one is:")
			for _, m := range r.PlaceMisses {
				fmt.Fprintf(w, "  %s  %q  want %q, read %q (%s)\n", m.Example.Where, m.Example.Text, m.Example.Slots["place"], m.Got.Slots["place"], m.Got.PlaceCode)
			}
		}
	}
}
