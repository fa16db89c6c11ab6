export type ImageStatus = 'pending' | 'ready' | 'failed'
export type Visibility = 'private' | 'public'

export interface Label {
  id: string
  name: string
  wnid: string
  score: number
}

export interface ImageUrls {
  original: string
  thumbnail: string
  preview: string
}

export interface Owner {
  id: string
  username: string
}

export interface Image {
  id: string
  filename: string | null
  title: string | null
  attribution: string | null
  content_type: string
  bytes: number
  width: number
  height: number
  sha256: string
  created_at: string
  status: ImageStatus
  status_reason?: string | null
  visibility?: Visibility
  owner?: Owner | null
  labels: Label[]
  urls: ImageUrls | null
  demo?: boolean
}

export interface Page<T> {
  items: T[]
  next_cursor: string | null
}

export interface SearchHit {
  image: Image
  score: number
  matched: string[]
}

export interface LabelCount {
  id: string
  name: string
  wnid: string
  count: number
}

export interface User {
  id: string
  username: string
  is_admin: boolean
  disabled: boolean
  created_at: string
}

export interface ModelsInfo {
  state: 'ready' | 'missing' | 'loading' | 'failed'
  message?: string
}

export interface ServerInfo {
  version: string
  demo: boolean
  open_registration: boolean
  needs_setup: boolean
  models?: ModelsInfo
}

export interface LoginResult {
  token: string
  user: User
}

export interface ApiTokenInfo {
  id: string
  name: string
  created_at: string
  expires_at: string | null
  last_used_at: string | null
}

/** One signed-in session of the current user (`GET /api/v1/me/sessions`). */
export interface SessionInfo {
  id: string
  created_at: string
  last_used_at: string | null
  expires_at: string | null
  client_ip: string | null
  user_agent: string | null
  /** The session this browser uses. */
  current: boolean
}

export interface NewApiToken {
  id: string
  name: string
  token: string
  created_at: string
  expires_at: string | null
}

export interface Share {
  id: string
  token: string
  url: string
  expires_at: string | null
  created_at: string
}
