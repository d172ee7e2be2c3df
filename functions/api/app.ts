import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { getCookie } from 'hono/cookie'
import { secureHeaders } from 'hono/secure-headers'
import type { Logger } from '../adapters/log.ts'
import { assertStaff } from '../domain/actor.ts'
import { actorFromToken } from '../domain/auth.ts'
import { VisibleError } from '../domain/errors.ts'
import { localeFrom } from '../domain/messages.ts'
import type { Deps } from '../domain/ports.ts'
import type { StaffRole } from '../domain/staff.ts'
import { docsPage } from './docs.ts'
import { type AppEnv, router } from './env.ts'
import { errorHandler } from './errors.ts'
import { adminRoutes } from './routes/admin.ts'
import { agreementRoutes, verifyRoutes } from './routes/agreement.ts'
import { authRoutes, meRoutes, SESSION_COOKIE } from './routes/auth.ts'
import { caseRoutes } from './routes/cases.ts'
import { evidenceRoutes } from './routes/evidence.ts'
import { followUpCaseRoutes, followUpLinkRoutes } from './routes/follow-ups.ts'
import { insightRoutes, outlookRoutes } from './routes/insight.ts'
import { departmentRoutes, referralCaseRoutes, referralLinkRoutes } from './routes/referrals.ts'
import { devRoutes, healthRoutes } from './routes/system.ts'
import { caseSessionRoutes, liveKitRoutes, sessionRoutes } from './routes/video.ts'
import { actionRoutes, staffRoutes } from './routes/workflow.ts'
import { sourceAddress } from './source.ts'

export interface AppOptions {
  deps: Deps
  log: Logger
  secureCookies: boolean
  /** Where the browser uploads and views evidence (the S3 origin), allowed by the CSP. */
  evidenceOrigin?: string
  /**
   * In AWS: tells a request that came through our CloudFront (its origin header holds the secret),
   * so CloudFront's viewer address may be believed. Absent locally: the socket's peer is used.
   */
  fromCloudFront?: (originHeader: string | undefined) => Promise<boolean>
  /** Present only in local mode: mounts GET /api/dev/outbox. */
  outbox?: { read(phone: string): { text: string; at: string }[] }
}

/** Requests larger than this are refused before parsing (413). */
export const MAX_BODY_BYTES = 64 * 1024

