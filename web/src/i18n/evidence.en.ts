import type { EvidenceKey } from './evidence.zh-CN.ts'

/** The evidence section's strings in English, typed against the Chinese ones: none can be missing. */
export const evidenceEn: Record<EvidenceKey, string> = {
  'evidence.title': 'Evidence',
  'evidence.lead':
    'Upload what shows your side of the story. The mediator and the other party can see the evidence you add.',
  'evidence.tipsTitle': 'What helps',
  'evidence.tips.original': 'Upload the original photos and files; do not edit, crop or beautify them.',
  'evidence.tips.screenshots':
    'Chat screenshots carry more weight with the original phone or other records (such as transfers) beside them. Bring the phone to the mediation.',
  'evidence.tips.privacy':
    'Where a photo was taken (GPS) is removed automatically; the other party never sees it.',

  'evidence.tips.wage_arrears.1':
    'A labour contract, or anything showing you worked there: work badge, uniform, site photos, colleagues’ names and numbers',
  'evidence.tips.wage_arrears.2': 'Pay records: bank statements, WeChat or Alipay transfers, pay slips',
  'evidence.tips.wage_arrears.3': 'Attendance records, clock-in photos or screenshots, a work diary',
  'evidence.tips.wage_arrears.4': 'Chats or recorded calls with the boss or foreman, IOUs, settlement sheets',

  'evidence.tips.family.1':
    'Marriage certificate, divorce agreement or judgment, household register: proof of the relationship',
  'evidence.tips.family.2': 'Papers for the property involved: home, savings, vehicles',
  'evidence.tips.family.3': 'Records of child support, support for parents or living expenses paid',
  'evidence.tips.family.4':
    'Related chats and recordings; if there is domestic violence, keep photos of injuries, medical records and police receipts, and call 110 if you are in danger',

  'evidence.tips.neighbour.1': 'Photos or videos of the problem: leaks, blocked passages, clutter, damage',
  'evidence.tips.neighbour.2': 'Recordings or videos of the noise, ideally showing the time',
  'evidence.tips.neighbour.3': 'Repair or assessment receipts, or quotes',
  'evidence.tips.neighbour.4':
    'What the property manager, residents’ or village committee did, and neighbours who know what happened',

  'evidence.tips.contract_debt.1': 'IOU, contract, order or delivery note',
  'evidence.tips.contract_debt.2':
    'Transfer records, bank statements, receipts: proof the money or goods reached them',
  'evidence.tips.contract_debt.3': 'Chats, text messages or recorded calls asking for payment',
  'evidence.tips.contract_debt.4': 'Who they are: ID card photo, business card, business licence',

  'evidence.tips.land.1':
    'Land contract certificate, homestead certificate, forest right certificate or contract',
  'evidence.tips.land.2': 'Photos or videos of the boundary, ideally with markers, trees or ditches in view',
  'evidence.tips.land.3': 'The village committee’s allocation records, minutes or statements',
  'evidence.tips.land.4': 'Names and numbers of elders or neighbours who know the boundary',

  'evidence.tips.property.1': 'Property service contract, purchase contract or lease',
  'evidence.tips.property.2': 'Receipts for property fees, parking fees and the like',
  'evidence.tips.property.3':
    'Photos or videos of the problem: broken facilities, leaks, a parking space taken',
  'evidence.tips.property.4': 'Your repair requests or complaints to the manager, and their replies',

  'evidence.tips.consumer.1': 'Receipt, invoice, order screenshot or payment record',
  'evidence.tips.consumer.2': 'Photos or videos of the faulty goods or service',
  'evidence.tips.consumer.3':
    'Adverts, leaflets, screenshots of what the seller promised; prepaid cards and their balance',
  'evidence.tips.consumer.4': 'Chats or recorded calls with the seller',

  'evidence.tips.minor_public_order.1': 'Photos of injuries, medical records and bills',
  'evidence.tips.minor_public_order.2': 'Photos of damaged things, and repair or purchase receipts',
  'evidence.tips.minor_public_order.3':
    'Video or CCTV footage; if you have none, note the time and place so it can be requested',
  'evidence.tips.minor_public_order.4': 'Names and numbers of witnesses, and the police receipt',

  'evidence.tips.other.1': 'Photos or videos that show what happened',
  'evidence.tips.other.2': 'Papers: contracts, receipts, transfer records',
  'evidence.tips.other.3': 'Chats, text messages, recorded calls',
  'evidence.tips.other.4': 'Names and numbers of people who know what happened',

  'evidence.uploadTitle': 'Upload evidence',
  'evidence.pick': 'Choose files',
  'evidence.camera': 'Take a photo',
  'evidence.formats': 'Choose several at once: photos, PDFs, audio, video; up to 50 MB each.',
  'evidence.picked': '{n} files chosen',
  'evidence.pickedOne': '1 file chosen',
  'evidence.describe': 'What this shows',
  'evidence.describeHint': 'For example: attendance record for December 2025',
  'evidence.remove': 'Remove',
  'evidence.removeNamed': 'Remove {name}',
  'evidence.uploadAll': 'Upload {n} files',
  'evidence.uploadOne': 'Upload 1 file',
  'evidence.waiting': 'Waiting',
  'evidence.progress': '{pct}% uploaded',
  'evidence.progressLabel': 'Upload progress of {name}',
  'evidence.checking': 'Uploaded; checking…',
  'evidence.retry': 'Try again',
  'evidence.networkError':
    'The connection dropped before the file was sent. Check your network and tap “Try again”; no need to choose the file again.',
  'evidence.storageError': 'The file was not stored; tap “Try again”.',
  'evidence.serviceError': 'The service is busy; tap “Try again” in a moment.',
  'evidence.announceStart': 'Uploading “{name}”',
  'evidence.announceProgress': '“{name}”: {pct}% uploaded',
  'evidence.resultVerified': '“{name}” was uploaded and passed the check',
  'evidence.resultRejected': '“{name}” did not pass the check: {reason}',
  'evidence.resultVerifying': '“{name}” was uploaded and is being checked',
  'evidence.leaveConfirm': 'Files are still uploading; leaving this page stops them. Leave anyway?',

  'evidence.listTitle': 'Evidence added',
  'evidence.count': '{n} in all',
  'evidence.empty': 'No evidence uploaded yet.',
  'evidence.by.me': 'me',
  'evidence.by.applicant': 'the applicant',
  'evidence.by.respondent': 'the respondent',
  'evidence.by.handling_org': 'the mediation organisation',
  'evidence.by.sender_org': 'the sending organisation',
  'evidence.by.police': 'the police',
  'evidence.by.supervisor': 'the supervisor',
  'evidence.uploadedBy': 'Uploaded by {who}',
  'evidence.uploadedAt': 'On {time}',
  'evidence.kind.image': 'Photo',
  'evidence.kind.pdf': 'PDF',
  'evidence.kind.audio': 'Audio',
  'evidence.kind.video': 'Video',
  'evidence.kind.file': 'File',
  'evidence.size.kb': '{n} KB',
  'evidence.size.mb': '{n} MB',
  'evidence.status.uploading': 'Uploading',
  'evidence.status.stalled': 'Not fully uploaded',
  'evidence.status.verifying': 'Being checked',
  'evidence.status.verified': 'Checked',
  'evidence.status.rejected': 'Not accepted: {reason}',
  'evidence.withdrawn': 'Withdrawn',
  'evidence.withdrawnNote': 'You withdrew this; the other party cannot see it, and the record is kept.',
  'evidence.gpsRemoved': 'Photo location removed',
  'evidence.fingerprint': 'Fingerprint {short}',
  'evidence.fingerprintHelp':
    'The file’s SHA-256 “fingerprint”. Change the file even slightly and the fingerprint changes completely, so it proves the evidence was not altered after upload.',
  'evidence.thumbAlt': 'Photo: {name}',
  'evidence.open': 'Open',
  'evidence.openNamed': 'Open {name}',
  'evidence.withdraw': 'Withdraw',
  'evidence.withdrawNamed': 'Withdraw {name}',
  'evidence.withdrawConfirm': 'Withdraw “{name}”? The other party will no longer see it; the record is kept.',
  'evidence.withdrawYes': 'Withdraw',
  'evidence.withdrawNo': 'Cancel',
  'evidence.withdrawing': 'Withdrawing…',
}
