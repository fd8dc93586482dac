package flows

import (
	"slices"
	"strconv"
	"time"
)

// handoffKind asks for a human operator (an Effect) when one can answer now, and moves
// to Next. When nobody can (nobody online, out of office hours), it goes to Offline
// (schema 2) after the lines tagged Tags (the emergency's by default) and, out of hours, when someone is back; without
// Offline, or for a blocked person, it says that nobody is and gives the emergency
// lines, then moves to Next. A Queue node opens the ticket whoever is online: a message
// left for later.
type handoffKind struct{ passKind }

func (handoffKind) validate(v *validator, n *Node) {
	v.target("next", n.Next)
	if n.Queue && v.f.Schema < 2 {
		v.add("queue needs schema 2")
	}
	if n.Queue && n.Offline != "" {
		v.add("a queue node opens its ticket anyway: it has no offline branch")
	}
	if n.Offline == "" {
		return
	}
	if v.f.Schema < 2 {
		v.add("offline needs schema 2")
	}
	v.target("offline", n.Offline)
}

func (handoffKind) pass(st *stepper, n *Node) (string, bool) {
	e := st.e
	if !st.in.Blocked && (n.Queue || (st.in.OperatorsOnline && !st.in.OutOfHours)) {
		topic := n.Topic
		if n.Queue && st.s.Vars[varTopic] != "" {
			topic = st.s.Vars[varTopic]
		}
		st.setVar(varTopic, "")
		st.effects = append(st.effects, Effect{Kind: EffectHandoff, Topic: topic})
		st.say(n.Say...)
		return n.Next, true
	}
	st.effects = append(st.effects, Effect{Kind: EffectEvent, Topic: EventHandoffOffline})
	lines := st.handoffLines(n)
	if n.Offline == "" || st.in.Blocked {
		st.setVar(varTopic, "")
		st.replies = append(st.replies, Reply{Keys: []string{KeyHandoffOffline}, Vars: st.vars(), Cards: lines})
		return n.Next, true
	}
	key := KeyHandoffNobody
	if st.in.OutOfHours {
		key = KeyHandoffAway
	}
	st.replies = append(st.replies, Reply{Keys: []string{key}, Vars: st.vars(), Cards: lines})
	if st.in.OutOfHours {
		if k, at := backKey(st.in.Now, st.in.Back); k != "" {
			st.replies = append(st.replies, Reply{Keys: []string{k}, Vars: map[string]any{"Time": at}})
		}
	}
	st.setVar(varTopic, n.Topic)
	st.setVar(varThen, e.flow.Home) // "no, thanks" goes back to the menu
	return n.Offline, true
}

// handoffLines are the lines given when nobody can answer: those of n's Tags, a tag
// after the other (for feelings, Línea 113 before the emergency's), or the emergency's.
func (st *stepper) handoffLines(n *Node) []Card {
	e := st.e
	if len(n.Tags) == 0 {
		return e.dir.Lines(st.s.Lang, e.flow.Nodes[e.flow.Emergency].Tags, st.s.Vars[VarPlace])
	}
	var out []Card
	for _, tag := range n.Tags {
		for _, c := range e.dir.Lines(st.s.Lang, []string{tag}, st.s.Vars[VarPlace]) {
			if !slices.ContainsFunc(out, func(o Card) bool { return o.ID == c.ID }) {
				out = append(out, c)
			}
		}
	}
	return out
}

// backKey chooses how to say when someone is back: today, tomorrow or on a weekday,
// and the time ("9:00"). Nothing is said when back is unknown or a week away or more.
func backKey(now, back time.Time) (key, at string) {
	if back.IsZero() || !back.After(now) {
		return "", ""
	}
	now = now.In(back.Location())
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, back.Location())
	by, bm, bd := back.Date()
	days := 0
	for day := today; day.Before(time.Date(by, bm, bd, 0, 0, 0, 0, back.Location())); day = day.AddDate(0, 0, 1) {
		days++
		if days >= 7 {
			return "", ""
		}
	}
	at = strconv.Itoa(back.Hour()) + ":" + back.Format("04")
	switch days {
	case 0:
		return KeyHandoffBack + "today", at
	case 1:
		return KeyHandoffBack + "tomorrow", at
	}
	return KeyHandoffBack + strconv.Itoa((int(back.Weekday())+6)%7+1), at
}
