//! Organising a library through the API on both backends: the trash (a deletion hides the
//! image everywhere at once and a restore brings it back whole; purging removes rows and
//! objects together), bulk actions with a result per image, streamed ZIP downloads (originals
//! for the owner, metadata-free copies for everyone else, unique names, readable by `unzip`),
//! album share links, and an image's neighbours in a listing.

mod common;

use std::io::Read;

use common::{jpeg, Caller, PhotoExif, TestApp};
use serde_json::{json, Value};

async fn upload(t: &TestApp, who: &Caller, name: &str, bytes: &[u8], public: bool) -> String {
    let fields: &[(&str, &str)] = if public {
        &[("visibility", "public")]
    } else {
        &[]
    };
    let res = t.client(who).upload(name, bytes, fields).await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    res.json()["id"].as_str().unwrap().to_string()
}

fn ids(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

async fn listed(t: &TestApp, who: &Caller, query: &str) -> Vec<String> {
    let res = t.client(who).get(&format!("/api/v1/images?{query}")).await;
    assert_eq!(
        res.status,
        200,
        "{query}: {}",
        String::from_utf8_lossy(&res.body)
    );
    ids(&res.json()["items"])
}

async fn new_album(t: &TestApp, who: &Caller, name: &str, images: &[&str]) -> String {
    let res = t
        .client(who)
        .post("/api/v1/albums", &json!({ "name": name }))
        .await;
    assert_eq!(res.status, 201);
    let id = res.json()["id"].as_str().unwrap().to_string();
    let res = t
        .client(who)
        .post(
            &format!("/api/v1/albums/{id}/images"),
            &json!({ "image_ids": images }),
        )
        .await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    id
}

async fn album_share(t: &TestApp, who: &Caller, album: &str) -> (String, String) {
    let res = t
        .client(who)
        .post(
            &format!("/api/v1/albums/{album}/shares"),
            &json!({ "expires_in": 3600 }),
        )
        .await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    let v = res.json();
    (
        v["id"].as_str().unwrap().to_string(),
        v["token"].as_str().unwrap().to_string(),
    )
}

/// Deleting moves to the trash: the image leaves every list, album, favourite list, share
/// link and search at once; the owner sees it in the trash (with thumbnails) and restores it
/// whole; nobody else can touch it; uploading the same photo again restores it too.
async fn trash_hides_everywhere_and_restores_whole(t: TestApp) {
    let owner = t.owner_caller();
    let root = t.bootstrap_admin("root").await;
    let other = t.create_user(&root, "other", false).await.caller();
    let a_bytes = jpeg(1, 64, 48);
    let a = upload(&t, &owner, "a.jpg", &a_bytes, true).await;
    let b = upload(&t, &owner, "b.jpg", &jpeg(2, 64, 48), false).await;
    let album = new_album(&t, &owner, "Trip", &[&a, &b]).await;
    assert_eq!(
        t.client(&owner)
            .send(
                axum::http::Method::PUT,
                &format!("/api/v1/images/{a}/favorite"),
                None
            )
            .await
            .status,
        200
    );
    let share = t.share(&owner, &a, 3600).await;
    let (_, album_token) = album_share(&t, &owner, &album).await;
    assert_eq!(
        t.anonymous()
            .get(&format!("/api/v1/shared/{}", share.token))
            .await
            .status,
        200
    );

    assert_eq!(
        t.client(&other)
            .delete(&format!("/api/v1/images/{a}"))
            .await
            .status,
        403
    );
    assert_eq!(
        t.client(&owner)
            .delete(&format!("/api/v1/images/{a}"))
            .await
            .status,
        204
    );
    // Gone from everything, for everyone.
    assert_eq!(
        t.client(&owner)
            .get(&format!("/api/v1/images/{a}"))
            .await
            .status,
        404
    );
    assert_eq!(
        t.anonymous()
            .get(&format!("/api/v1/images/{a}"))
            .await
            .status,
        404
    );
    assert_eq!(listed(&t, &owner, "").await, vec![b.clone()]);
    assert_eq!(
        listed(&t, &owner, &format!("album={album}")).await,
        vec![b.clone()]
    );
    assert!(listed(&t, &owner, "favorite=true").await.is_empty());
    assert!(listed(&t, &other, "scope=public").await.is_empty());
    let al = t
        .client(&owner)
        .get(&format!("/api/v1/albums/{album}"))
        .await
        .json();
    assert_eq!(al["image_count"], 1, "{al}");
    assert_eq!(
        t.anonymous()
            .get(&format!("/api/v1/shared/{}", share.token))
            .await
            .status,
        404
    );
    let shared = t
        .anonymous()
        .get(&format!("/api/v1/shared/{album_token}"))
        .await
        .json();
    assert_eq!(ids(&shared["images"]), vec![b.clone()], "{shared}");
    assert_eq!(
        t.anonymous()
            .get(&format!(
                "/api/v1/shared/{album_token}/images/{a}/thumbnail"
            ))
            .await
            .status,
        404
    );
    let search = t.client(&owner).get("/api/v1/search?q=a.jpg").await;
    assert!(
        !search.json().to_string().contains(&a),
        "search still finds it"
    );
    // Deleting again: there is nothing to delete.
    assert_eq!(
        t.client(&owner)
            .delete(&format!("/api/v1/images/{a}"))
            .await
            .status,
        404
    );

    // The owner's trash.
    let trash = t.client(&owner).get("/api/v1/trash").await;
    assert_eq!(trash.status, 200);
    let trash = trash.json();
    assert_eq!(
        ids(&trash["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["image"].clone())
            .collect::<Value>()),
        vec![a.clone()]
    );
    let item = &trash["items"][0];
    let trashed = humantime::parse_rfc3339(item["trashed_at"].as_str().unwrap()).unwrap();
    let purge = humantime::parse_rfc3339(item["purge_at"].as_str().unwrap()).unwrap();
    assert_eq!(
        purge.duration_since(trashed).unwrap().as_secs(),
        30 * 86_400
    );
    let thumb = item["image"]["urls"]["thumbnail"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(t.client(&owner).get(&thumb).await.status, 200);
    assert_eq!(t.client(&other).get(&thumb).await.status, 404);
    assert_eq!(t.anonymous().get(&thumb).await.status, 404);
    assert!(ids(&t.client(&other).get("/api/v1/trash").await.json()["items"]).is_empty());
    assert_eq!(t.anonymous().get("/api/v1/trash").await.status, 401);

    // Nobody else can restore it; the owner can, whole.
    let res = t
        .client(&other)
        .post("/api/v1/trash/restore", &json!({ "image_ids": [a] }))
        .await;
    assert_eq!(res.json()["restored"], 0);
    let res = t
        .client(&owner)
        .post(
            "/api/v1/trash/restore",
            &json!({ "image_ids": [a, "nope"] }),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["restored"], 1);
    assert_eq!(listed(&t, &owner, "favorite=true").await, vec![a.clone()]);
    assert_eq!(listed(&t, &owner, &format!("album={album}")).await.len(), 2);
    assert_eq!(
        t.anonymous()
            .get(&format!("/api/v1/shared/{}", share.token))
            .await
            .status,
        200
    );
    assert_eq!(listed(&t, &other, "scope=public").await, vec![a.clone()]);
    assert!(ids(&t.client(&owner).get("/api/v1/trash").await.json()["items"]).is_empty());

    // Uploading a trashed photo again brings it back (409 names it).
    assert_eq!(
        t.client(&owner)
            .delete(&format!("/api/v1/images/{a}"))
            .await
            .status,
        204
    );
    let res = t.client(&owner).upload("again.jpg", &a_bytes, &[]).await;
    assert_eq!(res.status, 409);
    assert_eq!(res.json()["error"]["image_id"], a.as_str());
    assert_eq!(
        t.client(&owner)
            .get(&format!("/api/v1/images/{a}"))
            .await
            .status,
        200
    );
    // Bad restores are a 400.
    let res = t
        .client(&owner)
        .post("/api/v1/trash/restore", &json!({ "image_ids": [] }))
        .await;
    assert_eq!(res.status, 400);
}

/// Purging (the `purge_trash` job when its time is up, or emptying the trash) deletes rows
/// and objects together; a restored image is left; with `BANANA_TRASH_DAYS=0` deleting is
/// for good at once.
async fn purging_removes_rows_and_objects(t: TestApp) {
    let owner = t.owner_caller();
    let a = upload(&t, &owner, "a.jpg", &jpeg(1, 64, 48), false).await;
    let b = upload(&t, &owner, "b.jpg", &jpeg(2, 64, 48), false).await;
    let c = upload(&t, &owner, "c.jpg", &jpeg(3, 64, 48), false).await;
    let per_image = t.objects().await.len() / 3;
    for id in [&a, &b, &c] {
        assert_eq!(
            t.client(&owner)
                .delete(&format!("/api/v1/images/{id}"))
                .await
                .status,
            204
        );
    }
    // Trashed images keep their objects.
    assert_eq!(t.objects().await.len(), 3 * per_image);
    assert_eq!(t.count("images").await, 3);
    // Not due yet: draining the queue purges nothing.
    t.app.drain_jobs().await.unwrap();
    assert_eq!(t.count("images").await, 3);
    // c is restored; then every purge comes due.
    t.client(&owner)
        .post("/api/v1/trash/restore", &json!({ "image_ids": [c] }))
        .await;
    common::sqlx_exec(
        &t.app.db,
        "UPDATE jobs SET run_at = 0 WHERE kind = 'purge_trash'",
    )
    .await;
    t.app.drain_jobs().await.unwrap();
    assert_eq!(t.count("images").await, 1);
    assert_eq!(t.objects().await.len(), per_image);
    assert_eq!(
        t.client(&owner)
            .get(&format!("/api/v1/images/{c}"))
            .await
            .status,
        200
    );
    // One image of the trash, for good (the bulk action): only from the caller's own trash.
    let d = upload(&t, &owner, "d.jpg", &jpeg(4, 64, 48), false).await;
    let purge = json!({"action": "purge", "image_ids": [d]});
    let live = t
        .client(&owner)
        .post("/api/v1/images/bulk", &purge)
        .await
        .json();
    assert_eq!(
        live["results"][0]["error"]["code"], "not_found",
        "a live image is not purged: {live}"
    );
    assert_eq!(
        t.client(&owner)
            .delete(&format!("/api/v1/images/{d}"))
            .await
            .status,
        204
    );
    let done = t
        .client(&owner)
        .post("/api/v1/images/bulk", &purge)
        .await
        .json();
    assert_eq!(done["succeeded"], 1, "{done}");
    assert_eq!(t.count("images").await, 1);
    assert_eq!(t.objects().await.len(), per_image);
    // Emptying the trash: now.
    assert_eq!(
        t.client(&owner)
            .delete(&format!("/api/v1/images/{c}"))
            .await
            .status,
        204
    );
    let res = t.client(&owner).delete("/api/v1/trash").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["purged"], 1);
    assert_eq!(t.count("images").await, 0);
    assert!(t.objects().await.is_empty());
    assert_eq!(t.count("upload_intents").await, 0);
    // No purge is left scheduled: restoring and emptying cancelled theirs, the rest ran.
    let left = common::sqlx_scalar(
        &t.app.db,
        "SELECT COUNT(*) FROM jobs WHERE kind = 'purge_trash' AND state <> 'done'",
    )
    .await;
    assert_eq!(left, 0);
}

async fn no_trash_deletes_at_once(t: TestApp) {
    let owner = t.owner_caller();
    let a = upload(&t, &owner, "a.jpg", &jpeg(1, 64, 48), false).await;
    assert_eq!(
        t.client(&owner)
            .delete(&format!("/api/v1/images/{a}"))
            .await
            .status,
        204
    );
    assert_eq!(t.count("images").await, 0);
    assert!(t.objects().await.is_empty());
    let info = t.anonymous().get("/api/v1/info").await.json();
    assert_eq!(info["trash_days"], 0);
}

/// One action over many images: each is authorised on its own (the single-image endpoint's
/// error for those that fail), the rest go ahead.
async fn bulk_actions_report_per_image(t: TestApp) {
    let owner = t.owner_caller();
    let root = t.bootstrap_admin("root").await;
    let other = t.create_user(&root, "other", false).await.caller();
    let a = upload(&t, &owner, "a.jpg", &jpeg(1, 64, 48), false).await;
    let b = upload(&t, &owner, "b.jpg", &jpeg(2, 64, 48), false).await;
    let theirs_private = upload(&t, &other, "p.jpg", &jpeg(3, 64, 48), false).await;
    let theirs_public = upload(&t, &other, "q.jpg", &jpeg(4, 64, 48), true).await;
    let bulk = |body: Value| {
        let t = &t;
        let owner = owner.clone();
        async move { t.client(&owner).post("/api/v1/images/bulk", &body).await }
    };
    let codes = |v: &Value| -> Vec<String> {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                if r["ok"] == true {
                    "ok".to_string()
                } else {
                    r["error"]["code"].as_str().unwrap().to_string()
                }
            })
            .collect()
    };

    let res = bulk(
        json!({"action": "favorite", "image_ids": [a, theirs_private, theirs_public, "nope", a]}),
    )
    .await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    let v = res.json();
    assert_eq!(codes(&v), ["ok", "not_found", "ok", "not_found"], "{v}");
    assert_eq!(
        (v["succeeded"].as_i64(), v["failed"].as_i64()),
        (Some(2), Some(2))
    );
    assert_eq!(listed(&t, &owner, "favorite=true").await.len(), 2);

    let v = bulk(json!({"action": "set_visibility", "visibility": "public", "image_ids": [a, theirs_public]})).await.json();
    assert_eq!(codes(&v), ["ok", "forbidden"], "{v}");
    assert_eq!(listed(&t, &other, "scope=public").await.len(), 2);

    let album = new_album(&t, &owner, "Mixed", &[&b]).await;
    let v = bulk(json!({"action": "add_to_album", "album_id": album, "image_ids": [a, theirs_public, theirs_private]})).await.json();
    assert_eq!(codes(&v), ["ok", "ok", "not_found"], "{v}");
    assert_eq!(listed(&t, &owner, &format!("album={album}")).await.len(), 3);
    let v = bulk(
        json!({"action": "remove_from_album", "album_id": album, "image_ids": [theirs_public]}),
    )
    .await
    .json();
    assert_eq!(codes(&v), ["ok"]);
    // Someone else's album fails the whole request.
    let theirs = new_album(&t, &other, "Theirs", &[&theirs_public]).await;
    assert_eq!(
        bulk(json!({"action": "add_to_album", "album_id": theirs, "image_ids": [a]}))
            .await
            .status,
        404
    );

    let v = bulk(json!({"action": "trash", "image_ids": [a, theirs_public]}))
        .await
        .json();
    assert_eq!(codes(&v), ["ok", "forbidden"]);
    assert_eq!(listed(&t, &owner, "").await, vec![b.clone()]);
    let v = bulk(json!({"action": "restore", "image_ids": [a, b]}))
        .await
        .json();
    assert_eq!(
        codes(&v),
        ["ok", "not_found"],
        "b was not in the trash: {v}"
    );
    let v = bulk(json!({"action": "unfavorite", "image_ids": [a]}))
        .await
        .json();
    assert_eq!(codes(&v), ["ok"]);

    // Tags: the owner's to put on; shown, filtered by (any case) and found by search.
    let v =
        bulk(json!({"action": "tag", "tag": "  Summer   2019 ", "image_ids": [a, theirs_public]}))
            .await
            .json();
    assert_eq!(codes(&v), ["ok", "forbidden"], "{v}");
    let v = bulk(json!({"action": "tag", "tag": "summer 2019", "image_ids": [a, b]}))
        .await
        .json();
    assert_eq!(codes(&v), ["ok", "ok"]);
    let view = t
        .client(&owner)
        .get(&format!("/api/v1/images/{a}"))
        .await
        .json();
    assert_eq!(
        view["tags"],
        json!(["Summer 2019"]),
        "one tag whatever its case"
    );
    let mut tagged = listed(&t, &owner, "tag=SUMMER%202019").await;
    tagged.sort();
    let mut want = vec![a.clone(), b.clone()];
    want.sort();
    assert_eq!(tagged, want);
    let found = t.client(&owner).get("/api/v1/search?q=summer").await.json();
    let hit = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["image"]["id"] == a.as_str())
        .unwrap_or_else(|| panic!("search finds the tag: {found}"))
        .clone();
    assert!(
        hit["matched"]
            .as_array()
            .unwrap()
            .contains(&json!("tag: Summer 2019")),
        "{hit}"
    );
    let v = bulk(json!({"action": "untag", "tag": "SUMMER 2019", "image_ids": [b]}))
        .await
        .json();
    assert_eq!(codes(&v), ["ok"]);
    assert_eq!(
        listed(&t, &owner, "tag=summer%202019").await,
        vec![a.clone()]
    );
    assert_eq!(
        t.client(&other)
            .get(&format!("/api/v1/images/{theirs_public}"))
            .await
            .json()["tags"],
        json!([])
    );

    // Malformed requests change nothing.
    for bad in [
        json!({"action": "favorite", "image_ids": []}),
        json!({"action": "favorite", "image_ids": vec!["x"; 1001]}),
        json!({"action": "set_visibility", "image_ids": [a]}),
        json!({"action": "add_to_album", "image_ids": [a]}),
        json!({"action": "tag", "image_ids": [a]}),
        json!({"action": "tag", "tag": " ", "image_ids": [a]}),
        json!({"action": "tag", "tag": "x".repeat(51), "image_ids": [a]}),
    ] {
        assert_eq!(bulk(bad.clone()).await.status, 400, "{bad}");
    }
    assert!(bulk(json!({"action": "explode", "image_ids": [a]}))
        .await
        .status
        .is_client_error());
    assert_eq!(
        t.anonymous()
            .post(
                "/api/v1/images/bulk",
                &json!({"action": "favorite", "image_ids": [a]})
            )
            .await
            .status,
        401
    );
}

