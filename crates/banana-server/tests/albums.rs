//! Albums and favourites through the API on both backends: the owner's album life cycle,
//! membership rules (only images the owner may see; all or nothing), what other callers get
//! (404 for someone else's album, their own favourites only), and that deleting an album keeps
//! its photos while deleting a photo leaves every album.

mod common;

use common::{jpeg, Caller, TestApp};
use serde_json::{json, Value};

async fn upload(t: &TestApp, who: &Caller, name: &str, seed: u8, public: bool) -> String {
    let fields: &[(&str, &str)] = if public {
        &[("visibility", "public")]
    } else {
        &[]
    };
    let res = t
        .client(who)
        .upload(name, &jpeg(seed, 64, 48), fields)
        .await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    res.json()["id"].as_str().unwrap().to_string()
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["filename"].as_str().unwrap().to_string())
        .collect()
}

async fn albums_hold_what_their_owner_may_see(t: TestApp) {
    let owner = t.owner_caller();
    let root = t.bootstrap_admin("root").await;
    let admin = root.caller();
    let other = t.create_user(&root, "other", false).await.caller();
    let a = upload(&t, &owner, "a.jpg", 1, false).await;
    let b = upload(&t, &owner, "b.jpg", 2, false).await;
    let theirs_public = upload(&t, &other, "theirs-public.jpg", 3, true).await;
    let theirs_private = upload(&t, &other, "theirs-private.jpg", 4, false).await;

    // Create, with the name cleaned and checked.
    for bad in [json!({"name": "  "}), json!({"name": "x".repeat(201)})] {
        assert_eq!(
            t.client(&owner).post("/api/v1/albums", &bad).await.status,
            400
        );
    }
    assert_eq!(
        t.anonymous()
            .post("/api/v1/albums", &json!({"name": "x"}))
            .await
            .status,
        401
    );
    let res = t
        .client(&owner)
        .post(
            "/api/v1/albums",
            &json!({"name": " Summer ", "description": "beach days"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    let album = res.json();
    assert_eq!(album["name"], "Summer");
    assert_eq!(album["description"], "beach days");
    assert_eq!(album["image_count"], 0);
    assert!(album["cover_image_id"].is_null());
    assert_eq!(album["owner"]["username"], "owner");
    let id = album["id"].as_str().unwrap().to_string();
    let url = format!("/api/v1/albums/{id}");
    let images = format!("{url}/images");

    // Add: own images and someone's public one; an image the owner may not see refuses the
    // whole request and adds nothing.
    let res = t
        .client(&owner)
        .post(&images, &json!({"image_ids": [a, theirs_private]}))
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(t.client(&owner).get(&url).await.json()["image_count"], 0);
    let res = t
        .client(&owner)
        .post(&images, &json!({"image_ids": [a, b, theirs_public, a]}))
        .await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    assert_eq!(res.json()["added"], 3);
    let again = t
        .client(&owner)
        .post(&images, &json!({"image_ids": [b]}))
        .await;
    assert_eq!(again.json()["added"], 0, "already in it");
    for bad in [
        json!({"image_ids": []}),
        json!({"image_ids": vec!["x"; 1001]}),
    ] {
        assert_eq!(t.client(&owner).post(&images, &bad).await.status, 400);
    }
    let v = t.client(&owner).get(&url).await.json();
    assert_eq!(v["image_count"], 3);
    assert_eq!(
        v["cover_image_id"],
        theirs_public.as_str(),
        "the last added"
    );

    // Its images, whatever the listing's scope (the other user's public photo included).
    let page = t
        .client(&owner)
        .get(&format!("/api/v1/images?album={id}"))
        .await;
    assert_eq!(page.status, 200);
    let mut got = names(&page.json());
    got.sort();
    assert_eq!(got, ["a.jpg", "b.jpg", "theirs-public.jpg"]);

    // Nobody else sees the album: not another user, not an administrator, not anonymous.
    for (who, caller) in [("other", &other), ("admin", &admin)] {
        assert_eq!(t.client(caller).get(&url).await.status, 404, "{who}");
        assert_eq!(
            t.client(caller)
                .get(&format!("/api/v1/images?album={id}"))
                .await
                .status,
            404,
            "{who}"
        );
        assert_eq!(
            t.client(caller)
                .post(&images, &json!({"image_ids": [theirs_public]}))
                .await
                .status,
            404,
            "{who}"
        );
        assert_eq!(t.client(caller).delete(&url).await.status, 404, "{who}");
        let list = t.client(caller).get("/api/v1/albums").await.json();
        assert!(list["items"].as_array().unwrap().is_empty(), "{who}");
    }
    assert_eq!(t.anonymous().get(&url).await.status, 401);

    // Its owner making their photo private takes it out of the album's view and count.
    t.client(&other)
        .patch(
            &format!("/api/v1/images/{theirs_public}"),
            &json!({"visibility": "private"}),
        )
        .await;
    let v = t.client(&owner).get(&url).await.json();
    assert_eq!(v["image_count"], 2);
    assert_ne!(v["cover_image_id"], theirs_public.as_str());

    // Rename, describe, choose a cover (one of its images).
    let res = t
        .client(&owner)
        .patch(
            &url,
            &json!({"name": "Summer 2019", "description": null, "cover_image_id": a}),
        )
        .await;
    assert_eq!(res.status, 200);
    let v = res.json();
    assert_eq!(v["name"], "Summer 2019");
    assert!(v["description"].is_null());
    assert_eq!(v["cover_image_id"], a.as_str());
    let c = upload(&t, &owner, "c.jpg", 5, false).await;
    let res = t
        .client(&owner)
        .patch(&url, &json!({"cover_image_id": c}))
        .await;
    assert_eq!(res.status, 400, "not in the album");

    // Remove one; delete a photo: it leaves the album.
    let res = t
        .client(&owner)
        .send(
            axum::http::Method::DELETE,
            &images,
            Some(&json!({"image_ids": [b, c]})),
        )
        .await;
    assert_eq!(res.json()["removed"], 1);
    assert_eq!(
        t.client(&owner)
            .delete(&format!("/api/v1/images/{a}"))
            .await
            .status,
        204
    );
    let v = t.client(&owner).get(&url).await.json();
    assert_eq!(v["image_count"], 0);
    assert!(v["cover_image_id"].is_null());

    // A second album, listed newest change first; deleting one keeps the photos.
    let second = t
        .client(&owner)
        .post("/api/v1/albums", &json!({"name": "Family"}))
        .await
        .json();
    let sid = second["id"].as_str().unwrap();
    t.client(&owner)
        .post(
            &format!("/api/v1/albums/{sid}/images"),
            &json!({"image_ids": [b, c]}),
        )
        .await;
    let list = t.client(&owner).get("/api/v1/albums").await.json();
    let order: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["Family", "Summer 2019"]);
    assert_eq!(
        t.client(&owner)
            .delete(&format!("/api/v1/albums/{sid}"))
            .await
            .status,
        204
    );
    assert_eq!(
        t.client(&owner)
            .get(&format!("/api/v1/albums/{sid}"))
            .await
            .status,
        404
    );
    let mine = names(&t.client(&owner).get("/api/v1/images").await.json());
    assert_eq!(mine.len(), 2, "the photos stay: {mine:?}");
}

async fn favourites_are_each_callers_own(t: TestApp) {
    let owner = t.owner_caller();
    let root = t.bootstrap_admin("root").await;
    let other = t.create_user(&root, "other", false).await.caller();
    let a = upload(&t, &owner, "a.jpg", 1, true).await;
    let b = upload(&t, &owner, "b.jpg", 2, false).await;
    let fav = |id: &str| format!("/api/v1/images/{id}/favorite");

    let v = t
        .client(&owner)
        .send(axum::http::Method::PUT, &fav(&a), None)
        .await;
    assert_eq!(v.status, 200);
    assert_eq!(v.json()["favorite"], true);
    // Idempotent.
    let v = t
        .client(&owner)
        .send(axum::http::Method::PUT, &fav(&a), None)
        .await;
    assert_eq!(v.json()["favorite"], true);
    assert_eq!(
        names(
            &t.client(&owner)
                .get("/api/v1/images?favorite=true")
                .await
                .json()
        ),
        ["a.jpg"]
    );
    let listed = t.client(&owner).get("/api/v1/images").await.json();
    for item in listed["items"].as_array().unwrap() {
        let want = item["id"] == a.as_str();
        assert_eq!(item["favorite"], want, "{item}");
    }

    // Another user: sees the public photo, not as a favourite; can mark it their own; cannot
    // mark what they may not see; their favourites are theirs.
    let seen = t
        .client(&other)
        .get(&format!("/api/v1/images/{a}"))
        .await
        .json();
    assert_eq!(seen["favorite"], false);
    assert_eq!(
        t.client(&other)
            .send(axum::http::Method::PUT, &fav(&b), None)
            .await
            .status,
        404
    );
    t.client(&other)
        .send(axum::http::Method::PUT, &fav(&a), None)
        .await;
    assert_eq!(
        names(
            &t.client(&other)
                .get("/api/v1/images?favorite=true&scope=all")
                .await
                .json()
        ),
        ["a.jpg"]
    );
    // Unmark: gone from the owner's favourites, still the other's.
    let v = t.client(&owner).delete(&fav(&a)).await;
    assert_eq!(v.json()["favorite"], false);
    assert!(names(
        &t.client(&owner)
            .get("/api/v1/images?favorite=true")
            .await
            .json()
    )
    .is_empty());
    assert_eq!(
        names(
            &t.client(&other)
                .get("/api/v1/images?favorite=true&scope=all")
                .await
                .json()
        ),
        ["a.jpg"]
    );
    // Signed out: no favourites to have.
    assert_eq!(
        t.anonymous()
            .send(axum::http::Method::PUT, &fav(&a), None)
            .await
            .status,
        401
    );
    assert_eq!(
        t.anonymous()
            .get("/api/v1/images?favorite=true")
            .await
            .status,
        401
    );
    let anon = t
        .anonymous()
        .get(&format!("/api/v1/images/{a}"))
        .await
        .json();
    assert_eq!(anon["favorite"], false);
}

both_backends!(
    albums_hold_what_their_owner_may_see,
    favourites_are_each_callers_own,
);
