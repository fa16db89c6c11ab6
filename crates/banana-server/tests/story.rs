//! Story tests of the core service, each run on SQLite + local folder and on PostgreSQL + S3.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::{jpeg, sample, TestApp};
use sha2::{Digest, Sha256};

both_backends!(
    upload_list_get_and_bytes,
    orientation_is_applied_to_derived_images,
    duplicate_is_409_with_the_existing_id,
    concurrent_duplicates_make_one_image,
    delete_removes_rows_and_objects,
    bad_input_is_refused_and_leaves_nothing,
    failed_commit_removes_the_objects,
    pagination_is_newest_first_without_gaps,
);

async fn upload_list_get_and_bytes(t: TestApp) {
    let Some(photo) = sample("imagenet-sample/n02123045_tabby.JPEG") else {
        return;
    };
    let res = t
        .upload(
            "my cat.JPEG",
            &photo,
            &[("title", "Tabby on the sofa"), ("attribution", "Me, 2026")],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&res.body)
    );
    let img = res.json();
    let id = img["id"].as_str().unwrap().to_string();
    assert_eq!(res.headers["location"], format!("/api/v1/images/{id}"));
    assert_eq!(img["filename"], "my cat.JPEG");
    assert_eq!(img["title"], "Tabby on the sofa");
    assert_eq!(img["attribution"], "Me, 2026");
    assert_eq!(img["content_type"], "image/jpeg");
    assert_eq!(img["bytes"], photo.len());
    assert_eq!(
        (img["width"].as_i64(), img["height"].as_i64()),
        (Some(335), Some(500))
    );
    assert_eq!(img["sha256"], hex::encode(Sha256::digest(&photo)));
    assert_eq!(img["status"], "pending");
    assert_eq!(img["visibility"], "private");
    assert_eq!(img["labels"], serde_json::json!([]));
    assert!(img["created_at"].as_str().unwrap().ends_with('Z'));

    let list = t.get("/api/v1/images").await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0], img);
    assert!(list["next_cursor"].is_null());
    assert_eq!(t.get(&format!("/api/v1/images/{id}")).await.json(), img);

    // The original: bytes on local storage, a presigned redirect on S3.
    let res = t.get(img["urls"]["original"].as_str().unwrap()).await;
    let original = if t.app.storage.is_local() {
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.headers["content-type"], "image/jpeg");
        assert!(res.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("my%20cat.JPEG"));
        let etag = res.headers["etag"].clone();
        let again = t
            .request(
                axum::http::Request::get(format!("/api/v1/images/{id}/original"))
                    .header("if-none-match", etag)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        res.body.to_vec()
    } else {
        assert_eq!(res.status, StatusCode::FOUND);
        let location = res.headers["location"].to_str().unwrap().to_string();
        assert!(location.contains("X-Amz-Signature="), "{location}");
        let fetched = reqwest::get(&location).await.unwrap();
        assert_eq!(fetched.status(), 200);
        // Tampering with the signed URL must be refused: the store checks signatures.
        let forged = location.replace("X-Amz-Expires=3600", "X-Amz-Expires=7200");
        assert_eq!(reqwest::get(&forged).await.unwrap().status(), 403);
        fetched.bytes().await.unwrap().to_vec()
    };
    assert_eq!(original, photo);

    for (variant, max) in [("thumbnail", 256), ("preview", 1280)] {
        let res = t.get(&format!("/api/v1/images/{id}/{variant}")).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.headers["content-type"], "image/jpeg");
        let d = image::load_from_memory(&res.body).unwrap();
        assert!(d.width().max(d.height()) <= max);
        let aspect = f64::from(d.width()) / f64::from(d.height());
        assert!(
            (aspect - 335.0 / 500.0).abs() < 0.01,
            "aspect kept ({variant}): {aspect}"
        );
    }
}

