package flows_test

import "testing"

// TestEraseNeedsAWordOfErasing: «my boss takes everything i earn» was asked whether to
// erase her data: «everything» weighs toward erasing in the model. Its reading of
// erasing is taken only with a word that asks to erase, delete, forget or leave no
// trace; every way of asking it in the corpus has one.
func TestEraseNeedsAWordOfErasing(t *testing.T) {
	e, _ := realEngine(t)
	wantNotIntent(t, e, "cmd_erase", "my boss takes everything i earn", "they took everything from me", "todo lo que gano se lo lleva el",
		"ele leva tudo que eu ganho", "lost everything last night", "se llevaron todo")
	wantIntent(t, e, "cmd_erase",
		"borra todo", "limpa essa conversa", "delete everything", "wipe this conversation", "olvida lo que te dije",
		"no quiero q quede nada de lo q escribi", "esquece tudo que eu te contei, apaga", "quiero borrar todo rastro")
}

// TestEraseCommandWithCourtesy: «apagar meus dados por favor» (a blind probe's) got the
// menu for going quiet: «dados» is also her mobile data. The erase command said with
// courtesy asks to erase; going quiet said alone is read as before.
func TestEraseCommandWithCourtesy(t *testing.T) {
	e, _ := realEngine(t)
	wantIntent(t, e, "cmd_erase", "apagar meus dados por favor", "borra mis datos porfa", "delete my data please")
	wantIntent(t, e, "cmd_help", "to sem dados", "fiquei sem dados")
}
