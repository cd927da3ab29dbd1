package store_test

import (
	"os"

	"github.com/repflow/repflow/platform/storetest"
)

func testingURL() string { return os.Getenv(storetest.EnvURL) }
