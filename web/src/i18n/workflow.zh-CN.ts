/**
 * Strings for the case workflow, shared by the citizen's case page and the staff portal: what
 * each timeline event means, outcomes, guidance to other routes, and the parties' own actions.
 * Loaded with those pages' chunks, not with the first page.
 */
export const workflowZhCN = {
  'who.you': '您',
  'who.applicant': '申请人',
  'who.respondent': '对方',
  'who.staff': '工作人员',
  'who.system': '系统',
  'event.case.filed': '{who}提交了调解申请',
  'event.case.intake_transfer': '{who}登记110警情并移送人民调解',
  'event.case.intake_entrust': '{who}登记110警情并委托人民调解',
  'event.case.intake_joint': '{who}登记110警情，申请民调协作',
  'event.case.accept': '{who}受理了案件，并邀请对方参加调解',
  'event.case.return': '{who}退回了案件',
  'event.case.transfer': '{who}将案件移交其他调解组织',
  'event.case.escalate': '{who}将案件上报上一级调解组织',
  'event.case.record_consent': '{who}记录了对方是否同意调解',
  'event.case.respond.yes': '{who}同意参加调解',
  'event.case.respond.no': '{who}不同意调解',
  'event.case.resolve': '{who}记录调解成功',
  'event.case.fail': '{who}记录调解未成功',
  'event.case.withdraw': '{who}撤回了申请',
  'event.case.risk_overridden': '{who}调整了风险等级',
  'event.evidence.added': '{who}上传了一份证据',
  'event.evidence.rejected': '一份证据未通过核验',
  'event.evidence.withdrawn': '{who}撤回了一份证据',
  'event.agreement.drafted': '{who}起草了调解协议书',
  'event.agreement.revised': '{who}修改了调解协议书',
  'event.agreement.signatures_voided': '协议内容已修改，此前的签名全部作废，需要重新签署',
  'event.agreement.signed': '{who}签署了调解协议书',
  'event.statusChanged': '案件状态变为“{status}”',
  'event.other': '案件有新的进展',
  'event.fromTo': '{from} → {to}',

  'guidance.litigation': '向人民法院提起诉讼',
  'guidance.labour_arbitration': '向劳动人事争议仲裁委员会申请劳动仲裁',
  'guidance.petition': '通过信访渠道反映诉求',
  'guidance.other': '通过其他合法途径解决，可向工作人员咨询',

  'outcome.title': '办理结果',
  'outcome.returnReason': '未受理的原因',
  'outcome.reason': '说明',
  'outcome.summary': '调解结果',
  'outcome.guidance': '建议您',
  'outcome.kind.resolved': '双方达成调解协议',
  'outcome.kind.not_resolved': '调解未达成一致',
  'outcome.kind.withdrawn': '申请已撤回',
  'outcome.kind.not_accepted': '调解组织未受理',
  'outcome.kind.declined': '对方不同意调解',
  'outcome.kind.no_response': '对方没有答复',

  'respond.title': '是否同意参加调解',
  'respond.lead':
    '有人就与您有关的纠纷申请了人民调解。调解遵循自愿原则，不收费；同意后调解员会联系双方商定时间和方式（可以视频参加）。不同意也不影响您通过其他合法途径解决。',
  'respond.agree': '同意调解',
  'respond.decline': '不同意',
  'respond.confirmAgree': '确认同意参加调解吗？',
  'respond.confirmDecline': '确认不同意调解吗？本次调解将不再进行。',
  'respond.yes': '确认',
  'respond.no': '再想想',
  'respond.sending': '正在提交…',

  'withdraw.title': '撤回申请',
  'withdraw.lead': '不想继续调解时可以撤回申请。撤回后本案不再处理，需要时可以重新申请。',
  'withdraw.button': '撤回申请',
  'withdraw.reason': '撤回原因',
  'withdraw.reasonHint': '例如：双方已经自行和解（至少 4 个字，可不填）',
  'withdraw.confirm': '确认撤回',
  'withdraw.cancel': '不撤回',

  'action.done': '已提交，案件已更新。',
  'action.conflict': '案件刚被他人更新，页面已刷新为最新内容，请查看后再操作。',
} as const

export type WorkflowKey = keyof typeof workflowZhCN
