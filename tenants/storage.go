package tenants

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/repflow/repflow/platform/blob"
	"github.com/repflow/repflow/platform/fault"
	"github.com/repflow/repflow/platform/identity"
)

// StoragePerSeat is the room for files (visit photos and any other attachment kept in the blob
// store) that each seat of a plan brings: a trial of five seats, or a subscription of five,
// stores 5 GB. Decimal units, as the message shows them.
const StoragePerSeat int64 = 1_000_000_000

// storageOf is the allowance of a plan with so many seats; 0 (self-hosted) is no limit.
func storageOf(plan Plan, seats int) int64 {
	if plan == PlanSelfHosted {
		return 0
	}
	// A subscription that ended keeps its files and the room for one seat's worth more: nothing
	// is taken away, and a plan never reads as "no limit" because its seats reached zero.
	return int64(max(seats, 1)) * StoragePerSeat
}

// StorageUsed is the bytes of files the caller's tenant keeps. A content-addressed file attached
// to two visits is stored once, so it counts once (as the operator console counts it, admin/usage.go).
func (p *Plans) StorageUsed(ctx context.Context) (int64, error) {
	var used int64
	err := p.store.Tx(ctx, func(_ context.Context, db *gorm.DB) error {
		return db.Raw(`SELECT COALESCE(SUM(size), 0) FROM (SELECT sha256, MAX(size) AS size FROM visit_photos
			GROUP BY sha256) AS files`).Scan(&used).Error
	})
	if err != nil {
		return 0, fmt.Errorf("sum storage: %w", err)
	}
	return used, nil
}

// LimitStorage returns files that refuse, on a server that bills, a new file that would take its
// tenant past the plan's storage allowance. The refusal is a fault the caller passes on: the
// request that carried the file fails with a message the rep's phone can show, and nothing
// already recorded (the visit the photo belongs to) is touched.
func (p *Plans) LimitStorage(files blob.Store) blob.Store {
	return &limitedFiles{Store: files, plans: p}
}

type limitedFiles struct {
	blob.Store
	plans *Plans
}

// Put reads the content first (at most maxBytes and one more, so an oversized file still meets
// the store's own refusal): its size and hash must be known before anything is written.
func (l *limitedFiles) Put(ctx context.Context, tenant uuid.UUID, r io.Reader, maxBytes int64) (blob.Info, error) {
	content, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return blob.Info{}, fmt.Errorf("read file: %w", err)
	}
	if int64(len(content)) <= maxBytes {
		if err := l.plans.checkStorage(ctx, tenant, content); err != nil {
			return blob.Info{}, err
		}
	}
	return l.Store.Put(ctx, tenant, bytes.NewReader(content), maxBytes)
}

// checkStorage refuses content that the tenant's plan has no room for. A file the tenant keeps
// already (the same photo sent again, or attached to another visit) takes no more room.
func (p *Plans) checkStorage(ctx context.Context, tenant uuid.UUID, content []byte) error {
	a, err := p.Allowance(ctx, tenant)
	if err != nil || a.Storage == 0 {
		return err
	}
	if identity.TenantID(ctx) != tenant {
		ctx = identity.System(ctx, tenant)
	}
	sum := sha256.Sum256(content)
	var kept int64
	err = p.store.Tx(ctx, func(_ context.Context, db *gorm.DB) error {
		return db.Table("visit_photos").Where("sha256 = ?", hex.EncodeToString(sum[:])).Limit(1).Count(&kept).Error
	})
	if err != nil || kept > 0 {
		return err
	}
	used, err := p.StorageUsed(ctx)
	if err != nil {
		return err
	}
	size := int64(len(content))
	if used+size <= a.Storage {
		return nil
	}
	room := "add seats on the billing page: each brings " + Bytes(StoragePerSeat)
	if a.Plan == PlanTrial {
		room = "subscribe on the billing page"
	}
	return fault.New(fault.PaymentRequired, "storage_limit", fmt.Sprintf(
		"your plan allows %s of files; %s are used and this file is %s: it was not stored (everything already recorded is kept); "+
			"a tenant admin can make room: %s", Bytes(a.Storage), Bytes(used), Bytes(size), room),
		fault.Detail{Location: "body", Message: "does not fit in the plan's storage",
			Value: map[string]int64{"allowed_bytes": a.Storage, "used_bytes": used, "file_bytes": size}})
}

// Bytes writes a size in decimal units, to two decimals at most: 5 GB, 4.98 GB, 40 MB.
func Bytes(n int64) string {
	units := []string{"bytes", "kB", "MB", "GB", "TB"}
	v, u := float64(n), 0
	for v >= 1000 && u < len(units)-1 {
		v, u = v/1000, u+1
	}
	return strconv.FormatFloat(float64(int64(v*100+0.5))/100, 'f', -1, 64) + " " + units[u]
}
