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
  counter: (name: string) => ({ pk: `COUNTER#${name}`, sk: 'COUNTER' }),
  idempotency: (scope: string, key: string) => ({ pk: `IDEM#${scope}#${key}`, sk: 'IDEM' }),
  citizen: (phoneKey: string) => ({ pk: `CITIZEN#${phoneKey}`, sk: 'CITIZEN' }),
  otp: (phoneKey: string) => ({ pk: `OTP#${phoneKey}`, sk: 'OTP' }),
  session: (tokenHash: string) => ({ pk: `SESSION#${tokenHash}`, sk: 'SESSION' }),
} as const

export const epochSeconds = (d: Date | string) => Math.floor(new Date(d).getTime() / 1000)
