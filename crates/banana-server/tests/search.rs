//! Natural-language search and "more like this" through the HTTP API, with the real models:
//! real photos are uploaded, labeled by the worker, and found by what they show.

mod common;

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{sample, TestApp};
use serde_json::Value;

const CATS: &[&str] = &[
    "n02123045_tabby.JPEG",
    "n02123159_tiger_cat.JPEG",
    "n02123394_Persian_cat.JPEG",
    "n02123597_Siamese_cat.JPEG",
    "n02124075_Egyptian_cat.JPEG",
];
const OTHERS: &[&str] = &[
    "n03063599_coffee_mug.JPEG",
    "n04398044_teapot.JPEG",
    "n01443537_goldfish.JPEG",
    "n04254680_soccer_ball.JPEG",
    "n04146614_school_bus.JPEG",
    "n09472597_volcano.JPEG",
    "n07753592_banana.JPEG",
    "n03792782_mountain_bike.JPEG",
    "n07873807_pizza.JPEG",
];

/// Upload the sample photos and label them; image id → file name. `None` without the data.
async fn upload_samples(t: &TestApp) -> Option<HashMap<String, String>> {
    let mut ids = HashMap::new();
    for file in CATS.iter().chain(OTHERS) {
        let bytes = sample(&format!("imagenet-sample/{file}"))?;
        let res = t.upload(file, &bytes, &[]).await;
        assert_eq!(
            res.status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&res.body)
        );
        ids.insert(
            res.json()["id"].as_str().unwrap().to_string(),
            file.to_string(),
        );
    }
    t.app.drain_jobs().await.unwrap();
    Some(ids)
}

/// The file names of a result page, best first.
fn files(page: &Value, ids: &HashMap<String, String>) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {page}"))
        .iter()
        .map(|i| ids[i["image"]["id"].as_str().unwrap()].clone())
        .collect()
}

fn is_cat(file: &str) -> bool {
    CATS.contains(&file)
}

fn id_of(ids: &HashMap<String, String>, file: &str) -> String {
    ids.iter().find(|(_, f)| *f == file).unwrap().0.clone()
}

async fn search(t: &TestApp, q: &str) -> Value {
    let uri = format!("/api/v1/search?q={}", q.replace(' ', "%20"));
    let res = t.get(&uri).await;
    assert_eq!(res.status, StatusCode::OK, "{q}: {}", res.json());
    res.json()
}

both_backends!(sentences_find_images_by_meaning);

