package understand

import "strings"

// serviceStaff name a public service or its staff: «en la posta», «nurse», «no hospital».
var serviceStaff = wordSet("hospital", "posta", "clinica", "clinic", "enfermera", "enfermero",
	"enfermeira", "enfermeiro", "nurse", "doctor", "doctora", "medico", "medica", "staff",
	"admision", "recepcion", "municipalidad", "prefeitura", "oficina", "office", "ventanilla",
	"funcionario", "funcionaria", "atendente", "upa", "essalud", "minsa", "cem")

// mistreatStems begin the words of being mistreated there: discriminated, insulted,
// humiliated, mocked, refused.
var mistreatStems = []string{"discrimin", "insult", "xing", "humill", "humilh", "burl",
	"maltrat", "ofend", "juzg", "julg", "racis", "xenofob", "refus", "negar", "negaron", "rude",
	"grit", "despreci", "desprez"}

// MistreatedAtAService tells a message that says she was mistreated or discriminated
// at a public service or by its staff («nurse insulted me for being a sex worker, i want
// to report her», «onde faço denúncia de discriminação no hospital»): a complaint
// about a service, which the model reads as a report of violence because of «report».
func MistreatedAtAService(tokens []string) bool {
	staff, mistreated := false, false
	for _, t := range tokens {
		staff = staff || serviceStaff[t]
		for _, s := range mistreatStems {
			mistreated = mistreated || strings.HasPrefix(t, s)
		}
	}
	return staff && mistreated && !HurtTold(tokens)
}
