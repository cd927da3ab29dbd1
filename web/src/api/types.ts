// Names for the schemas the UI uses, so that components speak the domain's words rather than
// components['schemas']['...DTO'].
import type { components } from './schema'

type S = components['schemas']

export type Me = S['MeDTO']
export type Visit = S['VisitDTO']
export type TrustReason = S['ReasonDTO']
export type CheckIn = S['CheckInDTO']
export type CheckOut = S['CheckOutDTO']
export type Location = S['LocationDTO']
export type DayPlan = S['DayPlanDTO']
export type PlannedVisit = S['PlannedVisitDTO']
export type Customer = S['CustomerDTO']
/** A customer as the customers list gives it: with its last visit. */
export type ListedCustomer = S['ListedCustomerDTO']
export type Scorecard = S['ScorecardDTO']
export type UnitScorecard = S['UnitScorecardDTO']
export type MetricScore = S['MetricScore']
export type Pace = S['Pace']
export type Team = S['TeamDTO']
export type Region = S['RegionDTO']
export type User = S['UserDTO']
export type Product = S['ProductDTO']
export type NewOrder = S['NewOrderDTO']
export type NewShelfCheck = S['NewShelfCheckDTO']
export type ShelfItem = S['ShelfItemDTO']
export type Order = S['OrderDTO']
export type ReviewDecision = S['ReviewDecisionDTO']
export type OrderLineInput = S['OrderLineInputDTO']
