package flows_test

import "time"

// transcript is one golden conversation: the user's lines, and phrases the replies
// must contain whatever else changes (so a regenerated golden file cannot silently
// lose what matters).
type transcript struct {
	name   string
	about  string
	lang   string
	now    time.Time // the clock; transcriptNow when zero
	lines  []string
	checks []string
}

// home menu: 1 emergency, 2 services, 3 rights, 4 violence, 5 health, 6 migrant,
// 7 sex work, 8 feelings, 9 person, 10 more.
var transcripts = []transcript{
	{name: "01_welcome", about: "a first hello gets the welcome, the privacy promise and the main menu",
		lines: []string{"hola"}, checks: []string{"1. ", "10. "}},
	{name: "02_emergency_first_message", about: "a call for help as the very first message gets the numbers at once",
		lines: []string{"me están pegando"}, checks: []string{"105", "100"}},
	{name: "03_emergency_typos_and_emoji", about: "danger words with typos, shouting, repeated letters and emoji",
		lines:  []string{"hola", "AUXILIOOO", "0", "socoro", "0", "🆘", "0", "ayudenme x favor", "0", "me quieren matar!!"},
		checks: []string{"105"}},
	{name: "04_emergency_from_every_kind", about: "the emergency interrupt from a menu, a question, the language and erase nodes",
		lines:  []string{"hola", "4", "auxilio", "atrás", "2", "1", "emergencia", "idioma", "me estan pegando", "borrar", "sos"},
		checks: []string{"105"}},
	{name: "05_emergency_english", about: "English danger phrases, in a Spanish conversation", lang: "es",
		lines: []string{"hola", "help me", "0", "he is hitting me"}, checks: []string{"105"}},
	{name: "06_rights", about: "my rights and every option under it",
		lines: []string{"hola", "3", "1", "2", "3", "0"}},
	{name: "07_violence", about: "what to do about violence: now, how to report, police, extortion, shelter",
		lines: []string{"hola", "4", "1", "2", "3", "4", "5"}, checks: []string{"1818", "0800-15-170", "111"}},
	{name: "08_police_violence_typed", about: "typing about police violence leads to Inspectoría, Fiscalía and Defensoría",
		lines: []string{"la policia me quito mi plata"}, checks: []string{"Inspector", "Defensor"}},
	{name: "09_health", about: "health: tests, PrEP/PEP, SIS, mental health line 113 option 5, urgent care",
		lines: []string{"hola", "5", "1", "2", "3", "4", "0", "5", "5"}, checks: []string{"113"}},
	{name: "10_migrant", about: "migrant people: reporting without papers, police asking for documents, where to get help",
		lines: []string{"hola", "6", "1", "2", "3"}},
	{name: "11_sexwork_trafficking", about: "sex work, trafficking, exploitation and proxenetismo, and where each kind of help is",
		lines: []string{"hola", "7", "1", "2", "3"}, checks: []string{"1818"}},
	{name: "12_feelings", about: "emotional first support: a calm exercise, then feeling better",
		lines: []string{"hola", "8", "1", "1"}},
	{name: "13_operator_offline", about: "asking for a person in words, with nobody online: honest, with numbers",
		lines: []string{"quiero hablar con una persona", "0", "9"}, checks: []string{"100"}},
	{name: "14_services_district", about: "services near a typed district, more results, another place",
		lines: []string{"hola", "2", "1", "sjl", "1", "2", "cusco"}},
	{name: "15_services_ambiguous_place", about: "an ambiguous place name gets a short numbered choice",
		lines: []string{"hola", "2", "1", "san juan", "2"}},
	{name: "16_services_unknown_place", about: "an unknown place is answered kindly with the national lines",
		lines: []string{"hola", "2", "1", "narnia", "lima"}, checks: []string{"100"}},
	{name: "17_services_pin", about: "a location pin sent without being asked sets the place; the next search does not ask",
		lines: []string{"hola", "/location -11.99,-77.01", "1"}},
	{name: "18_shelter_no_address", about: "shelters: no address is ever given, the route is the CEM and Línea 100",
		lines: []string{"hola", "2", "8"}, checks: []string{"100"}},
	{name: "19_language_switch", about: "switching language mid-conversation and back",
		lines: []string{"hola", "4", "idioma", "2", "3", "language", "Español"}},
	{name: "20_english_user", about: "a phone in English gets English", lang: "en",
		lines: []string{"hi", "1", "0", "3"}},
	{name: "21_erase_confirmed", about: "erase my data, confirmed: everything goes, the next message starts over",
		lines: []string{"hola", "10", "2", "Ana", "borrar", "1", "hola"}},
	{name: "22_erase_cancelled", about: "erase my data, cancelled: back where the person was",
		lines: []string{"hola", "4", "borrar mis datos", "2"}},
	{name: "23_back_navigation", about: "back, back, back: retraces the path and ends at the main menu",
		lines: []string{"hola", "4", "1", "atras", "volver", "atrás"}},
	{name: "24_unknown_input", about: "text, emoji, media and a huge message that fit nothing get a kind reply and the options",
		lines: []string{"hola", "asdfgh", "👍", "/voice", "/sticker",
			"Hola, buenas noches, quería preguntar algo que me pasó ayer con un cliente en el hotel y no sé muy bien qué hacer porque no tengo a quién contarle y estoy un poco confundida con todo lo que pasó, la verdad no sé si esto se puede contar aquí o no, disculpa que escriba tanto pero necesitaba decirlo a alguien, gracias por leer"}},
	{name: "25_typos_accents_labels", about: "options picked by typing their label, with typos and accents",
		lines: []string{"hola", "DERECHOS", "0", "salud", "salud mental", "0", "migrantes", "menú"}},
	{name: "26_number_words", about: "numbers as words, with 'opción', and as keycap emoji",
		lines: []string{"hola", "tres", "0", "opción 4", "0", "1️⃣"}},
	{name: "27_social_name", about: "the social name is asked kindly, optional, and used",
		lines: []string{"hola", "10", "2", "Valentina", "0"}, checks: []string{"Valentina"}},
	{name: "28_deep_link_and_stale_button", about: "a deep link start, then a button pressed on an older message",
		lines: []string{"/start redtrasex", "4", "[home#2]"}},
	{name: "29_out_of_range_numbers", about: "numbers that are not options get the options again",
		lines: []string{"hola", "15", "4", "99"}},
	{name: "30_intents_from_anywhere", about: "topics typed from a nested menu jump there",
		lines: []string{"hola", "5", "no tengo papeles, me pueden atender?", "me siento muy triste", "donde me hago la prueba de vih"}},
	{name: "31_crisis_self_harm", about: "words of self-harm get Línea 113 option 5 at once; danger from others still gets the police",
		lines:  []string{"me quiero morir", "0", "me quieren matar", "0", "ya no quiero vivir", "0", "i want to kill myself"},
		checks: []string{"113", "105"}},
	{name: "32_hurried_misspelled", about: "a hurried person types without accents, with typos, in capitals",
		lines: []string{"AYUDA", "0", "nesecito un dotor", "servisios", "1", "san juan de luriganco"}},
	{name: "33_police_want_to_take_me", about: "police asking for papers or taking someone away: the rights when held for identification",
		lines: []string{"la policia me quiere llevar y no tengo dni"}, checks: []string{"4 horas", "1818"}},
	{name: "34_everyday_phrases", about: "thanks, cost, a lawyer, an eviction, reporting: everyday words find their topic",
		lines:  []string{"hola", "quiero denunciar", "cuanto cuesta", "no tengo plata para abogado", "me botaron del cuarto", "muchas gracias"},
		checks: []string{"Ley 30364", "ALEGRA", "Con gusto"}},
	{name: "35_saturday_night_open_now", about: "on a Saturday night, the nearest places say when they open; 'open now only' keeps the 24-hour ones",
		now:   time.Date(2026, 11, 28, 23, 30, 0, 0, time.FixedZone("PET", -5*3600)),
		lines: []string{"hola", "2", "1", "lima", "2", "1"}, checks: []string{"Cerrado ahora", "Abierto 24 horas"}},
	{name: "36_english_by_name", about: "writing «English», as the welcome says, switches at once, from anywhere",
		lines: []string{"hola", "4", "English", "1"}, checks: []string{"write to you in English now"}},
}