async fn orientation_is_applied_to_derived_images(t: TestApp) {
    let Some(upright) = sample("exif-samples/jpg/orientation/portrait_1.jpg") else {
        return;
    };
    let rotated = sample("exif-samples/jpg/orientation/portrait_6.jpg").unwrap();
    let a = t.upload("p1.jpg", &upright, &[]).await.json();
    let b = t.upload("p6.jpg", &rotated, &[]).await.json();
    assert_eq!(
        (a["width"].clone(), a["height"].clone()),
        (b["width"].clone(), b["height"].clone())
    );
    assert!(
        b["height"].as_i64() > b["width"].as_i64(),
        "portrait stays portrait: {b}"
    );
    let thumb = |j: serde_json::Value| {
        let t = &t;
        async move {
            let res = t.get(j["urls"]["thumbnail"].as_str().unwrap()).await;
            image::load_from_memory(&res.body).unwrap().to_rgb8()
        }
    };
    let (ta, tb) = (thumb(a).await, thumb(b).await);
    assert_eq!(ta.dimensions(), tb.dimensions());
    let diff: u64 = ta
        .as_raw()
        .iter()
        .zip(tb.as_raw())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    let mean = diff as f64 / ta.as_raw().len() as f64;
    let flipped = image::imageops::flip_vertical(&tb);
    let diff_flipped: u64 = ta
        .as_raw()
        .iter()
        .zip(flipped.as_raw())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    assert!(
        mean * 2.0 < diff_flipped as f64 / ta.as_raw().len() as f64,
        "mean diff {mean}"
    );
}

async fn duplicate_is_409_with_the_existing_id(t: TestApp) {
    let bytes = jpeg(3, 64, 48);
    let first = t.upload("a.jpg", &bytes, &[]).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let second = t.upload("renamed.jpg", &bytes, &[("title", "again")]).await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert_eq!(second.error_code(), "duplicate");
    assert_eq!(second.json()["error"]["image_id"], first.json()["id"]);
    assert_eq!(t.count("images").await, 1);
}

async fn concurrent_duplicates_make_one_image(t: TestApp) {
    let t = Arc::new(t);
    let bytes = Arc::new(jpeg(9, 300, 200));
    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let (t, bytes) = (t.clone(), bytes.clone());
            tokio::spawn(async move { t.upload(&format!("copy{i}.jpg"), &bytes, &[]).await })
        })
        .collect();
    let mut created = Vec::new();
    let mut conflicts = Vec::new();
    for task in tasks {
        let res = task.await.unwrap();
        match res.status {
            StatusCode::CREATED => created.push(res.json()["id"].as_str().unwrap().to_string()),
            StatusCode::CONFLICT => conflicts.push(
                res.json()["error"]["image_id"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            ),
            other => panic!("unexpected {other}: {}", String::from_utf8_lossy(&res.body)),
        }
    }
    assert_eq!(created.len(), 1, "exactly one upload wins");
    assert!(
        conflicts.iter().all(|id| *id == created[0]),
        "losers point at the winner"
    );
    assert_eq!(t.count("images").await, 1);
    assert_eq!(t.count("jobs").await, 1);
    assert_eq!(t.objects().await.len(), 3);
    let res = t
        .get(&format!("/api/v1/images/{}/original", created[0]))
        .await;
    assert!(res.status == StatusCode::OK || res.status == StatusCode::FOUND);
}

