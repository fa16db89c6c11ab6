//! What the new analyzers find, through the API on both backends, with the real models and
//! real photos: faces make a photo one of people (boxes for the owner only, the count for
//! everyone), a colour named in a query filters on dominant colours ("red car"), text read in
//! a photo is shown and found by its words, and a user's corrections (tags added and removed,
//! a model label rejected) hold, also after the image is analysed again.

mod common;

use common::{Caller, TestApp};
use serde_json::{json, Value};

async fn upload(t: &TestApp, who: &Caller, rel: &str, public: bool) -> Option<String> {
    let bytes = common::sample(rel)?;
    let name = rel.rsplit('/').next().unwrap();
    let fields: &[(&str, &str)] = if public {
        &[("visibility", "public")]
    } else {
        &[]
    };
    let res = t.client(who).upload(name, &bytes, fields).await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    Some(res.json()["id"].as_str().unwrap().to_string())
}

async fn image(t: &TestApp, who: &Caller, id: &str) -> Value {
    let res = t.client(who).get(&format!("/api/v1/images/{id}")).await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    res.json()
}

async fn search(t: &TestApp, who: &Caller, q: &str) -> Vec<(String, Vec<String>)> {
    let res = t
        .client(who)
        .get(&format!("/api/v1/search?q={}", q.replace(' ', "+")))
        .await;
    assert_eq!(
        res.status,
        200,
        "{q}: {}",
        String::from_utf8_lossy(&res.body)
    );
    res.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let matched = h["matched"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap().to_string())
                .collect();
            (h["image"]["id"].as_str().unwrap().to_string(), matched)
        })
        .collect()
}

fn rank(hits: &[(String, Vec<String>)], id: &str) -> Option<usize> {
    hits.iter().position(|(i, _)| i == id)
}

