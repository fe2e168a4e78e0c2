//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package ledger

import "os"

// canLock is false here: nothing stops two Files sharing one path, and the
// caller must make sure only one is open.
const canLock = false

func lockFile(*os.File) error { return nil }

// syncDirectory does nothing where directories cannot be synced through
// os.File.
func syncDirectory(string) error { return nil }
