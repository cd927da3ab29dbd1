// The words of the live map (reps' positions, tracks of the day, customers' fences and fence
// events), merged into en.ts under livemap. Shaped like livemap.zh-CN.ts.
import type zhCN from './livemap.zh-CN'

export default {
  title: 'Live map',
  mapLabel: 'Map of reps and customers’ fences',
  stream: {
    connecting: 'Connecting…',
    live: 'Live',
    reconnecting: 'Connection lost, reconnecting…',
  },
  empty: 'No reps or customers to show yet',
  emptyHint: 'They appear here once reps send positions and customers are added.',
  noTiles: 'No base map is configured: reps, tracks and fences are drawn on their own.',
  reps: 'Reps',
  noReps: 'There are no reps in your part of the organisation yet.',
  neverSeen: 'No position yet',
  lastSeen: 'Last seen {when}',
  stale: 'Stale',
  live: 'Live',
  events: 'Fence events',
  noEvents: 'Nobody has entered or left a customer’s fence today.',
  unknownRep: '(unknown rep)',
  unknownCustomer: '(customer outside your view)',
  kinds: {
    enter: 'Arrived',
    dwell: 'Stayed',
    exit: 'Left',
  },
} satisfies typeof zhCN