/// Reads a ZIP response: name → bytes, in archive order; and checks it with `unzip -t`.
fn read_zip(body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body.to_vec())).expect("a ZIP");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        out.push((f.name().to_string(), bytes));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("download.zip");
    std::fs::write(&path, body).unwrap();
    let test = std::process::Command::new("unzip")
        .arg("-t")
        .arg(&path)
        .output()
        .expect("unzip is installed (scripts/test.sh installs it)");
    assert!(
        test.status.success(),
        "unzip -t: {}",
        String::from_utf8_lossy(&test.stdout)
    );
    out
}

/// ZIP downloads: the owner's originals byte for byte with unique names; another viewer's
/// archive holds the metadata-free copy; an id the caller may not see refuses the whole
/// download; albums and shared albums download the same way.
async fn zip_downloads(t: TestApp) {
    let owner = t.owner_caller();
    let root = t.bootstrap_admin("root").await;
    let other = t.create_user(&root, "other", false).await.caller();
    let gps = PhotoExif::taken("2008:10:14 16:00:00", None)
        .at(48.8584, 2.2945)
        .into_jpeg(&jpeg(1, 64, 48));
    let x1 = jpeg(2, 64, 48);
    let a = upload(&t, &owner, "paris.jpg", &gps, true).await;
    let b = upload(&t, &owner, "x.jpg", &x1, false).await;
    let c = upload(&t, &owner, "X.JPG", &jpeg(3, 64, 48), false).await;
    let res = t
        .client(&owner)
        .post("/api/v1/downloads", &json!({ "image_ids": [a, b, c] }))
        .await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    assert_eq!(res.headers["content-type"], "application/zip");
    assert!(res.headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    let files = read_zip(&res.body);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["paris.jpg", "x.jpg", "X (2).JPG"]);
    assert_eq!(files[0].1, gps, "the owner gets the original");
    assert_eq!(files[1].1, x1);

    // Another viewer: only what they may see, and without the GPS position.
    assert_eq!(
        t.client(&other)
            .post("/api/v1/downloads", &json!({ "image_ids": [a, b] }))
            .await
            .status,
        404
    );
    let res = t
        .client(&other)
        .post("/api/v1/downloads", &json!({ "image_ids": [a] }))
        .await;
    assert_eq!(res.status, 200);
    let files = read_zip(&res.body);
    assert_eq!(files.len(), 1);
    assert_ne!(files[0].1, gps);
    assert!(
        banana_core::media::metadata::read_metadata(&files[0].1)
            .gps
            .is_none(),
        "the copy has no position"
    );
    assert_eq!(
        t.client(&owner)
            .post("/api/v1/downloads", &json!({ "image_ids": [] }))
            .await
            .status,
        400
    );

    // Albums: the owner's download, and the shared album's (copies) for a signed-out visitor.
    let album = new_album(&t, &owner, "Paris / 2008", &[&a, &b]).await;
    let res = t
        .client(&owner)
        .get(&format!("/api/v1/albums/{album}/download"))
        .await;
    assert_eq!(res.status, 200);
    assert!(res.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("Paris _ 2008.zip"));
    assert_eq!(read_zip(&res.body).len(), 2);
    assert_eq!(
        t.client(&other)
            .get(&format!("/api/v1/albums/{album}/download"))
            .await
            .status,
        404
    );
    let (_, token) = album_share(&t, &owner, &album).await;
    let res = t
        .anonymous()
        .get(&format!("/api/v1/shared/{token}/download"))
        .await;
    assert_eq!(res.status, 200);
    let files = read_zip(&res.body);
    assert_eq!(files.len(), 2);
    for (name, bytes) in &files {
        assert!(
            banana_core::media::metadata::read_metadata(bytes)
                .gps
                .is_none(),
            "{name} keeps a position"
        );
    }
}

