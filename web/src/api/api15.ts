// TEMPORARY: the #15 API (dates, camera, places, timeline) as /work/dev/api15.md and
// crates/banana-api/src/images.rs describe it, until the regenerated schema.ts lands. Every
// #15 wire type the UI uses is here and nowhere else; when schema.ts has them, types.ts aliases
// the generated ones instead and this file goes.

/** Where a photo's date came from. */
export type TakenSource = 'exif' | 'xmp' | 'file' | 'upload' | 'manual'

/** The camera and its settings; every field `null` when unknown. */
export interface CameraView {
  make: string | null
  model: string | null
  lens: string | null
  focal_length_mm: number | null
  f_number: number | null
  /** Seconds (1/250 s is 0.004). */
  exposure_time_s: number | null
  iso: number | null
}

/** A position and the nearest populated place (GeoNames). Owner only. */
export interface LocationView {
  lat: number
  lon: number
  city: string | null
  region: string | null
  country: string | null
  country_code: string | null
}

export interface PositionPatch {
  lat: number
  lon: number
}

/** What #15 adds to every ImageView (always present keys). */
export interface ImageView15 {
  /** RFC 3339 in the photo's own offset; `Z` when the file gives none (wall clock read as UTC). */
  taken_at: string | null
  taken_at_source: TakenSource | null
  camera: CameraView
  location: LocationView | null
}

export interface TimelineBucket {
  /** `YYYY-MM`, in the photo's own local time. */
  month: string
  count: number
}

export interface Timeline {
  buckets: TimelineBucket[]
}

export interface PlaceCount {
  country_code: string
  country: string
  city: string | null
  region: string | null
  count: number
}

export interface Places {
  items: PlaceCount[]
}

/** Query parameters #15 adds to GET /api/v1/images. */
export interface ListImages15Query {
  sort?: 'taken' | 'uploaded'
  taken_from?: string
  taken_to?: string
  country?: string
  city?: string
  camera?: string
}

export interface Timeline15Query {
  scope?: 'mine' | 'public' | 'all'
  taken_from?: string
  taken_to?: string
}

/** What #15 adds to PATCH /api/v1/images/{id}. */
export interface ImagePatch15 {
  taken_at?: string | null
  location?: PositionPatch | null
}
