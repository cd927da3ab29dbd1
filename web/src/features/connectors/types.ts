// The connectors' API shapes by their domain names (platform/sync/http.go).
import type { components } from '@/api/schema'

type S = components['schemas']

export type ConnectorKind = S['KindDTO']
export type ConnectorEntity = S['EntityDTO']
export type Connector = S['ConnectorDTO']
export type ConnectorHealth = S['HealthDTO']
export type SyncRun = S['RunDTO']
export type PulledRecord = S['RecordDTO']

export type HealthState = ConnectorHealth['state']
export const HEALTH_STATES: readonly HealthState[] = ['unknown', 'healthy', 'failing', 'crashed', 'disabled']

/** The entities a connector pulls into repflow: those whose records the records panel can show. */
export function pulledEntities(kind: ConnectorKind | undefined): ConnectorEntity[] {
  return (kind?.entities ?? []).filter((e) => e.direction === 'pull' || e.direction === 'both')
}

/** A run still going: the page polls it until it is done or failed. */
export function runOpen(run: SyncRun): boolean {
  return run.status === 'queued' || run.status === 'running'
}
