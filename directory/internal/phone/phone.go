// Package phone checks and formats Peruvian phone numbers. Data keeps subscriber numbers
// in E.164 ("+5113110300", "+51932854358"); people see them as dialled from a phone in
// Peru ("01 311 0300", "932 854 358"). Short codes ("100", "1818") and toll-free numbers
// ("0800-15-170") are kept and shown as written.
package phone

import (
	"fmt"
	"strings"
)

// Kind is the kind of a valid number.
type Kind int

// Kinds of numbers.
const (
	Invalid  Kind = iota
	Mobile        // +51 9xx xxx xxx
	Landline      // +51 1 xxx xxxx (Lima, Callao) or +51 aa xxxxxx (regions)
	Short         // 100, 105, 1818
	TollFree      // 0800-15-170
)

// Classify tells what kind of number s is in data format, or Invalid.
func Classify(s string) Kind {
	switch {
	case strings.HasPrefix(s, "+51") && allDigits(s[3:]):
		n := s[3:]
		switch {
		case len(n) == 9 && n[0] == '9':
			return Mobile
		case len(n) == 8 && n[0] == '1' && n[1] >= '2':
			return Landline // Lima and Callao: 1 + 7 digits
		case len(n) == 8 && n[0] >= '4' && n[0] <= '8' && n[1] != '0':
			return Landline // regions: 2-digit area code + 6 digits
		}
	case (len(s) == 3 || len(s) == 4) && s[0] == '1' && allDigits(s):
		return Short
	case len(s) == 11 && strings.HasPrefix(s, "0800-") && s[7] == '-' && allDigits(s[5:7]) && allDigits(s[8:]):
		return TollFree
	}
	return Invalid
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Check returns an error explaining why s is not a number in data format.
func Check(s string) error {
	if Classify(s) != Invalid {
		return nil
	}
	if strings.HasPrefix(s, "+") && !strings.HasPrefix(s, "+51") {
		return fmt.Errorf("phone %q: not a Peruvian number", s)
	}
	return fmt.Errorf("phone %q: want E.164 (+51 and 9 digits for a mobile, +511 and 7 digits for Lima, +51 and 8 digits for a regional landline), a short code like 100, or 0800-NN-NNN", s)
}

// Display returns the number as a person dials it in Peru; invalid input is returned as is.
func Display(s string) string {
	switch Classify(s) {
	case Mobile:
		n := s[3:]
		return n[:3] + " " + n[3:6] + " " + n[6:]
	case Landline:
		n := s[3:]
		if n[0] == '1' {
			return "01 " + n[1:4] + " " + n[4:]
		}
		return "0" + n[:2] + " " + n[2:]
	}
	return s
}

// Digits returns the digits of s.
func Digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FromLocal converts a number written by a Peruvian source ("932 854 358", "(01)
// 311-0300", "01 3110300", "044-123456") into E.164. It accepts only unambiguous forms: a
// 9-digit mobile starting with 9, or a landline with its area code (01 for Lima, 0aa for
// the regions). It does not guess missing area codes.
func FromLocal(s string) (string, error) {
	d := Digits(s)
	switch {
	case strings.HasPrefix(d, "51") && len(d) >= 10:
		d = d[2:]
		if d[0] != '9' {
			d = "0" + d
		}
	}
	var e string
	switch {
	case len(d) == 9 && d[0] == '9':
		e = "+51" + d
	case len(d) == 9 && strings.HasPrefix(d, "01"):
		e = "+511" + d[2:]
	case len(d) == 9 && d[0] == '0':
		e = "+51" + d[1:]
	default:
		return "", fmt.Errorf("phone %q: not a complete Peruvian number", s)
	}
	if Classify(e) == Invalid {
		return "", fmt.Errorf("phone %q: not a valid Peruvian number", s)
	}
	return e, nil
}
