package pipeline

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The opportunities most likely to close come by stage probability, then the nearest expected
// close (none last), then amount; closed ones and other reps' are not suggested, and a rep's
// colleague sees none of them.
func TestLikelyToClose(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0)
	f := w.tenant(t, "acme")
	p, _ := w.opened(t, f) // "Listing at the corner shop": qualify (10 %), 12,500.50, closes 2027-02-28
	open := func(name, stage, amount, closes, who string) OpportunityDTO {
		t.Helper()
		return call[OpportunityDTO](t, w, f, who, http.MethodPost, "/api/v1/opportunities", map[string]any{
			"pipeline_id": p.ID, "customer_id": f.shop, "name": name, "amount": amount, "currency": "CNY",
			"expected_close": closes, "stage": stage}, http.StatusCreated)
	}
	open("Late negotiation", "negotiate", "900", "2027-03-31", "rep")     // 70 %
	open("Early negotiation", "negotiate", "100", "2027-01-15", "rep")    // 70 %, closes sooner
	open("Big proposal", "proposal", "50000", "2027-01-01", "rep")        // 40 %
	open("Small proposal", "proposal", "10", "2027-01-01", "rep")         // 40 %, same day, smaller
	lost := open("Lost cause", "negotiate", "99999", "2027-01-01", "rep") // then closed: not suggested
	call[OpportunityDTO](t, w, f, "rep", http.MethodPost, "/api/v1/opportunities/"+lost.ID.String()+"/moves",
		map[string]any{"stage": "lost", "reason": "went elsewhere"}, http.StatusOK)
	got := func(key string, n int) []string {
		t.Helper()
		likely, err := w.svc.LikelyToClose(w.as(t, f, key), f.users["rep"].ID, n)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, l := range likely {
			names = append(names, l.Name)
		}
		return names
	}
	want := []string{"Early negotiation", "Late negotiation", "Big proposal", "Small proposal", "Listing at the corner shop"}
	if d := cmp.Diff(want, got("rep", 10)); d != "" {
		t.Errorf("the rep's likely closes (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want[:2], got("mgr", 2)); d != "" {
		t.Errorf("the manager's view of the rep's two likeliest (-want +got):\n%s", d)
	}
	if names := got("rep2", 5); len(names) != 0 {
		t.Errorf("a colleague sees the rep's opportunities: %v", names)
	}
}
