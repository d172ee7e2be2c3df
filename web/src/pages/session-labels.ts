import { t } from '../i18n/video.ts'
import type { ParticipantView } from './sessions.data.ts'

const sideName = (side: 'applicant' | 'respondent') => t(`role.party.${side}`)

/**
 * 调解员, 申请人, 翻译（申请人）· 李翻译: how a participant is named in the room. Parties are named by
 * their side only; the API gives names only for the extras the mediator added.
 */
export function participantLabel(p: ParticipantView, meId?: string): string {
  let label: string
  if (p.role === 'party') label = p.side ? sideName(p.side) : t('role.party')
  else if (p.role === 'mediator') label = t('role.mediator')
  else
    label = p.side
      ? t('role.withSide', { role: t(`role.${p.role}`), side: sideName(p.side) })
      : t(`role.${p.role}`)
  if (p.name) label = `${label} · ${p.name}`
  return p.id === meId ? t('role.me', { label }) : label
}
