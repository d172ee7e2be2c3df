/** Every key the table uses, built in one place. See the access-pattern table in the README. */
export const Keys = {
  case: (id: string) => ({ pk: `CASE#${id}`, sk: 'CASE' }),
  caseByApplicant: (applicantId: string, createdAt: string) => ({
    gsi1pk: `APPLICANT#${applicantId}`,
    gsi1sk: `CASE#${createdAt}`,
  }),
  caseNumber: (number: string) => ({ pk: `CASENO#${number}`, sk: 'CASENO' }),
  timelineEvent: (caseId: string, at: string, id: string) => ({
    pk: `CASE#${caseId}`,
    sk: `EVENT#${at}#${id}`,
  }),
  evidence: (caseId: string, evidenceId: string) => ({ pk: `CASE#${caseId}`, sk: `EVIDENCE#${evidenceId}` }),
  org: (id: string) => ({ pk: `ORG#${id}`, sk: 'ORG' }),
  allOrgs: (jurisdiction: string, id: string) => ({ gsi1pk: 'ORGS', gsi1sk: `ORG#${jurisdiction}#${id}` }),
  staff: (username: string) => ({ pk: `STAFF#${username}`, sk: 'STAFF' }),
  staffOfOrg: (orgId: string, username: string) => ({
    gsi1pk: `ORGSTAFF#${orgId}`,
    gsi1sk: `STAFF#${username}`,
  }),
  link: (owner: string, caseId: string) => ({ pk: `LINK#${owner}`, sk: `CASE#${caseId}` }),
  counter: (name: string) => ({ pk: `COUNTER#${name}`, sk: 'COUNTER' }),
  idempotency: (scope: string, key: string) => ({ pk: `IDEM#${scope}#${key}`, sk: 'IDEM' }),
  citizen: (phoneKey: string) => ({ pk: `CITIZEN#${phoneKey}`, sk: 'CITIZEN' }),
  otp: (phoneKey: string) => ({ pk: `OTP#${phoneKey}`, sk: 'OTP' }),
  session: (tokenHash: string) => ({ pk: `SESSION#${tokenHash}`, sk: 'SESSION' }),
  agreement: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'AGREEMENT' }),
  verification: (code: string) => ({ pk: `VERIFY#${code}`, sk: 'VERIFY' }),
  videoSession: (id: string) => ({ pk: `VIDEO#${id}`, sk: 'VIDEO' }),
  videoSessionOfCase: (caseId: string, startsAt: string, id: string) => ({
    gsi1pk: `CASEVIDEO#${caseId}`,
    gsi1sk: `VIDEO#${startsAt}#${id}`,
  }),
  /** A follow-up visit of a case; while scheduled it also sits in its jurisdiction's due index (gsi1). */
  followUp: (caseId: string, id: string) => ({ pk: `CASE#${caseId}`, sk: `FOLLOWUP#${id}` }),
  followUpDue: (jurisdiction: string, dueAt: string, caseId: string, id: string) => ({
    gsi1pk: `FUDUE#${jurisdiction}`,
    gsi1sk: `${dueAt}#${caseId}#${id}`,
  }),
  /** An organisation's follow-ups awaiting answers, by due time (gsi2), for its queue. */
  followUpOfOrg: (orgId: string, dueAt: string, caseId: string, id: string) => ({
    gsi2pk: `FUORG#${orgId}`,
    gsi2sk: `${dueAt}#${caseId}#${id}`,
  }),
  /** One party's answer to a follow-up (its existence makes it answerable once), by jurisdiction for rebuilds. */
  followUpAnswer: (caseId: string, id: string, party: string) => ({
    pk: `CASE#${caseId}`,
    sk: `FUANSWER#${id}#${party}`,
  }),
  followUpAnswerOfJurisdiction: (jurisdiction: string, answeredAt: string, caseId: string, sk: string) => ({
    gsi1pk: `FUANSWERS#${jurisdiction}`,
    gsi1sk: `${answeredAt}#${caseId}#${sk}`,
  }),
  followUpToken: (tokenHash: string) => ({ pk: `FUTOKEN#${tokenHash}`, sk: 'FUTOKEN' }),
  /** A partner department (信息互通), listed per jurisdiction (gsi1). */
  department: (id: string) => ({ pk: `DEPT#${id}`, sk: 'DEPT' }),
  departmentOfJurisdiction: (jurisdiction: string, kind: string, id: string) => ({
    gsi1pk: `DEPTS#${jurisdiction}`,
    gsi1sk: `${kind}#${id}`,
  }),
  /**
   * A referral of a case: in its jurisdiction's chase index while awaiting (gsi1), in its
   * organisation's work list while awaiting (gsi2), and always in its jurisdiction's list (gsi3, rebuilds).
   */
  referral: (caseId: string, id: string) => ({ pk: `CASE#${caseId}`, sk: `REFERRAL#${id}` }),
  /** Exists while a referral with this department and text is open on the case: no double sends. */
  referralOpen: (caseId: string, dedupeKey: string) => ({ pk: `CASE#${caseId}`, sk: `REFOPEN#${dedupeKey}` }),
  referralChase: (jurisdiction: string, at: string, caseId: string, id: string) => ({
    gsi1pk: `REFDUE#${jurisdiction}`,
    gsi1sk: `${at}#${caseId}#${id}`,
  }),
  referralOfOrg: (orgId: string, dueAt: string, caseId: string, id: string) => ({
    gsi2pk: `REFORG#${orgId}`,
    gsi2sk: `${dueAt}#${caseId}#${id}`,
  }),
  referralOfJurisdiction: (jurisdiction: string, sentAt: string, caseId: string, id: string) => ({
    gsi3pk: `REFS#${jurisdiction}`,
    gsi3sk: `${sentAt}#${caseId}#${id}`,
  }),
  /** The department's SMS link (stored as its SHA-256) and the short access opened by its code. */
  referralLink: (tokenHash: string) => ({ pk: `REFLINK#${tokenHash}`, sk: 'REFLINK' }),
  referralAccess: (grantHash: string) => ({ pk: `REFACCESS#${grantHash}`, sk: 'REFACCESS' }),
  rate: (bucket: string) => ({ pk: `RATE#${bucket}`, sk: 'RATE' }),
  once: (scope: string, key: string) => ({ pk: `ONCE#${scope}#${key}`, sk: 'ONCE' }),
  /** Supervisor figures: a jurisdiction's month × area cells (`M#…`) and type × area cells (`T#…`). */
  aggregate: (jurisdiction: string, sk: string) => ({ pk: `AGG#${jurisdiction}`, sk }),
  /** A jurisdiction's risk board: open red/orange/yellow cases, red first, longest flagged first. */
  board: (jurisdiction: string, sortKey: string) => ({ pk: `BOARD#${jurisdiction}`, sk: sortKey }),
} as const

