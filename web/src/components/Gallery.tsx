import { memo, useMemo, useState } from 'react'
import { Link } from 'react-router'
import type { Image } from '../api/types'
import { formatShortDate, formatTakenAt, parseWallClock, toLocalRfc3339 } from '../lib/dates'
import { imageAlt, imageTitle } from '../lib/format'
import { useElementWidth } from '../lib/hooks'
import { justifiedLayout, targetRowHeightFor } from '../lib/justified'
import { FavoriteButton } from './Favorite'
import { SelectCheck, useTileSelection } from './Selection'
import { LabelChips, StatusBadge } from './ui'

const GAP = 8

export interface GalleryExtra {
  /** extra content under a tile, e.g. search "matched" chips */
  render: (img: Image) => React.ReactNode
}

export function JustifiedGallery({
  images,
  extra,
  testId = 'gallery',
  itemTestId = 'gallery-item',
  eagerCount = 12,
  ownerBadgesExcept = null,
  dates = 'taken',
  width: givenWidth,
  rowHeight,
  label = 'Images',
  favorites = false,
  hrefFor = imageHref,
}: {
  images: Image[]
  extra?: GalleryExtra
  testId?: string
  itemTestId?: string
  eagerCount?: number
  /** When set: tiles of images owned by anyone but this user id carry the owner's name. */
  ownerBadgesExcept?: string | null
  /** Which date a tile shows: when it was taken (default), uploaded, or none. */
  dates?: TileDates
  /** The width to lay out for, when the parent measures it (a timeline of many blocks). */
  width?: number
  /** The target row height (default: what suits `width`). */
  rowHeight?: number
  /** The list's accessible name. */
  label?: string
  /** Tiles carry a heart (signed in: favourites are the caller's). */
  favorites?: boolean
  /** Where a tile leads (default: the image page). */
  hrefFor?: (img: Image) => string
}) {
  const [ref, measured] = useElementWidth<HTMLDivElement>()
  const width = givenWidth ?? measured
  const rows = useMemo(
    () =>
      justifiedLayout(images, {
        containerWidth: width,
        targetRowHeight: rowHeight ?? targetRowHeightFor(width),
        gap: GAP,
      }),
    [images, width, rowHeight],
  )

  return (
    <div ref={ref} className="justified" data-testid={testId} role="list" aria-label={label}>
      {width > 0
        ? rows.map((row, ri) => (
            <div className="jrow" key={ri} style={{ height: row.height + (extra ? 0 : 0) }}>
              {row.boxes.map((b) => {
                const img = images[b.index]
                return (
                  <Tile
                    key={img.id}
                    image={img}
                    width={b.width}
                    height={b.height}
                    eager={b.index < eagerCount}
                    testId={itemTestId}
                    extra={extra}
                    ownerBadge={ownerBadge(img, ownerBadgesExcept)}
                    dates={dates}
                    favorites={favorites}
                    href={hrefFor(img)}
                  />
                )
              })}
            </div>
          ))
        : // Before the width is measured (first paint, tests): a simple fluid grid.
          images.map((img, i) => (
            <Tile
              key={img.id}
              image={img}
              eager={i < eagerCount}
              testId={itemTestId}
              extra={extra}
              ownerBadge={ownerBadge(img, ownerBadgesExcept)}
              dates={dates}
              favorites={favorites}
              href={hrefFor(img)}
            />
          ))}
    </div>
  )
}

export type TileDates = 'taken' | 'uploaded' | 'none'

export const imageHref = (img: Image) => `/images/${encodeURIComponent(img.id)}`

/** The date a tile shows ("22 Oct 2008") and its longer form for the tooltip, or null. */
export function tileDate(img: Image, dates: TileDates): { short: string; long: string; iso: string } | null {
  if (dates === 'none') return null
  if (dates === 'taken' && img.taken_at) {
    const w = parseWallClock(img.taken_at)
    if (w) return { short: formatShortDate(w), long: `Taken ${formatTakenAt(img.taken_at, img.taken_at_source)}`, iso: img.taken_at }
  }
  // Not known when taken (or sorting by upload): the upload time, in the browser's time zone.
  const local = toLocalRfc3339(Date.parse(img.created_at))
  const w = parseWallClock(local)
  if (!w || !local) return null
  return { short: formatShortDate(w), long: `Uploaded ${formatTakenAt(local)}`, iso: img.created_at }
}

/** The owner's name for a tile, when owner badges are on and someone else owns the image. */
function ownerBadge(img: Image, except: string | null): string | null {
  if (except === null || !img.owner || img.owner.id === except) return null
  return img.owner.username ?? 'another account'
}

const Tile = memo(function Tile({
  image,
  width,
  height,
  eager,
  testId,
  extra,
  ownerBadge,
  dates,
  favorites,
  href,
}: {
  image: Image
  href: string
  width?: number
  height?: number
  eager: boolean
  testId: string
  extra?: GalleryExtra
  ownerBadge?: string | null
  dates: TileDates
  favorites?: boolean
}) {
  const date = tileDate(image, dates)
  const [loaded, setLoaded] = useState(false)
  const [failed, setFailed] = useState(false)
  const thumb = image.urls?.thumbnail
  const style = width && height ? { width, height } : { aspectRatio: `${image.width || 1} / ${image.height || 1}` }
  const title = imageTitle(image)
  const sel = useTileSelection(image.id)
  return (
    <div
      className={
        'tile' +
        (width ? '' : ' tile-fluid') +
        (favorites ? ' has-fav' : '') +
        (sel ? ' is-selectable' : '') +
        (sel?.selecting ? ' is-selecting' : '') +
        (sel?.selected ? ' is-selected' : '')
      }
      style={style}
      role="listitem"
      data-testid={testId}
      data-image-id={image.id}
      data-status={image.status}
      data-selected={sel ? String(sel.selected) : undefined}
      {...sel?.pressHandlers}
    >
      <Link
        to={href}
        className="tile-link"
        aria-label={sel?.selecting ? `${sel.selected ? 'Deselect' : 'Select'} ${title}` : `Open ${title}`}
        onClick={sel?.onLinkClick}
        draggable={sel?.selecting ? false : undefined}
      >
        <div className={'tile-ph' + (loaded ? ' is-loaded' : '')} aria-hidden="true" />
        {thumb && !failed && (
          <img
            src={thumb}
            alt={imageAlt(image)}
            loading={eager ? 'eager' : 'lazy'}
            decoding="async"
            width={image.width || undefined}
            height={image.height || undefined}
            className={loaded ? 'is-loaded' : ''}
            onLoad={() => setLoaded(true)}
            onError={() => setFailed(true)}
          />
        )}
        {failed && <span className="tile-broken">Preview unavailable</span>}
      </Link>
      <div className="tile-overlay">
        <StatusBadge status={image.status} reason={image.status_reason} />
        {ownerBadge && (
          <span className="owner-badge" title={`Owner: ${ownerBadge}`} data-testid="owner-badge">
            {ownerBadge}
          </span>
        )}
        {image.visibility === 'public' && (
          <span className="vis-badge" title="Public">
            Public
          </span>
        )}
      </div>
      {sel && <SelectCheck selected={sel.selected} label={`Select ${title}`} onCheck={sel.onCheck} />}
      {favorites && <FavoriteButton image={image} variant="tile" label={`Favourite: ${title}`} />}
      <div className="tile-caption">
        {date && (
          <time className="tile-date" dateTime={date.iso} title={date.long} data-testid="tile-date">
            {date.short}
          </time>
        )}
        <LabelChips labels={image.labels} max={2} linked={false} />
        {extra?.render(image)}
      </div>
    </div>
  )
})
