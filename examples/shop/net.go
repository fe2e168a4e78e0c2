package main

import (
	"encoding/binary"
	"fmt"
)

// envelope is what travels between roles: who sent it, what it is about,
// and its parts, each a record's bytes or a short plain value. Roles share
// nothing else.
type envelope struct {
	from, topic string
	parts       [][]byte
}

// network is one inbox per role; every inbox exists before any role starts.
type network struct {
	boxes map[string]chan envelope
}

func newNetwork(names []string) *network {
	n := &network{boxes: make(map[string]chan envelope, len(names))}
	for _, name := range names {
		n.boxes[name] = make(chan envelope, 4096)
	}
	return n
}

func (n *network) send(from, to, topic string, parts ...[]byte) {
	box, ok := n.boxes[to]
	if !ok {
		panic(fmt.Sprintf("no role %q", to))
	}
	box <- envelope{from: from, topic: topic, parts: parts}
}

// num and unnum carry small numbers in parts.
func num(v int) []byte { return binary.BigEndian.AppendUint64(nil, uint64(v)) }

func unnum(b []byte) int {
	if len(b) != 8 {
		return -1
	}
	return int(binary.BigEndian.Uint64(b))
}
