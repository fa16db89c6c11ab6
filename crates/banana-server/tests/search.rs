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
        found[..3].contains(&"n03063599_coffee_mug.JPEG".to_string()),
        "coffee mug in the top 3: {found:?}"
    );

    // An exact label name ranks that label's image first, and says which label matched.
    let page = search(&t, "soccer ball").await;
    assert_eq!(files(&page, &ids)[0], "n04254680_soccer_ball.JPEG");
    assert!(page["items"][0]["matched"]
        .as_array()
        .unwrap()
        .contains(&Value::from("soccer ball")));

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
    assert_eq!(
        t.app.search.len(),
        (ids.len() - 1, ids.len() - 1),
        "both indexes dropped it"
    );
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

    // Visibility: the private image is found by its owner only, until it is made public.
    async fn hits_for(t: &TestApp, token: Option<&str>) -> usize {
        let mut req = Request::get("/api/v1/search?q=soccer%20ball");
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

    // Deleted through A: gone from B's results at once (rows are checked), and from B's
    // indexes after its catch-up.
    assert_eq!(
        a.delete(&format!("/api/v1/images/{id}")).await.status,
        StatusCode::NO_CONTENT
    );
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
    let report = banana_core::search::bench::search_quality(&t.app, dir.path(), &|_| {})
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
        .find(|r| r.0 == "a pet cat")
        .unwrap();
    // 3 relevant images, all in the hybrid top 10; keyword search finds them by "cat".
    assert_eq!((cat.1, cat.2), (3, 0.3));
    assert!(cat.4 > 0.0);
    assert!(report.to_string().contains("| hybrid |"));
    // Running it again reuses the uploads.
    let again = banana_core::search::bench::search_quality(&t.app, dir.path(), &|_| {})
        .await
        .unwrap();
    assert_eq!(again.images, 6);
}
