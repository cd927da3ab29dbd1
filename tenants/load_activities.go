package tenants

import (
	"math/rand/v2"
	"time"

	"github.com/repflow/repflow/platform/activities"
	"github.com/repflow/repflow/platform/identity"
)

// A rep's calls, messages and meetings of a day, with the shops drawn by grade. Calls are the
// demo's mix: one in seven inbound; of the outbound, about a third not answered (no answer,
// busy, voicemail). Messages go by WeChat or SMS and most outbound ones are replied to, some
// with a reply of their own. Nothing is logged after the data ends.

var loadMeetings = []string{
	"Monthly business review with the store manager: sell-out, the promotion calendar and next month's range.",
	"Met the buyer and the owner about shelf space for the new lines.",
	"Tasting session for the kitchen team with the new sauces.",
}

// activityDay logs the rep's calls, messages and meetings of day; scale is the rep's pace that
// day.
func (g *loadGen) activityDay(rng *rand.Rand, b *loadBatch, r *loadRep, day time.Time, scale float64) {
	for range draw(rng, loadCallsPerDay*scale) {
		g.call(rng, b, r, during(rng, day, 8, 19))
	}
	for range draw(rng, loadMessagesPerDay*scale) {
		g.message(rng, b, r, during(rng, day, 8, 20))
	}
	for range draw(rng, loadMeetingsPerDay*scale) {
		start := during(rng, day, 9, 16)
		end := start.Add(minutes(rng, 45, 90))
		b.activities = append(b.activities, loadActivity{id: identity.NewID(), kind: activities.KindMeeting,
			customer: r.byWeight[rng.IntN(len(r.byWeight))], at: start, ended: &end, notes: pick(rng, loadMeetings)})
	}
}

func (g *loadGen) call(rng *rand.Rand, b *loadBatch, r *loadRep, at time.Time) {
	a := loadActivity{id: identity.NewID(), kind: activities.KindCall, customer: r.byWeight[rng.IntN(len(r.byWeight))], at: at,
		direction: activities.Outbound, outcome: activities.OutcomeAnswered}
	secs := 40 + rng.IntN(560)
	if rng.Float64() < 0.15 {
		a.direction = activities.Inbound
	} else {
		switch x := rng.Float64(); {
		case x < 0.14:
			a.outcome, secs = activities.OutcomeNoAnswer, 20+rng.IntN(15)
		case x < 0.23:
			a.outcome, secs = activities.OutcomeBusy, 0
		case x < 0.32:
			a.outcome, secs = activities.OutcomeVoicemail, 25+rng.IntN(40)
		}
	}
	a.duration = &secs
	a.notes = demoCallNote(rng, activities.NewActivity{Direction: a.direction, Outcome: a.outcome})
	b.activities = append(b.activities, a)
	r.tally.Calls++
}

func (g *loadGen) message(rng *rand.Rand, b *loadBatch, r *loadRep, at time.Time) {
	a := loadActivity{id: identity.NewID(), kind: activities.KindMessage, customer: r.byWeight[rng.IntN(len(r.byWeight))], at: at,
		direction: activities.Outbound, channel: "wechat"}
	if rng.Float64() < 0.2 {
		a.channel = "sms"
	}
	if rng.Float64() < 0.15 {
		a.direction = activities.Inbound
	}
	a.notes = pick(rng, demoMessages[a.direction])
	if a.direction == activities.Inbound || rng.Float64() >= 0.62 {
		b.activities = append(b.activities, a)
		return
	}
	if rng.Float64() < 0.4 {
		// The shop answers with a message of its own, logged a few minutes after it came.
		parent := a.id
		reply := loadActivity{id: identity.NewID(), kind: activities.KindMessage, customer: a.customer,
			at: at.Add(minutes(rng, 10, 360)), direction: activities.Inbound, channel: a.channel, replyTo: &parent,
			notes: pick(rng, demoReplies)}
		b.activities = append(b.activities, a)
		if reply.at.Add(3 * time.Minute).Before(g.to) {
			b.activities = append(b.activities, reply)
		}
		return
	}
	if replied := at.Add(minutes(rng, 5, 300)); replied.Before(g.to) {
		a.replied = &replied
	}
	b.activities = append(b.activities, a)
}
