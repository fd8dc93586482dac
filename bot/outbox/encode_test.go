package outbox

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/faro-chat/faro/bot"
	"github.com/faro-chat/faro/bot/store/storetest"
)

func TestEncodeRoundTrip(t *testing.T) {
	for _, m := range []bot.Outbound{
		{},
		{Channel: bot.ChannelWhatsApp, Address: "+51987654321", Text: "Línea 100, gratis"},
		{Channel: bot.ChannelTelegram, Address: "42", Text: "elige", AskLocation: true, LocationLabel: "Enviar ubicación",
			Buttons: []bot.Button{{Label: "Menú", Payload: "home#0"}, {Label: "", Payload: "x"}}},
		{Channel: "webchat", Address: "a", Text: string(make([]byte, 5000)), Operator: true},
	} {
		got, err := decode(encode(nil, m))
		if err != nil || !reflect.DeepEqual(got, m) {
			t.Errorf("decode(encode(%+v)) = %+v, %v", m, got, err)
		}
		// items written as JSON by the earlier version are still read
		old, _ := json.Marshal(m)
		if got, err := decode(old); err != nil || !reflect.DeepEqual(got, m) {
			t.Errorf("decode(JSON) = %+v, %v", got, err)
		}
		// a truncated or extended item is refused, not half read
		b := encode(nil, m)
		for _, bad := range [][]byte{b[:len(b)-1], append(b, 0), {2, 0}} {
			if _, err := decode(bad); err == nil {
				t.Errorf("decode accepted a corrupt item %q", bad)
			}
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(encode(nil, bot.Outbound{Channel: "c", Address: "a", Text: "t", Buttons: []bot.Button{{Label: "l", Payload: "p"}}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decode(b)
		if err == nil && b[0] == encodingV1 {
			if again, _ := decode(encode(nil, m)); !reflect.DeepEqual(again, m) {
				t.Fatalf("not stable: %+v", m)
			}
		}
	})
}

// BenchmarkPutDone is the outbox's cost per reply as the sender pays it: a Put of one
// message (sealed, one HSET in a pipeline) and its Done (one HDEL shared by the
// deletions of the moment), against the test Redis.
func BenchmarkPutDone(b *testing.B) {
	c := storetest.Start(b)
	st, err := New(c, []byte("outbox-bench-secret-0123456789"), "bench", time.Hour, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	m := []bot.Outbound{{Channel: bot.ChannelWhatsApp, Address: "+51987654321",
		Text:    "Si estás en peligro llama a la Línea 100 (gratis, 24 horas) o al 105 de la Policía.\n\n1. Menú\n2. Más opciones",
		Buttons: []bot.Button{{Label: "Menú", Payload: "home#0"}, {Label: "Más opciones", Payload: "more#1"}}}}
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ids, err := st.Put(ctx, m)
			if err != nil {
				b.Error(err)
				return
			}
			_ = st.Done(ctx, ids[0])
		}
	})
}

// BenchmarkSeal is the CPU of sealing one reply (encode + AES-GCM), without Redis.
func BenchmarkSeal(b *testing.B) {
	st, err := New(nil, []byte("outbox-bench-secret-0123456789"), "bench", time.Hour, nil)
	if err != nil {
		b.Fatal(err)
	}
	m := bot.Outbound{Channel: bot.ChannelWhatsApp, Address: "+51987654321",
		Text:    "Si estás en peligro llama a la Línea 100 (gratis, 24 horas) o al 105 de la Policía.\n\n1. Menú\n2. Más opciones",
		Buttons: []bot.Button{{Label: "Menú", Payload: "home#0"}, {Label: "Más opciones", Payload: "more#1"}}}
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		buf = encode(buf[:0], m)
		if _, err := st.seal.Seal(buf); err != nil {
			b.Fatal(err)
		}
		_ = newID(time.Now(), 0)
	}
}
