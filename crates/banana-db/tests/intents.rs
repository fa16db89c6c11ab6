//! Upload intents on SQLite and PostgreSQL: the decisions of `intents::sweep_or_release`, and
//! the race the per-content lock closes — a sweep deciding to delete a content's objects while
//! a new upload of that content starts writing them. Many uploaders and sweepers hammer one
//! content concurrently; an uploader that was let in (its intent committed) must never overlap
//! a sweep that was let in.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use banana_db::intents::{self, Created, Decision};
use banana_db::{raw, Db};

const SHA: &str = "ab0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd";

async fn sqlite() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let db = Db::connect(&url, 8).await.unwrap();
    db.migrate().await.unwrap();
    (db, dir)
}

/// A fresh PostgreSQL database, or `None` (skipped) without BANANA_TEST_PG_URL.
async fn postgres() -> Option<(Db, String, String)> {
    let Ok(admin_url) = std::env::var("BANANA_TEST_PG_URL") else {
        assert!(
            std::env::var("BANANA_TEST_REQUIRE_ALL").as_deref() != Ok("1"),
            "BANANA_TEST_PG_URL is required"
        );
        return None;
    };
    let name = format!("bt_{}", uuid::Uuid::new_v4().simple());
    let admin = Db::connect(&admin_url, 1).await.unwrap();
    raw::execute(&admin, &format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await;
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let db = Db::connect(&url, 8).await.unwrap();
    db.migrate().await.unwrap();
    Some((db, admin_url, name))
}

async fn drop_pg(db: Db, admin_url: &str, name: &str) {
    db.close().await;
    let admin = Db::connect(admin_url, 1).await.unwrap();
    let _ = raw::execute(
        &admin,
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    )
    .await;
    admin.close().await;
}

async fn decisions(db: &Db) {
    // Alone: the intent's objects are swept; meanwhile an upload of the content must wait.
    assert_eq!(
        intents::create(db, "u1", SHA, "a").await.unwrap(),
        Created::Yes
    );
    assert_eq!(
        intents::sweep_or_release(db, "u1", SHA, "s", 60_000)
            .await
            .unwrap(),
        Decision::Sweep
    );
    assert!(matches!(
        intents::create(db, "u2", SHA, "a").await.unwrap(),
        Created::Busy { ref id, .. } if id == "u1"
    ));
    // A second sweeper of the same intent gets nothing and changes nothing.
    assert_eq!(
        intents::sweep_or_release(db, "u1", SHA, "other", 60_000)
            .await
            .unwrap(),
        Decision::Gone
    );
    assert!(!intents::finish(db, "u1", "other").await.unwrap());
    assert!(intents::finish(db, "u1", "s").await.unwrap());
    assert_eq!(
        intents::create(db, "u2", SHA, "a").await.unwrap(),
        Created::Yes
    );

    // Two intents of one content: the first to decide lets go, the last one sweeps.
    assert_eq!(
        intents::create(db, "u3", SHA, "b").await.unwrap(),
        Created::Yes
    );
    assert_eq!(
        intents::sweep_or_release(db, "u2", SHA, "s", 60_000)
            .await
            .unwrap(),
        Decision::Released
    );
    assert_eq!(
        intents::sweep_or_release(db, "u3", SHA, "s", 60_000)
            .await
            .unwrap(),
        Decision::Sweep
    );
    assert!(intents::finish(db, "u3", "s").await.unwrap());

    // A row of any owner keeps the objects.
    raw::execute(
        db,
        &format!(
            "INSERT INTO images (id, owner_id, sha256, filename, content_type, bytes, width, \
             height, created_at) VALUES ('i1', 'someone', '{SHA}', 'f.jpg', 'image/jpeg', 1, 1, 1, 0)"
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        intents::create(db, "u4", SHA, "a").await.unwrap(),
        Created::Yes
    );
    assert_eq!(
        intents::sweep_or_release(db, "u4", SHA, "s", 60_000)
            .await
            .unwrap(),
        Decision::Released
    );
    raw::execute(db, "DELETE FROM images").await.unwrap();

    // A sweeper that died: its lease runs out and another takes the sweep over.
    assert_eq!(
        intents::create(db, "u5", SHA, "a").await.unwrap(),
        Created::Yes
    );
    assert_eq!(
        intents::sweep_or_release(db, "u5", SHA, "dead", 1)
            .await
            .unwrap(),
        Decision::Sweep
    );
    tokio::time::sleep(Duration::from_millis(20)).await;
    let stale = intents::stale(db, 0, 10).await.unwrap();
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].state, "sweeping");
    assert!(intents::claim_expired(db, "u5", "heir", 60_000)
        .await
        .unwrap());
    assert!(!intents::finish(db, "u5", "dead").await.unwrap());
    assert!(intents::finish(db, "u5", "heir").await.unwrap());
    assert!(intents::all(db).await.unwrap().is_empty());
}

