package ui

import (
	"github.com/dialbridge/dialbridge/actionurl/config"
	"github.com/dialbridge/dialbridge/ui/backend"
	"github.com/dialbridge/dialbridge/ui/pairing"
)

// The real parts that cmd/dialbridge-ui wires into the windows must keep
// fitting the windows' interfaces.
var (
	_ Resident    = (*backend.Resident)(nil)
	_ Pinger      = (*backend.Resident)(nil)
	_ ConfigStore = backend.ConfigFile{}
	_ SecretStore = config.Secrets{}
	_ Pairer      = (*pairing.Pairer)(nil)
)
