package media

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
)

// VoiceToOgg turns a browser recording into the Ogg/Opus file WhatsApp and Telegram play as a
// voice note. Chromium records WebM/Opus; the Opus packets are moved into Ogg pages as they
// are (no re-encoding, so no quality loss and almost no CPU). Ogg/Opus input is returned as it
// is; anything else is refused with an error naming the format.
func VoiceToOgg(data []byte, mime string) ([]byte, error) {
	if bytes.HasPrefix(data, []byte("OggS")) {
		return data, nil
	}
	if !strings.HasPrefix(mime, "audio/webm") && !strings.HasPrefix(mime, "video/webm") {
		return nil, fmt.Errorf("voice notes must be Ogg/Opus or WebM/Opus, not %s", mime)
	}
	t, err := readWebMOpus(data)
	if err != nil {
		return nil, err
	}
	return writeOggOpus(t), nil
}

// writeOggOpus writes the identification and comment headers, then one page per packet with
// the granule position (48 kHz samples, pre-skip included) at its end.
func writeOggOpus(t opusTrack) []byte {
	var out bytes.Buffer
	const serial = 0x5357424f // any fixed stream serial will do for a single stream
	seq := uint32(0)
	page := func(flags byte, granule uint64, packet []byte) {
		var h [27]byte
		copy(h[:], "OggS")
		h[5] = flags
		binary.LittleEndian.PutUint64(h[6:], granule)
		binary.LittleEndian.PutUint32(h[14:], serial)
		binary.LittleEndian.PutUint32(h[18:], seq)
		seq++
		var lacing []byte
		n := len(packet)
		for ; n >= 255; n -= 255 {
			lacing = append(lacing, 255)
		}
		lacing = append(lacing, byte(n))
		h[26] = byte(len(lacing))
		start := out.Len()
		out.Write(h[:])
		out.Write(lacing)
		out.Write(packet)
		b := out.Bytes()[start:]
		binary.LittleEndian.PutUint32(b[22:], oggCRC(b))
	}
	page(0x02, 0, t.head)
	tags := []byte("OpusTags")
	vendor := "switchboard"
	tags = binary.LittleEndian.AppendUint32(tags, uint32(len(vendor)))
	tags = append(tags, vendor...)
	tags = binary.LittleEndian.AppendUint32(tags, 0)
	page(0, 0, tags)
	granule := uint64(binary.LittleEndian.Uint16(t.head[10:12]))
	for i, f := range t.frames {
		granule += uint64(opusSamples(f))
		flags := byte(0)
		if i == len(t.frames)-1 {
			flags = 0x04
		}
		page(flags, granule, f)
	}
	return out.Bytes()
}

// opusSamples is a packet's duration at 48 kHz, from its TOC byte (RFC 6716 §3.1).
func opusSamples(p []byte) int {
	if len(p) == 0 {
		return 0
	}
	config := p[0] >> 3
	var frame int
	switch {
	case config < 12:
		frame = []int{480, 960, 1920, 2880}[config%4]
	case config < 16:
		frame = []int{480, 960}[config%2]
	default:
		frame = []int{120, 240, 480, 960}[config%4]
	}
	switch p[0] & 3 {
	case 0:
		return frame
	case 1, 2:
		return 2 * frame
	}
	if len(p) < 2 {
		return 0
	}
	return int(p[1]&0x3F) * frame
}

var crcTable = func() (t [256]uint32) {
	for i := range t {
		r := uint32(i) << 24
		for j := 0; j < 8; j++ {
			if r&0x80000000 != 0 {
				r = r<<1 ^ 0x04c11db7
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return t
}()

// oggCRC is the page checksum (CRC-32, polynomial 0x04c11db7, not reflected), computed with the
// checksum field zero.
func oggCRC(page []byte) uint32 {
	var crc uint32
	for _, b := range page {
		crc = crc<<8 ^ crcTable[byte(crc>>24)^b]
	}
	return crc
}