/// Uploaders (create → "write objects" → drop the intent) and removers (insert an intent →
/// decide → "delete objects" → finish) on one content at once. An admitted upload and an
/// admitted sweep must never overlap.
async fn no_sweep_overlaps_an_upload(db: &Db) {
    let uploading = Arc::new(AtomicUsize::new(0));
    let sweeping = Arc::new(AtomicBool::new(false));
    let (uploads, sweeps) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    // Rounds until both kinds were admitted while the other ran beside them (which one wins
    // each race is up to the scheduler; a round where one side always lost proves nothing).
    for round in 0..10 {
        if uploads.load(Ordering::SeqCst) > 0 && sweeps.load(Ordering::SeqCst) > 0 {
            break;
        }
        let mut tasks = Vec::new();
        for t in 0..6 {
            let (db, uploading, sweeping) = (db.clone(), uploading.clone(), sweeping.clone());
            let (uploads, sweeps) = (uploads.clone(), sweeps.clone());
            tasks.push(tokio::spawn(async move {
                for i in 0..25 {
                    let id = format!("r{round}-t{t}-{i}");
                    if t % 2 == 0 {
                        match intents::create(&db, &id, SHA, "up").await.unwrap() {
                            Created::Yes => {
                                uploading.fetch_add(1, Ordering::SeqCst);
                                assert!(
                                    !sweeping.load(Ordering::SeqCst),
                                    "upload admitted during a sweep"
                                );
                                tokio::time::sleep(Duration::from_millis(2)).await;
                                assert!(
                                    !sweeping.load(Ordering::SeqCst),
                                    "sweep admitted during an upload"
                                );
                                uploading.fetch_sub(1, Ordering::SeqCst);
                                uploads.fetch_add(1, Ordering::SeqCst);
                                // Half of them fail and decide themselves; the rest commit.
                                if i % 2 == 0 {
                                    intents::delete(db.pool(), &id).await.unwrap();
                                } else if intents::sweep_or_release(&db, &id, SHA, &id, 60_000)
                                    .await
                                    .unwrap()
                                    == Decision::Sweep
                                {
                                    assert_eq!(uploading.load(Ordering::SeqCst), 0);
                                    assert!(!sweeping.swap(true, Ordering::SeqCst));
                                    tokio::time::sleep(Duration::from_millis(2)).await;
                                    sweeping.store(false, Ordering::SeqCst);
                                    sweeps.fetch_add(1, Ordering::SeqCst);
                                    assert!(intents::finish(&db, &id, &id).await.unwrap());
                                }
                            }
                            Created::Busy { .. } => tokio::task::yield_now().await,
                        }
                    } else {
                        intents::insert(db.pool(), &id, SHA, "rm").await.unwrap();
                        if intents::sweep_or_release(&db, &id, SHA, &id, 60_000)
                            .await
                            .unwrap()
                            == Decision::Sweep
                        {
                            assert_eq!(
                                uploading.load(Ordering::SeqCst),
                                0,
                                "sweep admitted during an upload"
                            );
                            assert!(!sweeping.swap(true, Ordering::SeqCst), "two sweeps at once");
                            tokio::time::sleep(Duration::from_millis(2)).await;
                            sweeping.store(false, Ordering::SeqCst);
                            sweeps.fetch_add(1, Ordering::SeqCst);
                            assert!(intents::finish(&db, &id, &id).await.unwrap());
                        }
                    }
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    }
    assert!(
        uploads.load(Ordering::SeqCst) > 0 && sweeps.load(Ordering::SeqCst) > 0,
        "in 10 rounds, uploads {} and sweeps {}",
        uploads.load(Ordering::SeqCst),
        sweeps.load(Ordering::SeqCst)
    );
    // Nothing is left undecided: the last one out swept.
    assert!(intents::all(db).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_intents() {
    let (db, _dir) = sqlite().await;
    decisions(&db).await;
    no_sweep_overlaps_an_upload(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_intents() {
    let Some((db, admin, name)) = postgres().await else {
        return;
    };
    decisions(&db).await;
    no_sweep_overlaps_an_upload(&db).await;
    drop_pg(db, &admin, &name).await;
}
