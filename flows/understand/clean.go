package understand

import "slices"

// cleanWords say she is clean of an infection («quiero saber si estoy limpia», «am i
// clean?», «quero saber se to limpa»); cleanAsk, that she asks or wants to know it.
var (
	cleanWords = wordSet("limpia", "limpio", "limpa", "limpo", "clean", "sana", "sano")
	cleanAsk   = wordSet("saber", "know", "check", "checked", "sure", "segura", "seguro",
		"estoy", "estare", "to", "tou", "estou", "am", "im", "if", "si", "se", "test", "prueba",
		"examen", "exame", "teste")
	// cleanNotIt are her data, a place, drugs: «limpia mis datos», «el cuarto está limpio»
	cleanNotIt = wordSet("datos", "data", "chat", "mensajes", "messages", "historial", "history",
		"conversacion", "conversation", "cuarto", "casa", "quarto", "room", "house", "hotel",
		"droga", "drogas", "drugs", "drug", "sober", "sobria", "limpieza", "cleaning", "trabajo",
		"work", "job", "borra", "borrar", "erase", "delete", "apaga")
)

// CleanAsked tells a message that asks whether she is clean of an infection: a test is
// what she wants (her health).
func CleanAsked(tokens []string) bool {
	return slices.ContainsFunc(tokens, func(t string) bool { return cleanWords[t] }) && // most have none: one look-up a word
		slices.ContainsFunc(tokens, func(t string) bool { return cleanAsk[t] }) &&
		!slices.ContainsFunc(tokens, func(t string) bool { return cleanNotIt[t] })
}
