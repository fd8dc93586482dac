package understand

import "testing"

func TestName(t *testing.T) {
	cases := []struct {
		text  string
		asked bool
		want  string
	}{
		{"me llamo Dani", false, "Dani"},
		{"Me llamo María José y quiero info", false, "María José"},
		{"me llamo Alexandra pero dime Alex", false, "Alex"},
		{"mi nombre social es Camila", false, "Camila"},
		{"Kimberly, así me dicen en la chamba", false, "Kimberly"},
		{"nayeli es mi nombre", false, "nayeli"},
		{"my name is Ana", false, "Ana"},
		{"me chamo Bia", false, "Bia"},
		{"dime kathy nomas", false, "kathy"},
		{"soy la Vale", true, "Vale"},
		{"hola soy la yuri", true, "yuri"},
		{"gaby, asi nomas", true, "gaby"},
		{"Yessica", true, "Yessica"},
		{"soy la Vale", false, ""}, // "soy" means a name only when one was asked
		// who is writing
		{"te escribe Paula", false, "Paula"},
		{"le escribe la paula", false, "paula"},
		{"te habla la Yuli", false, "Yuli"},
		{"soy yo Kathy", false, "Kathy"},
		{"quem fala é a Bia", false, "Bia"},
		{"te escribe mi amiga", false, ""}, // someone else, not a name
		{"le escribe su hermana", false, ""},
		{"te habla una amiga", false, ""},
		{"quem fala é minha amiga", false, ""},
		{"aqui é perigoso", false, ""}, // «aqui é» is no anchor
		{"quiero saber mis derechos", false, ""},
		{"{{.name}}", true, ""}, // never a template
		{"{{.Kiara}}", true, "Kiara"},
		// what follows an anchor is not always a name
		{"no me llamo Victoria", false, ""},        // a correction
		{"don't call me that", false, ""},          // a correction
		{"não me chamo assim", false, ""},          // a correction
		{"tengo q dar mi nombre real?", false, ""}, // a question about the name
		{"puedo exigir q me llamen por mi nombre social en la posta?", false, ""},
		{"can i use my chosen name at the hospital", false, ""},
		{"me llamaron por mi nombre de hombre a proposito", false, ""},
		{"me llamo el doctor, dice q salio reactiva", false, ""}, // he phoned her
		{"el serenazgo me llamo perra", false, ""},               // an insult
		{"apaga minhas mensagens e meu nome pfv", false, ""},
		{"hola, soy nueva x aqui", true, ""}, // what she is, not who
		{"soy trans", true, ""},
		{"quiero darte mi nombre", true, ""},
		{"cambiar mi nombre", true, ""},
		// and still a name
		{"me llamo Alexandra, no me digas Alex", false, "Alexandra"},
		{"meu nome social é Bruna", false, "Bruna"},
		{"my chosen name is Kelly", false, "Kelly"},
		{"kiero q me digas andrea", false, "andrea"},
		{"me yamo daniela", false, "daniela"},
		{"ola soi keyla", true, "keyla"},
		{"Soledad", true, "Soledad"},
		{"Luz Marina", true, "Luz Marina"},
		// asked to be called, in more words (a blind probe's misses, and their family)
		{"pueden llamarme Vale", false, "Vale"},
		{"me puedes decir Yoselin", false, "Yoselin"},
		{"me pueden decir kathy nomas", false, "kathy"},
		{"my name is Carolina but everyone calls me caro", false, "caro"},
		{"todos me dicen la flaca", false, "flaca"},
		// where she is from is not her name; a name with «de» still is
		{"ola soy andreina de vzla", true, "andreina"},
		{"hi im jess from caracas", true, "jess"},
		{"soy Ana de Lima", true, "Ana"},
		{"me llamo María de los Ángeles", false, "María de los Ángeles"},
		{"me llamo Paola de la Cruz", false, "Paola de la Cruz"},
		// what she asks to be told, or when to be called, is no name
		{"pueden decirme si es legal", false, ""},
		{"me puedes decir la direccion", false, ""},
		{"puedes decirme la direccion del cem", false, ""},
		{"me podes decir el horario", false, ""},
		{"me puedes decir algo bonito", false, ""},
		{"me puedes decir quien eres de verdad", false, ""},
		{"me pueden llamar a este numero", false, ""},
		{"puedes llamarme mañana", false, ""},
	}
	for _, c := range cases {
		if got, _ := Name(c.text, c.asked); got != c.want {
			t.Errorf("Name(%q, asked=%v) = %q, want %q", c.text, c.asked, got, c.want)
		}
	}
}

func TestPlaceText(t *testing.T) {
	cases := []struct{ text, want string }{
		{"estoy en sjl", "sjl"},
		// a venue with its article, then the place it is in
		{"me drogaron en una discoteca de barranco", "barranco"},
		{"trabajo en un hostal de lince", "lince"},
		{"vivo en una casa en puente piedra y necesito un abogado", "puente piedra"},
		{"i live in a house in surco", "surco"},
		{"moro em um quarto em miraflores", "miraflores"},
		{"estoy en un hotel de la av arequipa", "la av arequipa"},
		{"toy por la plaza san martin ahorita", "la plaza san martin"},
		{"toy en la victoria", "la victoria"},
		// «tô no», «tô na» (a blind walk's «to no centro de lima perto da praça»); a square
		// said bare is no place, a named one is
		{"to no cusco", "cusco"},
		{"to no centro de lima perto da praça, preciso de camisinha", "centro de lima perto da"},
		{"estou perto da praça", ""},
		{"perto da praça san martin", "praça san martin"},
		{"en la av arequipa nos cobran a todas", "la av arequipa"},
		{"recien llegada a tumbes", "tumbes"},
		{"ando x carabayllo", "carabayllo"},
		{"vivo en comas, cerca del mercado", "comas"},
		{"por huancayo, cerca de la plaza", "huancayo"},
		{"i'm in miraflores", "miraflores"},
		{"estou em lima", "lima"},
		{"por la plaza de armas de lima", "la plaza de armas de lima"},
		{"toy cerca del mercado central de la victoria", "mercado central de la victoria"},
		{"en la plaza de armas de trujillo ahorita", "la plaza de armas de trujillo"},
		{"por la puerta del hospital de chorrillos y tengo miedo", "la puerta del hospital de chorrillos"},
		{"near the historic center of lima", "historic center of lima"},
		{"im in the san isidro area", "san isidro area"},
		{"in the end i left", "end"}, // looked up, found nowhere: no place
		{"por favor ayudame", ""},
		{"en serio no se", ""},
		{"estoy en peligro", ""},
	}
	for _, c := range cases {
		if got, _ := PlaceText(c.text); got != c.want {
			t.Errorf("PlaceText(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
