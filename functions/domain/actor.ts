import { VisibleError } from './errors.ts'

/**
 * Who is calling, resolved once per request from the session cookie. Staff roles arrive with the
 * workflow; the foundation knows anonymous callers and citizens.
 */
export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'citizen'; citizenId: string; phone: string }
  | { kind: 'system'; name: string }

export type Citizen = Extract<Actor, { kind: 'citizen' }>

export function assertCitizen(actor: Actor): Citizen {
  if (actor.kind === 'citizen') return actor
  throw new VisibleError('unauthorized', 'auth.required')
}
