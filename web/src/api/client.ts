import { ApiError, parseApiError } from './errors'

export const CSRF_HEADER = 'X-Banana-CSRF'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export interface RequestOptions {
  method?: string
  body?: unknown
  signal?: AbortSignal
}

/** Headers every request of this method carries. State-changing ones get the CSRF header. */
export function requestHeaders(method: string, hasJsonBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (!SAFE_METHODS.has(method.toUpperCase())) headers[CSRF_HEADER] = '1'
  if (hasJsonBody) headers['Content-Type'] = 'application/json'
  return headers
}

/** Build `path?k=v` skipping undefined/null/empty values. */
export function withQuery(
  path: string,
  params: Record<string, string | number | boolean | null | undefined>,
): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue
    q.set(k, String(v))
  }
  const s = q.toString()
  return s ? `${path}?${s}` : path
}

/**
 * The server's response to a request, once it is known to have succeeded (else the ApiError),
 * with the body unread: for answers that are not JSON, such as a ZIP download.
 */
export async function apiResponse(path: string, opts: RequestOptions & { accept?: string } = {}): Promise<Response> {
  const method = (opts.method ?? 'GET').toUpperCase()
  const hasBody = opts.body !== undefined
  const headers = requestHeaders(method, hasBody)
  if (opts.accept) headers.Accept = opts.accept
  let res: Response
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      body: hasBody ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
    })
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection.')
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '')
    throw parseApiError(res.status, text, res.headers.get('Retry-After'))
  }
  return res
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await apiResponse(path, opts)
  if (res.status === 204) return undefined as T
  const text = await res.text()
  if (!text) return undefined as T
  try {
    return JSON.parse(text) as T
  } catch {
    throw new ApiError(res.status, 'bad_response', 'The server sent an unexpected answer.')
  }
}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError'
}