/// Album share links: only the album's owner makes, lists and revokes them; a visitor sees
/// the album, its images (and their bytes) under the link and nothing else; revoking stops it.
async fn album_share_links(t: TestApp) {
    let owner = t.owner_caller();
    let root = t.bootstrap_admin("root").await;
    let other = t.create_user(&root, "other", false).await.caller();
    let gps = PhotoExif::taken("2008:10:14 16:00:00", None)
        .at(48.8584, 2.2945)
        .into_jpeg(&jpeg(1, 64, 48));
    let a = upload(&t, &owner, "a.jpg", &gps, false).await;
    let outside = upload(&t, &owner, "outside.jpg", &jpeg(2, 64, 48), false).await;
    let album = new_album(&t, &owner, "Holiday", &[&a]).await;
    for who in [&other, &root.caller()] {
        let res = t
            .client(who)
            .post(
                &format!("/api/v1/albums/{album}/shares"),
                &json!({ "expires_in": 3600 }),
            )
            .await;
        assert_eq!(res.status, 404);
    }
    assert_eq!(
        t.client(&owner)
            .post(
                &format!("/api/v1/albums/{album}/shares"),
                &json!({ "expires_in": 5 })
            )
            .await
            .status,
        400
    );
    let (share_id, token) = album_share(&t, &owner, &album).await;
    let list = t
        .client(&owner)
        .get(&format!("/api/v1/albums/{album}/shares"))
        .await
        .json();
    assert_eq!(ids(&list["items"]), vec![share_id.clone()]);
    assert!(list["items"][0]["token"].is_null());
    assert_eq!(
        t.client(&other)
            .get(&format!("/api/v1/albums/{album}/shares"))
            .await
            .status,
        404
    );

    let page = t.anonymous().get(&format!("/api/v1/shared/{token}")).await;
    assert_eq!(page.status, 200);
    let page = page.json();
    assert_eq!(page["album"]["name"], "Holiday");
    assert_eq!(page["album"]["image_count"], 1);
    assert_eq!(ids(&page["images"]), vec![a.clone()]);
    assert!(page["images"][0]["location"].is_null(), "{page}");
    assert_eq!(page["images"][0]["favorite"], false);
    let urls = &page["images"][0]["urls"];
    assert!(urls["original"]
        .as_str()
        .unwrap()
        .starts_with(&format!("/api/v1/shared/{token}/images/")));
    for v in ["thumbnail", "preview"] {
        assert_eq!(
            t.anonymous().get(urls[v].as_str().unwrap()).await.status,
            200,
            "{v}"
        );
    }
    let original = t.anonymous().get(urls["original"].as_str().unwrap()).await;
    if original.status == 302 {
        // Presigned (S3): the copy's key, not the original's.
        assert!(!original.headers["location"]
            .to_str()
            .unwrap()
            .contains("originals/"));
    } else {
        assert_eq!(original.status, 200);
        assert!(banana_core::media::metadata::read_metadata(&original.body)
            .gps
            .is_none());
    }
    assert_eq!(
        t.anonymous()
            .get(&format!(
                "/api/v1/shared/{token}/images/{outside}/thumbnail"
            ))
            .await
            .status,
        404,
        "an image outside the album"
    );
    // Revoked: gone.
    assert_eq!(
        t.client(&other)
            .delete(&format!("/api/v1/albums/{album}/shares/{share_id}"))
            .await
            .status,
        404
    );
    assert_eq!(
        t.client(&owner)
            .delete(&format!("/api/v1/albums/{album}/shares/{share_id}"))
            .await
            .status,
        204
    );
    assert_eq!(
        t.anonymous()
            .get(&format!("/api/v1/shared/{token}"))
            .await
            .status,
        404
    );
    assert_eq!(
        t.anonymous()
            .get(&format!("/api/v1/shared/{token}/download"))
            .await
            .status,
        404
    );
}

