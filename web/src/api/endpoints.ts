import { api, withQuery } from './client'
import type {
  ApiTokenInfo,
  Image,
  LabelCount,
  LoginResult,
  NewApiToken,
  Page,
  SearchHit,
  ServerInfo,
  SessionInfo,
  Share,
  User,
  Visibility,
} from './types'

const V1 = '/api/v1'
const enc = encodeURIComponent

export const getInfo = (signal?: AbortSignal) => api<ServerInfo>(`${V1}/info`, { signal })

export const listImages = (
  p: { limit?: number; cursor?: string | null; label?: string | null },
  signal?: AbortSignal,
) => api<Page<Image>>(withQuery(`${V1}/images`, p), { signal })

export const getImage = (id: string, signal?: AbortSignal) =>
  api<Image>(`${V1}/images/${enc(id)}`, { signal })

export const patchImage = (
  id: string,
  patch: { title?: string | null; attribution?: string | null; visibility?: Visibility },
) => api<Image>(`${V1}/images/${enc(id)}`, { method: 'PATCH', body: patch })

export const deleteImage = (id: string) =>
  api<void>(`${V1}/images/${enc(id)}`, { method: 'DELETE' })

export const similarImages = (id: string, limit = 12, signal?: AbortSignal) =>
  api<{ items: SearchHit[] }>(withQuery(`${V1}/images/${enc(id)}/similar`, { limit }), { signal })

export const listLabels = (signal?: AbortSignal) =>
  api<{ items: LabelCount[] }>(`${V1}/labels`, { signal })

export const search = (
  p: { q: string; limit?: number; cursor?: string | null },
  signal?: AbortSignal,
) => api<Page<SearchHit>>(withQuery(`${V1}/search`, p), { signal })

export const register = (username: string, password: string) =>
  api<User>(`${V1}/auth/register`, { method: 'POST', body: { username, password } })

export const login = (username: string, password: string) =>
  api<LoginResult>(`${V1}/auth/login`, { method: 'POST', body: { username, password } })

export const logout = () => api<void>(`${V1}/auth/logout`, { method: 'POST' })

export const getMe = (signal?: AbortSignal) => api<User>(`${V1}/me`, { signal })

export const changePassword = (currentPassword: string, newPassword: string, revokeTokens: boolean) =>
  api<void>(`${V1}/me/password`, {
    method: 'POST',
    body: { current_password: currentPassword, new_password: newPassword, revoke_tokens: revokeTokens },
  })

export const listSessions = (signal?: AbortSignal) =>
  api<{ items: SessionInfo[] }>(`${V1}/me/sessions`, { signal })

export const endSession = (id: string) =>
  api<void>(`${V1}/me/sessions/${enc(id)}`, { method: 'DELETE' })

export const listTokens = (signal?: AbortSignal) =>
  api<{ items: ApiTokenInfo[] }>(`${V1}/tokens`, { signal })

export const createToken = (name: string, expiresIn: number | null) =>
  api<NewApiToken>(`${V1}/tokens`, {
    method: 'POST',
    body: expiresIn ? { name, expires_in: expiresIn } : { name },
  })

export const deleteToken = (id: string) =>
  api<void>(`${V1}/tokens/${enc(id)}`, { method: 'DELETE' })

export const listUsers = (signal?: AbortSignal) =>
  api<{ items: User[] }>(`${V1}/admin/users`, { signal })

export const createUser = (username: string, password: string, isAdmin: boolean) =>
  api<User>(`${V1}/admin/users`, {
    method: 'POST',
    body: { username, password, is_admin: isAdmin },
  })

export const patchUser = (
  id: string,
  patch: { disabled?: boolean; is_admin?: boolean; password?: string },
) =>
  api<User>(`${V1}/admin/users/${enc(id)}`, { method: 'PATCH', body: patch })

export const deleteUser = (id: string) =>
  api<void>(`${V1}/admin/users/${enc(id)}`, { method: 'DELETE' })

export const createShare = (imageId: string, expiresIn: number) =>
  api<Share>(`${V1}/images/${enc(imageId)}/shares`, {
    method: 'POST',
    body: { expires_in: expiresIn },
  })

export const listShares = (imageId: string, signal?: AbortSignal) =>
  api<{ items: Share[] }>(`${V1}/images/${enc(imageId)}/shares`, { signal })

export const deleteShare = (imageId: string, shareId: string) =>
  api<void>(`${V1}/images/${enc(imageId)}/shares/${enc(shareId)}`, { method: 'DELETE' })

export const getShared = (token: string, signal?: AbortSignal) =>
  api<Image>(`${V1}/shared/${enc(token)}`, { signal })

export const UPLOAD_URL = `${V1}/images`
