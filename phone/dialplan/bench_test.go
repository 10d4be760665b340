package dialplan

import "testing"

// BenchmarkNormalize measures one dial's worth of work per input shape; the
// listener calls Normalize once per request, so this is its per-dial cost.
func BenchmarkNormalize(b *testing.B) {
	rules := ruleSets["de-pbx"]
	for _, bc := range []struct{ name, in string }{
		{"extension", "204"},
		{"service", "*21#"},
		{"national", "030 1234567"},
		{"label+trunk-in-parens", "Tel.: +49 (0)30 123 45-67"},
		{"tel-uri-international", "tel:+1-201-555-0123;ext=45"},
		{"local", "1234567"},
		{"short-code", "11833"},
		{"vanity-us", "1-800-FLOWERS"},
		{"fullwidth", "\uff10\uff13\uff10 \uff11\uff12\uff13\uff14\uff15\uff16\uff17"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := rules.Normalize(bc.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCheckBlocked measures the blocked list check with Germany's
// defaults, which runs for every dial a web page or link asks for.
func BenchmarkCheckBlocked(b *testing.B) {
	rules := ruleSets["de-pbx"]
	for _, in := range []string{"030 1234567", "*21*0900123456#"} {
		res, err := rules.Normalize(in)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = rules.CheckBlocked(res)
			}
		})
	}
}
