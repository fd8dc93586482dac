package phone

import "testing"

func TestClassifyAndDisplay(t *testing.T) {
	cases := []struct {
		in      string
		kind    Kind
		display string
	}{
		{"+51932854358", Mobile, "932 854 358"},
		{"+5113110300", Landline, "01 311 0300"},
		{"+5112001000", Landline, "01 200 1000"},
		{"+5144123456", Landline, "044 123456"},
		{"100", Short, "100"},
		{"1818", Short, "1818"},
		{"0800-15-170", TollFree, "0800-15-170"},
		{"932854358", Invalid, "932854358"},
		{"+51 932 854 358", Invalid, "+51 932 854 358"},
		{"+519328543580", Invalid, "+519328543580"},
		{"+5110123456", Invalid, "+5110123456"},
		{"+5104123456", Invalid, "+5104123456"},
		{"+34912345678", Invalid, "+34912345678"},
		{"911", Invalid, "911"},
		{"0800-2-3232", Invalid, "0800-2-3232"},
		{"", Invalid, ""},
	}
	for _, c := range cases {
		if got := Classify(c.in); got != c.kind {
			t.Errorf("Classify(%q) = %v, want %v", c.in, got, c.kind)
		}
		if got := Display(c.in); got != c.display {
			t.Errorf("Display(%q) = %q, want %q", c.in, got, c.display)
		}
		if (Check(c.in) == nil) != (c.kind != Invalid) {
			t.Errorf("Check(%q) = %v", c.in, Check(c.in))
		}
	}
}

func TestFromLocal(t *testing.T) {
	good := map[string]string{
		"932 854 358":     "+51932854358",
		"932854358":       "+51932854358",
		"(01) 311-0300":   "+5113110300",
		"01 3110300":      "+5113110300",
		"044-123456":      "+5144123456",
		"+51 932 854 358": "+51932854358",
		"51 1 311 0300":   "+5113110300",
	}
	for in, want := range good {
		if got, err := FromLocal(in); err != nil || got != want {
			t.Errorf("FromLocal(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	// Ambiguous or broken: no guessing of area codes or dropped digits.
	for _, in := range []string{"9329499263", "311-0300", "123456", "", "0800-15-170", "100"} {
		if got, err := FromLocal(in); err == nil {
			t.Errorf("FromLocal(%q) = %q, want an error", in, got)
		}
	}
}
