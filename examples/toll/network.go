package main

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// message is what travels between roles: who sent it, what it is, and a
// body that is always a record's bytes or plain bytes. Roles share nothing
// else.
type message struct {
	from, topic string
	body        []byte
}

// encode returns u16(len from) || from || u16(len topic) || topic || body.
func (m message) encode() []byte {
	b := binary.BigEndian.AppendUint16(nil, uint16(len(m.from)))
	b = append(b, m.from...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(m.topic)))
	b = append(b, m.topic...)
	return append(b, m.body...)
}

func decode(b []byte) (message, error) {
	var m message
	field := func() (string, bool) {
		if len(b) < 2 {
			return "", false
		}
		n := int(binary.BigEndian.Uint16(b))
		if len(b) < 2+n {
			return "", false
		}
		s := string(b[2 : 2+n])
		b = b[2+n:]
		return s, true
	}
	var ok1, ok2 bool
	m.from, ok1 = field()
	m.topic, ok2 = field()
	if !ok1 || !ok2 {
		return message{}, errors.New("truncated message")
	}
	m.body = b
	return m, nil
}

// network is a set of inboxes, one byte channel per role.
type network struct {
	boxes map[string]chan []byte
}

func newNetwork() *network { return &network{boxes: make(map[string]chan []byte)} }

// inbox creates the inbox of a role; all inboxes exist before any role
// starts.
func (n *network) inbox(name string) chan []byte {
	c := make(chan []byte, 8192)
	n.boxes[name] = c
	return c
}

func (n *network) send(from, to, topic string, body []byte) {
	box, ok := n.boxes[to]
	if !ok {
		panic(fmt.Sprintf("no role %q", to))
	}
	box <- message{from: from, topic: topic, body: body}.encode()
}

// receive returns the next message of an inbox.
func receive(box chan []byte) message {
	m, err := decode(<-box)
	if err != nil {
		panic(err) // only this program writes to the inboxes
	}
	return m
}

// u64 and readU64 carry numbers in bodies.
func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func readU64(b []byte) (uint64, []byte) {
	if len(b) < 8 {
		return 0, nil
	}
	return binary.BigEndian.Uint64(b), b[8:]
}

// list encodes byte strings as u32(len) || bytes each, for bodies that
// carry several records.
func list(items ...[]byte) []byte {
	var b []byte
	for _, it := range items {
		b = binary.BigEndian.AppendUint32(b, uint32(len(it)))
		b = append(b, it...)
	}
	return b
}

func unlist(b []byte) [][]byte {
	var out [][]byte
	for len(b) >= 4 {
		n := int(binary.BigEndian.Uint32(b))
		if len(b) < 4+n {
			return out
		}
		out = append(out, b[4:4+n])
		b = b[4+n:]
	}
	return out
}
