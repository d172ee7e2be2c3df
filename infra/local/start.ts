import { resolve } from 'node:path'
import { build } from 'vite'
import { MissingJavaError } from './dynamodb-local.ts'
import { DEFAULT_DEMO_PASSWORD, DEMO_CITIZEN_PHONE, DEMO_RESPONDENT_PHONE } from './seed.ts'
import { startSystem } from './system.ts'

/**
 * `npm start`: builds the portal, starts DynamoDB Local, the local S3 server and the API on one
 * port, seeds the demo data and prints where to go. Ctrl-C stops everything it started.
 */
async function main() {
  // Local runs on Node 20 (Lambda runs 22); the SDK's reminder about that is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const port = Number(process.env.PORT ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not "${process.env.PORT}"`)
  const dataDir = resolve(process.env.JIEFEN_DATA_DIR ?? '.data')

  console.log('解纷 Jiefen — building the portal…')
  await build({ configFile: resolve('web/vite.config.ts'), logLevel: 'warn' })
  console.log('Starting DynamoDB Local, the local S3 server and the API…')
  const demoPassword = process.env.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD
  const system = await startSystem({
    demoPassword,
    jobsEverySeconds: 60,
    dataDir,
    port,
    host: process.env.HOST ?? '127.0.0.1',
    webDist: resolve('web/dist'),
  })

  const videoUrl = system.deps.video?.url ?? 'not configured'
  console.log(`
  Jiefen is running:   ${system.url}
  API reference:       ${system.url}/api/docs
  Data kept in:        ${dataDir}

  Demo citizen:        phone ${DEMO_CITIZEN_PHONE} — the SMS code is printed here (local outbox),
                       also at ${system.url}/api/dev/outbox?phone=${DEMO_CITIZEN_PHONE}
  Demo staff:          police1 (police, 城东派出所), mediator1 / mediator2 / admin1 (城东街道人民调解委员会),
                       mediator3 (区调处中心), supervisor1 (区司法局), sysadmin1 — password: ${demoPassword}
                       (staff sign-in at ${system.url}/staff; TOTP is not asked of demo accounts locally)
  Video mediation:     the demo citizen's 包工头 case has a session open now (mediator1; other party
                       ${DEMO_RESPONDENT_PHONE}). Video needs a LiveKit server: livekit-server --dev (${videoUrl})
  Partner department:  that case has a clue sent to 滨河区劳动保障监察大队; its link and codes go to
                       ${system.url}/api/dev/outbox?phone=13700137004
  Press Ctrl-C to stop.
`)

  let stopping = false
  const shutdown = async () => {
    if (stopping) return
    stopping = true
    console.log('\nStopping…')
    await system.stop()
    process.exit(0)
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

main().catch((e) => {
  if (e instanceof MissingJavaError) {
    console.error(`\n${e.message}\n`)
  } else if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(
      `\nPort ${process.env.PORT ?? 3000} is in use. Stop what runs there, or choose another: PORT=3001 npm start\n`,
    )
  } else {
    console.error(e)
  }
  process.exit(1)
})