/// People, colours and their search, with the real face detector and colour analysis.
async fn people_and_colours_are_seen_and_searched(t: TestApp) {
    let t = t.with_models().await;
    let owner = t.owner_caller();
    let dir = "imagenet-sample";
    let Some(face) = upload(
        &t,
        &owner,
        &format!("{dir}/n02807133_bathing_cap.JPEG"),
        true,
    )
    .await
    else {
        return;
    };
    let pair = upload(
        &t,
        &owner,
        &format!("{dir}/n03124170_cowboy_hat.JPEG"),
        false,
    )
    .await
    .unwrap();
    let groom = upload(&t, &owner, &format!("{dir}/n10148035_groom.JPEG"), false)
        .await
        .unwrap();
    let red_car = upload(
        &t,
        &owner,
        &format!("{dir}/n03100240_convertible.JPEG"),
        false,
    )
    .await
    .unwrap();
    let yellow_car = upload(&t, &owner, &format!("{dir}/n02930766_cab.JPEG"), false)
        .await
        .unwrap();
    let strawberry = upload(
        &t,
        &owner,
        &format!("{dir}/n07745940_strawberry.JPEG"),
        false,
    )
    .await
    .unwrap();
    let valley = upload(&t, &owner, &format!("{dir}/n09468604_valley.JPEG"), false)
        .await
        .unwrap();
    let goldfish = upload(&t, &owner, &format!("{dir}/n01443537_goldfish.JPEG"), false)
        .await
        .unwrap();
    t.app.drain_jobs().await.unwrap();

    // Faces: boxes for the owner, the count for anyone who may see the photo.
    let v = image(&t, &owner, &face).await;
    let n = v["face_count"].as_i64().unwrap();
    assert!(n >= 1, "{v}");
    let faces = v["faces"].as_array().unwrap();
    assert_eq!(faces.len() as i64, n);
    for f in faces {
        let b: Vec<f64> = f["box"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert!(
            b[0] >= 0.0 && b[1] >= 0.0 && b[0] + b[2] <= 1.0001 && b[1] + b[3] <= 1.0001,
            "{f}"
        );
    }
    let public = t
        .anonymous()
        .get(&format!("/api/v1/images/{face}"))
        .await
        .json();
    assert_eq!(public["face_count"].as_i64(), Some(n));
    assert!(
        public["faces"].as_array().unwrap().is_empty(),
        "no face boxes for others"
    );
    assert!(
        image(&t, &owner, &pair).await["face_count"]
            .as_i64()
            .unwrap()
            >= 2
    );
    assert_eq!(image(&t, &owner, &valley).await["face_count"], 0);

    // "people": the photos with people come before those without, and say why.
    let hits = search(&t, &owner, "people").await;
    let last_person = [&face, &pair, &groom]
        .iter()
        .map(|id| rank(&hits, id).unwrap_or_else(|| panic!("{id} not found: {hits:?}")))
        .max()
        .unwrap();
    for other in [&valley, &goldfish, &strawberry, &red_car, &yellow_car] {
        if let Some(r) = rank(&hits, other) {
            assert!(r > last_person, "{other} at {r} before a person: {hits:?}");
        }
    }
    let (_, why) = &hits[rank(&hits, &pair).unwrap()];
    assert!(why.iter().any(|m| m.starts_with("faces: ")), "{why:?}");
    let hits = search(&t, &owner, "a portrait").await;
    assert_eq!(hits[0].0, face, "{hits:?}");

    // Colours: the red convertible has red among its colours; "red car" is the red car,
    // not the yellow cab, and not the (red) strawberry first.
    let v = image(&t, &owner, &red_car).await;
    let names: Vec<&str> = v["colors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"red"), "{v}");
    let hits = search(&t, &owner, "red car").await;
    assert_eq!(hits[0].0, red_car, "{hits:?}");
    assert!(hits[0].1.contains(&"colour: red".to_string()), "{hits:?}");
    assert!(rank(&hits, &yellow_car).is_none(), "{hits:?}");
    let hits = search(&t, &owner, "yellow car").await;
    assert_eq!(hits[0].0, yellow_car, "{hits:?}");
    // A colour alone lists what has it.
    let hits = search(&t, &owner, "something yellow").await;
    assert!(rank(&hits, &yellow_car).is_some(), "{hits:?}");
    assert!(rank(&hits, &valley).is_none() || rank(&hits, &yellow_car) < rank(&hits, &valley));
    // ... the largest share of it first.
    let mut shares = Vec::new();
    for (id, _) in search(&t, &owner, "red").await {
        let v = image(&t, &owner, &id).await;
        let share: f64 = v["colors"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["name"] == "red")
            .map(|c| c["fraction"].as_f64().unwrap())
            .sum();
        shares.push(share);
    }
    assert!(
        shares.len() >= 2,
        "the strawberry and the red car: {shares:?}"
    );
    assert!(shares.windows(2).all(|w| w[0] >= w[1]), "{shares:?}");
}

/// Tags a user adds are labels with `source: user`, first; a rejected model label leaves the
/// image's labels, its label filter and its keyword text, and stays off after re-analysis.
async fn corrections_hold(t: TestApp) {
    let t = t.with_models().await;
    let owner = t.owner_caller();
    let Some(id) = upload(&t, &owner, "imagenet-sample/n02123045_tabby.JPEG", false).await else {
        return;
    };
    t.app.drain_jobs().await.unwrap();
    let c = t.client(&owner);

    let res = c
        .post(
            &format!("/api/v1/images/{id}/tags"),
            &json!({ "name": "Birthday" }),
        )
        .await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    let v = res.json();
    assert_eq!(v["labels"][0]["name"], "Birthday");
    assert_eq!(v["labels"][0]["source"], "user");
    assert_eq!(v["labels"][1]["source"], "model");
    let hits = search(&t, &owner, "birthday").await;
    assert_eq!(hits[0].0, id);
    assert!(hits[0].1.contains(&"tag: Birthday".to_string()), "{hits:?}");
    assert_eq!(
        c.post(
            &format!("/api/v1/images/{id}/tags"),
            &json!({ "name": "  " })
        )
        .await
        .status,
        400
    );
    let res = c
        .delete(&format!("/api/v1/images/{id}/tags/birthday"))
        .await;
    assert_eq!(res.status, 200);
    assert!(res.json()["tags"].as_array().unwrap().is_empty());
    assert_eq!(
        c.delete(&format!("/api/v1/images/{id}/tags/birthday"))
            .await
            .status,
        404
    );

    // Reject the model's first label.
    let model = v["labels"][1]["id"].as_str().unwrap().to_string();
    let listed = |q: String| {
        let c = t.client(&owner);
        async move {
            c.get(&format!("/api/v1/images?{q}")).await.json()["items"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(listed(format!("label={model}")).await, 1);
    let someone = t.user("someone", false).await;
    assert_eq!(
        t.bearer(&someone)
            .delete(&format!("/api/v1/images/{id}/labels/{model}"))
            .await
            .status,
        404,
        "another account cannot see it"
    );
    let res = c
        .delete(&format!("/api/v1/images/{id}/labels/{model}"))
        .await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    let labels_now = |v: &Value| -> Vec<String> {
        v["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!labels_now(&res.json()).contains(&model));
    assert_eq!(listed(format!("label={model}")).await, 0);
    assert_eq!(
        c.delete(&format!("/api/v1/images/{id}/labels/n99999999"))
            .await
            .status,
        404
    );

    // Analysed again from scratch: the rejection holds.
    common::sqlx_exec(
        &t.app.db,
        "DELETE FROM image_analyses WHERE analyzer = 'classifier'",
    )
    .await;
    let classifier = banana_core::analysis::by_name("classifier").unwrap();
    assert_eq!(t.app.reanalyze(&[classifier]).await.unwrap().enqueued, 1);
    t.app.drain_jobs().await.unwrap();
    let v = image(&t, &owner, &id).await;
    assert!(!labels_now(&v).contains(&model), "{v}");
    assert!(
        v["predictions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == model.as_str()),
        "the model still predicts it: {v}"
    );
    assert_eq!(listed(format!("label={model}")).await, 0);
}

/// A rendered sign and receipt on real photos: the text is shown with its boxes, found by its
/// words through the same hybrid ranking, and explained as `text: …`; a photo without text
/// has none.
async fn text_in_photos_is_read_and_found(t: TestApp) {
    let t = t.with_models().await;
    let owner = t.owner_caller();
    let fixture = |name: &str| {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../banana-vision/tests/data")
                .join(name),
        )
        .unwrap()
    };
    let mut ids = Vec::new();
    for name in ["ocr_sign.jpg", "ocr_receipt.jpg", "ocr_notext.jpg"] {
        let res = t.client(&owner).upload(name, &fixture(name), &[]).await;
        assert_eq!(res.status, 201);
        ids.push(res.json()["id"].as_str().unwrap().to_string());
    }
    t.app.drain_jobs().await.unwrap();
    let (sign, receipt, plain) = (&ids[0], &ids[1], &ids[2]);
    let v = image(&t, &owner, sign).await;
    let lines: Vec<String> = v["text"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap().to_uppercase())
        .collect();
    assert!(lines.iter().any(|l| l.contains("FRESH BAKERY")), "{v}");
    for l in v["text"].as_array().unwrap() {
        let b: Vec<f64> = l["box"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert!(
            b.iter().all(|x| (0.0..=1.0).contains(x)) && b[0] + b[2] <= 1.0001,
            "{l}"
        );
        assert!((0.5..=1.0).contains(&l["score"].as_f64().unwrap()), "{l}");
    }
    assert!(image(&t, &owner, plain).await["text"]
        .as_array()
        .unwrap()
        .is_empty());

    let hits = search(&t, &owner, "bakery").await;
    assert_eq!(&hits[0].0, sign, "{hits:?}");
    assert!(
        hits[0]
            .1
            .iter()
            .any(|m| m.to_uppercase() == "TEXT: FRESH BAKERY"),
        "{hits:?}"
    );
    // The receipt says BREAD (read glued to its price); the bakery sign is about bread too.
    let hits = search(&t, &owner, "bread").await;
    let at = rank(&hits, receipt).unwrap_or_else(|| panic!("{hits:?}"));
    assert!(at < 2, "{hits:?}");
    assert!(
        hits[at].1.iter().any(|m| m.starts_with("text: BREAD")),
        "{hits:?}"
    );
    // "a sign" and "text" rank the photos with text first.
    for q in ["a sign", "text"] {
        let hits = search(&t, &owner, q).await;
        let top: Vec<&String> = hits.iter().take(2).map(|(i, _)| i).collect();
        assert!(
            top.contains(&sign) && top.contains(&receipt),
            "{q}: {hits:?}"
        );
    }
}

/// The label tree: `?label=dog` holds every dog (a breed shown, or only "dog" when no breed
/// is sure) and not the hotdog; the tree counts them under animal → dog; a search for "dog"
/// ranks them first, each explained by what is shown, never by a hidden guess.
async fn a_category_holds_its_descendants(t: TestApp) {
    let t = t.with_models().await;
    let owner = t.owner_caller();
    let mut dogs = Vec::new();
    for f in [
        "n02110958_pug",
        "n02088364_beagle",
        "n02099601_golden_retriever",
    ] {
        let Some(id) = upload(&t, &owner, &format!("imagenet-sample/{f}.JPEG"), false).await else {
            return;
        };
        dogs.push(id);
    }
    let hotdog = upload(&t, &owner, "imagenet-sample/n07697537_hotdog.JPEG", false)
        .await
        .unwrap();
    t.app.drain_jobs().await.unwrap();
    let c = t.client(&owner);

    let listed: Vec<String> = c.get("/api/v1/images?label=dog").await.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    let mut want = dogs.clone();
    want.sort();
    let mut got = listed.clone();
    got.sort();
    assert_eq!(got, want, "the dogs, not the hotdog {hotdog}");
    assert_eq!(
        c.get("/api/v1/images?label=animal").await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let tree = c.get("/api/v1/labels").await.json();
    let animal = tree["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "animal")
        .unwrap_or_else(|| panic!("{tree}"))
        .clone();
    assert_eq!(animal["count"], 3);
    let dog = animal["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "dog")
        .unwrap_or_else(|| panic!("{animal}"))
        .clone();
    assert_eq!(dog["count"], 3);
    assert!(tree["categories"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["id"] == "food" && n["count"] == 1));

    let hits = search(&t, &owner, "dog").await;
    for d in &dogs {
        assert!(rank(&hits, d).is_some_and(|r| r < 3), "{hits:?}");
    }
    for (id, matched) in &hits {
        let v = image(&t, &owner, id).await;
        let shown: Vec<&str> = v["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap())
            .collect();
        let guesses: Vec<&str> = v["predictions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap())
            .filter(|n| !shown.contains(n))
            .collect();
        assert!(
            matched.iter().all(|m| !guesses.contains(&m.as_str())),
            "{id}: {matched:?} names a hidden guess of {guesses:?}"
        );
    }
}

both_backends!(
    people_and_colours_are_seen_and_searched,
    corrections_hold,
    text_in_photos_is_read_and_found,
    a_category_holds_its_descendants
);
