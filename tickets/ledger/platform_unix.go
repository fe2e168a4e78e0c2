//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ledger

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

const canLock = true

// lockFile takes an exclusive flock(2) on f, without waiting. The lock goes
// with the open file description, so closing f releases it, and a second
// open of the same file in this process conflicts like one in another.
func lockFile(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	var lockErr error
	if err := rc.Control(func(fd uintptr) {
		lockErr = syscall.Flock(int(fd), syscall.LOCK_EX|syscall.LOCK_NB)
	}); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if errors.Is(lockErr, syscall.EWOULDBLOCK) {
		return ErrLocked
	}
	if lockErr != nil {
		return fmt.Errorf("ledger: flock: %w", lockErr)
	}
	return nil
}

// syncDirectory makes directory entries in dir durable, such as a new file's.
func syncDirectory(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