async fn sentences_find_images_by_meaning(t: TestApp) {
    let t = t.with_models().await;
    let Some(ids) = upload_samples(&t).await else {
        return;
    };

    // "a pet cat": no label says "pet"; the cats come first.
    let page = search(&t, "a pet cat").await;
    assert_eq!(page["mode"], "hybrid");
    let found = files(&page, &ids);
    assert!(
        found[..CATS.len()].iter().all(|f| is_cat(f)),
        "cats first: {found:?}"
    );
    let top = &page["items"][0];
    assert!(top["score"].as_f64().unwrap() > 0.0);
    assert!(
        !top["matched"].as_array().unwrap().is_empty(),
        "matched explains the hit: {top}"
    );
    assert!(top["image"]["urls"]["thumbnail"].is_string());

    // A sentence that names a use, not a label.
    let found = files(&search(&t, "something to drink coffee from").await, &ids);
    assert!(
        found
            .iter()
            .take(3)
            .any(|f| f == "n03063599_coffee_mug.JPEG"),
        "coffee mug in the top 3: {found:?}"
    );

    // An exact label name ranks that label's image first, and says which label matched.
    let page = search(&t, "soccer ball").await;
    assert_eq!(files(&page, &ids)[0], "n04254680_soccer_ball.JPEG");
    assert!(page["items"][0]["matched"]
        .as_array()
        .unwrap()
        .contains(&Value::from("soccer ball")));

    // The relevance floor: queries that mean nothing find (almost always) nothing, where RRF
    // alone would rank every image. 20 gibberish queries; the floor is set so that 9 in 10
    // such queries get no vector candidate among 1000 images (and the keyword side needs
    // every word to be in an image's text).
    let mut seed = 0x5eed_u64;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let mut empty = 0;
    for _ in 0..20 {
        let words: Vec<String> = (0..1 + next(3))
            .map(|_| {
                (0..3 + next(7))
                    .map(|_| (b'a' + next(26) as u8) as char)
                    .collect()
            })
            .collect();
        let q = words.join(" ");
        let page = search(&t, &q).await;
        assert_eq!(page["mode"], "hybrid");
        let n = page["items"].as_array().unwrap().len();
        assert!(n <= 2, "{q}: {:?}", files(&page, &ids));
        empty += usize::from(n == 0);
    }
    assert!(empty >= 16, "{empty} of 20 gibberish queries found nothing");
    let found = files(&search(&t, "a pet cat").await, &ids);
    assert!(
        found.len() < ids.len(),
        "the floor also cuts the unrelated tail: {found:?}"
    );

    // Blank queries are refused; very long ones are cut, not refused.
    for q in ["", "%20%20", "%09"] {
        let res = t.get(&format!("/api/v1/search?q={q}")).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "q={q:?}");
        assert_eq!(res.error_code(), "bad_request");
    }
    assert_eq!(
        t.get("/api/v1/search").await.status,
        StatusCode::BAD_REQUEST
    );
    let long = "cat%20".repeat(3000);
    let res = t.get(&format!("/api/v1/search?q={long}&limit=3")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(is_cat(&files(&res.json(), &ids)[0]));

    // Pages follow each other without repeats.
    let first = t.get("/api/v1/search?q=a%20pet%20cat&limit=2").await.json();
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = t
        .get(&format!(
            "/api/v1/search?q=a%20pet%20cat&limit=2&cursor={cursor}"
        ))
        .await
        .json();
    let all = files(&search(&t, "a pet cat").await, &ids);
    assert_eq!(
        [files(&first, &ids), files(&second, &ids)].concat(),
        all[..4].to_vec()
    );
    assert_eq!(
        t.get("/api/v1/search?q=cat&cursor=nonsense").await.status,
        StatusCode::BAD_REQUEST
    );

    // More like this: the tabby's neighbours are mostly cats, and never the tabby itself.
    let tabby = id_of(&ids, "n02123045_tabby.JPEG");
    let res = t
        .get(&format!("/api/v1/images/{tabby}/similar?limit=4"))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let similar = files(&res.json(), &ids);
    assert_eq!(similar.len(), 4);
    assert!(!similar.contains(&"n02123045_tabby.JPEG".to_string()));
    assert!(
        similar.iter().filter(|f| is_cat(f)).count() >= 3,
        "mostly cats: {similar:?}"
    );
    assert_eq!(
        t.get("/api/v1/images/00000000-0000-0000-0000-000000000000/similar")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Deleting an image removes it from both at once.
    let siamese = id_of(&ids, "n02123597_Siamese_cat.JPEG");
    assert!(
        files(&search(&t, "a pet cat").await, &ids).contains(&"n02123597_Siamese_cat.JPEG".into())
    );
    assert_eq!(
        t.delete(&format!("/api/v1/images/{siamese}")).await.status,
        StatusCode::NO_CONTENT
    );
    let page = search(&t, "a pet cat").await;
    assert!(page["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["image"]["id"] != siamese.as_str()));
    let res = t
        .get(&format!("/api/v1/images/{tabby}/similar?limit=20"))
        .await;
    assert!(res.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["image"]["id"] != siamese.as_str()));
    // In the trash it still has its vectors (a restore needs them); emptying it drops them.
    assert_eq!(t.delete("/api/v1/trash").await.status, StatusCode::OK);
    assert_eq!(
        t.app.search.len(),
        (ids.len() - 1, ids.len() - 1),
        "both indexes dropped it"
    );
}

both_backends!(pages_cover_exactly_what_the_viewer_may_see);

/// A viewer who may see a small part of the images pages through exactly their matches:
/// every visible match once, in one order, with `next_cursor` on every page but the last.
async fn pages_cover_exactly_what_the_viewer_may_see(t: TestApp) {
    let t = t.with_models().await;
    let Some(ids) = upload_samples(&t).await else {
        return;
    };
    // Another account uploads two of the cats; everything is private.
    let other = t.user("someone-else", false).await;
    let mut theirs = HashMap::new();
    for file in ["n02123045_tabby.JPEG", "n02124075_Egyptian_cat.JPEG"] {
        let (content_type, body) = common::multipart(
            file,
            &sample(&format!("imagenet-sample/{file}")).unwrap(),
            &[],
        );
        let res = t
            .raw(
                Request::post("/api/v1/images")
                    .header("authorization", format!("Bearer {other}"))
                    .header("content-type", content_type)
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.json());
        theirs.insert(
            res.json()["id"].as_str().unwrap().to_string(),
            file.to_string(),
        );
    }
    t.app.drain_jobs().await.unwrap();
    let get_as = |token: String, uri: String| {
        let t = &t;
        async move {
            let res = t
                .raw(
                    Request::get(uri)
                        .header("authorization", format!("Bearer {token}"))
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.json());
            res.json()
        }
    };
    // Page one hit at a time; returns the ids in order and checks the cursors.
    let pages = |token: String, q: &'static str, limit: usize| {
        let get_as = &get_as;
        async move {
            let mut seen: Vec<String> = Vec::new();
            let mut cursor: Option<String> = None;
            for _ in 0..50 {
                let mut uri = format!(
                    "/api/v1/search?scope=all&q={}&limit={limit}",
                    q.replace(' ', "%20")
                );
                if let Some(c) = &cursor {
                    uri += &format!("&cursor={c}");
                }
                let page = get_as(token.clone(), uri).await;
                let items = page["items"].as_array().unwrap();
                assert!(items.len() <= limit);
                seen.extend(
                    items
                        .iter()
                        .map(|i| i["image"]["id"].as_str().unwrap().to_string()),
                );
                match page["next_cursor"].as_str() {
                    Some(c) => {
                        assert_eq!(items.len(), limit, "only the last page may be short");
                        cursor = Some(c.to_string());
                    }
                    None => return seen,
                }
            }
            panic!("paging did not end");
        }
    };
    let owner = t.token.clone().unwrap();

    // They see 2 of 16 images: exactly their two cats, one per page, then no cursor.
    let mine = pages(other.clone(), "a pet cat", 1).await;
    let mut sorted = mine.clone();
    sorted.sort();
    let mut expected: Vec<String> = theirs.keys().cloned().collect();
    expected.sort();
    assert_eq!(sorted, expected, "their own cats, each once");
    let all = get_as(
        other.clone(),
        "/api/v1/search?scope=all&q=a%20pet%20cat&limit=100".into(),
    )
    .await;
    assert_eq!(
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["image"]["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>(),
        mine,
        "pages are slices of one ranking"
    );
    // The keyword and exact-label sides are scoped too: the owner's soccer ball is not theirs.
    let ball = get_as(
        other.clone(),
        "/api/v1/search?scope=all&q=soccer%20ball".into(),
    )
    .await;
    assert!(ball["items"].as_array().unwrap().is_empty(), "{ball}");
    // "More like this" among what they may see: their other cat only.
    let tabby = theirs
        .iter()
        .find(|(_, f)| f.contains("tabby"))
        .unwrap()
        .0
        .clone();
    let similar = get_as(
        other.clone(),
        format!("/api/v1/images/{tabby}/similar?limit=5"),
    )
    .await;
    let similar: Vec<&str> = similar["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["image"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(similar.len(), 1);
    assert!(theirs.contains_key(similar[0]) && similar[0] != tabby);

    // The owner sees 14 of 16: paging by two gives the one-page ranking, without the
    // other account's images.
    let by_two = pages(owner.clone(), "a pet cat", 2).await;
    let one = get_as(
        owner.clone(),
        "/api/v1/search?scope=all&q=a%20pet%20cat&limit=100".into(),
    )
    .await;
    let one: Vec<String> = one["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["image"]["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(by_two, one);
    assert!(one.iter().all(|id| ids.contains_key(id)));
    assert!(
        CATS.iter().all(|c| one.contains(&id_of(&ids, c))),
        "all the owner's cats: {one:?}"
    );

    // Made public, the owner's Persian joins the other account's results.
    let persian = id_of(&ids, "n02123394_Persian_cat.JPEG");
    let res = t
        .request(
            Request::patch(format!("/api/v1/images/{persian}"))
                .header("content-type", "application/json")
                .body(Body::from(r#"{"visibility": "public"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let mine = pages(other.clone(), "a pet cat", 1).await;
    assert_eq!(mine.len(), 3, "{mine:?}");
    assert!(mine.contains(&persian));
    // ... of everything they may see (`scope=all`), not of their own library (the default).
    let own = get_as(
        other.clone(),
        "/api/v1/search?q=a%20pet%20cat&limit=100".into(),
    )
    .await;
    let own: Vec<&str> = own["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["image"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(own.len(), 2, "{own:?}");
    assert!(own.iter().all(|id| theirs.contains_key(*id)));
}

both_backends!(without_the_text_model_search_is_keyword_only);

async fn without_the_text_model_search_is_keyword_only(t: TestApp) {
    // Labels written straight to the database (as if another instance labeled the image),
    // and no models in this process: the keyword index alone answers, and says so.
    let Some(bytes) = sample("imagenet-sample/n04254680_soccer_ball.JPEG") else {
        return;
    };
    t.app.seed_labels().await.unwrap();
    let id = t
        .upload("ball.jpg", &bytes, &[("title", "Sunday league final")])
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut tx = t.app.db.begin().await.unwrap();
    let stored = [banana_core::db::labels::StoredPrediction {
        wnid: "n04254680",
        score: 0.9,
        attached: true,
    }];
    assert!(
        banana_core::db::labels::set_predictions(&mut tx, &id, &stored)
            .await
            .unwrap()
    );
    banana_core::db::search_text::refresh(&mut tx, &id)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    for (q, matched) in [
        ("soccer ball", "soccer ball"),
        ("a ball game", "soccer ball"),
        ("league", "title"),
    ] {
        let page = search(&t, q).await;
        assert_eq!(page["mode"], "keyword", "{q}");
        assert_eq!(page["items"][0]["image"]["id"], id.as_str(), "{q}");
        assert!(
            page["items"][0]["matched"]
                .as_array()
                .unwrap()
                .contains(&Value::from(matched)),
            "{q}: {}",
            page["items"][0]
        );
    }
    assert!(search(&t, "volcano").await["items"]
        .as_array()
        .unwrap()
        .is_empty());

    // Visibility (searching all each caller may see): the private image is found by its owner
    // only, until it is made public.
    async fn hits_for(t: &TestApp, token: Option<&str>) -> usize {
        let mut req = Request::get("/api/v1/search?scope=all&q=soccer%20ball");
        if let Some(token) = token {
            req = req.header("authorization", format!("Bearer {token}"));
        }
        let res = t.raw(req.body(Body::empty()).unwrap()).await;
        assert_eq!(res.status, StatusCode::OK);
        res.json()["items"].as_array().unwrap().len()
    }
    let other = t.user("someone-else", false).await;
    assert_eq!(hits_for(&t, None).await, 0);
    assert_eq!(hits_for(&t, Some(&other)).await, 0);
    assert_eq!(hits_for(&t, t.token.as_deref()).await, 1);
    let res = t
        .request(
            Request::patch(format!("/api/v1/images/{id}"))
                .header("content-type", "application/json")
                .body(Body::from(r#"{"visibility": "public"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.json());
    assert_eq!(hits_for(&t, None).await, 1);
    assert_eq!(hits_for(&t, Some(&other)).await, 1);

    // A new title is searchable once the image is re-indexed (as the PATCH path does).
    assert!(search(&t, "regatta").await["items"]
        .as_array()
        .unwrap()
        .is_empty());
    let res = t
        .request(
            Request::patch(format!("/api/v1/images/{id}"))
                .header("content-type", "application/json")
                .body(Body::from(r#"{"title": "Harbour regatta"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    t.app.search_reindex(&id).await.unwrap();
    let page = search(&t, "regatta").await;
    assert_eq!(page["items"][0]["image"]["id"], id.as_str());
    assert_eq!(page["items"][0]["matched"], serde_json::json!(["title"]));
    assert!(search(&t, "league").await["items"]
        .as_array()
        .unwrap()
        .is_empty());
}

/// Two server instances on one PostgreSQL database and bucket: what one labels or deletes,
/// the other's indexes follow after its catch-up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_database_converge() {
    let Some(a) = TestApp::postgres_s3().await else {
        return;
    };
    let a = a.with_models().await;
    let b_app = banana_core::App::build(a.app.config.clone(), false)
        .await
        .unwrap();
    let b_router = banana_server::router(b_app.clone());
    let dir = common::models_dir();
    let loader = b_app.clone();
    assert!(
        tokio::task::spawn_blocking(move || loader.models.load(&dir, true, 1))
            .await
            .unwrap()
    );
    b_app.search_sync().await.unwrap();
    assert_eq!(b_app.search.len(), (0, 0));

    let Some(bytes) = sample("imagenet-sample/n03063599_coffee_mug.JPEG") else {
        return;
    };
    let id = a.upload("mug.jpg", &bytes, &[]).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    a.app.drain_jobs().await.unwrap();

    // The owner's session lives in the shared database, so B knows it too.
    let token = a.token.clone().unwrap();
    let b_search = |q: &'static str| {
        let router = b_router.clone();
        let token = token.clone();
        async move {
            use tower::ServiceExt;
            let req = axum::http::Request::get(format!("/api/v1/search?q={q}"))
                .header("authorization", format!("Bearer {token}"))
                .body(axum::body::Body::empty())
                .unwrap();
            let res = router.oneshot(req).await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            let body = http_body_util::BodyExt::collect(res.into_body())
                .await
                .unwrap()
                .to_bytes();
            serde_json::from_slice::<Value>(&body).unwrap()
        }
    };
    let ids_of = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["image"]["id"].as_str().unwrap().to_string())
            .collect()
    };

    // B has not caught up yet: its vector index does not know the image.
    assert_eq!(b_app.search.len(), (0, 0));
    b_app.search_sync().await.unwrap();
    assert_eq!(b_app.search.len(), (1, 1));
    let page = b_search("something%20to%20drink%20coffee%20from").await;
    assert_eq!(page["mode"], "hybrid");
    assert_eq!(ids_of(&page), vec![id.clone()], "{page}");

    // Deleted through A: gone from B's results at once (rows are checked), and, once A's
    // trash is emptied, from B's indexes after its catch-up.
    assert_eq!(
        a.delete(&format!("/api/v1/images/{id}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(a.delete("/api/v1/trash").await.status, StatusCode::OK);
    assert!(ids_of(&b_search("coffee%20mug").await).is_empty());
    assert_eq!(b_app.search.len(), (1, 1));
    b_app.search_sync().await.unwrap();
    assert_eq!(b_app.search.len(), (0, 0));
}

/// The service-level quality bench runs end to end on a small folder (the real figures come
/// from `banana bench search-quality` over the 1000 samples).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quality_bench_measures_hybrid_and_keyword() {
    let t = TestApp::sqlite().await.with_models().await;
    let Some(data) = common::shared_data() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let picked = &CATS[..3];
    for f in picked.iter().chain(&OTHERS[..3]) {
        std::fs::copy(data.join("imagenet-sample").join(f), dir.path().join(f)).unwrap();
    }
    let report = banana_bench::service_quality::search_quality(&t.app, dir.path(), &|_| {})
        .await
        .unwrap();
    assert_eq!(report.images, 6);
    assert!(report.queries >= 30, "{}", report.queries);
    assert_eq!(
        report.methods.iter().map(|m| m.method).collect::<Vec<_>>(),
        vec!["hybrid", "keyword"]
    );
    let cat = report
        .per_query
        .iter()
        .find(|r| r.query == "a pet cat")
        .unwrap();
    // 3 relevant images, all in the hybrid top 10; keyword search finds them by "cat".
    assert_eq!((cat.relevant, cat.p10, cat.recall50), (3, 0.3, 1.0));
    assert!(cat.keyword_p10 > 0.0);
    assert!(cat.results >= 3 && cat.results <= 6);
    // With 6 images, the ceiling is each query's relevant count / 10 (0.3 for the cats).
    assert!(report.p10_ceiling > 0.0 && report.p10_ceiling < 0.2);
    assert!(report.to_string().contains("| hybrid |"));
    // Running it again reuses the uploads.
    let again = banana_bench::service_quality::search_quality(&t.app, dir.path(), &|_| {})
        .await
        .unwrap();
    assert_eq!(again.images, 6);
}

/// A request as the account with this bearer token.
async fn as_user(t: &TestApp, token: &str, req: axum::http::request::Builder, body: Body) -> Value {
    let res = t
        .raw(
            req.header("authorization", format!("Bearer {token}"))
                .body(body)
                .unwrap(),
        )
        .await;
    assert!(res.status.is_success(), "{}: {}", res.status, res.json());
    res.json()
}

/// Upload as the account with this token; the new image's id.
async fn upload_as(
    t: &TestApp,
    token: &str,
    file: &str,
    bytes: &[u8],
    fields: &[(&str, &str)],
) -> String {
    let (content_type, body) = common::multipart(file, bytes, fields);
    let json = as_user(
        t,
        token,
        Request::post("/api/v1/images").header("content-type", content_type),
        Body::from(body),
    )
    .await;
    json["id"].as_str().unwrap().to_string()
}

/// Change an image's fields as the account with this token.
async fn patch_as(t: &TestApp, token: &str, id: &str, json: Value) {
    as_user(
        t,
        token,
        Request::patch(format!("/api/v1/images/{id}")).header("content-type", "application/json"),
        Body::from(json.to_string()),
    )
    .await;
}

/// What a caller gets for a query (signed out without a token): per hit its id, score and
/// `matched`, in order, plus the mode and the next cursor.
async fn results_of(t: &TestApp, token: Option<&str>, uri: &str) -> Value {
    let mut req = Request::get(uri);
    if let Some(token) = token {
        req = req.header("authorization", format!("Bearer {token}"));
    }
    let res = t.raw(req.body(Body::empty()).unwrap()).await;
    assert_eq!(res.status, StatusCode::OK, "{uri}: {}", res.json());
    let page = res.json();
    let hits: Vec<Value> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| serde_json::json!([i["image"]["id"], i["score"], i["matched"]]))
        .collect();
    serde_json::json!({"mode": page["mode"], "hits": hits, "next": page["next_cursor"]})
}

both_backends!(keyword_ranking_ignores_other_users_private_titles);

/// Issue #14 (3), keyword side: the words in another account's private titles cannot move a
/// caller's keyword ranking (with FTS5's corpus-wide `bm25()` they did: a word that became
/// common in someone else's titles weighed less in everybody's results).
async fn keyword_ranking_ignores_other_users_private_titles(t: TestApp) {
    // No models: the keyword index alone ranks (mode "keyword").
    let owner = t.token.clone().unwrap();
    let mut mine = Vec::new();
    for (seed, title) in [
        (1, "alpha"),
        (2, "beta"),
        (3, "gamma"),
        (4, "alpha beta delta"),
    ] {
        let id = upload_as(
            &t,
            &owner,
            &format!("{title}.jpg"),
            &common::jpeg(seed, 48, 32),
            &[],
        )
        .await;
        patch_as(&t, &owner, &id, serde_json::json!({ "title": title })).await;
        mine.push(id);
    }
    // One of them is public, so the signed-out view has something to rank too.
    patch_as(
        &t,
        &owner,
        &mine[1],
        serde_json::json!({"visibility": "public"}),
    )
    .await;
    let queries = [
        "/api/v1/search?q=alpha%20beta",
        "/api/v1/search?q=beta%20gamma%20delta",
        "/api/v1/search?q=alpha&limit=1",
    ];
    let snapshot = || {
        let (t, owner) = (&t, owner.clone());
        async move {
            let mut all = Vec::new();
            for q in queries {
                all.push(results_of(t, Some(&owner), q).await);
                all.push(results_of(t, None, q).await);
            }
            all
        }
    };
    let before = snapshot().await;
    assert_eq!(before[0]["mode"], "keyword");
    assert_eq!(
        before[0]["hits"].as_array().unwrap().len(),
        3,
        "{}",
        before[0]
    );
    assert_eq!(
        before[1]["hits"].as_array().unwrap().len(),
        1,
        "{}",
        before[1]
    );

    // Another account's private images, titled with the same words, then retitled.
    let other = t.user("someone-else", false).await;
    let mut theirs = Vec::new();
    for seed in 10..14 {
        theirs.push(upload_as(&t, &other, "x.jpg", &common::jpeg(seed, 48, 32), &[]).await);
    }
    for titles in [
        ["alpha", "alpha", "alpha alpha", "alpha gamma"],
        ["beta", "beta beta", "delta beta", "gamma"],
        [
            "a very long title about alpha and more words",
            "x",
            "y",
            "z",
        ],
    ] {
        for (id, title) in theirs.iter().zip(titles) {
            patch_as(&t, &other, id, serde_json::json!({ "title": title })).await;
        }
        // They are in the index: their owner finds them.
        let own = results_of(&t, Some(&other), "/api/v1/search?q=alpha%20beta%20gamma").await;
        assert!(!own["hits"].as_array().unwrap().is_empty(), "{own}");
        assert_eq!(snapshot().await, before, "with their titles {titles:?}");
    }
}

both_backends!(vector_ranking_ignores_images_the_caller_cannot_see);

/// Issue #14 (3), vector side: a caller who sees most of the index gets the same results,
/// scores and explanations whatever another account keeps private (images invisible to the
/// caller used to take vector ranks, so they changed the fused scores and used up the
/// candidate budget).
async fn vector_ranking_ignores_images_the_caller_cannot_see(t: TestApp) {
    let t = t.with_models().await;
    let Some(ids) = upload_samples(&t).await else {
        return;
    };
    let owner = t.token.clone().unwrap();
    let tabby = id_of(&ids, "n02123045_tabby.JPEG");
    let uris = [
        "/api/v1/search?q=a%20pet%20cat".to_string(),
        "/api/v1/search?q=something%20to%20drink%20coffee%20from&limit=3".to_string(),
        "/api/v1/search?q=soccer%20ball".to_string(),
        format!("/api/v1/images/{tabby}/similar?limit=4"),
    ];
    let snapshot = || {
        let (t, owner, uris) = (&t, owner.clone(), &uris);
        async move {
            let mut all = Vec::new();
            for uri in uris {
                all.push(results_of(t, Some(&owner), uri).await);
            }
            all
        }
    };
    let before = snapshot().await;
    assert_eq!(before[0]["mode"], "hybrid");

    // Another account keeps three cats (and a mug) private: the owner still sees 14 of 18.
    let other = t.user("someone-else", false).await;
    let mut theirs = Vec::new();
    for file in [&CATS[..3], &OTHERS[..1]].concat() {
        let bytes = sample(&format!("imagenet-sample/{file}")).unwrap();
        theirs.push(upload_as(&t, &other, file, &bytes, &[("title", "my pet cat")]).await);
    }
    t.app.drain_jobs().await.unwrap();
    let own = results_of(&t, Some(&other), "/api/v1/search?q=a%20pet%20cat").await;
    assert!(
        own["hits"].as_array().unwrap().len() >= 3,
        "their own: {own}"
    );
    assert_eq!(snapshot().await, before, "with their private cats");

    // Retitled (new semantic vectors and keyword text), still nothing moves.
    for id in &theirs {
        patch_as(
            &t,
            &other,
            id,
            serde_json::json!({"title": "soccer ball coffee cup"}),
        )
        .await;
    }
    assert_eq!(snapshot().await, before, "after their new titles");
}
