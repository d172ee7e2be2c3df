import { z } from 'zod'

/** Flags the officer ticks on the intake form for an entrusted (委托) public-order case. */
export const ExclusionFlags = z
  .strictObject({
    hiredViolence: z.boolean().optional(),
    gangFight: z.boolean().optional(),
    pickingQuarrels: z.boolean().optional(),
    repeatedOffence: z.boolean().optional(),
    provokedDuringMediation: z.boolean().optional(),
    otherUnsuitable: z.string().trim().max(200).optional(),
  })
  .meta({ id: 'ExclusionFlags' })
export type ExclusionFlags = z.infer<typeof ExclusionFlags>

const FLAG_CODES: [keyof ExclusionFlags, string][] = [
  ['hiredViolence', 'exclusion.hired_violence'],
  ['gangFight', 'exclusion.gang_fight'],
  ['pickingQuarrels', 'exclusion.picking_quarrels'],
  ['repeatedOffence', 'exclusion.repeated_offence'],
  ['provokedDuringMediation', 'exclusion.provoked_during_mediation'],
  ['otherUnsuitable', 'exclusion.other_unsuitable'],
]

/**
 * Public-order mediation is not allowed for the cases seed 000 lists. The officer's ticks decide;
 * the system refuses with the reasons when any applies.
 */
export function checkExclusions(input: {
  description: string
  flags?: ExclusionFlags
}): { excluded: false } | { excluded: true; reasons: string[] } {
  const reasons = FLAG_CODES.filter(([flag]) => Boolean(input.flags?.[flag])).map(([, code]) => code)
  return reasons.length ? { excluded: true, reasons } : { excluded: false }
}
