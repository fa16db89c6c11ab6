//! The job queue on SQLite: claim, lease expiry (a dead worker's job is claimed again),
//! retries with backoff, completion only by the lease holder.

use banana_db::{jobs, raw, Db};

async fn db() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let db = Db::connect(&url, 4).await.unwrap();
    db.migrate().await.unwrap();
    (db, dir)
}

#[tokio::test]
async fn claim_complete_and_lease_expiry() {
    let (db, _dir) = db().await;
    let now = banana_db::now_ms();
    let a = jobs::enqueue(
        db.pool(),
        "label",
        &serde_json::json!({"image_id": "a"}),
        now,
    )
    .await
    .unwrap();
    let b = jobs::enqueue(
        db.pool(),
        "label",
        &serde_json::json!({"image_id": "b"}),
        now,
    )
    .await
    .unwrap();
    jobs::enqueue(
        db.pool(),
        "label",
        &serde_json::json!({"image_id": "later"}),
        now + 60_000,
    )
    .await
    .unwrap();
    jobs::enqueue(db.pool(), "other", &serde_json::json!({}), now)
        .await
        .unwrap();

    let claimed = jobs::claim(&db, "w1", &["label"], 10, 60_000)
        .await
        .unwrap();
    assert_eq!(claimed.iter().map(|j| j.id).collect::<Vec<_>>(), vec![a, b]);
    assert!(claimed.iter().all(|j| j.attempts == 1));
    // Held jobs are not claimed twice.
    assert!(jobs::claim(&db, "w2", &["label"], 10, 60_000)
        .await
        .unwrap()
        .is_empty());
    assert!(jobs::complete(db.pool(), a, "w1").await.unwrap());
    assert!(
        !jobs::complete(db.pool(), a, "w1").await.unwrap(),
        "completing twice is a no-op"
    );

    // w1 "dies" holding b: once its lease has run out, another worker gets it.
    raw::execute(
        &db,
        &format!("UPDATE jobs SET locked_until = {} WHERE id = {b}", now - 1),
    )
    .await
    .unwrap();
    let again = jobs::claim(&db, "w2", &["label"], 10, 60_000)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].id, again[0].attempts), (b, 2));
    assert!(
        !jobs::complete(db.pool(), b, "w1").await.unwrap(),
        "the dead worker lost its lease"
    );
    assert!(jobs::complete(db.pool(), b, "w2").await.unwrap());
    assert_eq!(jobs::queue_depth(&db).await.unwrap().0, 2);
}

#[tokio::test]
async fn failures_back_off_then_give_up() {
    let (db, _dir) = db().await;
    let id = jobs::enqueue(db.pool(), "label", &serde_json::json!({}), 0)
        .await
        .unwrap();
    for attempt in 1..=5 {
        let mut claimed = jobs::claim(&db, "w", &["label"], 1, 60_000).await.unwrap();
        assert_eq!(claimed.len(), 1, "attempt {attempt}");
        let job = claimed.remove(0);
        assert_eq!(job.attempts, attempt);
        let dead = jobs::fail(&db, &job, "w", "boom").await.unwrap();
        assert_eq!(dead, attempt == 5);
        // Backed off: not runnable right away.
        assert!(jobs::claim(&db, "w", &["label"], 1, 60_000)
            .await
            .unwrap()
            .is_empty());
        raw::execute(&db, &format!("UPDATE jobs SET run_at = 0 WHERE id = {id}"))
            .await
            .unwrap();
    }
    assert!(jobs::claim(&db, "w", &["label"], 1, 60_000)
        .await
        .unwrap()
        .is_empty());
    let state: i64 = raw::scalar_i64(&db, &format!("SELECT COUNT(*) FROM jobs WHERE id = {id} AND state = 'failed' AND last_error = 'boom'")).await.unwrap();
    assert_eq!(state, 1);
}
