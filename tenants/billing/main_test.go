package billing

import (
	"os"
	"testing"

	"github.com/repflow/repflow/tenants/billing/stripemock"
)

func TestMain(m *testing.M) {
	code := m.Run()
	stripemock.Stop()
	os.Exit(code)
}
