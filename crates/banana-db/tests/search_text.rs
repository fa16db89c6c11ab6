//! The keyword ranking on SQLite: with every row visible it is FTS5's `bm25()` bit for bit;
//! with a scope it is what `bm25()` would give over the visible rows alone, so rows the
//! scope hides cannot change it.

use banana_db::images::Scope;
use banana_db::{raw, search_text, Db};

async fn db() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let db = Db::connect(&url, 4).await.unwrap();
    db.migrate().await.unwrap();
    (db, dir)
}

/// `(image id, owner, visibility, labels, categories, title)`.
type Doc = (
    &'static str,
    &'static str,
    &'static str,
    String,
    String,
    String,
);

fn docs() -> Vec<Doc> {
    let long = "harbour boat ".repeat(90); // 180 tokens: a docsize varint of two bytes
    vec![
        (
            "a1",
            "a",
            "private",
            "tabby cat".into(),
            "domestic cat, feline".into(),
            "my cat".into(),
        ),
        (
            "a2",
            "a",
            "private",
            "tiger cat".into(),
            "feline".into(),
            "cat and boat".into(),
        ),
        (
            "a3",
            "a",
            "public",
            "coffee mug".into(),
            "cup, container".into(),
            long.clone(),
        ),
        (
            "a4",
            "a",
            "private",
            "soccer ball".into(),
            "ball, game equipment".into(),
            "".into(),
        ),
        (
            "b1",
            "b",
            "private",
            "".into(),
            "".into(),
            "cat cat cat".into(),
        ),
        (
            "b2",
            "b",
            "private",
            "Persian cat".into(),
            "domestic cat".into(),
            "boat".into(),
        ),
        (
            "b3",
            "b",
            "public",
            "speedboat".into(),
            "boat, vessel".into(),
            "harbour".into(),
        ),
        (
            "b4",
            "b",
            "private",
            "".into(),
            "".into(),
            format!("cat {long}"),
        ),
    ]
}

async fn insert(db: &Db, docs: &[Doc]) {
    for (id, owner, visibility, labels, categories, title) in docs {
        raw::execute(
            db,
            &format!(
                "INSERT INTO images (id, owner_id, sha256, filename, title, content_type, bytes, \
                 width, height, visibility, created_at) VALUES ('{id}', '{owner}', '{id}', 'x.jpg', \
                 '{title}', 'image/jpeg', 1, 1, 1, '{visibility}', 1)"
            ),
        )
        .await
        .unwrap();
        raw::execute(
            db,
            &format!(
                "INSERT INTO image_search_text (image_id, labels, categories, title, attribution) \
                 VALUES ('{id}', '{labels}', '{categories}', '{title}', '')"
            ),
        )
        .await
        .unwrap();
    }
}

/// FTS5's own ranking of the whole table.
async fn fts5_bm25(db: &Db, expr: &str) -> Vec<(String, f64)> {
    use sqlx::Row;
    sqlx::query(
        "SELECT t.image_id, -bm25(image_search, 4.0, 1.5, 2.0, 0.5) AS score \
         FROM image_search JOIN image_search_text t ON t.doc_id = image_search.rowid \
         WHERE image_search MATCH $1 ORDER BY score DESC, t.image_id",
    )
    .bind(expr)
    .fetch_all(db.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get::<String, _>(0), r.get::<f64, _>(1)))
    .collect()
}

fn words(q: &str) -> Vec<String> {
    q.split(' ').map(str::to_string).collect()
}

const QUERIES: &[&str] = &[
    "cat",
    "cat boat",
    "harbour boat",
    "feline cat",
    "ball",
    "cats",
];

#[tokio::test]
async fn with_everything_visible_the_scores_are_fts5_bm25() {
    let (db, _dir) = db().await;
    insert(&db, &docs()).await;
    for q in QUERIES {
        for all in [false, true] {
            let expr = words(q)
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(if all { " AND " } else { " OR " });
            let ours = search_text::keyword(&db, &words(q), all, &Scope::All, 100)
                .await
                .unwrap();
            assert!(!ours.is_empty(), "{q}");
            assert_eq!(ours, fts5_bm25(&db, &expr).await, "{q} (all terms: {all})");
        }
    }
}

#[tokio::test]
async fn rows_the_scope_hides_change_nothing() {
    // One database with both accounts' images, one with only what "a" may see.
    let (both, _d1) = db().await;
    insert(&both, &docs()).await;
    let (alone, _d2) = db().await;
    let visible: Vec<Doc> = docs()
        .into_iter()
        .filter(|d| d.1 == "a" || d.2 == "public")
        .collect();
    insert(&alone, &visible).await;
    let scope = Scope::OwnerOrPublic("a".into());
    for q in QUERIES {
        for all in [false, true] {
            let scoped = search_text::keyword(&both, &words(q), all, &scope, 100)
                .await
                .unwrap();
            let only = search_text::keyword(&alone, &words(q), all, &Scope::All, 100)
                .await
                .unwrap();
            assert_eq!(scoped, only, "{q} (all terms: {all})");
            assert!(scoped
                .iter()
                .all(|(id, _)| id.starts_with('a') || id == "b3"));
        }
    }
    // The limit cuts the same ranking.
    let top = search_text::keyword(&both, &words("cat boat"), false, &scope, 2)
        .await
        .unwrap();
    let all = search_text::keyword(&both, &words("cat boat"), false, &scope, 100)
        .await
        .unwrap();
    assert_eq!(top, all[..2].to_vec());
}
