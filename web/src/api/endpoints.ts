// One function per API operation. Each is typed by its `operationId` in the generated contract
// (`Reply<'listImages'>` is what `GET /api/v1/images` answers), so a change to the API that the
// UI does not follow fails `tsc`.
import { api, apiResponse, withQuery } from './client'
import type { BulkRequest, BulkResponse, Library, QueryOf, Reply, RequestBody, SharedAlbum, SharedContent } from './types'

const V1 = '/api/v1'
const enc = encodeURIComponent

export const getInfo = (signal?: AbortSignal) => api<Reply<'getInfo'>>(`${V1}/info`, { signal })

/** The gallery's filters (`GET /api/v1/images` besides paging); a cleared one is null. */
export type ImageFilter = {
  label?: string | null
  scope?: Library | null
  sort?: 'taken' | 'uploaded' | null
  taken_from?: string | null
  taken_to?: string | null
  country?: string | null
  city?: string | null
  camera?: string | null
  /** Only the images of this album (its id). */
  album?: string | null
  /** Only the caller's favourites. */
  favorite?: boolean | null
}

export const listImages = (p: { limit?: number; cursor?: string | null } & ImageFilter, signal?: AbortSignal) =>
  api<Reply<'listImages'>>(withQuery(`${V1}/images`, p satisfies Nullable<QueryOf<'listImages'>>), { signal })

export const getImage = (id: string, signal?: AbortSignal) =>
  api<Reply<'getImage'>>(`${V1}/images/${enc(id)}`, { signal })

export const patchImage = (id: string, patch: RequestBody<'updateImage'>) =>
  api<Reply<'updateImage'>>(`${V1}/images/${enc(id)}`, { method: 'PATCH', body: patch })

/** Photos per month taken (newest first), for the year scrubber. */
export const getTimeline = (p: { scope?: Library | null }, signal?: AbortSignal) =>
  api<Reply<'getTimeline'>>(withQuery(`${V1}/timeline`, p satisfies Nullable<QueryOf<'getTimeline'>>), { signal })

/** The caller's own places (one row per city) with counts. */
export const listPlaces = (signal?: AbortSignal) => api<Reply<'listPlaces'>>(`${V1}/places`, { signal })

/** Moves the image to its owner's trash (restorable until the trash is emptied or purged). */
export const deleteImage = (id: string) =>
  api<void>(`${V1}/images/${enc(id)}`, { method: 'DELETE' })

export const similarImages = (id: string, limit = 12, signal?: AbortSignal) =>
  api<Reply<'similarImages'>>(withQuery(`${V1}/images/${enc(id)}/similar`, { limit }), { signal })

export const listLabels = (signal?: AbortSignal, scope?: Library | null) =>
  api<Reply<'listLabels'>>(withQuery(`${V1}/labels`, { scope } satisfies Nullable<QueryOf<'listLabels'>>), { signal })

export const search = (
  p: { q: string; limit?: number; cursor?: string | null; scope?: Library | null },
  signal?: AbortSignal,
) => api<Reply<'search'>>(withQuery(`${V1}/search`, p satisfies Nullable<QueryOf<'search'>>), { signal })

const credentials = (username: string, password: string): RequestBody<'login'> => ({
  username,
  password,
})

export const register = (username: string, password: string) =>
  api<Reply<'register'>>(`${V1}/auth/register`, {
    method: 'POST',
    body: credentials(username, password),
  })

export const login = (username: string, password: string) =>
  api<Reply<'login'>>(`${V1}/auth/login`, { method: 'POST', body: credentials(username, password) })

export const logout = () => api<void>(`${V1}/auth/logout`, { method: 'POST' })

export const getMe = (signal?: AbortSignal) => api<Reply<'getMe'>>(`${V1}/me`, { signal })

export const changePassword = (currentPassword: string, newPassword: string, revokeTokens: boolean) =>
  api<void>(`${V1}/me/password`, {
    method: 'POST',
    body: {
      current_password: currentPassword,
      new_password: newPassword,
      revoke_tokens: revokeTokens,
    } satisfies RequestBody<'changePassword'>,
  })

export const listSessions = (signal?: AbortSignal) =>
  api<Reply<'listSessions'>>(`${V1}/me/sessions`, { signal })

export const endSession = (id: string) =>
  api<void>(`${V1}/me/sessions/${enc(id)}`, { method: 'DELETE' })