/** Content-Security-Policy shared by the API and the portal (the local server and CloudFront). */
export function contentSecurityPolicy(evidenceOrigin?: string, videoUrl?: string): string {
  const files = evidenceOrigin ? ` ${evidenceOrigin}` : ''
  const video = videoUrl ? ` ${videoOrigins(videoUrl).join(' ')}` : ''
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob:${files}`,
    `media-src 'self' blob:${files}`,
    `connect-src 'self'${files}${video}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * Browser features the portal may use: camera and microphone for video mediation (issue 5), on
 * our own origin only; everything else a page could ask for is switched off. Sent by the local server and
 * by CloudFront (as a custom header: its security-headers set has no Permissions-Policy).
 */
export const PERMISSIONS_POLICY = [
  'camera=(self)',
  'microphone=(self)',
  'display-capture=()',
  'geolocation=()',
  'payment=()',
  'usb=()',
  'serial=()',
  'bluetooth=()',
  'hid=()',
  'midi=()',
  'accelerometer=()',
  'gyroscope=()',
  'magnetometer=()',
  'interest-cohort=()',
  'browsing-topics=()',
].join(', ')

/** The video service's signalling (ws/wss) and its HTTP origin (the client checks the server over it). */
export function videoOrigins(videoUrl: string): string[] {
  const u = new URL(videoUrl)
  const secure = u.protocol === 'wss:' || u.protocol === 'https:'
  return [`${secure ? 'wss' : 'ws'}://${u.host}`, `${secure ? 'https' : 'http'}://${u.host}`]
}

/** The policy without an evidence origin; the evidence bucket's origin is added where it is known. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy()

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

const staffOnly =
  (...roles: StaffRole[]): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    assertStaff(c.var.actor, ...roles)
    await next()
  }

const signedIn: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.var.actor.kind === 'anonymous') throw new VisibleError('unauthorized', 'auth.required')
  await next()
}

/**
 * The Hono app, the same on Lambda and on Node. Dependencies come in, so tests run it over DynamoDB
 * Local with a clock they control.
 */
export function createApp(options: AppOptions) {
  const { deps, log } = options
  const csp = contentSecurityPolicy(options.evidenceOrigin, deps.video?.url)
  const app = router()
  const api = app
    .use('*', async (c, next) => {
      c.set('deps', deps)
      c.set('locale', localeFrom(c.req.header('accept-language')))
      c.set('actor', { kind: 'anonymous' })
      c.set('source', () => sourceAddress(c, options.fromCloudFront))
      await next()
    })
    .use(
      '*',
      secureHeaders({
        contentSecurityPolicy: undefined,
        strictTransportSecurity: options.secureCookies ? 'max-age=63072000; includeSubDomains' : false,
        referrerPolicy: 'strict-origin-when-cross-origin',
        xFrameOptions: 'DENY',
        crossOriginResourcePolicy: 'same-origin',
      }),
    )
    .use('*', async (c, next) => {
      c.header('Content-Security-Policy', csp)
      c.header('Permissions-Policy', PERMISSIONS_POLICY)
      c.header('Cache-Control', 'no-store')
      await next()
    })
    // Cross-site requests may not change anything: a browser always sends Origin on them.
    .use('*', async (c, next) => {
      if (UNSAFE.has(c.req.method)) {
        const origin = c.req.header('origin')
        if (origin && origin !== new URL(c.req.url).origin && origin !== `https://${c.req.header('host')}`) {
          throw new VisibleError('forbidden', 'request.forbidden_origin')
        }
      }
      await next()
    })
    .use(
      '*',
      bodyLimit({
        maxSize: MAX_BODY_BYTES,
        onError: () => {
          throw new VisibleError('too_large', 'request.too_large')
        },
      }),
    )
    .use('*', async (c, next) => {
      c.set('actor', await actorFromToken(deps, getCookie(c, SESSION_COOKIE)))
      await next()
    })
    // Signed-in routes refuse anonymous callers before looking at their input.
    .use('/api/me', signedIn)
    .use('/api/cases', signedIn)
    .use('/api/cases/*', signedIn)
    .use('/api/sessions/*', signedIn)
    // Staff-only routes refuse other callers before their input is looked at.
    .use('/api/intake', staffOnly('police'))
    .use('/api/intake/referral', staffOnly('mediator', 'centre_admin'))
    .use('/api/queue', staffOnly('mediator', 'centre_admin', 'supervisor', 'police'))
    .use('/api/orgs', staffOnly())
    .use('/api/admin/*', staffOnly('centre_admin', 'system_admin'))
    .use('/api/insight/*', staffOnly('supervisor', 'centre_admin', 'system_admin'))
    .use('/api/departments', staffOnly())
    .use('/api/departments/*', staffOnly())
    .route('/api/health', healthRoutes())
    .route(
      '/api/auth',
      authRoutes({ secureCookies: options.secureCookies, demoAccounts: Boolean(options.outbox) }),
    )
    .route('/api/me', meRoutes())
    .route('/api/cases', caseRoutes())
    .route('/api/cases', evidenceRoutes())
    .route('/api/cases', actionRoutes())
    .route('/api/cases', caseSessionRoutes())
    .route('/api/sessions', sessionRoutes())
    .route('/api/livekit', liveKitRoutes())
    .route('/api', staffRoutes())
    .route('/api/admin', adminRoutes())
    .route('/api/cases', agreementRoutes())
    .route('/api/verify', verifyRoutes())
    .route('/api/insight', insightRoutes())
    .route('/api/cases', outlookRoutes())
    .route('/api/cases', followUpCaseRoutes())
    .route('/api/follow-ups', followUpLinkRoutes())
    .route('/api/cases', referralCaseRoutes())
    .route('/api/departments', departmentRoutes())
    .route('/api/referrals', referralLinkRoutes())

  if (options.outbox) app.route('/api/dev', devRoutes(options.outbox))

  const openapi = {
    openapi: '3.0.3',
    info: {
      title: 'Jiefen',
      version: '0.1.0',
      description: 'Citizen self-service and online mediation for police–people joint mediation.',
    },
  }
  app.doc('/api/openapi.json', openapi)
  app.get('/api/docs', (c) => c.html(docsPage(app.getOpenAPIDocument(openapi))))
  // Registered last: an unknown /api path answers JSON 404 even when mounted inside another app.
  app.all('/api/*', () => {
    throw new VisibleError('not_found', 'route.not_found')
  })
  app.notFound(() => {
    throw new VisibleError('not_found', 'route.not_found')
  })
  app.onError(errorHandler(log))
  return api
}

export type AppType = ReturnType<typeof createApp>
