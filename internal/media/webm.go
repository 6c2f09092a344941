package media

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// EBML ids (with their length markers, as they appear in the file) the WebM reader needs.
const (
	idSegment      = 0x18538067
	idCluster      = 0x1F43B675
	idTracks       = 0x1654AE6B
	idTrackEntry   = 0xAE
	idTrackNumber  = 0xD7
	idCodecID      = 0x86
	idCodecPrivate = 0x63A2
	idAudio        = 0xE1
	idChannels     = 0x9F
	idBlockGroup   = 0xA0
	idBlock        = 0xA1
	idSimpleBlock  = 0xA3
)

// masters are the elements whose children the reader walks; every other element is skipped
// whole. Walking children in place also handles the unknown sizes a live recorder writes for
// the Segment and its Clusters.
var masters = map[uint64]bool{idSegment: true, idCluster: true, idTracks: true, idTrackEntry: true,
	idAudio: true, idBlockGroup: true}

// opusTrack is what the WebM reader found: the Opus header and the frames in order.
type opusTrack struct {
	head     []byte // OpusHead, from CodecPrivate (or built from the channel count)
	channels int
	frames   [][]byte
}

var errNotOpus = errors.New("media: not a WebM file with an Opus audio track")

// readWebMOpus extracts the Opus packets of the first Opus track of a WebM file, without
// decoding them.
func readWebMOpus(data []byte) (opusTrack, error) {
	var t opusTrack
	track, curTrack := uint64(0), uint64(0)
	codec := ""
	for pos := 0; pos < len(data); {
		id, n := vint(data[pos:], true)
		if n == 0 {
			return t, fmt.Errorf("media: bad EBML id at %d", pos)
		}
		size, m := vint(data[pos+n:], false)
		if m == 0 {
			return t, fmt.Errorf("media: bad EBML size at %d", pos)
		}
		body := pos + n + m
		if masters[id] {
			pos = body
			continue
		}
		end := body + int(size)
		if size > uint64(len(data)) || end > len(data) {
			end = len(data) // a recording cut short: keep what is whole
		}
		v := data[body:end]
		switch id {
		case idTrackNumber:
			curTrack = uintBE(v)
		case idCodecID:
			codec = string(v)
			if codec == "A_OPUS" && track == 0 {
				track = curTrack
			}
		case idCodecPrivate:
			if codec == "A_OPUS" && len(v) >= 19 && string(v[:8]) == "OpusHead" {
				t.head = append([]byte(nil), v...)
			}
		case idChannels:
			t.channels = int(uintBE(v))
		case idSimpleBlock, idBlock:
			if f, ok := blockFrame(v, track); ok {
				t.frames = append(t.frames, f)
			}
		}
		pos = end
	}
	if track == 0 && len(t.frames) == 0 {
		return t, errNotOpus
	}
	if t.head == nil {
		t.head = opusHead(t.channels)
	}
	return t, nil
}

// blockFrame returns a block's frame when it belongs to track; laced blocks are not written by
// browser recorders and are refused rather than misread.
func blockFrame(b []byte, track uint64) ([]byte, bool) {
	tn, n := vint(b, false)
	if n == 0 || len(b) < n+3 || (track != 0 && tn != track) {
		return nil, false
	}
	flags := b[n+2]
	if flags&0x06 != 0 {
		return nil, false
	}
	return b[n+3:], true
}

// vint reads an EBML variable-length integer; keepMarker for element ids.
func vint(b []byte, keepMarker bool) (uint64, int) {
	if len(b) == 0 || b[0] == 0 {
		return 0, 0
	}
	l := 1
	for mask := byte(0x80); b[0]&mask == 0; mask >>= 1 {
		l++
	}
	if l > 8 || len(b) < l {
		return 0, 0
	}
	v := uint64(b[0])
	if !keepMarker {
		v &= uint64(0xFF >> l)
	}
	allOnes := v == uint64(0xFF>>l)
	for i := 1; i < l; i++ {
		v = v<<8 | uint64(b[i])
		allOnes = allOnes && b[i] == 0xFF
	}
	if !keepMarker && allOnes {
		return ^uint64(0), l // unknown size
	}
	return v, l
}

func uintBE(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

// opusHead builds the identification header for a track that carried none.
func opusHead(channels int) []byte {
	if channels <= 0 || channels > 2 {
		channels = 1
	}
	h := make([]byte, 19)
	copy(h, "OpusHead")
	h[8], h[9] = 1, byte(channels)
	binary.LittleEndian.PutUint16(h[10:], 312)
	binary.LittleEndian.PutUint32(h[12:], 48000)
	return h
}