export const listTokens = (signal?: AbortSignal) =>
  api<Reply<'listTokens'>>(`${V1}/tokens`, { signal })

export const createToken = (name: string, expiresIn: number | null) =>
  api<Reply<'createToken'>>(`${V1}/tokens`, {
    method: 'POST',
    body: (expiresIn ? { name, expires_in: expiresIn } : { name }) satisfies RequestBody<'createToken'>,
  })

export const deleteToken = (id: string) =>
  api<void>(`${V1}/tokens/${enc(id)}`, { method: 'DELETE' })

export const listUsers = (signal?: AbortSignal) =>
  api<Reply<'listUsers'>>(`${V1}/admin/users`, { signal })

export const createUser = (username: string, password: string, isAdmin: boolean) =>
  api<Reply<'createUser'>>(`${V1}/admin/users`, {
    method: 'POST',
    body: { username, password, is_admin: isAdmin } satisfies RequestBody<'createUser'>,
  })

export const patchUser = (id: string, patch: RequestBody<'updateUser'>) =>
  api<Reply<'updateUser'>>(`${V1}/admin/users/${enc(id)}`, { method: 'PATCH', body: patch })

export const deleteUser = (id: string) =>
  api<void>(`${V1}/admin/users/${enc(id)}`, { method: 'DELETE' })

export const createShare = (imageId: string, expiresIn: number) =>
  api<Reply<'createShare'>>(`${V1}/images/${enc(imageId)}/shares`, {
    method: 'POST',
    body: { expires_in: expiresIn } satisfies RequestBody<'createShare'>,
  })

export const listShares = (imageId: string, signal?: AbortSignal) =>
  api<Reply<'listShares'>>(`${V1}/images/${enc(imageId)}/shares`, { signal })

export const deleteShare = (imageId: string, shareId: string) =>
  api<void>(`${V1}/images/${enc(imageId)}/shares/${enc(shareId)}`, { method: 'DELETE' })

/** What a share link shows: an image, or (an album's link) the album and a page of its photos. */
export const getShared = (token: string, cursor?: string | null, signal?: AbortSignal) =>
  api<SharedContent>(withQuery(`${V1}/shared/${enc(token)}`, { cursor }), { signal })

/** A shared album as a ZIP (a plain link: GET needs no CSRF header). */
export const sharedDownloadUrl = (token: string) => `${V1}/shared/${enc(token)}/download`

// ---------- favourites and albums (#17) ----------

export const favoriteImage = (id: string) =>
  api<Reply<'favoriteImage'>>(`${V1}/images/${enc(id)}/favorite`, { method: 'PUT' })

export const unfavoriteImage = (id: string) =>
  api<Reply<'unfavoriteImage'>>(`${V1}/images/${enc(id)}/favorite`, { method: 'DELETE' })

/** The caller's own albums, most recently updated first. */
export const listAlbums = (signal?: AbortSignal) => api<Reply<'listAlbums'>>(`${V1}/albums`, { signal })

export const getAlbum = (id: string, signal?: AbortSignal) => api<Reply<'getAlbum'>>(`${V1}/albums/${enc(id)}`, { signal })

export const createAlbum = (name: string, description?: string | null) =>
  api<Reply<'createAlbum'>>(`${V1}/albums`, {
    method: 'POST',
    body: (description ? { name, description } : { name }) satisfies RequestBody<'createAlbum'>,
  })

export const updateAlbum = (id: string, patch: RequestBody<'updateAlbum'>) =>
  api<Reply<'updateAlbum'>>(`${V1}/albums/${enc(id)}`, { method: 'PATCH', body: patch })

/** Deletes the album; its photos stay. */
export const deleteAlbum = (id: string) => api<void>(`${V1}/albums/${enc(id)}`, { method: 'DELETE' })

export const addAlbumImages = (id: string, imageIds: string[]) =>
  api<Reply<'addAlbumImages'>>(`${V1}/albums/${enc(id)}/images`, {
    method: 'POST',
    body: { image_ids: imageIds } satisfies RequestBody<'addAlbumImages'>,
  })

export const removeAlbumImages = (id: string, imageIds: string[]) =>
  api<Reply<'removeAlbumImages'>>(`${V1}/albums/${enc(id)}/images`, {
    method: 'DELETE',
    body: { image_ids: imageIds } satisfies RequestBody<'removeAlbumImages'>,
  })

