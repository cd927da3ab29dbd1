package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"testing"

	"github.com/repflow/repflow/platform/blob"
)

func TestPutSameContentTwice(t *testing.T) {
	d, dir := newDisk(t)
	first, second := put(t, d, tenantA, photo), put(t, d, tenantA, photo)
	if first != second {
		t.Errorf("second Put = %+v, first %+v", second, first)
	}
	if left := files(t, dir); len(left) != 1 {
		t.Errorf("files = %v, want one", left)
	}
}

func TestPutLimit(t *testing.T) {
	tests := []struct {
		name     string
		size     int
		max      int64
		tooLarge bool
	}{
		{"empty", 0, 0, false},
		{"at the limit", 100, 100, false},
		{"one byte over", 101, 100, true},
		{"far over, streamed", 1 << 20, 1000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, dir := newDisk(t)
			content := bytes.Repeat([]byte{'x'}, tt.size)
			info, err := d.Put(context.Background(), tenantA, bytes.NewReader(content), tt.max)
			if got := errors.Is(err, blob.ErrTooLarge); got != tt.tooLarge {
				t.Fatalf("Put error = %v, want ErrTooLarge: %v", err, tt.tooLarge)
			}
			if tt.tooLarge {
				if left := files(t, dir); len(left) != 0 {
					t.Errorf("left behind: %v", left)
				}
				return
			}
			if info.Size != int64(tt.size) || info.SHA256 != sum(content) {
				t.Errorf("Put = %+v", info)
			}
		})
	}
}

func TestConcurrentPutsOfSameContent(t *testing.T) {
	d, dir := newDisk(t)
	const n = 16
	content := bytes.Repeat(photo, 10_000) // long enough for the writes to overlap
	infos, errs := make([]blob.Info, n), make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			infos[i], errs[i] = d.Put(context.Background(), tenantA, bytes.NewReader(content), 1<<30)
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || infos[i].SHA256 != sum(content) {
			t.Errorf("Put %d = %+v, %v", i, infos[i], errs[i])
		}
	}
	if left := files(t, dir); len(left) != 1 {
		t.Errorf("files = %v, want one", left)
	}
}

// cancelAfterFirstRead cancels the upload's context once some bytes have gone through, as a
// client hanging up mid-upload does.
type cancelAfterFirstRead struct {
	r      io.Reader
	cancel context.CancelFunc
}

func (c cancelAfterFirstRead) Read(p []byte) (int, error) {
	defer c.cancel()
	return c.r.Read(p[:min(len(p), 10)])
}

func TestPutCancelledMidway(t *testing.T) {
	d, dir := newDisk(t)
	ctx, cancel := context.WithCancel(context.Background())
	r := cancelAfterFirstRead{bytes.NewReader(photo), cancel}
	if _, err := d.Put(ctx, tenantA, r, 1<<20); !errors.Is(err, context.Canceled) {
		t.Errorf("Put cancelled midway = %v, want context.Canceled", err)
	}
	if left := files(t, dir); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}