/// Prev/next of an image in the listing a query describes, so a viewer opened from a link
/// can step through.
async fn neighbors_follow_the_listing(t: TestApp) {
    let owner = t.owner_caller();
    let older = upload(&t, &owner, "older.jpg", &jpeg(1, 64, 48), false).await;
    let middle = upload(&t, &owner, "middle.jpg", &jpeg(2, 64, 48), false).await;
    let newest = upload(&t, &owner, "newest.jpg", &jpeg(3, 64, 48), false).await;
    let n = t
        .client(&owner)
        .get(&format!("/api/v1/images/{middle}/neighbors?sort=uploaded"))
        .await;
    assert_eq!(n.status, 200);
    let n = n.json();
    assert_eq!(n["previous"]["id"], newest.as_str());
    assert_eq!(n["next"]["id"], older.as_str());
    let n = t
        .client(&owner)
        .get(&format!("/api/v1/images/{newest}/neighbors"))
        .await
        .json();
    assert!(n["previous"].is_null());
    assert_eq!(n["next"]["id"], middle.as_str());
    // Within an album.
    let album = new_album(&t, &owner, "Two", &[&older, &newest]).await;
    let n = t
        .client(&owner)
        .get(&format!("/api/v1/images/{newest}/neighbors?album={album}"))
        .await
        .json();
    assert_eq!(n["next"]["id"], older.as_str());
    let n = t
        .client(&owner)
        .get(&format!("/api/v1/images/{older}/neighbors?album={album}"))
        .await
        .json();
    assert_eq!(n["previous"]["id"], newest.as_str());
    assert!(n["next"].is_null());
    assert_eq!(
        t.anonymous()
            .get(&format!("/api/v1/images/{middle}/neighbors"))
            .await
            .status,
        404
    );
}

