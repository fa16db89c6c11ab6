// TEMPORARY: the #17 (albums, favourites) wire types as /work/dev/api17.md gives them, until the
// generated schema has them. Delete this file after merging main's "#17 API" commit and use
// `Schemas['AlbumView']`, `Reply<'createAlbum'>` etc. (see types.ts / endpoints.ts).
import type { components, operations } from './schema'

export interface AlbumView17 {
  id: string
  name: string
  description: string | null
  cover_image_id: string | null
  image_count: number
  created_at: string
  updated_at: string
  owner: { id: string; username: string }
}

/** ImageView gains the caller's `favorite` (optional here only because the generated lists lack it). */
export type ImageView17 = components['schemas']['ImageView'] & { favorite?: boolean }

export type ListImagesQuery17 = NonNullable<operations['listImages']['parameters']['query']> & {
  album?: string
  favorite?: boolean
}

export type CreateAlbumBody17 = { name: string; description?: string | null }
export type UpdateAlbumBody17 = { name?: string; description?: string | null; cover_image_id?: string | null }
