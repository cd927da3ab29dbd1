package tenants

import (
	"math/rand/v2"

	"github.com/repflow/repflow/platform/activities"
)

// What the demo's reps write about their calls and messages, short as a rep on the road writes.

var demoCallNotes = map[activities.Outcome][]string{
	activities.OutcomeAnswered: {
		"Went through next week's order with the buyer; she wants more noodles for the promotion.",
		"Confirmed the delivery slot for Thursday morning.",
		"The store manager asked for the new price list; sent it right after the call.",
		"Followed up on the overdue invoice; accounting promises a transfer this week.",
		"Checked how the end-cap display is selling: the chili oil is nearly gone.",
		"Agreed the promotion calendar for next month.",
	},
	activities.OutcomeNoAnswer:  {"No answer; will try again tomorrow.", "Nobody picked up; sent a WeChat message instead."},
	activities.OutcomeBusy:      {"Line busy during the lunch rush."},
	activities.OutcomeVoicemail: {"Left a voicemail about the new price list.", "Left a message asking for a call back about the order."},
}

var demoInboundCalls = []string{
	"The store manager called to add a few cases to Thursday's delivery.",
	"The buyer called: a case of soy sauce arrived with a broken bottle; credit note promised.",
	"The owner called to ask when the summer drinks promotion starts.",
}

// demoCallNote is the note of a call, by who made it and how it ended.
func demoCallNote(rng *rand.Rand, in activities.NewActivity) string {
	if in.Direction == activities.Inbound {
		return pick(rng, demoInboundCalls)
	}
	return pick(rng, demoCallNotes[in.Outcome])
}

var demoMessages = map[activities.Direction][]string{
	activities.Outbound: {
		"Sent the new price list and the promotion leaflet.",
		"Reminder: the delivery arrives tomorrow between 9 and 11.",
		"Photos of the shelf after this morning's restock.",
		"Asked whether the store wants to join the next tasting day.",
		"Sent the statement of open invoices.",
	},
	activities.Inbound: {
		"The buyer sent this week's sell-out figures.",
		"The owner asks for two more cases with the next delivery.",
		"The store manager shared photos of the new display.",
	},
}

var demoReplies = []string{
	"Thanks, received. We will order on Monday.",
	"OK, someone will be at the goods entrance.",
	"Looks good. Please send the invoice by e-mail.",
}
