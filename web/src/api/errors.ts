/** An error answered by the server (or a network failure, status 0). */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  /** For a duplicate upload (409): the id of the image that already has these bytes. */
  readonly imageId?: string
  /** For rate limiting (429): seconds to wait. */
  readonly retryAfter?: number

  constructor(
    status: number,
    code: string,
    message: string,
    extra: { imageId?: string; retryAfter?: number } = {},
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.imageId = extra.imageId
    this.retryAfter = extra.retryAfter
  }
}

const FALLBACK_MESSAGES: Record<number, string> = {
  400: 'The request was not valid.',
  401: 'Please sign in.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  405: 'That action is not allowed here.',
  409: 'That already exists.',
  413: 'The file is too large.',
  415: 'That file type is not supported.',
  422: 'The file could not be processed.',
  429: 'Too many attempts. Please wait and try again.',
  500: 'The server had a problem. Please try again.',
  502: 'The server is not reachable right now.',
  503: 'The server is not ready yet. Please try again shortly.',
}

function fallbackMessage(status: number): string {
  if (status === 0) return 'Could not reach the server. Check your connection.'
  return FALLBACK_MESSAGES[status] ?? `The request failed (HTTP ${status}).`
}

function fallbackCode(status: number): string {
  if (status === 0) return 'network_error'
  if (status === 404) return 'not_found'
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 429) return 'rate_limited'
  if (status >= 500) return 'server_error'
  return 'http_' + status
}

/**
 * Turn a failed response into an ApiError. The server's shape is
 * `{"error": {"code", "message", ...extra}}`; anything else (an HTML proxy
 * page, an empty body, plain text) still yields a readable message.
 */
export function parseApiError(
  status: number,
  bodyText: string | null | undefined,
  retryAfterHeader?: string | null,
): ApiError {
  let code = fallbackCode(status)
  let message = fallbackMessage(status)
  let imageId: string | undefined
  let retryAfter: number | undefined

  if (bodyText) {
    try {
      const body: unknown = JSON.parse(bodyText)
      const err =
        body && typeof body === 'object' && 'error' in body
          ? (body as { error: unknown }).error
          : undefined
      if (err && typeof err === 'object') {
        const e = err as Record<string, unknown>
        if (typeof e.code === 'string' && e.code) code = e.code
        if (typeof e.message === 'string' && e.message.trim()) message = e.message
        if (typeof e.image_id === 'string' && e.image_id) imageId = e.image_id
        if (typeof e.retry_after === 'number' && Number.isFinite(e.retry_after)) {
          retryAfter = e.retry_after
        }
      } else if (typeof err === 'string' && err.trim()) {
        message = err
      }
    } catch {
      // Not JSON: keep the fallback message rather than showing markup.
    }
  }

  if (retryAfter === undefined && retryAfterHeader) {
    const n = Number(retryAfterHeader)
    if (Number.isFinite(n) && n >= 0) retryAfter = n
  }
  if (status === 429 && retryAfter !== undefined && !/\d/.test(message)) {
    message = `${message} Try again in ${Math.ceil(retryAfter)} s.`
  }

  return new ApiError(status, code, message, { imageId, retryAfter })
}

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message
  if (e instanceof Error && e.message) return e.message
  return 'Something went wrong.'
}
