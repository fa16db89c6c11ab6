// Generated from docs/openapi.json by web/tools/openapi (`npm run api`); do not edit.
// The wire types are the Rust types of crates/banana-api.

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process answers. */
        get: operations["healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process can reach its database and storage. */
        get: operations["readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the UI needs to know about this server before anything else. */
        get: operations["getInfo"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Images newest first (by date taken, or `sort=uploaded`): the caller's own by default
         *     (`scope`), narrowed by label, dates, place and camera.
         */
        get: operations["listImages"];
        put?: never;
        /** Upload an image (`201` with `Location`; `200` without storing in demo mode). */
        post: operations["uploadImage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One image. */
        get: operations["getImage"];
        put?: never;
        post?: never;
        /**
         * Move an image to its owner's trash (`GET /api/v1/trash`): it leaves every list, search,
         *     album and share link at once, and is deleted for good after the server's `trash_days`
         *     (`GET /api/v1/info`; 0: deleted for good now, files included).
         */
        delete: operations["deleteImage"];
        options?: never;
        head?: never;
        /** Change an image's title, attribution or visibility (the owner or an administrator). */
        patch: operations["updateImage"];
        trace?: never;
    };
    "/api/v1/images/{id}/original": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The original bytes (non-owners get the copy without private metadata). */
        get: operations["getOriginal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}/thumbnail": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A square thumbnail (JPEG). */
        get: operations["getThumbnail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A preview, at most 1280 pixels on the long side (JPEG). */
        get: operations["getPreview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/labels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The labels attached to the caller's images (or `scope`): flat, most used first, and as
         *     the category tree (animal → dog → pug) with the number of images under each category.
         */
        get: operations["listLabels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Put a tag on an image (the owner or an administrator); a tag it already has, in any case,
         *     stays as it was. Tags are shown first, searchable and filterable (`?tag=`).
         */
        post: operations["addImageTag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}/tags/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Take a tag off an image (any case). */
        delete: operations["removeImageTag"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}/labels/{label_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Reject a model label on an image: it leaves the image's labels, label filters and keyword
         *     search, and stays rejected when the image is analysed again.
         */
        delete: operations["rejectImageLabel"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Photos per month taken, newest first, over the caller's own library (or `scope`). */
        get: operations["getTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/albums": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's albums, most recently changed first. */
        get: operations["listAlbums"];
        put?: never;
        /** Make an album (signed in). */
        post: operations["createAlbum"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/albums/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the caller's albums (its images: `GET /api/v1/images?album={id}`). */
        get: operations["getAlbum"];
        put?: never;
        post?: never;
        /** Delete an album; its images stay. */
        delete: operations["deleteAlbum"];
        options?: never;
        head?: never;
        /** Rename an album, change its description or choose its cover. */
        patch: operations["updateAlbum"];
        trace?: never;
    };
    "/api/v1/albums/{id}/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add images the caller may see (all or nothing; those already in it count as not added). */
        post: operations["addAlbumImages"];
        /** Take images out of an album (they stay in the library). */
        delete: operations["removeAlbumImages"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}/favorite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Mark an image the caller may see as a favourite (idempotent). */
        put: operations["favoriteImage"];
        post?: never;
        /** No longer a favourite (idempotent). */
        delete: operations["unfavoriteImage"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/albums/{id}/shares": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The album's live share links (without their tokens). */
        get: operations["listAlbumShares"];
        put?: never;
        /**
         * Make a share link for the caller's album: read-only, expiring, revocable; its visitors get
         *     the copies without personal metadata.
         */
        post: operations["createAlbumShare"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/albums/{id}/shares/{share_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an album's share link: it stops working at once. */
        delete: operations["revokeAlbumShare"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/albums/{id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's album as one ZIP archive (the images of it they may see). */
        get: operations["downloadAlbum"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trash": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's trash, most recently deleted first. */
        get: operations["listTrash"];
        put?: never;
        post?: never;
        /** Empty the caller's trash: its images and their files are deleted for good, now. */
        delete: operations["emptyTrash"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trash/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Take images out of the caller's trash, whole (albums, favourites and labels included);
         *     ids not in it are skipped.
         */
        post: operations["restoreTrash"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * One action over up to 1000 images. Each is authorised and done on its own, exactly as its
         *     single-image endpoint would, with a result per id: one the caller may not touch fails
         *     alone (with that endpoint's error) and the rest go ahead.
         */
        post: operations["bulkImages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}/neighbors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The images just before (newer) and after (older) this one in the listing the query
         *     describes: the same parameters as `GET /api/v1/images` (`cursor` and `limit` ignored).
         */
        get: operations["imageNeighbors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/downloads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * These images (1–1000) as one ZIP archive, streamed: the caller's own originals as
         *     uploaded, anyone else's as the copies without personal metadata; repeated file names get
         *     ` (2)`, ` (3)`. Every id must be an image the caller may see (404 otherwise, before any
         *     byte is sent).
         */
        post: operations["downloadImages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/duplicates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's near-duplicate images: groups of resized, recompressed, slightly cropped or
         *     rotated copies of one photo, the suggested one to keep first.
         */
        get: operations["listDuplicates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/places": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The places (country, city) where the caller's own photos were taken, with counts, most
         *     photos first. Place names from GeoNames (CC BY 4.0).
         */
        get: operations["listPlaces"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Natural-language search over the caller's images (or `scope`), ranked by meaning, each hit
         *     with what matched.
         */
        get: operations["search"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}/similar": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** "More like this": the visible images most like this one, each with the labels they share. */
        get: operations["similarImages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}/shares": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The image's live share links (without their tokens). */
        get: operations["listShares"];
        put?: never;
        /** Make a share link (the image's owner or an administrator). */
        post: operations["createShare"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{id}/shares/{share_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a share link: it stops working at once. */
        delete: operations["revokeShare"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shared/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What a share link opens (no account needed): the image, or, for an album's link, the
         *     album and a page of its images (50 at a time).
         */
        get: operations["getShared"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shared/{token}/{variant}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The bytes of the image a share link opens. */
        get: operations["getSharedContent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shared/{token}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A shared album as one ZIP archive (the copies without personal metadata). */
        get: operations["downloadShared"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shared/{token}/images/{image_id}/{variant}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The bytes of one image of a shared album. */
        get: operations["getSharedAlbumContent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account (when registration is open, or for the first account: it becomes the
         *     administrator).
         */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in: sets the session cookie and returns the same token for `Authorization: Bearer`. */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the session the request was made with and clear the cookie. */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's account. */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change the caller's password; every other session ends. */
        post: operations["changePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's signed-in sessions. */
        get: operations["listSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** End one of the caller's sessions. */
        delete: operations["endSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's API tokens. */
        get: operations["listTokens"];
        put?: never;
        /** Make a personal API token (from a signed-in session, not from another token). */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke one of the caller's API tokens. */
        delete: operations["revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every account (administrators). */
        get: operations["listUsers"];
        put?: never;
        /** Create an account (administrators; registration rules do not apply). */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an account and its images (administrators). */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        /** Disable or enable an account, change its role, or set a new password (administrators). */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/api/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document. */
        get: operations["getOpenapi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description How many images an album change added. */
        Added: {
            /** Format: int64 */
            added: number;
        };
        /**
         * @description `PATCH /api/v1/albums/{id}`: absent fields stay; `null` clears the description or the
         *     chosen cover.
         */
        AlbumPatch: {
            name?: string | null;
            description?: string | null;
            /** @description An image in the album. */
            cover_image_id?: string | null;
        };
        /** @description An album (its owner's alone; other accounts never see it). */
        AlbumView: {
            id: string;
            name: string;
            description: string | null;
            /** @description The image chosen as cover, else the one added last; `null` for an empty album. */
            cover_image_id: string | null;
            /**
             * Format: int64
             * @description Images in it that its owner may still see.
             */
            image_count: number;
            /** @description RFC 3339, UTC. */
            created_at: string;
            updated_at: string;
            owner: components["schemas"]["OwnerView"];
        };
        /**
         * @description What a bulk request does to each image.
         * @enum {string}
         */
        BulkAction: "trash" | "restore" | "set_visibility" | "favorite" | "unfavorite" | "add_to_album" | "remove_from_album" | "tag" | "untag" | "purge";
        /** @description `POST /api/v1/images/bulk`. */
        BulkRequest: {
            /** @description 1–1000 image ids. */
            image_ids: string[];
            action: components["schemas"]["BulkAction"];
            visibility?: null | components["schemas"]["Visibility"];
            /** @description For `add_to_album` and `remove_from_album`: one of the caller's albums. */
            album_id?: string | null;
            /** @description For `tag` and `untag`: 1–50 characters. */
            tag?: string | null;
        };
        /** @description The outcome of a bulk request, one result per id in the order given. */
        BulkResponse: {
            results: components["schemas"]["BulkResult"][];
            /** Format: int64 */
            succeeded: number;
            /** Format: int64 */
            failed: number;
        };
        /** @description What happened to one image of a bulk request. */
        BulkResult: {
            id: string;
            ok: boolean;
            error: null | components["schemas"]["ErrorDetail"];
        };
        /** @description The camera and its settings; every field `null` when unknown. */
        CameraView: {
            make: string | null;
            model: string | null;
            lens: string | null;
            /** Format: double */
            focal_length_mm: number | null;
            /** Format: double */
            f_number: number | null;
            /**
             * Format: double
             * @description Seconds (1/250 s is 0.004).
             */
            exposure_time_s: number | null;
            /** Format: int32 */
            iso: number | null;
        };
        /** @description One of a photo's dominant colours. */
        ColorView: {
            /** @description A plain colour name (`red`, `blue`, `white`, …). */
            name: string;
            /** @description The colour itself, `#rrggbb`. */
            hex: string;
            /**
             * Format: double
             * @description Share of the photo, 0–1.
             */
            fraction: number;
        };
        /** @description A user name and password (sign-up, sign-in). */
        Credentials: {
            username: string;
            password: string;
        };
        /** @description Images that are near-identical copies of each other. */
        DuplicateGroup: {
            /** @description Largest first (most pixels, then most bytes): the suggested one to keep. */
            images: components["schemas"]["ImageView"][];
            /**
             * Format: float
             * @description The weakest link (cosine similarity of feature vectors) that holds the group together.
             */
            similarity: number;
        };
        /** @description `GET /api/v1/duplicates`. */
        Duplicates: {
            groups: components["schemas"]["DuplicateGroup"][];
            /**
             * Format: float
             * @description The cosine similarity of feature vectors at or above which images are grouped.
             */
            threshold: number;
        };
        /** @description What went wrong. */
        ErrorDetail: {
            /**
             * @description Stable, for programs: `bad_request`, `unauthorized`, `invalid_credentials`,
             *     `forbidden`, `not_found`, `method_not_allowed`, `conflict`, `duplicate`, `too_large`,
             *     `unsupported_media_type`, `empty_file`, `undecodable`, `too_many_pixels`,
             *     `rate_limited`, `unavailable`, `not_ready`, `internal`.
             */
            code: string;
            /** @description For people. */
            message: string;
            /** @description `duplicate`: the image that already has these bytes. */
            image_id?: string | null;
            /**
             * Format: int64
             * @description `rate_limited`, `unavailable`: seconds to wait (also in `Retry-After`).
             */
            retry_after?: number | null;
        };
        /** @description `{"error": {...}}` with the matching HTTP status. */
        ErrorResponse: {
            error: components["schemas"]["ErrorDetail"];
        };
        /** @description A face found in a photo. */
        FaceView: {
            /** @description `[x, y, w, h]` as fractions of the image's width and height. */
            box: number[];
            /**
             * Format: double
             * @description Detection confidence, 0–1.
             */
            score: number;
        };
        /** @description `GET /healthz` and `GET /readyz`. */
        Health: {
            /** @description `ok` (the process answers) or `ready` (database and storage answer too). */
            status: string;
        };
        /** @description Images to add to or remove from an album. */
        ImageIds: {
            /** @description 1–1000 image ids. */
            image_ids: string[];
        };
        /**
         * @description Changes to an image (`PATCH /api/v1/images/{id}`): absent fields stay, `null` clears a text
         *     field.
         */
        ImagePatch: {
            title?: string | null;
            attribution?: string | null;
            visibility?: null | components["schemas"]["Visibility"];
            /**
             * @description A corrected date taken (RFC 3339 with an offset, or `YYYY-MM-DDTHH:MM:SS` for a wall
             *     clock without one); `null` goes back to what the file says.
             */
            taken_at?: string | null;
            location?: null | components["schemas"]["PositionPatch"];
        };
        /**
         * @description The order of an image listing (`sort=`), newest first.
         * @enum {string}
         */
        ImageSort: "taken" | "uploaded";
        /**
         * @description Where labeling stands.
         * @enum {string}
         */
        ImageStatus: "pending" | "ready" | "failed";
        /** @description An image and what is known about it. */
        ImageView: {
            id: string;
            /** @description The download name: cleaned, with the extension of the bytes' format. */
            filename: string;
            title: string | null;
            attribution: string | null;
            content_type: string;
            /** Format: int64 */
            bytes: number;
            /** Format: int64 */
            width: number;
            /** Format: int64 */
            height: number;
            sha256: string;
            /** @description RFC 3339, UTC. */
            created_at: string;
            status: components["schemas"]["ImageStatus"];
            /** @description Why labeling failed, in words meant for the user. */
            status_reason: string | null;
            visibility: components["schemas"]["Visibility"];
            owner: null | components["schemas"]["OwnerView"];
            /**
             * @description The labels shown: the user's tags, then the classes the classifier is sure enough of
             *     (each class has its calibrated threshold), else the category it is sure of, else none.
             */
            labels: components["schemas"]["LabelView"][];
            /**
             * @description The classifier's top-5 classes (shown as labels or not: its guesses), best first;
             *     empty until labeled.
             */
            predictions: components["schemas"]["LabelView"][];
            /**
             * @description When the photo was taken: RFC 3339 with the offset the camera recorded (`Z` when the
             *     file gives none: the camera's wall clock, read as UTC); `null` while unknown (an image
             *     stored before dates were read, until its backfill).
             */
            taken_at: string | null;
            taken_at_source: null | components["schemas"]["TakenSource"];
            /**
             * @description The camera and its settings (each field `null` when the file does not say). Shown to
             *     whoever may see the image.
             */
            camera: components["schemas"]["CameraView"];
            location: null | components["schemas"]["LocationView"];
            /** @description Whether the caller marked it a favourite (`false` signed out). */
            favorite: boolean;
            /** @description The tags its owner put on it, in the order they were added. */
            tags: string[];
            /** @description Lines of text read in the photo (OCR), top to bottom; shown to whoever may see it. */
            text?: components["schemas"]["TextView"][];
            /** @description Faces found in the photo: for the owner only (empty for everyone else). */
            faces?: components["schemas"]["FaceView"][];
            /**
             * Format: int64
             * @description How many faces the photo has (shown to whoever may see it; the boxes are not).
             */
            face_count?: number;
            /** @description Its dominant colours, largest share first. */
            colors?: components["schemas"]["ColorView"][];
            urls: null | components["schemas"]["Urls"];
            /** @description Present (and `true`) for demo-mode uploads, which are not stored. */
            demo?: boolean;
        };
        /** @description A list of everything there is, in one response. */
        Items_AlbumView: {
            items: {
                id: string;
                name: string;
                description: string | null;
                /** @description The image chosen as cover, else the one added last; `null` for an empty album. */
                cover_image_id: string | null;
                /**
                 * Format: int64
                 * @description Images in it that its owner may still see.
                 */
                image_count: number;
                /** @description RFC 3339, UTC. */
                created_at: string;
                updated_at: string;
                owner: components["schemas"]["OwnerView"];
            }[];
        };
        /** @description A list of everything there is, in one response. */
        Items_PlaceCount: {
            items: {
                country_code: string;
                country: string;
                city: string | null;
                region: string | null;
                /** Format: int64 */
                count: number;
            }[];
        };
        /** @description A list of everything there is, in one response. */
        Items_SessionView: {
            items: {
                id: string;
                created_at: string;
                last_used_at: string | null;
                expires_at: string | null;
                client_ip: string | null;
                user_agent: string | null;
                /** @description The session this request was made with. */
                current: boolean;
            }[];
        };
        /** @description A list of everything there is, in one response. */
        Items_ShareView: {
            items: {
                id: string;
                created_at: string;
                expires_at: string;
                /** @description Only when just created: the token ... */
                token?: string | null;
                /** @description ... and the page that shows the image. */
                url?: string | null;
            }[];
        };
        /** @description A list of everything there is, in one response. */
        Items_TokenView: {
            items: {
                id: string;
                name: string | null;
                created_at: string;
                expires_at: string | null;
                last_used_at: string | null;
            }[];
        };
        /** @description A list of everything there is, in one response. */
        Items_UserView: {
            items: {
                id: string;
                username: string;
                is_admin: boolean;
                disabled: boolean;
                created_at: string;
                usage?: null | components["schemas"]["Usage"];
            }[];
        };
        /** @description A category of the label tree in use (animal → dog), with the images under it. */
        LabelCategory: {
            /** @description Its id: `?label=<id>` lists the images with it or anything below it. */
            id: string;
            name: string;
            /**
             * Format: int64
             * @description Images with it or anything below it (each once).
             */
            count: number;
            /** @description The categories below it that are in use, most used first. */
            children: components["schemas"]["LabelCategory"][];
            /** @description The classes in use whose nearest category it is, most used first. */
            labels: components["schemas"]["LabelCount"][];
        };
        /** @description A label in use, and on how many images the caller may see. */
        LabelCount: {
            /** @description A WordNet id, or a category's id. */
            id: string;
            name: string;
            /** @description The WordNet id; empty for a category. */
            wnid: string;
            /** Format: int64 */
            count: number;
        };
        /** @description `GET /api/v1/labels`: the labels in use, flat and as the category tree. */
        LabelList: {
            /** @description Every label in use (classes and categories), most used first. */
            items: components["schemas"]["LabelCount"][];
            /** @description The category tree: top-level categories in use, most used first. */
            categories: components["schemas"]["LabelCategory"][];
        };
        /**
         * @description Who put a label on an image.
         * @enum {string}
         */
        LabelSource: "model" | "user";
        /**
         * @description One label of an image: an ImageNet class, a category of the label tree (`dog`, when no
         *     breed is sure), or a user's tag; and its score.
         */
        LabelView: {
            /** @description The WordNet id (`n02123045`), a category's id (`dog`) or `tag:<name>`. */
            id: string;
            name: string;
            /** @description The WordNet id under the old project's name; empty for a category or a tag. */
            wnid: string;
            /**
             * Format: double
             * @description 0–1: a class's probability, a category's summed over its classes (1 for a tag).
             */
            score: number;
            /** @description Who put it there: the classifier (`model`) or a person (`user`, a tag). */
            source?: components["schemas"]["LabelSource"];
        };
        /**
         * @description Which images a listing, a search or the label counts cover (`scope=`).
         * @enum {string}
         */
        Library: "mine" | "public" | "all";
        /** @description The upload limits. */
        Limits: {
            /** Format: int64 */
            max_upload_bytes: number;
            /** Format: int64 */
            max_pixels: number;
        };
        /** @description A position and the nearest populated place (GeoNames, within 40 km; no place out at sea). */
        LocationView: {
            /** Format: double */
            lat: number;
            /** Format: double */
            lon: number;
            city: string | null;
            /** @description The first-level division (state, region, prefecture). */
            region: string | null;
            country: string | null;
            /** @description ISO 3166-1 alpha-2 (`FR`). */
            country_code: string | null;
        };
        /** @description What a sign-in returns (the session cookie is set as well). */
        LoginResponse: {
            /** @description A session token, for clients that send `Authorization: Bearer` instead of the cookie. */
            token: string;
            user: components["schemas"]["UserView"];
        };
        /**
         * @description Which signals ranked a search.
         * @enum {string}
         */
        Mode: "hybrid" | "keyword";
        /** @description Where the models stand. */
        ModelState: {
            message: string;
            /** @enum {string} */
            state: "missing";
        } | {
            message: string;
            /** @enum {string} */
            state: "loading";
        } | {
            /** @enum {string} */
            state: "ready";
        } | {
            message: string;
            /** @enum {string} */
            state: "failed";
        };
        /** @description The images before and after one in a listing. */
        Neighbors: {
            previous: null | components["schemas"]["ImageView"];
            next: null | components["schemas"]["ImageView"];
        };
        /** @description `POST /api/v1/albums`. */
        NewAlbum: {
            /** @description 1–200 characters. */
            name: string;
            description?: string | null;
        };
        /** @description `POST /api/v1/images/{id}/shares`. */
        NewShare: {
            /**
             * Format: int64
             * @description Seconds until the link stops working.
             */
            expires_in: number;
        };
        /** @description `POST /api/v1/tokens`. */
        NewToken: {
            name: string;
            /**
             * Format: int64
             * @description Seconds until the token stops working; absent: never.
             */
            expires_in?: number | null;
        };
        /** @description A token just created: its description and, this once, the secret. */
        NewTokenView: components["schemas"]["TokenView"] & {
            /** @description Send as `Authorization: Bearer <token>`; shown only now. */
            token: string;
        };
        /** @description `POST /api/v1/admin/users`. */
        NewUser: {
            username: string;
            password: string;
            is_admin?: boolean;
        };
        /** @description Who owns an image. */
        OwnerView: {
            id: string;
            /** @description Filled in where the listing looked it up. */
            username: string | null;
        };
        /** @description A page of results and where the next one starts. */
        Page_ImageView: {
            items: {
                id: string;
                /** @description The download name: cleaned, with the extension of the bytes' format. */
                filename: string;
                title: string | null;
                attribution: string | null;
                content_type: string;
                /** Format: int64 */
                bytes: number;
                /** Format: int64 */
                width: number;
                /** Format: int64 */
                height: number;
                sha256: string;
                /** @description RFC 3339, UTC. */
                created_at: string;
                status: components["schemas"]["ImageStatus"];
                /** @description Why labeling failed, in words meant for the user. */
                status_reason: string | null;
                visibility: components["schemas"]["Visibility"];
                owner: null | components["schemas"]["OwnerView"];
                /**
                 * @description The labels shown: the user's tags, then the classes the classifier is sure enough of
                 *     (each class has its calibrated threshold), else the category it is sure of, else none.
                 */
                labels: components["schemas"]["LabelView"][];
                /**
                 * @description The classifier's top-5 classes (shown as labels or not: its guesses), best first;
                 *     empty until labeled.
                 */
                predictions: components["schemas"]["LabelView"][];
                /**
                 * @description When the photo was taken: RFC 3339 with the offset the camera recorded (`Z` when the
                 *     file gives none: the camera's wall clock, read as UTC); `null` while unknown (an image
                 *     stored before dates were read, until its backfill).
                 */
                taken_at: string | null;
                taken_at_source: null | components["schemas"]["TakenSource"];
                /**
                 * @description The camera and its settings (each field `null` when the file does not say). Shown to
                 *     whoever may see the image.
                 */
                camera: components["schemas"]["CameraView"];
                location: null | components["schemas"]["LocationView"];
                /** @description Whether the caller marked it a favourite (`false` signed out). */
                favorite: boolean;
                /** @description The tags its owner put on it, in the order they were added. */
                tags: string[];
                /** @description Lines of text read in the photo (OCR), top to bottom; shown to whoever may see it. */
                text?: components["schemas"]["TextView"][];
                /** @description Faces found in the photo: for the owner only (empty for everyone else). */
                faces?: components["schemas"]["FaceView"][];
                /**
                 * Format: int64
                 * @description How many faces the photo has (shown to whoever may see it; the boxes are not).
                 */
                face_count?: number;
                /** @description Its dominant colours, largest share first. */
                colors?: components["schemas"]["ColorView"][];
                urls: null | components["schemas"]["Urls"];
                /** @description Present (and `true`) for demo-mode uploads, which are not stored. */
                demo?: boolean;
            }[];
            /** @description Pass as `cursor` for the next page; `null` on the last one. */
            next_cursor: string | null;
        };
        /** @description A page of results and where the next one starts. */
        Page_SearchHit: {
            items: {
                image: components["schemas"]["ImageView"];
                /** Format: float */
                score: number;
                /** @description The labels (names) and fields (`"title"`, `"attribution"`) that explain the hit. */
                matched: string[];
            }[];
            /** @description Pass as `cursor` for the next page; `null` on the last one. */
            next_cursor: string | null;
        };
        /** @description A page of results and where the next one starts. */
        Page_TrashItem: {
            items: {
                image: components["schemas"]["ImageView"];
                /** @description RFC 3339, UTC: when it was moved to the trash. */
                trashed_at: string;
                /** @description When it will be deleted for good (`null` when the server keeps the trash forever). */
                purge_at: string | null;
            }[];
            /** @description Pass as `cursor` for the next page; `null` on the last one. */
            next_cursor: string | null;
        };
        /** @description `POST /api/v1/me/password`. */
        PasswordChange: {
            current_password: string;
            new_password: string;
            /** @description Revoke every API token as well (other sessions always end). */
            revoke_tokens?: boolean;
        };
        /**
         * @description A place in the caller's library and how many of their photos were taken there
         *     (`GET /api/v1/places`): one row per city (`city` null: in the country, no city near).
         */
        PlaceCount: {
            country_code: string;
            country: string;
            city: string | null;
            region: string | null;
            /** Format: int64 */
            count: number;
        };
        /** @description A position sent by the owner (`PATCH`): the place is looked up from it. */
        PositionPatch: {
            /** Format: double */
            lat: number;
            /** Format: double */
            lon: number;
        };
        /** @description How many images emptying the trash deleted for good. */
        Purged: {
            /** Format: int64 */
            purged: number;
        };
        /** @description How many images an album change removed. */
        Removed: {
            /** Format: int64 */
            removed: number;
        };
        /** @description How many images a restore took out of the trash. */
        Restored: {
            /** Format: int64 */
            restored: number;
        };
        /** @description One search or "more like this" result. */
        SearchHit: {
            image: components["schemas"]["ImageView"];
            /** Format: float */
            score: number;
            /** @description The labels (names) and fields (`"title"`, `"attribution"`) that explain the hit. */
            matched: string[];
        };
        /** @description A page of search results. */
        SearchPage: {
            items: components["schemas"]["SearchHit"][];
            /** @description Pass as `cursor` for the next page; `null` on the last one. */
            next_cursor: string | null;
            /**
             * @description `hybrid` (vectors + keywords) or `keyword` (the text model is not loaded, or
             *     keyword-only was asked for).
             */
            mode: components["schemas"]["Mode"];
        };
        /** @description What the UI needs to know about this server before anything else (`GET /api/v1/info`). */
        ServerInfo: {
            version: string;
            /** @description Uploads are labeled and shown, never stored. */
            demo: boolean;
            /** @description Anyone may create an account. */
            open_registration: boolean;
            /** @description No account exists yet: the first one made becomes the administrator. */
            needs_setup: boolean;
            /**
             * Format: int32
             * @description Days a deleted image stays in its owner's trash (0: deleting is for good at once).
             */
            trash_days: number;
            limits: components["schemas"]["Limits"];
            models: components["schemas"]["ModelState"];
        };
        /** @description One signed-in session of the caller. */
        SessionView: {
            id: string;
            created_at: string;
            last_used_at: string | null;
            expires_at: string | null;
            client_ip: string | null;
            user_agent: string | null;
            /** @description The session this request was made with. */
            current: boolean;
        };
        /** @description A share link of an image. */
        ShareView: {
            id: string;
            created_at: string;
            expires_at: string;
            /** @description Only when just created: the token ... */
            token?: string | null;
            /** @description ... and the page that shows the image. */
            url?: string | null;
        };
        /** @description What a share link opens: one image, or an album. */
        Shared: components["schemas"]["SharedAlbumPage"] | components["schemas"]["ImageView"];
        /** @description What an album share link shows of the album. */
        SharedAlbum: {
            name: string;
            description: string | null;
            /** Format: int64 */
            image_count: number;
        };
        /**
         * @description `GET /api/v1/shared/{token}` for an album's link: the album and a page of its images
         *     (their `urls` under the link).
         */
        SharedAlbumPage: {
            album: components["schemas"]["SharedAlbum"];
            images: components["schemas"]["ImageView"][];
            next_cursor: string | null;
        };
        /** @description A tag to put on an image. */
        TagRequest: {
            /** @description 1–50 characters. */
            name: string;
        };
        /**
         * @description Where a photo's date came from.
         * @enum {string}
         */
        TakenSource: "exif" | "xmp" | "file" | "upload" | "manual";
        /** @description A line of text read in a photo. */
        TextView: {
            text: string;
            /** @description `[x, y, w, h]` as fractions of the image's width and height. */
            box: number[];
            /**
             * Format: double
             * @description Recognition confidence, 0–1.
             */
            score: number;
        };
        /**
         * @description How many photos were taken in each month, newest first (`GET /api/v1/timeline`). Images
         *     without a known date count in the month of their upload.
         */
        Timeline: {
            buckets: components["schemas"]["TimelineBucket"][];
        };
        /** @description One month of the timeline. */
        TimelineBucket: {
            /** @description `YYYY-MM`, in the photo's own local time. */
            month: string;
            /** Format: int64 */
            count: number;
        };
        /** @description A personal API token (never its secret, except once in [`NewTokenView`]). */
        TokenView: {
            id: string;
            name: string | null;
            created_at: string;
            expires_at: string | null;
            last_used_at: string | null;
        };
        /** @description An image in its owner's trash. */
        TrashItem: {
            image: components["schemas"]["ImageView"];
            /** @description RFC 3339, UTC: when it was moved to the trash. */
            trashed_at: string;
            /** @description When it will be deleted for good (`null` when the server keeps the trash forever). */
            purge_at: string | null;
        };
        /** @description The upload form (`multipart/form-data`). */
        UploadForm: {
            /**
             * Format: binary
             * @description The image (JPEG, HEIC/HEIF, PNG, WebP, GIF, TIFF, BMP); one per request.
             */
            file: string;
            title?: string | null;
            attribution?: string | null;
            visibility?: null | components["schemas"]["Visibility"];
            /**
             * @description The file's modification time (RFC 3339), used as the date taken when the file itself
             *     has none (the import CLI sends it).
             */
            file_modified_at?: string | null;
        };
        /**
         * @description The image's bytes: the original (or, for non-owners, its metadata-free copy), a square
         *     thumbnail and a preview.
         */
        Urls: {
            original: string;
            thumbnail: string;
            preview: string;
        };
        /** @description How much an account stores. */
        Usage: {
            /** Format: int64 */
            images: number;
            /**
             * Format: int64
             * @description Bytes of the originals (thumbnails and previews not counted).
             */
            bytes: number;
            /**
             * Format: int64
             * @description `BANANA_QUOTA_BYTES`, when set.
             */
            quota_bytes: number | null;
        };
        /** @description `PATCH /api/v1/admin/users/{id}`: absent fields stay. */
        UserPatch: {
            disabled?: boolean | null;
            is_admin?: boolean | null;
            /** @description A new password; ends every session of the account. */
            password?: string | null;
        };
        /** @description An account. */
        UserView: {
            id: string;
            username: string;
            is_admin: boolean;
            disabled: boolean;
            created_at: string;
            usage?: null | components["schemas"]["Usage"];
        };
        /**
         * @description Who may see an image (and its metadata).
         * @enum {string}
         */
        Visibility: "private" | "public";
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    readyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description `not_ready` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getInfo: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServerInfo"];
                };
            };
        };
    };
    listImages: {
        parameters: {
            query?: {
                /** @description 1–100, default 20. */
                limit?: number;
                /** @description `next_cursor` of the page before. */
                cursor?: string;
                /**
                 * @description Only images with this label attached: a WordNet id, or a category id (`dog`) for the
                 *     images with it or anything below it attached (the pug, the beagle; not the hotdog).
                 */
                label?: string;
                /** @description Whose images: `mine` (default), `public`, or `all` the caller may see. */
                scope?: "mine" | "public" | "all";
                /** @description `taken` (default: by date taken, images without one by upload time) or `uploaded`. */
                sort?: "taken" | "uploaded";
                /** @description Taken on or after this local date (`YYYY-MM-DD`). */
                taken_from?: string;
                /** @description Taken on or before this local date (`YYYY-MM-DD`). */
                taken_to?: string;
                /** @description Taken in this country (ISO 3166-1 alpha-2); matches the caller's own images only. */
                country?: string;
                /** @description Taken in this city (any case); matches the caller's own images only. */
                city?: string;
                /** @description Taken with this camera make, or a model containing it ("Canon", "iPhone"). */
                camera?: string;
                /**
                 * @description Only the images of this album of the caller's (all those they may see in it,
                 *     whatever `scope` says).
                 */
                album?: string;
                /** @description `true`: only the caller's favourites (all those they may see, whatever `scope` says). */
                favorite?: boolean;
                /** @description Only images with this tag (any case). */
                tag?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_ImageView"];
                };
            };
            /** @description a bad cursor */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    uploadImage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["UploadForm"];
            };
        };
        responses: {
            /** @description demo mode: labeled, not stored */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageView"];
                };
            };
            /** @description stored; labeling follows (`status: pending`) */
            201: {
                headers: {
                    /** @description the image's URL */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageView"];
                };
            };
            /** @description a malformed form or a bad field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description `duplicate`: the caller already has these bytes (`image_id`) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description not an image format Banana reads */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description empty, undecodable, or too many pixels */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description storage or database unavailable; try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageView"];
                };
            };
            /** @description no such image, or not visible to the caller */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    deleteImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description in the trash (or deleted, when the trash is off) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    updateImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImagePatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getOriginal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the bytes, with `ETag`; `If-None-Match` gives 304 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/*": number[];
                };
            };
            /** @description a presigned URL of the object store (when so configured) */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getThumbnail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the bytes, with `ETag`; `If-None-Match` gives 304 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/*": number[];
                };
            };
            /** @description a presigned URL of the object store (when so configured) */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getPreview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the bytes, with `ETag`; `If-None-Match` gives 304 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/*": number[];
                };
            };
            /** @description a presigned URL of the object store (when so configured) */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listLabels: {
        parameters: {
            query?: {
                /** @description Whose images: `mine` (default), `public`, or `all` the caller may see. */
                scope?: "mine" | "public" | "all";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LabelList"];
                };
            };
        };
    };
    addImageTag: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TagRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    removeImageTag: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
                /** @description the tag */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageView"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description no such image, or it has no such tag */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    rejectImageLabel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
                /** @description the label's id (WordNet id) */
                label_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageView"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description no such image, or the model did not predict that label */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getTimeline: {
        parameters: {
            query?: {
                /** @description Whose images: `mine` (default), `public`, or `all` the caller may see. */
                scope?: "mine" | "public" | "all";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timeline"];
                };
            };
        };
    };
    listAlbums: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_AlbumView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    createAlbum: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewAlbum"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlbumView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getAlbum: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the album's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlbumView"];
                };
            };
            /** @description no such album of the caller's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    deleteAlbum: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the album's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    updateAlbum: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the album's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AlbumPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlbumView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    addAlbumImages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the album's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImageIds"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Added"];
                };
            };
            /** @description no ids, or more than 1000 */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description no such album, or an image the caller may not see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    removeAlbumImages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the album's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImageIds"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Removed"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    favoriteImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    unfavoriteImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listAlbumShares: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the album's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_ShareView"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    createAlbumShare: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the album's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewShare"];
            };
        };
        responses: {
            /** @description with `token` and `url`, shown only now */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShareView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    revokeAlbumShare: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the album's id */
                id: string;
                /** @description the share link's id */
                share_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    downloadAlbum: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the album's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a ZIP archive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": number[];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listTrash: {
        parameters: {
            query?: {
                /** @description 1–100, default 50. */
                limit?: number;
                /** @description `next_cursor` of the page before. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_TrashItem"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    emptyTrash: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Purged"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    restoreTrash: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImageIds"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Restored"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    bulkImages: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkResponse"];
                };
            };
            /** @description no ids, more than 1000, or the action's field missing */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description `album_id` is not one of the caller's albums */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    imageNeighbors: {
        parameters: {
            query?: {
                /** @description 1–100, default 20. */
                limit?: number;
                /** @description `next_cursor` of the page before. */
                cursor?: string;
                /**
                 * @description Only images with this label attached: a WordNet id, or a category id (`dog`) for the
                 *     images with it or anything below it attached (the pug, the beagle; not the hotdog).
                 */
                label?: string;
                /** @description Whose images: `mine` (default), `public`, or `all` the caller may see. */
                scope?: "mine" | "public" | "all";
                /** @description `taken` (default: by date taken, images without one by upload time) or `uploaded`. */
                sort?: "taken" | "uploaded";
                /** @description Taken on or after this local date (`YYYY-MM-DD`). */
                taken_from?: string;
                /** @description Taken on or before this local date (`YYYY-MM-DD`). */
                taken_to?: string;
                /** @description Taken in this country (ISO 3166-1 alpha-2); matches the caller's own images only. */
                country?: string;
                /** @description Taken in this city (any case); matches the caller's own images only. */
                city?: string;
                /** @description Taken with this camera make, or a model containing it ("Canon", "iPhone"). */
                camera?: string;
                /**
                 * @description Only the images of this album of the caller's (all those they may see in it,
                 *     whatever `scope` says).
                 */
                album?: string;
                /** @description `true`: only the caller's favourites (all those they may see, whatever `scope` says). */
                favorite?: boolean;
                /** @description Only images with this tag (any case). */
                tag?: string;
            };
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Neighbors"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    downloadImages: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImageIds"];
            };
        };
        responses: {
            /** @description a ZIP archive (files stored, not compressed) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": number[];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description an image the caller may not see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listDuplicates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Duplicates"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listPlaces: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_PlaceCount"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    search: {
        parameters: {
            query: {
                /** @description What to look for, in words ("a pet cat", "something to drink coffee from"). */
                q: string;
                /** @description 1–100, default 20. */
                limit?: number;
                /** @description `next_cursor` of the page before. */
                cursor?: string;
                /** @description Whose images: `mine` (default), `public`, or `all` the caller may see. */
                scope?: "mine" | "public" | "all";
                /**
                 * @description `hybrid` (default: meaning and words) or `keyword` (the full-text search alone, any
                 *     query word may match).
                 */
                mode?: "hybrid" | "keyword";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SearchPage"];
                };
            };
            /** @description a blank query or a bad cursor */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    similarImages: {
        parameters: {
            query?: {
                /** @description 1–100, default 20. */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_SearchHit"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listShares: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_ShareView"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    createShare: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewShare"];
            };
        };
        responses: {
            /** @description with `token` and `url`, shown only now */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShareView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    revokeShare: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the image's id */
                id: string;
                /** @description the share link's id */
                share_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getShared: {
        parameters: {
            query?: {
                /** @description For an album's link: `next_cursor` of the page before. */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description the share link's token */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Shared"];
                };
            };
            /** @description unknown, expired or revoked */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getSharedContent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the share link's token */
                token: string;
                /** @description `original`, `thumbnail` or `preview` */
                variant: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the bytes, with `ETag` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/*": number[];
                };
            };
            /** @description a presigned URL of the object store (when so configured) */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    downloadShared: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description an album's share-link token */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a ZIP archive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": number[];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getSharedAlbumContent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description an album's share-link token */
                token: string;
                /** @description an image of the album */
                image_id: string;
                /** @description `original`, `thumbnail` or `preview` */
                variant: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the bytes, with `ETag` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/*": number[];
                };
            };
            /** @description a presigned URL of the object store (when so configured) */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Credentials"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            /** @description a user name or password that breaks the rules */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description registration is closed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description the user name is taken */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Credentials"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description the session cookie */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResponse"];
                };
            };
            /** @description `invalid_credentials` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description too many failed attempts; `retry_after` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description signed out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordChange"];
            };
        };
        responses: {
            /** @description changed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description not signed in, or the current password is wrong */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_SessionView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    endSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the session's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_TokenView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewToken"];
            };
        };
        responses: {
            /** @description the secret is in `token`, shown only now */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NewTokenView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description made with an API token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the token's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Items_UserView"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewUser"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the account's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description administrators cannot delete themselves */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the account's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description would leave no administrator */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getOpenapi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OpenAPI 3.1 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
}
