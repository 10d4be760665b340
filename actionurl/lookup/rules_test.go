package lookup

import "github.com/dialbridge/dialbridge/phone/dialplan"

// berlin are the dialing rules the lookup tests read numbers with.
var berlin = dialplan.Rules{Country: "DE", AreaCode: "30", InternalMaxDigits: 4}
