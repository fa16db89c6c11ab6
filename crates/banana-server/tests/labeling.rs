//! Automatic labeling end to end: real photos through the upload API, the durable job queue and
//! the real classifier (EfficientNet-Lite0 on ONNX Runtime).

mod common;

use axum::http::StatusCode;
use banana_core::db::{jobs, raw};
use common::{sample, TestApp};

both_backends!(
    real_photos_get_their_imagenet_labels,
    labels_come_from_the_kept_input_or_the_stored_original,
    reanalyze_backfills_missing_and_outdated_results_once
);

async fn real_photos_get_their_imagenet_labels(t: TestApp) {
    let t = t.with_models().await;
    let photos = [
        ("n02123045_tabby.JPEG", "n02123045"),
        ("n03063599_coffee_mug.JPEG", "n03063599"),
        ("n04254680_soccer_ball.JPEG", "n04254680"),
    ];
    let mut ids = Vec::new();
    for (file, _) in photos {
        let Some(bytes) = sample(&format!("imagenet-sample/{file}")) else {
            return;
        };
        let res = t.upload(file, &bytes, &[]).await;
        assert_eq!(res.status, StatusCode::CREATED);
        assert_eq!(res.json()["status"], "pending");
        ids.push(res.json()["id"].as_str().unwrap().to_string());
    }
    t.app.drain_jobs().await.unwrap();

    let mut top1_ids = Vec::new();
    for (id, (file, wnid)) in ids.iter().zip(photos) {
        let img = t.get(&format!("/api/v1/images/{id}")).await.json();
        assert_eq!(img["status"], "ready", "{file}");
        let predictions = img["predictions"].as_array().unwrap();
        assert_eq!(predictions.len(), 5);
        assert!(
            predictions.iter().any(|p| p["wnid"] == wnid),
            "{file}: {wnid} not in the top-5 {predictions:?}"
        );
        let scores: Vec<f64> = predictions
            .iter()
            .map(|p| p["score"].as_f64().unwrap())
            .collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first");
        // The classifier is sure of its top-1 on these three photos (the tabby's is "Egyptian
        // cat" at 0.70, above the threshold of its kind): it is shown.
        let labels = img["labels"].as_array().unwrap();
        assert!(
            !labels.is_empty() && labels[0] == predictions[0],
            "{file}: a sure top-1 is shown: {labels:?}"
        );
        // Every label shown is a top-5 class sure enough for its own threshold, or the
        // category of the label tree the classifier is sure of (no WordNet id).
        for l in labels {
            let class = banana_vision::class_by_wnid(l["id"].as_str().unwrap());
            match class {
                Some(c) => {
                    assert!(predictions.contains(l), "{l}");
                    let p = l["score"].as_f64().unwrap() as f32;
                    assert!(p >= banana_vision::taxonomy::taxonomy().class_threshold(c.index));
                }
                None => assert_eq!(l["wnid"], "", "{l}"),
            }
        }
        for key in ["id", "name", "wnid", "score"] {
            assert!(!labels[0][key].is_null(), "{key}");
        }
        top1_ids.push(labels[0]["id"].as_str().unwrap().to_string());
    }
    assert_eq!(top1_ids[0].len(), 9, "labels are keyed by WordNet id");

    // Labels with counts, and the gallery filtered by one.
    let labels = t.get("/api/v1/labels").await.json();
    let items = labels["items"].as_array().unwrap();
    let total: i64 = items.iter().map(|l| l["count"].as_i64().unwrap()).sum();
    let attached: usize = {
        let mut n = 0;
        for id in &ids {
            n += t.get(&format!("/api/v1/images/{id}")).await.json()["labels"]
                .as_array()
                .unwrap()
                .len();
        }
        n
    };
    assert_eq!(total as usize, attached);
    let filtered = t
        .get(&format!("/api/v1/images?label={}&limit=1", top1_ids[1]))
        .await
        .json();
    assert_eq!(filtered["items"].as_array().unwrap().len(), 1);
    assert_eq!(filtered["items"][0]["id"], ids[1].as_str());
    assert!(filtered["next_cursor"].is_null());

    // Every job ran exactly once.
    assert_eq!(
        raw::scalar_i64(
            &t.app.db,
            "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND attempts = 1"
        )
        .await
        .unwrap(),
        3
    );
    assert_eq!(
        raw::scalar_i64(
            &t.app.db,
            "SELECT COUNT(*) FROM image_vectors WHERE kind = 'features'"
        )
        .await
        .unwrap(),
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_workers_job_is_retried_by_another() {
    let t = TestApp::sqlite().await.with_models().await;
    let Some(bytes) = sample("imagenet-sample/n02123597_Siamese_cat.JPEG") else {
        return;
    };
    let id = t.upload("siamese.jpg", &bytes, &[]).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A worker claims the job and dies (its lease is 1 ms).
    let claimed = jobs::claim(&t.app.db, "dead-worker", &["label"], 8, 1)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    t.app.drain_jobs().await.unwrap();
    let img = t.get(&format!("/api/v1/images/{id}")).await.json();
    assert_eq!(img["status"], "ready");
    assert_eq!(
        raw::scalar_i64(&t.app.db, "SELECT attempts FROM jobs")
            .await
            .unwrap(),
        2
    );
    assert!(
        !jobs::complete(t.app.db.pool(), claimed[0].id, "dead-worker")
            .await
            .unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_work_without_models_and_are_labeled_once_they_appear() {
    let empty_models = tempfile::tempdir().unwrap();
    let dir = empty_models.path().to_path_buf();
    let t = TestApp::sqlite_with(move |c| c.models_dir = dir).await;
    assert!(!t.app.models.load(empty_models.path(), false, 1));
    let info = t.get("/api/v1/info").await.json();
    assert_eq!(info["models"]["state"], "missing");
    assert!(info["models"]["message"]
        .as_str()
        .unwrap()
        .contains("banana models fetch"));
    let Some(bytes) = sample("imagenet-sample/n02123045_tabby.JPEG") else {
        return;
    };
    let id = t.upload("cat.jpg", &bytes, &[]).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    t.app.drain_jobs().await.unwrap();
    assert_eq!(
        t.get(&format!("/api/v1/images/{id}")).await.json()["status"],
        "pending"
    );

    let t = t.with_models().await;
    assert_eq!(
        t.get("/api/v1/info").await.json()["models"]["state"],
        "ready"
    );
    t.app.drain_jobs().await.unwrap();
    assert_eq!(
        t.get(&format!("/api/v1/images/{id}")).await.json()["status"],
        "ready"
    );
}

/// The worker classifies the input an upload kept for it, and without one re-derives it from
/// the stored original: a damaged original then fails the attempt with the decoder's reason
/// (the job is retried, nothing is lost) and labels come once it is readable again.
async fn labels_come_from_the_kept_input_or_the_stored_original(t: TestApp) {
    use banana_core::storage::keys;
    let t = t.with_models().await;
    let (Some(tabby), Some(mug)) = (
        sample("imagenet-sample/n02123045_tabby.JPEG"),
        sample("imagenet-sample/n03063599_coffee_mug.JPEG"),
    ) else {
        return;
    };
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let t = &t;
        async move {
            let res = t.upload(name, &bytes, &[]).await;
            assert_eq!(res.status, StatusCode::CREATED);
            let v = res.json();
            (
                v["id"].as_str().unwrap().to_string(),
                v["sha256"].as_str().unwrap().to_string(),
            )
        }
    };
    let status = |id: String| {
        let t = &t;
        async move { t.get(&format!("/api/v1/images/{id}")).await.json()["status"].clone() }
    };

    // No worker has run in this process yet: nothing is kept, the worker reads the original,
    // which has been damaged meanwhile.
    let (cat, cat_sha) = upload("cat.jpg", tabby.clone()).await;
    assert!(t.app.recent_inputs.is_empty());
    let truncated = bytes::Bytes::copy_from_slice(&tabby[..tabby.len() / 2]);
    t.app
        .storage
        .put(&keys::original(&cat_sha), truncated, "image/jpeg")
        .await
        .unwrap();
    t.app.drain_jobs().await.unwrap();
    assert_eq!(status(cat.clone()).await, "pending");
    assert_eq!(
        raw::scalar_i64(
            &t.app.db,
            "SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND attempts = 1 \
             AND last_error LIKE 'decoding:%truncated%'"
        )
        .await
        .unwrap(),
        1
    );
    // Readable again: the retry labels it.
    t.app
        .storage
        .put(
            &keys::original(&cat_sha),
            bytes::Bytes::from(tabby),
            "image/jpeg",
        )
        .await
        .unwrap();
    raw::execute(&t.app.db, "UPDATE jobs SET run_at = 0")
        .await
        .unwrap();
    t.app.drain_jobs().await.unwrap();
    assert_eq!(status(cat).await, "ready");

    // A worker has run here now, so the next upload keeps its input, and the worker does not
    // need the original at all.
    let (mug_id, mug_sha) = upload("mug.jpg", mug).await;
    assert_eq!(t.app.recent_inputs.len(), 1);
    t.app
        .storage
        .delete(&keys::original(&mug_sha))
        .await
        .unwrap();
    t.app.drain_jobs().await.unwrap();
    assert!(t.app.recent_inputs.is_empty());
    assert_eq!(status(mug_id.clone()).await, "ready");
    let img = t.get(&format!("/api/v1/images/{mug_id}")).await.json();
    let predictions = img["predictions"].as_array().unwrap();
    assert!(
        predictions.iter().any(|p| p["wnid"] == "n03063599"),
        "{predictions:?}"
    );
}

/// `banana reanalyze`'s core: every labeling records the classifier version that made it; a
/// backfill queues jobs exactly for the images whose record is missing or older, the jobs
/// restore the same labels, and running it again queues nothing.
async fn reanalyze_backfills_missing_and_outdated_results_once(t: TestApp) {
    use banana_core::jobs::reanalyze::analyzers_named;
    let t = t.with_models().await;
    let (Some(tabby), Some(mug)) = (
        sample("imagenet-sample/n02123045_tabby.JPEG"),
        sample("imagenet-sample/n03063599_coffee_mug.JPEG"),
    ) else {
        return;
    };
    let mut ids = Vec::new();
    for (name, bytes) in [("cat.jpg", &tabby), ("mug.jpg", &mug)] {
        let res = t.upload(name, bytes, &[]).await;
        assert_eq!(res.status, StatusCode::CREATED);
        ids.push(res.json()["id"].as_str().unwrap().to_string());
    }
    t.app.drain_jobs().await.unwrap();
    let scalar = |sql: String| {
        let db = t.app.db.clone();
        async move { raw::scalar_i64(&db, &sql).await.unwrap() }
    };
    assert_eq!(
        scalar(format!(
            "SELECT COUNT(*) FROM image_analyses WHERE analyzer = 'classifier' AND version = {}",
            banana_core::analysis::classifier::VERSION
        ))
        .await,
        2,
        "the upload's job recorded which analyzer version labeled each image"
    );
    let image = |id: String| {
        let t = &t;
        async move { t.get(&format!("/api/v1/images/{id}")).await.json() }
    };
    let mug_before = image(ids[1].clone()).await;
    assert_eq!(mug_before["status"], "ready");

    // Everything is current: nothing to queue.
    let all = analyzers_named(None).unwrap();
    let none = t.app.reanalyze(&all).await.unwrap();
    assert_eq!(
        (none.enqueued, none.already_queued, none.first_job),
        (0, 0, None)
    );

    // The cat's labels are from an older classifier version; the mug's were never stored.
    raw::execute(
        &t.app.db,
        &format!(
            "UPDATE image_analyses SET version = 0 WHERE analyzer = 'classifier' AND image_id = '{}'",
            ids[0]
        ),
    )
    .await
    .unwrap();
    for sql in [
        "DELETE FROM image_analyses WHERE analyzer = 'classifier' AND image_id = ",
        "DELETE FROM image_labels WHERE image_id = ",
    ] {
        raw::execute(&t.app.db, &format!("{sql}'{}'", ids[1]))
            .await
            .unwrap();
    }
    assert!(image(ids[1].clone()).await["labels"]
        .as_array()
        .unwrap()
        .is_empty());

    let classifier = analyzers_named(Some("classifier")).unwrap();
    let backfill = t.app.reanalyze(&classifier).await.unwrap();
    assert_eq!(backfill.enqueued, 2);
    let first = backfill.first_job.expect("jobs were queued");
    // Interrupted before any worker ran, then started again: nothing is queued twice.
    let again = t.app.reanalyze(&classifier).await.unwrap();
    assert_eq!((again.enqueued, again.already_queued), (0, 2));
    assert_eq!(again.first_job, Some(first));
    let progress = t.app.reanalyze_progress(first).await.unwrap();
    assert_eq!((progress.pending, progress.done), (2, 0));

    t.app.drain_jobs().await.unwrap();
    let progress = t.app.reanalyze_progress(first).await.unwrap();
    assert_eq!(
        (progress.pending, progress.done, progress.failed),
        (0, 2, 0)
    );
    assert_eq!(
        scalar(format!(
            "SELECT COUNT(*) FROM image_analyses WHERE analyzer = 'classifier' AND version = {}",
            banana_core::analysis::classifier::VERSION
        ))
        .await,
        2
    );
    let mug_after = image(ids[1].clone()).await;
    assert_eq!(mug_after["status"], "ready");
    assert_eq!(
        mug_after["labels"], mug_before["labels"],
        "the same labels again"
    );
    assert_eq!(mug_after["predictions"], mug_before["predictions"]);

    // A rerun is a no-op: nothing queued, no job added.
    let jobs_before = scalar("SELECT COUNT(*) FROM jobs".into()).await;
    let rerun = t.app.reanalyze(&all).await.unwrap();
    assert_eq!((rerun.enqueued, rerun.first_job), (0, None));
    assert_eq!(
        scalar("SELECT COUNT(*) FROM jobs".into()).await,
        jobs_before
    );

    // A name that is no analyzer is refused with the list of those there are.
    let err = analyzers_named(Some("nope")).err().unwrap().to_string();
    assert!(err.contains("classifier"), "{err}");
}