// ---------- trash, bulk actions, downloads, album shares, duplicates (#18) ----------

/** The caller's trash, newest trashed first. */
export const listTrash = (p: { cursor?: string | null; limit?: number }, signal?: AbortSignal) =>
  api<Reply<'listTrash'>>(withQuery(`${V1}/trash`, p satisfies Nullable<QueryOf<'listTrash'>>), { signal })

export const restoreTrash = (imageIds: string[]) =>
  api<Reply<'restoreTrash'>>(`${V1}/trash/restore`, {
    method: 'POST',
    body: { image_ids: imageIds } satisfies RequestBody<'restoreTrash'>,
  })

/** Deletes everything in the trash for good, now. */
export const emptyTrash = () => api<Reply<'emptyTrash'>>(`${V1}/trash`, { method: 'DELETE' })

/** One action on up to 1000 images; each id succeeds or fails on its own. */
export const bulkImages = (req: BulkRequest) =>
  api<BulkResponse>(`${V1}/images/bulk`, { method: 'POST', body: req })

/** The images as one ZIP, streamed (the caller must be able to see every one of them). */
export const downloadImages = (imageIds: string[], signal?: AbortSignal) =>
  apiResponse(`${V1}/downloads`, {
    method: 'POST',
    body: { image_ids: imageIds } satisfies RequestBody<'downloadImages'>,
    signal,
    accept: 'application/zip',
  })

/** An album as a ZIP (a plain link works: GET needs no CSRF header). */
export const albumDownloadUrl = (albumId: string) => `${V1}/albums/${enc(albumId)}/download`

export const createAlbumShare = (albumId: string, expiresIn: number) =>
  api<Reply<'createAlbumShare'>>(`${V1}/albums/${enc(albumId)}/shares`, {
    method: 'POST',
    body: { expires_in: expiresIn } satisfies RequestBody<'createAlbumShare'>,
  })

export const listAlbumShares = (albumId: string, signal?: AbortSignal) =>
  api<Reply<'listAlbumShares'>>(`${V1}/albums/${enc(albumId)}/shares`, { signal })

export const deleteAlbumShare = (albumId: string, shareId: string) =>
  api<void>(`${V1}/albums/${enc(albumId)}/shares/${enc(shareId)}`, { method: 'DELETE' })

/** The caller's own near-identical copies, in groups (the first of each: the one to keep). */
export const listDuplicates = (signal?: AbortSignal) => api<Reply<'listDuplicates'>>(`${V1}/duplicates`, { signal })

/** A shared album (else a shared image). */
export const isSharedAlbum = (c: SharedContent): c is SharedAlbum => 'album' in c && 'images' in c

export const UPLOAD_URL = `${V1}/images`

/** Query parameters as the UI holds them: a cleared filter is `null` (`withQuery` drops it). */
type Nullable<T> = { [K in keyof T]?: T[K] | null }

/** The images before (newer) and after (older) one in a listing with these filters. */
export type ImageNeighbors = Reply<'imageNeighbors'>

/** The neighbours of an image in the listing `GET /api/v1/images` gives for the same filters. */
export const getNeighbors = (id: string, p: ImageFilter, signal?: AbortSignal) =>
  api<ImageNeighbors>(withQuery(`${V1}/images/${enc(id)}/neighbors`, p satisfies Nullable<QueryOf<'imageNeighbors'>>), { signal })

// ---------- tags and label rejection ----------

/** Puts the caller's tag on the image (owner or admin); answers the image as it now is. */
export const addImageTag = (id: string, name: string) =>
  api<Reply<'addImageTag'>>(`${V1}/images/${enc(id)}/tags`, {
    method: 'POST',
    body: { name } satisfies RequestBody<'addImageTag'>,
  })

export const removeImageTag = (id: string, name: string) =>
  api<Reply<'removeImageTag'>>(`${V1}/images/${enc(id)}/tags/${enc(name)}`, { method: 'DELETE' })

/** "Not this": takes a model label off the image for good (re-analysis does not bring it back). */
export const rejectImageLabel = (id: string, labelId: string) =>
  api<Reply<'rejectImageLabel'>>(`${V1}/images/${enc(id)}/labels/${enc(labelId)}`, { method: 'DELETE' })
