// Domain names for the pipeline schemas this feature speaks (api/types.ts is shared; these are
// the pipeline's own, used by the board, the opportunity page and the tasks page).
import type { components } from '@/api/schema'

type S = components['schemas']

export type Pipeline = S['PipelineDTO']
export type Stage = S['StageDTO']
export type Opportunity = S['OpportunityDTO']
export type StageMove = S['StageMoveDTO']
export type Task = S['TaskDTO']
export type Reminder = S['ReminderDTO']
export type OpportunityChanges = S['OpportunityChangesDTO']