both_backends!(
    trash_hides_everywhere_and_restores_whole,
    purging_removes_rows_and_objects,
    bulk_actions_report_per_image,
    zip_downloads,
    album_share_links,
    neighbors_follow_the_listing,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_trash_deletes_at_once_sqlite_local() {
    no_trash_deletes_at_once(TestApp::sqlite_with(|c| c.trash_days = 0).await).await;
}

/// Near-duplicates with the real classifier: a resized, recompressed copy and a cropped copy
/// of one photo group with it (the largest first); distinct photos of look-alike classes
/// (two cats) stay apart; another account's copy of the same photo is not the caller's.
async fn duplicates_group_copies_of_one_photo(t: TestApp) {
    let t = t.with_models().await;
    let (Some(tabby), Some(egyptian)) = (
        common::sample("imagenet-sample/n02123045_tabby.JPEG"),
        common::sample("imagenet-sample/n02124075_Egyptian_cat.JPEG"),
    ) else {
        return;
    };
    let owner = t.owner_caller();
    let img = image::load_from_memory(&tabby).unwrap().to_rgb8();
    let encode = |img: &image::RgbImage, q: u8| {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, q)
            .encode_image(img)
            .unwrap();
        out
    };
    let small = image::imageops::resize(
        &img,
        img.width() * 7 / 10,
        img.height() * 7 / 10,
        image::imageops::FilterType::Lanczos3,
    );
    let (w, h) = (img.width() * 9 / 10, img.height() * 9 / 10);
    let cropped =
        image::imageops::crop_imm(&img, img.width() / 20, img.height() / 20, w, h).to_image();
    let original = upload(&t, &owner, "tabby.jpg", &tabby, false).await;
    let copy = upload(&t, &owner, "tabby-small.jpg", &encode(&small, 70), false).await;
    let crop = upload(&t, &owner, "tabby-crop.jpg", &encode(&cropped, 85), false).await;
    let other_cat = upload(&t, &owner, "egyptian.jpg", &egyptian, false).await;
    let someone = t.user("someone", false).await;
    let res = t
        .bearer(&someone)
        .upload("mine-too.jpg", &encode(&small, 60), &[])
        .await;
    assert_eq!(res.status, 201);
    t.app.drain_jobs().await.unwrap();

    let res = t.client(&owner).get("/api/v1/duplicates").await;
    assert_eq!(res.status, 200);
    let d = res.json();
    let groups = d["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{d}");
    let members = ids(&groups[0]["images"]);
    assert_eq!(members[0], original, "the largest first");
    let mut rest = members[1..].to_vec();
    rest.sort();
    let mut want = vec![copy, crop];
    want.sort();
    assert_eq!(rest, want);
    assert!(!members.contains(&other_cat));
    let s = groups[0]["similarity"].as_f64().unwrap();
    assert!(s >= d["threshold"].as_f64().unwrap() && s <= 1.0, "{d}");
    // The other account sees only its own single photo: no group.
    let theirs = t.bearer(&someone).get("/api/v1/duplicates").await.json();
    assert!(theirs["groups"].as_array().unwrap().is_empty());
    assert_eq!(t.anonymous().get("/api/v1/duplicates").await.status, 401);
    // Trashing a copy takes it out of its group (and so the group, here).
    assert_eq!(
        t.client(&owner)
            .delete(&format!("/api/v1/images/{}", want[0]))
            .await
            .status,
        204
    );
    let d = t.client(&owner).get("/api/v1/duplicates").await.json();
    assert_eq!(ids(&d["groups"][0]["images"]).len(), 2, "{d}");
}

both_backends!(duplicates_group_copies_of_one_photo);
