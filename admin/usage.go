package admin

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// usage counts what a tenant consumes. Every statement names tenant_id and runs on the owner
// handle, which sees every tenant: that is why it lives here and nowhere else.
func (s *Service) usage(ctx context.Context, id uuid.UUID) (Usage, error) {
	db := s.st.Owner(ctx)
	u := Usage{Seats: map[string]int64{}}
	err := db.Table("users").Where("tenant_id = ? AND status = ?", id, StatusActive).Count(&u.ActiveUsers).Error
	if err != nil {
		return Usage{}, fmt.Errorf("count users: %w", err)
	}
	records := []struct {
		table string
		into  *int64
	}{{"customers", &u.Customers}, {"visits", &u.Visits}, {"orders", &u.Orders}, {"activities", &u.Activities}}
	for _, r := range records {
		if err := db.Table(r.table).Where("tenant_id = ?", id).Count(r.into).Error; err != nil {
			return Usage{}, fmt.Errorf("count %s: %w", r.table, err)
		}
	}
	var seats []struct {
		Role string
		N    int64
	}
	err = db.Raw(`SELECT r.role AS role, COUNT(*) AS n FROM user_roles r
		JOIN users u ON u.tenant_id = r.tenant_id AND u.id = r.user_id
		WHERE r.tenant_id = ? AND u.status = ? GROUP BY r.role`, id, StatusActive).Scan(&seats).Error
	if err != nil {
		return Usage{}, fmt.Errorf("count seats: %w", err)
	}
	for _, x := range seats {
		u.Seats[x.Role] = x.N
	}
	today := s.now().UTC()
	err = db.Table("api_calls").Where("tenant_id = ? AND day = ?", id, today.Format(time.DateOnly)).
		Select("COALESCE(SUM(calls), 0)").Scan(&u.APICallsToday).Error
	if err == nil {
		err = db.Table("api_calls").Where("tenant_id = ? AND day > ?", id, today.AddDate(0, 0, -30).Format(time.DateOnly)).
			Select("COALESCE(SUM(calls), 0)").Scan(&u.APICalls30Days).Error
	}
	if err != nil {
		return Usage{}, fmt.Errorf("count api calls: %w", err)
	}
	var connectors []struct {
		State string
		N     int64
	}
	err = db.Table("connectors").Select("state, COUNT(*) AS n").Where("tenant_id = ?", id).Group("state").Scan(&connectors).Error
	if err != nil {
		return Usage{}, fmt.Errorf("count connectors: %w", err)
	}
	u.Connectors = map[string]int64{}
	for _, x := range connectors {
		u.Connectors[x.State] = x.N
	}
	// A content-addressed file attached to two visits is stored once, so it counts once.
	err = db.Raw(`SELECT COALESCE(SUM(size), 0) FROM (SELECT sha256, MAX(size) AS size FROM visit_photos
		WHERE tenant_id = ? GROUP BY sha256) AS files`, id).Scan(&u.StorageBytes).Error
	if err != nil {
		return Usage{}, fmt.Errorf("sum storage: %w", err)
	}
	// The newest record by its sequence (the primary key), not by a scan for the latest time.
	var last []time.Time
	err = db.Table("audit_records").Where("tenant_id = ?", id).Order("seq DESC").Limit(1).Pluck("at", &last).Error
	if err != nil {
		return Usage{}, fmt.Errorf("last activity: %w", err)
	}
	if len(last) == 1 {
		u.LastActivity = &last[0]
	}
	return u, nil
}
