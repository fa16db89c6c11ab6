import { memo, useMemo, useState } from 'react'
import { Link } from 'react-router'
import type { Image } from '../api/types'
import { imageAlt, imageTitle } from '../lib/format'
import { useElementWidth } from '../lib/hooks'
import { justifiedLayout, targetRowHeightFor } from '../lib/justified'
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
}: {
  images: Image[]
  extra?: GalleryExtra
  testId?: string
  itemTestId?: string
  eagerCount?: number
  /** When set: tiles of images owned by anyone but this user id carry the owner's name. */
  ownerBadgesExcept?: string | null
}) {
  const [ref, width] = useElementWidth<HTMLDivElement>()
  const rows = useMemo(
    () =>
      justifiedLayout(images, {
        containerWidth: width,
        targetRowHeight: targetRowHeightFor(width),
        gap: GAP,
      }),
    [images, width],
  )

  return (
    <div ref={ref} className="justified" data-testid={testId} role="list" aria-label="Images">
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
            />
          ))}
    </div>
  )
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
}: {
  image: Image
  width?: number
  height?: number
  eager: boolean
  testId: string
  extra?: GalleryExtra
  ownerBadge?: string | null
}) {
  const [loaded, setLoaded] = useState(false)
  const [failed, setFailed] = useState(false)
  const thumb = image.urls?.thumbnail
  const style = width && height ? { width, height } : { aspectRatio: `${image.width || 1} / ${image.height || 1}` }
  const title = imageTitle(image)
  return (
    <div
      className={'tile' + (width ? '' : ' tile-fluid')}
      style={style}
      role="listitem"
      data-testid={testId}
      data-image-id={image.id}
      data-status={image.status}
    >
      <Link to={`/images/${encodeURIComponent(image.id)}`} className="tile-link" aria-label={`Open ${title}`}>
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
      <div className="tile-caption">
        <LabelChips labels={image.labels} max={2} linked={false} />
        {extra?.render(image)}
      </div>
    </div>
  )
})