/** An item without its table keys, index keys, entity tag and TTL: the record it stores. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const {
    pk: _a,
    sk: _b,
    gsi1pk: _c,
    gsi1sk: _d,
    gsi2pk: _e,
    gsi2sk: _f,
    gsi3pk: _g,
    gsi3sk: _h,
    entity: _i,
    ttl: _j,
    ...rest
  } = item
  return rest as T
}

export const epochSeconds = (d: Date | string) => Math.floor(new Date(d).getTime() / 1000)

/**
 * The index keys a case carries, recomputed on every write so queues never go stale:
 * gsi1 the online applicant's list, gsi2 the handling organisation's queue, gsi3 the
 * jurisdiction's board. Open cases sort by stage deadline (soonest first), closed by last change.
 */
export function caseIndexKeys(
  record: {
    id: string
    applicantId: string
    createdAt: string
    updatedAt: string
    status: string
    orgId?: string
    jurisdiction?: string
    stageDeadline?: string
  },
  open: boolean,
) {
  const sort = open
    ? `OPEN#${record.stageDeadline ?? '9999'}#${record.id}`
    : `DONE#${record.updatedAt}#${record.id}`
  return {
    ...(record.applicantId
      ? { gsi1pk: `APPLICANT#${record.applicantId}`, gsi1sk: `CASE#${record.createdAt}` }
      : {}),
    ...(record.orgId ? { gsi2pk: `ORG#${record.orgId}`, gsi2sk: sort } : {}),
    ...(record.jurisdiction ? { gsi3pk: `JUR#${record.jurisdiction}`, gsi3sk: sort } : {}),
  }
}
