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
    let waiting: i64 = jobs::stats(&db)
        .await
        .unwrap()
        .iter()
        .filter(|s| s.state == "queued" || s.state == "running")
        .map(|s| s.count)
        .sum();
    assert_eq!(waiting, 2);
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

#[tokio::test]
async fn release_hands_jobs_back_and_stats_count_them() {
    let (db, _dir) = db().await;
    let now = banana_db::now_ms();
    for i in 0..3 {
        jobs::enqueue(db.pool(), "label", &serde_json::json!({ "i": i }), now)
            .await
            .unwrap();
    }
    let held = jobs::claim(&db, "w1", &["label"], 2, 60_000).await.unwrap();
    assert_eq!(held.len(), 2);
    let stats = jobs::stats(&db).await.unwrap();
    let count = |state: &str| {
        stats
            .iter()
            .find(|s| s.kind == "label" && s.state == state)
            .map_or(0, |s| s.count)
    };
    assert_eq!((count("queued"), count("running")), (1, 2));
    assert!(stats.iter().all(|s| s.oldest_age_ms.unwrap() >= 0));

    // Another worker's release touches nothing; ours gives both back at once, uncounted.
    assert_eq!(jobs::release(&db, "w2").await.unwrap(), 0);
    assert_eq!(jobs::release(&db, "w1").await.unwrap(), 2);
    let again = jobs::claim(&db, "w2", &["label"], 10, 60_000)
        .await
        .unwrap();
    assert_eq!(
        again.len(),
        3,
        "released jobs are claimable without waiting for the lease"
    );
    assert!(again.iter().all(|j| j.attempts == 1), "{again:?}");
}

/// PostgreSQL only (BANANA_TEST_PG_URL): a job queued in a committed transaction reaches a
/// listener as `Jobs`, a vector write as `Index`; nothing is sent for a rolled-back one.
#[tokio::test]
async fn postgres_notifies_listeners_on_commit() {
    use banana_db::notify::{spawn_listener, Event};
    let Ok(admin_url) = std::env::var("BANANA_TEST_PG_URL") else {
        assert!(
            std::env::var("BANANA_TEST_REQUIRE_ALL").as_deref() != Ok("1"),
            "BANANA_TEST_PG_URL is required"
        );
        return;
    };
    let name = format!("bt_{}", uuid::Uuid::new_v4().simple());
    let admin = Db::connect(&admin_url, 1).await.unwrap();
    raw::execute(&admin, &format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let db = Db::connect(&url, 2).await.unwrap();
    db.migrate().await.unwrap();

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let listener = spawn_listener(&db, move |e| {
        let _ = tx.send(e);
    })
    .expect("a listener on PostgreSQL");
    // The listener connects asynchronously: give it a moment before the first notification.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    let mut t = db.begin().await.unwrap();
    jobs::enqueue(&mut *t, "label", &serde_json::json!({}), 0)
        .await
        .unwrap();
    t.rollback().await.unwrap();
    let mut t = db.begin().await.unwrap();
    jobs::enqueue(&mut *t, "label", &serde_json::json!({}), 0)
        .await
        .unwrap();
    jobs::enqueue(&mut *t, "label", &serde_json::json!({}), 0)
        .await
        .unwrap();
    t.commit().await.unwrap();
    assert_eq!(recv(&mut rx).await, Event::Jobs);
    // One commit, one notification (PostgreSQL folds duplicates; the rollback sent none).
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(rx.try_recv().is_err());

    // Statement-level trigger: any write to image_vectors (even one that matches no row).
    raw::execute(&db, "DELETE FROM image_vectors")
        .await
        .unwrap();
    assert_eq!(recv(&mut rx).await, Event::Index);
    listener.abort();
    db.close().await;
    raw::execute(&admin, &format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
}

async fn recv(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<banana_db::notify::Event>,
) -> banana_db::notify::Event {
    tokio::time::timeout(std::time::Duration::from_secs(5), rx.recv())
        .await
        .expect("a notification within 5 s")
        .expect("listener alive")
}
