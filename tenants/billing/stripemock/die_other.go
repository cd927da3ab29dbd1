//go:build !linux

package stripemock

import "os/exec"

// dieWithParent: only Linux can tie a child's life to its parent's; elsewhere TestMain's cleanup
// is the only stop.
func dieWithParent(*exec.Cmd) {}
