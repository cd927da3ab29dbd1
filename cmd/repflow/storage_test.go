package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/repflow/repflow/platform/identity"
	"github.com/repflow/repflow/platform/org"
	"github.com/repflow/repflow/platform/storetest"
	"github.com/repflow/repflow/platform/visits"
	"github.com/repflow/repflow/platform/visits/geo"
	"github.com/repflow/repflow/tenants"
)

// jpeg is a picture of n bytes that passes the upload's type check.
func jpeg(n int, seed string) []byte {
	b := append([]byte("\xff\xd8\xff\xe0"+seed), bytes.Repeat([]byte{0}, n)...)
	return b[:n]
}

// On a server that bills, a trial keeps 5 GB of files. A photo that would take the company past
// it is refused with a 402 that says the numbers; the visit it was for stays recorded and open,
// a smaller photo still fits, and the plan shows what is used.
func TestStorageAllowanceRefusesAPhotoPastIt(t *testing.T) {
	h := harnessOn(t, storetest.Open(t), false, billingOn)
	ctx := context.Background()
	email := "owner@storage.test"
	var signed tenants.SignedUpDTO
	if code := h.call("", http.MethodPost, "/api/v1/signup", signupBody("Storage Co", "fmcg", email), &signed); code != http.StatusAccepted {
		t.Fatalf("sign-up: %d", code)
	}
	h.call("", http.MethodPost, "/api/v1/signup/verify", map[string]string{"token": h.verificationToken(email)}, nil)
	admin := h.login(email)

	var login struct{ UserID uuid.UUID }
	if err := h.app.store.Owner(ctx).Table("login_emails").Where("email = ?", email).Take(&login).Error; err != nil {
		t.Fatal(err)
	}
	sys := identity.System(ctx, signed.TenantID)
	me, err := h.app.org.Principal(sys, login.UserID)
	if err != nil {
		t.Fatal(err)
	}
	actx := identity.With(ctx, me)
	mgr, err := h.app.org.CreateUser(actx, org.NewUser{Email: "manager@storage.test", Name: "Storage Manager", Roles: []string{identity.RoleManager},
		RegionID: me.RegionID, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := h.app.org.CreateUser(actx, org.NewUser{Email: "rep@storage.test", Name: "Storage Rep", Roles: []string{identity.RoleRep},
		RegionID: me.RegionID, ManagerID: &mgr.ID, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	shop, err := h.app.visits.CreateCustomer(actx, visits.NewCustomer{Name: "Corner Shop", Grade: visits.GradeB, OwnerID: rep.ID, RegionID: me.RegionID,
		Location: visits.Position{Point: geo.Point{Lat: 31.2304, Lon: 121.4737}, Datum: visits.WGS84}, Fence: visits.FenceInput{Kind: visits.FenceCircle, RadiusM: 80}})
	if err != nil {
		t.Fatal(err)
	}
	rp, err := h.app.org.Principal(sys, rep.ID)
	if err != nil {
		t.Fatal(err)
	}
	visit, _, err := h.app.visits.CheckIn(identity.With(ctx, rp), visits.CheckInInput{ClientID: identity.NewID(), CustomerID: shop.ID,
		Position: visits.Position{Point: shop.Location, Datum: visits.WGS84}, Accuracy: 8, DeviceTime: time.Now(), Provider: "gps"})
	if err != nil {
		t.Fatal(err)
	}
	// 4.99 GB already kept, as if from earlier visits.
	const kept = 4_991_000_000
	if err := h.app.store.Owner(ctx).Table("visit_photos").Create(map[string]any{"tenant_id": signed.TenantID, "visit_id": visit.ID,
		"sha256": strings.Repeat("ab", 32), "content_type": "image/jpeg", "size": kept, "uploaded_by": rep.ID, "created_at": time.Now().UTC()}).Error; err != nil {
		t.Fatal(err)
	}
	repToken := h.login("rep@storage.test")
	photos := "/api/v1/visits/" + visit.ID.String() + "/photos"

	code, body := h.raw(repToken, http.MethodPost, photos, upload{"image/jpeg", jpeg(9_500_000, "big")})
	if code != http.StatusPaymentRequired || !strings.Contains(body, "storage_limit") ||
		!strings.Contains(body, "your plan allows 5 GB of files; 4.99 GB are used and this file is 9.5 MB") {
		t.Fatalf("a photo past the allowance: %d %.400s", code, body)
	}
	var v struct {
		Status string
		Photos []struct{ Size int64 }
	}
	if code := h.call(repToken, http.MethodGet, "/api/v1/visits/"+visit.ID.String(), nil, &v); code != http.StatusOK || v.Status != "open" || len(v.Photos) != 1 {
		t.Errorf("the visit after the refused photo: %d %+v", code, v)
	}
	small := jpeg(4000, "small")
	if code, body := h.raw(repToken, http.MethodPost, photos, upload{"image/jpeg", small}); code != http.StatusCreated {
		t.Errorf("a photo that fits: %d %s", code, body)
	}
	var plan tenants.PlanDTO
	if code := h.call(admin, http.MethodGet, "/api/v1/plan", nil, &plan); code != http.StatusOK ||
		plan.StorageAllowed != tenants.TrialSeats*tenants.StoragePerSeat || plan.StorageUsed != kept+int64(len(small)) {
		t.Errorf("the plan's storage: %d allowed %d used %d", code, plan.StorageAllowed, plan.StorageUsed)
	}
}

// A server without billing stores whatever its disk holds: the plan shows no limit, and what is used.
func TestSelfHostedStorageHasNoLimit(t *testing.T) {
	h := newHarness(t)
	c := h.company("Own Disk Co")
	var plan tenants.PlanDTO
	if code := h.call(c.tokens["admin"], http.MethodGet, "/api/v1/plan", nil, &plan); code != http.StatusOK || plan.StorageAllowed != 0 || plan.StorageUsed <= 0 {
		t.Errorf("the self-hosted plan's storage: %d %+v", code, plan)
	}
	big := jpeg(9_000_000, "self-hosted")
	if code, body := h.raw(c.tokens["rep"], http.MethodPost, "/api/v1/visits/"+c.visit.ID.String()+"/photos", upload{"image/jpeg", big}); code != http.StatusCreated {
		t.Errorf("a large photo on a self-hosted server: %d %s", code, body)
	}
}
