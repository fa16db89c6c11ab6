// The UI's names for the wire types. Every type here is generated: `schema.ts` comes from
// docs/openapi.json (`npm run api`), which comes from the Rust types of crates/banana-api; the
// test command fails when either is stale. Add a type to the API there, not here.
import type { components, operations } from './schema'

type Schemas = components['schemas']

export type ImageStatus = Schemas['ImageStatus']
export type Visibility = Schemas['Visibility']
/** Whose images a listing, search or label count covers (`scope=`). */
export type Library = Schemas['Library']
export type Label = Schemas['LabelView']
export type ImageUrls = Schemas['Urls']
export type Owner = Schemas['OwnerView']
export type Image = Schemas['ImageView']
/** An album of the caller's (`GET /api/v1/albums`). */
export type Album = Schemas['AlbumView']
export type SearchHit = Schemas['SearchHit']
/** Where a photo's `taken_at` came from. */
export type TakenSource = Schemas['TakenSource']
/** The camera and its settings (each `null` when the file does not say). */
export type CameraInfo = Schemas['CameraView']
/** Where a photo was taken and the nearest place (the owner's only). */
export type PhotoLocation = Schemas['LocationView']
export type TimelineBucket = Schemas['TimelineBucket']
/** One city (or a country without a town near) of the caller's places, with a count. */
export type PlaceCount = Schemas['PlaceCount']
export type LabelCount = Schemas['LabelCount']
/** A category of the label tree (animal → dog), with the images under it. */
export type LabelCategory = Schemas['LabelCategory']
export type User = Schemas['UserView']
export type ModelsInfo = Schemas['ModelState']
export type ServerInfo = Schemas['ServerInfo']
export type LoginResult = Schemas['LoginResponse']
export type ApiTokenInfo = Schemas['TokenView']
export type NewApiToken = Schemas['NewTokenView']
/** One signed-in session of the current user (`GET /api/v1/me/sessions`). */
export type SessionInfo = Schemas['SessionView']
export type Share = Schemas['ShareView']
/** An image in the caller's trash, with when it goes for good. */
export type TrashItem = Schemas['TrashItem']
export type BulkAction = Schemas['BulkAction']
export type BulkRequest = Schemas['BulkRequest']
export type BulkResponse = Schemas['BulkResponse']
/** What a share link opens: an image, or an album with a page of its images. */
export type SharedContent = Schemas['Shared']
export type SharedAlbum = Schemas['SharedAlbumPage']
/** Near-identical copies of each other (the first: the one to keep). */
export type DuplicateGroup = Schemas['DuplicateGroup']
export type ErrorBody = Schemas['ErrorResponse']

/** An operation of the API, by its `operationId`. */
export type Operation = keyof operations

type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never
type Responses<Op extends Operation> = operations[Op]['responses']

/** The JSON an operation answers with when it succeeds (its 200, else its 201). */
export type Reply<Op extends Operation> = Json<
  200 extends keyof Responses<Op>
    ? Responses<Op>[200]
    : 201 extends keyof Responses<Op>
      ? Responses<Op>[201]
      : never
>

/** The JSON body an operation reads. */
export type RequestBody<Op extends Operation> = Json<NonNullable<operations[Op]['requestBody']>>

/** The query parameters of an operation. */
export type QueryOf<Op extends Operation> = NonNullable<operations[Op]['parameters']['query']>
