import { CSRF_HEADER } from '../api/client'
import { parseApiError } from '../api/errors'
import { UPLOAD_URL } from '../api/endpoints'
import type { Image, Visibility } from '../api/types'
import { toLocalRfc3339 } from './dates'

export type UploadOutcome =
  | { kind: 'done'; image: Image }
  | { kind: 'duplicate'; imageId: string | null; message: string }
  | { kind: 'rejected'; status: number; code: string; message: string }

export interface UploadFields {
  title?: string
  attribution?: string
  visibility?: Visibility
}

/** What the file picker offers: every format the server takes (it sniffs the bytes). */
export const ACCEPT =
  'image/jpeg,image/png,image/webp,image/gif,image/tiff,image/bmp,image/heic,image/heif,image/avif,' +
  '.jpg,.jpeg,.png,.webp,.gif,.tif,.tiff,.bmp,.heic,.heif,.avif'

/** Classify the server's answer to an upload (pure: tested without XHR). */
export function classifyUploadResponse(status: number, bodyText: string): UploadOutcome {
  if (status === 200 || status === 201) {
    try {
      return { kind: 'done', image: JSON.parse(bodyText) as Image }
    } catch {
      return { kind: 'rejected', status, code: 'bad_response', message: 'The server sent an unexpected answer.' }
    }
  }
  const err = parseApiError(status, bodyText)
  if (status === 409) {
    return { kind: 'duplicate', imageId: err.imageId ?? null, message: err.message }
  }
  return { kind: 'rejected', status, code: err.code, message: err.message }
}

export function buildUploadForm(file: File, fields: UploadFields): FormData {
  const fd = new FormData()
  // Text fields first so a streaming server sees them before the file.
  if (fields.title && fields.title.trim()) fd.append('title', fields.title.trim())
  if (fields.attribution && fields.attribution.trim()) fd.append('attribution', fields.attribution.trim())
  if (fields.visibility) fd.append('visibility', fields.visibility)
  // The file's own time, used as the date taken when the file records none. In the browser's
  // offset, so the wall clock the user saw is kept.
  const modified = file.lastModified ? toLocalRfc3339(file.lastModified) : null
  if (modified) fd.append('file_modified_at', modified)
  fd.append('file', file, file.name)
  return fd
}

export interface UploadHandle {
  promise: Promise<UploadOutcome>
  abort: () => void
}

/** Upload one file with XMLHttpRequest so upload progress (0..1) can be reported. */
export function uploadFile(
  file: File,
  fields: UploadFields,
  onProgress: (fraction: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest()
  const promise = new Promise<UploadOutcome>((resolve) => {
    xhr.open('POST', UPLOAD_URL)
    xhr.withCredentials = false // same-origin: cookies are sent anyway
    xhr.setRequestHeader(CSRF_HEADER, '1')
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable && ev.total > 0) onProgress(Math.min(1, ev.loaded / ev.total))
    }
    xhr.onload = () => {
      onProgress(1)
      resolve(classifyUploadResponse(xhr.status, xhr.responseText))
    }
    xhr.onerror = () =>
      resolve({ kind: 'rejected', status: 0, code: 'network_error', message: 'Upload failed: the server could not be reached.' })
    xhr.onabort = () =>
      resolve({ kind: 'rejected', status: 0, code: 'aborted', message: 'Upload cancelled.' })
    xhr.send(buildUploadForm(file, fields))
  })
  return { promise, abort: () => xhr.abort() }
}

const IMAGE_EXT = /\.(jpe?g|png|webp|gif|tiff?|bmp|heic|heif|avif)$/i
const UNDISPLAYABLE = /\.(heic|heif|tiff?)$/i

/**
 * True when the browser can show the file itself in an <img> (a local preview before the
 * upload). HEIC/HEIF (and TIFF) it cannot: those wait for the server's JPEG thumbnail.
 */
export function browserCanShow(file: { name: string; type: string }): boolean {
  if (/^image\/(heic|heif|tiff)/i.test(file.type)) return false
  return !UNDISPLAYABLE.test(file.name)
}

/**
 * A quick client-side pre-check (the server decides for real: it sniffs the bytes). By the
 * extension when the name has one (a folder's `notes.txt`, `clip.mov` and `logo.svg` are not
 * photos Banana takes), else by the type the browser reports.
 */
export function looksLikeImage(file: { name: string; type: string }): boolean {
  const base = file.name.split('/').pop() ?? file.name
  if (/\.[^./]{1,8}$/.test(base)) return IMAGE_EXT.test(base)
  return /^image\/(jpeg|png|webp|gif|tiff|bmp|heic|heif|avif)/i.test(file.type)
}
