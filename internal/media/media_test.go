package media

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"
)

// oggPages splits an Ogg stream into pages, checking each one's checksum.
func oggPages(t *testing.T, b []byte) (packets [][]byte, granules []uint64, flags []byte) {
	t.Helper()
	for len(b) > 0 {
		if len(b) < 27 || string(b[:4]) != "OggS" {
			t.Fatalf("not an Ogg page: % x", b[:min(8, len(b))])
		}
		nseg := int(b[26])
		size := 0
		for _, l := range b[27 : 27+nseg] {
			size += int(l)
		}
		page := append([]byte(nil), b[:27+nseg+size]...)
		want := binary.LittleEndian.Uint32(page[22:])
		binary.LittleEndian.PutUint32(page[22:], 0)
		if got := oggCRC(page); got != want {
			t.Fatalf("page %d: checksum %08x, want %08x", len(packets), want, got)
		}
		packets = append(packets, page[27+nseg:])
		granules = append(granules, binary.LittleEndian.Uint64(page[6:]))
		flags = append(flags, page[5])
		b = b[len(page):]
	}
	return
}

func TestVoiceToOggRemuxesWebM(t *testing.T) {
	webm, err := os.ReadFile("../sandbox/samples/files/voice.webm")
	if err != nil {
		t.Fatal(err)
	}
	out, err := VoiceToOgg(webm, "audio/webm;codecs=opus")
	if err != nil {
		t.Fatal(err)
	}
	packets, granules, flags := oggPages(t, out)
	if len(packets) < 10 || string(packets[0][:8]) != "OpusHead" || string(packets[1][:8]) != "OpusTags" {
		t.Fatalf("%d packets, headers %q %q", len(packets), packets[0][:8], packets[1][:8])
	}
	if flags[0] != 0x02 || flags[len(flags)-1] != 0x04 {
		t.Errorf("BOS/EOS flags = %x … %x", flags[0], flags[len(flags)-1])
	}
	// The sample is 2 s of audio: 96 000 samples at 48 kHz, plus the encoder's pre-skip.
	preskip := uint64(binary.LittleEndian.Uint16(packets[0][10:12]))
	if d := granules[len(granules)-1] - preskip; d < 95000 || d > 98000 {
		t.Errorf("duration %d samples, want about 96000", d)
	}
	ogg, _ := os.ReadFile("../sandbox/samples/files/voice.ogg")
	if same, err := VoiceToOgg(ogg, "audio/ogg"); err != nil || !bytes.Equal(same, ogg) {
		t.Error("Ogg input should pass through unchanged")
	}
	if _, err := VoiceToOgg([]byte("RIFF...."), "audio/wav"); err == nil {
		t.Error("WAV accepted as a voice note")
	}
}

func TestSniff(t *testing.T) {
	png, _ := os.ReadFile("../sandbox/samples/files/photo.png")
	for _, c := range []struct {
		data           []byte
		declared, want string
	}{
		{png, "image/png", "image/png"},
		{png, "application/pdf", "image/png"},
		{[]byte("<html><script>alert(1)</script>"), "image/png", "text/html; charset=utf-8"},
		{[]byte("OggS\x00\x02"), "audio/ogg; codecs=opus", "audio/ogg; codecs=opus"},
		{[]byte{1, 2, 3}, "application/vnd.ms-excel", "application/vnd.ms-excel"},
	} {
		if got := Sniff(c.data, c.declared); got != c.want {
			t.Errorf("Sniff(%q) = %q, want %q", c.declared, got, c.want)
		}
	}
}

func FuzzWebM(f *testing.F) {
	if b, err := os.ReadFile("../sandbox/samples/files/voice.webm"); err == nil {
		f.Add(b[:min(len(b), 600)])
	}
	f.Add([]byte{0x1a, 0x45, 0xdf, 0xa3, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = VoiceToOgg(b, "audio/webm")
	})
}
