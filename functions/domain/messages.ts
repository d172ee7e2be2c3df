/**
 * Messages for error codes, in every language the portal speaks. The API answers with the message
 * in the caller's language; the portal uses the same catalogue for its form errors, so a code is
 * translated once.
 */
export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]

export const errorMessages = {
  'zh-CN': {
    'validation.failed': '填写的内容有误，请检查标红的项目',
    'validation.required': '此项为必填',
    'validation.type': '格式不正确',
    'validation.too_short': '内容太短，请多写一些',
    'validation.too_long': '内容太长，请精简',
    'validation.option': '请从列表中选择',
    'validation.format': '格式不正确',
    'validation.invalid': '内容无效',
    'validation.unknown_field': '不接受此字段',
    'validation.phone': '请输入11位手机号码',
    'validation.otp_format': '验证码为6位数字',
    'validation.date': '请输入有效日期',
    'validation.date_future': '日期不能晚于今天',
    'validation.number': '请输入数字',
    'validation.amount': '请输入有效金额（元，最多两位小数）',
    'validation.amount_required': '涉及金额的纠纷请填写争议金额',
    'request.too_large': '提交的内容过大',
    'request.bad_json': '请求格式错误',
    'request.content_type': '请以 JSON 格式提交',
    'request.idempotency_key': '缺少或无效的请求标识（Idempotency-Key）',
    'request.idempotency_mismatch': '同一请求标识已用于不同的内容',
    'request.forbidden_origin': '请求来源不被允许',
    'auth.required': '请先登录',
    'auth.forbidden': '您没有权限进行此操作',
    'auth.staff_invalid': '用户名或密码不正确',
    'auth.staff_locked': '登录失败次数过多，账号已锁定15分钟',
    'auth.totp_required': '请输入身份验证器中的6位动态码',
    'auth.totp_invalid': '动态码不正确',
    'workflow.not_allowed': '当前状态下不能进行此操作',
    'workflow.unknown_action': '未知的操作',
    'workflow.no_target_org': '没有可移交的上级或目标组织',
    'workflow.bad_mediator': '所选调解员不属于本组织',
    'case.version_conflict': '案件已被他人更新，请刷新后重试',
    'intake.excluded': '该案件属于不适用治安调解的情形',
    'intake.exclusion_suspected': '案情描述中可能存在不适用治安调解的情形，请核实后勾选或确认不存在',
    'org.not_found': '未找到该组织',
    'auth.otp_invalid': '验证码不正确',
    'auth.otp_expired': '验证码已过期，请重新获取',
    'auth.otp_locked': '错误次数过多，请15分钟后再试',
    'auth.otp_too_soon': '发送太频繁，请稍后再试',
    'case.not_found': '未找到该案件',
    'evidence.not_found': '未找到该证据',
    'evidence.type_not_accepted': '不支持此文件类型：请上传照片、PDF、录音或视频',
    'evidence.file_name': '文件名无效',
    'evidence.empty': '文件是空的',
    'evidence.too_large': '文件太大（单个文件最大50MB）',
    'evidence.case_quota': '本案证据已达上限（200MB），如需补充请联系调解员',
    'evidence.upload_expired': '上传没有完成，请重新上传',
    'evidence.case_closed': '本案已结束，不能再添加证据',
    'evidence.not_uploaded': '文件还没有上传完成，请重试',
    'evidence.type_mismatch': '文件内容与类型不符，请上传原始文件',
    'evidence.size_mismatch': '文件大小与申报不符，请重新上传',
    'evidence.withdraw_too_late': '调解已开始，不能再撤回证据',
    'evidence.changed': '证据状态已变化，请刷新后重试',
    'route.not_found': '未找到该地址',
    'service.unavailable': '服务暂时不可用，请稍后重试',
    internal: '系统出错了，请稍后重试',
  },
  en: {
    'validation.failed': 'Some answers need fixing; see the marked fields',
    'validation.required': 'This is required',
    'validation.type': 'Wrong format',
    'validation.too_short': 'Too short; please say a little more',
    'validation.too_long': 'Too long; please shorten it',
    'validation.option': 'Please choose from the list',
    'validation.format': 'Wrong format',
    'validation.invalid': 'Not valid',
    'validation.unknown_field': 'This field is not accepted',
    'validation.phone': 'Enter an 11-digit mobile number',
    'validation.otp_format': 'The code is 6 digits',
    'validation.date': 'Enter a valid date',
    'validation.date_future': 'The date cannot be in the future',
    'validation.number': 'Enter a number',
    'validation.amount': 'Enter a valid amount in yuan (at most two decimals)',
    'validation.amount_required': 'Please give the amount in dispute',
    'request.too_large': 'The request is too large',
    'request.bad_json': 'The request is not valid JSON',
    'request.content_type': 'Please send JSON (Content-Type: application/json)',
    'request.idempotency_key': 'Missing or invalid Idempotency-Key header',
    'request.idempotency_mismatch': 'This Idempotency-Key was already used with different content',
    'request.forbidden_origin': 'Request origin not allowed',
    'auth.required': 'Please sign in first',
    'auth.forbidden': 'You may not do this',
    'auth.staff_invalid': 'Wrong username or password',
    'auth.staff_locked': 'Too many failed sign-ins; the account is locked for 15 minutes',
    'auth.totp_required': 'Enter the 6-digit code from your authenticator app',
    'auth.totp_invalid': 'The authenticator code is not correct',
    'workflow.not_allowed': 'This action is not possible in the current state',
    'workflow.unknown_action': 'Unknown action',
    'workflow.no_target_org': 'There is no organisation to hand the case to',
    'workflow.bad_mediator': 'That mediator does not belong to this organisation',
    'case.version_conflict': 'Someone else updated this case; refresh and try again',
    'intake.excluded': 'This case is excluded from public-order mediation',
    'intake.exclusion_suspected':
      'The account suggests an exclusion may apply: tick it, or confirm none does',
    'org.not_found': 'Organisation not found',
    'auth.otp_invalid': 'The code is not correct',
    'auth.otp_expired': 'The code has expired; please ask for a new one',
    'auth.otp_locked': 'Too many wrong tries; try again in 15 minutes',
    'auth.otp_too_soon': 'Please wait a little before asking for another code',
    'case.not_found': 'Case not found',
    'evidence.not_found': 'Evidence not found',
    'evidence.type_not_accepted': 'This file type is not accepted: upload photos, PDFs, audio or video',
    'evidence.file_name': 'The file name is not valid',
    'evidence.empty': 'The file is empty',
    'evidence.too_large': 'The file is too large (at most 50 MB each)',
    'evidence.case_quota': "This case's evidence is full (200 MB); ask the mediator if you need to add more",
    'evidence.upload_expired': 'The upload did not finish; please upload the file again',
    'evidence.case_closed': 'This case is closed; no more evidence can be added',
    'evidence.not_uploaded': 'The upload has not finished yet; please try again',
    'evidence.type_mismatch': "The file's content does not match its type; please upload the original file",
    'evidence.size_mismatch': 'The file size does not match what was declared; please upload it again',
    'evidence.withdraw_too_late': 'The mediation has started; evidence can no longer be withdrawn',
    'evidence.changed': 'This item changed meanwhile; refresh and try again',
    'route.not_found': 'Not found',
    'service.unavailable': 'The service is briefly unavailable; please try again',
    internal: 'Something went wrong; please try again',
  },
} as const satisfies Record<Locale, Record<string, string>>

export type ErrorCode = keyof (typeof errorMessages)['zh-CN']

/** The message for a code; unknown codes fall back to the generic one rather than leaking the code. */
export function errorMessage(code: string, locale: Locale = 'zh-CN'): string {
  const table: Record<string, string> = errorMessages[locale]
  return table[code] ?? table.internal ?? code
}

/** Picks zh-CN or en from an Accept-Language header; Chinese is the default. */
export function localeFrom(acceptLanguage: string | undefined | null): Locale {
  if (!acceptLanguage) return 'zh-CN'
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? ''
  return first.startsWith('en') ? 'en' : 'zh-CN'
}
