import { t } from '../i18n/video.ts'
import type { ParticipantView } from './sessions.data.ts'

type Side = 'applicant' | 'respondent'

const SIDES: ReadonlySet<string> = new Set<Side>(['applicant', 'respondent'])
const ROLES: ReadonlySet<string> = new Set(['party', 'mediator', 'interpreter', 'support', 'observer'])

/** 申请人 / Applicant: one side of the dispute. */
export const sideName = (side: Side) => t(`role.party.${side}`)

/**
 * 调解员, 申请人, 翻译（申请人）: a role in the room, named by side for parties and their
 * companions. Takes plain strings because timeline events carry them as loose `meta`.
 */
export function roleLabel(role: string, side?: string): string {
  const s = side && SIDES.has(side) ? (side as Side) : undefined
  if (!ROLES.has(role)) return t('role.party')
  if (role === 'party') return s ? sideName(s) : t('role.party')
  if (role === 'mediator') return t('role.mediator')
  const name = t(`role.${role as 'interpreter' | 'support' | 'observer'}`)
  return s ? t('role.withSide', { role: name, side: sideName(s) }) : name
}

/**
 * 调解员, 申请人, 翻译（申请人）· 李翻译: how a participant is named in the room. Parties are named by
 * their side only; the API gives names only for the extras the mediator added.
 */
export function participantLabel(p: ParticipantView, meId?: string): string {
  let label = roleLabel(p.role, p.side)
  if (p.name) label = `${label} · ${p.name}`
  return p.id === meId ? t('role.me', { label }) : label
}