async fn delete_removes_rows_and_objects(t: TestApp) {
    let keep = t.upload("keep.jpg", &jpeg(1, 50, 50), &[]).await.json();
    let gone = t.upload("gone.jpg", &jpeg(2, 50, 50), &[]).await.json();
    assert_eq!(t.objects().await.len(), 6);
    let id = gone["id"].as_str().unwrap();
    assert_eq!(
        t.delete(&format!("/api/v1/images/{id}")).await.status,
        StatusCode::NO_CONTENT
    );
    // In the trash; emptying it deletes for good (library.rs covers the trash itself).
    assert_eq!(t.delete("/api/v1/trash").await.status, StatusCode::OK);
    assert_eq!(
        t.get(&format!("/api/v1/images/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.get(&format!("/api/v1/images/{id}/thumbnail"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.delete(&format!("/api/v1/images/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let objects = t.objects().await;
    assert_eq!(objects.len(), 3);
    let kept_sha = keep["sha256"].as_str().unwrap();
    assert!(objects.iter().all(|k| k.contains(kept_sha)), "{objects:?}");
    assert_eq!(t.count("images").await, 1);
}

/// A PNG whose header claims `w`×`h` pixels, with a tiny (invalid) data chunk.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    fn crc(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc(&body).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

async fn bad_input_is_refused_and_leaves_nothing(t: TestApp) {
    let good = jpeg(5, 120, 90);
    let mut cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "empty.jpg",
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty_file",
        ),
        (
            "truncated.jpg",
            good[..good.len() * 2 / 3].to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "undecodable",
        ),
        (
            "notes.jpg",
            b"just some text, not a picture\n".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "bomb.png",
            png_claiming(100_000, 100_000),
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_many_pixels",
        ),
        (
            "corrupt.png",
            png_claiming(64, 64),
            StatusCode::UNPROCESSABLE_ENTITY,
            "undecodable",
        ),
    ];
    if let Some(heic) = sample("exif-samples/heic/IMG_5195.HEIC") {
        // Accepted whole (tests/photos.rs); cut short it is a clear 422.
        cases.push((
            "half-an-iphone-photo.HEIC",
            heic[..heic.len() / 2].to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "undecodable",
        ));
    }
    if let Some(photo) = sample("exif-samples/jpg/tests/42_IndexError.jpg") {
        let cut = photo[..photo.len() / 2].to_vec();
        cases.push((
            "half-a-photo.jpg",
            cut,
            StatusCode::UNPROCESSABLE_ENTITY,
            "undecodable",
        ));
    }
    for (name, bytes, status, code) in &cases {
        let res = t.upload(name, bytes, &[]).await;
        assert_eq!(
            res.status,
            *status,
            "{name}: {}",
            String::from_utf8_lossy(&res.body)
        );
        assert_eq!(res.error_code(), *code, "{name}");
        assert!(!res.json()["error"]["message"].as_str().unwrap().is_empty());
    }

    // Odd requests.
    let res = t
        .upload(
            "../../../../etc/x.jpg",
            &good,
            &[("title", &"t".repeat(1001))],
        )
        .await;
    assert_eq!(
        (res.status, res.error_code().as_str()),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
    let res = t
        .upload("v.jpg", &good, &[("visibility", "everyone")])
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = t
        .request(
            axum::http::Request::post("/api/v1/images")
                .header("content-type", "multipart/form-data; boundary=x")
                .body(axum::body::Body::from(
                    "--x\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhi\r\n--x--\r\n",
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(
        (res.status, res.error_code().as_str()),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
    let res = t
        .request(
            axum::http::Request::post("/api/v1/images")
                .body(axum::body::Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::BAD_REQUEST,
        "{}",
        String::from_utf8_lossy(&res.body)
    );
    assert_eq!(res.json()["error"]["code"], "bad_request");

    assert_eq!(t.count("images").await, 0);
    assert_eq!(t.count("jobs").await, 0);
    assert_eq!(t.objects().await, Vec::<String>::new());

    // The server keeps serving, and the odd file name is kept for display only.
    let res = t.upload("../../../../etc/x.jpg", &good, &[]).await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(res.json()["filename"], "x.jpg");
    assert!(t.objects().await.iter().all(|k| !k.contains("x.jpg")));
}

async fn failed_commit_removes_the_objects(t: TestApp) {
    // Break the job queue so the image row's transaction cannot commit.
    common::sqlx_exec(&t.app.db, "DROP TABLE jobs").await;
    let res = t.upload("a.jpg", &jpeg(7, 80, 60), &[]).await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(res.error_code(), "internal");
    let message = res.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(
        !message.contains("jobs"),
        "internal details leaked: {message}"
    );
    assert!(res.headers.contains_key("x-request-id"));
    assert_eq!(t.count("images").await, 0);
    assert_eq!(t.objects().await, Vec::<String>::new());
}

async fn pagination_is_newest_first_without_gaps(t: TestApp) {
    let mut ids = Vec::new();
    for i in 0..5u8 {
        ids.push(
            t.upload(&format!("{i}.jpg"), &jpeg(20 + i, 40, 30), &[])
                .await
                .json()["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    ids.reverse();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let uri = match &cursor {
            Some(c) => format!("/api/v1/images?limit=2&cursor={c}"),
            None => "/api/v1/images?limit=2".to_string(),
        };
        let page = t.get(&uri).await.json();
        pages += 1;
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ids);
    assert_eq!(
        t.get("/api/v1/images?cursor=garbage").await.status,
        StatusCode::BAD_REQUEST
    );
}
