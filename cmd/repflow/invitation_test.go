package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/repflow/repflow/tenants"
)

func (h *harness) invitationToken(email string) string { return h.mailedToken(email, "invitation") }

// An invited rep chooses a password with the mailed link, once, and signs in; a resent link
// replaces the old one; a revoked invitation opens nothing and frees the account's seat.
func TestInvitationAcceptedOnce(t *testing.T) {
	h := newHarness(t)
	c := h.company("Invite Co")
	admin := c.tokens["admin"]
	person := func(email, role, region string, manager string) map[string]any {
		p := map[string]any{"email": email, "name": "New " + role, "roles": []string{role}, "region_id": c.regions[region].ID}
		if manager != "" {
			p["manager_id"] = c.users[manager].ID
		}
		return p
	}
	var got tenants.InvitationListDTO
	if code := h.call(admin, http.MethodPost, "/api/v1/invitations", map[string]any{"people": []any{
		person("li.na@invite-co.test", "rep", "jinan", "manager"), person("wu.lei@invite-co.test", "manager", "south", "")}}, &got); code != http.StatusCreated || len(got.Invitations) != 2 {
		t.Fatalf("invite two: %d %+v", code, got)
	}
	login := func(email, password string) int {
		return h.call("", http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": password, "client": "mobile"}, nil)
	}
	if code := login("li.na@invite-co.test", testPassword); code != http.StatusUnauthorized {
		t.Errorf("an invited rep signs in before accepting: %d", code)
	}
	token := h.invitationToken("li.na@invite-co.test")
	accept := func(token, password string) (int, string) {
		return h.raw("", http.MethodPost, "/api/v1/invitations/accept", map[string]string{"token": token, "password": password})
	}
	if code, body := accept(c.tenant.String()+".wrong", testPassword); code != http.StatusBadRequest || !strings.Contains(body, "invalid_invitation") {
		t.Errorf("a wrong token: %d %s", code, body)
	}
	if code, body := accept(token, "short"); code != http.StatusBadRequest || !strings.Contains(body, "weak_password") {
		t.Errorf("a weak password: %d %s", code, body)
	}
	if code, body := accept(token, testPassword); code != http.StatusOK {
		t.Fatalf("accept: %d %s", code, body)
	}
	if got := h.lastAudit(c.tenant); got.Action != tenants.ActionAcceptInvitation {
		t.Errorf("the acceptance is not in the audit trail: the last record is %s", got.Action)
	}
	if code, _ := accept(token, testPassword+"!"); code != http.StatusBadRequest {
		t.Errorf("the link a second time: %d", code)
	}
	if code := login("li.na@invite-co.test", testPassword); code != http.StatusOK {
		t.Errorf("the rep signs in after accepting: %d", code)
	}

	// Resent: only the new link works.
	var open tenants.InvitationListDTO
	h.call(admin, http.MethodGet, "/api/v1/invitations", nil, &open)
	var wu tenants.InvitationDTO
	for _, v := range open.Invitations {
		if v.Email == "wu.lei@invite-co.test" {
			wu = v
		}
	}
	old := h.invitationToken(wu.Email)
	if code := h.call(admin, http.MethodPost, "/api/v1/invitations/"+wu.ID.String()+"/resend", nil, nil); code != http.StatusOK {
		t.Fatalf("resend: %d", code)
	}
	if code, _ := accept(old, testPassword); code != http.StatusBadRequest {
		t.Errorf("the link replaced by a resend: %d", code)
	}
	fresh := h.invitationToken(wu.Email)
	// Revoked: the account goes, and the fresh link opens nothing.
	if code := h.call(admin, http.MethodDelete, "/api/v1/invitations/"+wu.ID.String(), nil, nil); code != http.StatusNoContent {
		t.Fatalf("revoke: %d", code)
	}
	if code, _ := accept(fresh, testPassword); code != http.StatusBadRequest {
		t.Errorf("a revoked invitation's link: %d", code)
	}
	var user struct{ Status string }
	if code := h.call(admin, http.MethodGet, "/api/v1/users/"+wu.UserID.String(), nil, &user); code != http.StatusOK || user.Status != "disabled" {
		t.Errorf("the revoked invitation's account: %d %+v", code, user)
	}
}

// Invitations are all or none, within the inviter's reach, from JSON or a spreadsheet's CSV.
func TestInvitationsAllOrNone(t *testing.T) {
	h := newHarness(t)
	c := h.company("Bulk Co")
	count := func() int {
		var open tenants.InvitationListDTO
		h.call(c.tokens["admin"], http.MethodGet, "/api/v1/invitations", nil, &open)
		return len(open.Invitations)
	}
	before := count()
	// The second person's address already has an account: neither is invited.
	code, body := h.raw(c.tokens["admin"], http.MethodPost, "/api/v1/invitations", map[string]any{"people": []any{
		map[string]any{"email": "ok@bulk-co.test", "name": "Fine", "roles": []string{"manager"}, "region_id": c.regions["jinan"].ID},
		map[string]any{"email": c.users["rep"].Email, "name": "Taken", "roles": []string{"manager"}, "region_id": c.regions["south"].ID}}})
	if code != http.StatusConflict || !strings.Contains(body, "body.people[1]") {
		t.Errorf("an address in use: %d %s", code, body)
	}
	// Managers see people but do not add them.
	if code := h.call(c.tokens["manager"], http.MethodPost, "/api/v1/invitations", map[string]any{"people": []any{
		map[string]any{"email": "mine@bulk-co.test", "name": "Mine", "roles": []string{"manager"}, "region_id": c.regions["jinan"].ID}}}, nil); code != http.StatusForbidden {
		t.Errorf("a manager invites: %d", code)
	}
	if after := count(); after != before {
		t.Errorf("a refused request left %d invitations", after-before)
	}
	csv := func(file string) (int, string) {
		return h.raw(c.tokens["admin"], http.MethodPost, "/api/v1/invitations/import", upload{contentType: "text/csv", content: []byte(file)})
	}
	header := "\uFEFFname,email,roles,region,manager,notes\r\n"
	good := header + "Zhao Min,zhao@bulk-co.test,rep,Jinan," + c.users["manager"].Email + ",starts Monday\r\n" +
		"Qian Yu,qian@bulk-co.test,manager|hq,South,,\r\n"
	if code, body := csv(header + "Zhao Min,zhao@bulk-co.test,rep,Jinan," + c.users["manager"].Email + ",\r\nSun Li,sun@bulk-co.test,rep,Atlantis,,\r\n"); code != http.StatusBadRequest || !strings.Contains(body, "body.lines[3].region") {
		t.Errorf("an unknown region on line 3: %d %s", code, body)
	}
	if code, body := csv(header + "Sun Li,sun@bulk-co.test,rep,Jinan,,\r\n"); code != http.StatusBadRequest || !strings.Contains(body, "body.lines[2]") {
		t.Errorf("a rep without a manager on line 2: %d %s", code, body)
	}
	if after := count(); after != before {
		t.Errorf("refused files left %d invitations", after-before)
	}
	var got tenants.InvitationListDTO
	if code := h.call(c.tokens["admin"], http.MethodPost, "/api/v1/invitations/import", upload{contentType: "text/csv", content: []byte(good)}, &got); code != http.StatusCreated ||
		len(got.Invitations) != 2 || got.Invitations[1].Email != "qian@bulk-co.test" || len(got.Invitations[1].Roles) != 2 {
		t.Fatalf("the good file: %d %+v", code, got)
	}
	h.invitationToken("zhao@bulk-co.test")
}
