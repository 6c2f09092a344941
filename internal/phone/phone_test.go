package phone

import "testing"

func TestE164(t *testing.T) {
	cases := []struct{ raw, region, want string }{
		{"8 (916) 123-45-67", "RU", "+79161234567"},
		{"+7 916 123 45 67", "", "+79161234567"},
		{"+34 612 34 56 78", "RU", "+34612345678"},
		{"612 345 678", "ES", "+34612345678"},
		{"(415) 555-0132", "US", "+14155550132"},
		{"12", "RU", ""},
		{"hello", "RU", ""},
		// Letters are never read as keypad digits.
		{"+7 916 ABC-DE-FG", "RU", ""},
		{"1-800-FLOWERS", "US", ""},
		{"+7 916 123-45-6Б", "RU", ""},
		{"+7 916 123 45 67 ext. 5", "RU", ""},
		{"", "RU", ""},
	}
	for _, c := range cases {
		got, err := E164(c.raw, c.region)
		if c.want == "" {
			if err == nil {
				t.Errorf("E164(%q, %q) = %q, want an error", c.raw, c.region, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("E164(%q, %q) = %q, %v; want %q", c.raw, c.region, got, err, c.want)
		}
	}
	if got := FromWAID("79161234567"); got != "+79161234567" {
		t.Errorf("FromWAID = %q", got)
	}
	if got := FromWAID("IN.16481"); got != "" {
		t.Errorf("FromWAID(bsuid) = %q, want empty", got)
	}
}

func FuzzE164(f *testing.F) {
	for _, s := range []string{"8 (916) 123-45-67", "+7 916 123 45 67", "+", "++1", "0000", "\x00", "+٣٣٣٣٣٣٣٣"} {
		f.Add(s, "RU")
	}
	f.Fuzz(func(t *testing.T, raw, region string) {
		got, err := E164(raw, region)
		if err == nil && (len(got) < 2 || got[0] != '+') {
			t.Fatalf("E164(%q) = %q without error but not E.164", raw, got)
		}
		FromWAID(raw)
	})
}

func TestInternational(t *testing.T) {
	for _, c := range []struct{ digits, region, want string }{
		{"89161234567", "RU", "79161234567"}, {"8916123", "ru", "7916123"}, {"79161234567", "RU", ""},
		{"02079460000", "GB", "442079460000"}, {"612345678", "ES", ""}, {"8916", "", ""},
	} {
		if got := International(c.digits, c.region); got != c.want {
			t.Errorf("International(%q, %q) = %q, want %q", c.digits, c.region, got, c.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for in, want := range map[string]string{"+79161234567": "+7 916 123-45-67", "+14155550134": "+1 415-555-0134", "abc": "abc"} {
		if got := Format(in); got != want {
			t.Errorf("Format(%q) = %q, want %q", in, got, want)
		}
	}
}
