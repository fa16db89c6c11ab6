//! The semantic search path end to end with the real models and real sample photos:
//! classify ~20 images of `shared/data/imagenet-sample`, build their vectors, index them,
//! and ask in plain language.
//!
//! Models come from `BANANA_MODELS_DIR` (default `~/.cache/banana/models`, fetched when
//! missing); the sample folder from `BANANA_IMAGENET_SAMPLE` (default `imagenet-sample/` of
//! the shared test data), both through the test kit. Without the sample folder the tests are
//! skipped, or fail under `BANANA_TEST_REQUIRE_ALL=1`.

use std::sync::{Arc, OnceLock};

use banana_search::{
    class_texts, exact_label_classes, reciprocal_rank_fusion, Filter, FlatIndex, FusionParams,
    KeywordBaseline, SearchError, SemanticSpace, VectorIndex,
};
use banana_vision::{
    class_by_wnid, decode_image, ensure_models, imagenet_classes, Classifier, ModelId, TextEmbedder,
};

/// File stems of the sample images in the small test library.
const IMAGES: &[&str] = &[
    "n02123045_tabby",
    "n02123159_tiger_cat",
    "n02123394_Persian_cat",
    "n02123597_Siamese_cat",
    "n02124075_Egyptian_cat",
    "n03063599_coffee_mug",
    "n03063689_coffeepot",
    "n04398044_teapot",
    "n01443537_goldfish",
    "n04252077_snowmobile",
    "n02676566_acoustic_guitar",
    "n04507155_umbrella",
    "n02129165_lion",
    "n02099601_golden_retriever",
    "n07873807_pizza",
    "n02951358_canoe",
    "n03642806_laptop",
    "n07753592_banana",
    "n03782006_monitor",
    "n04254680_soccer_ball",
];

const HOUSE_CATS: &[&str] = &[
    "n02123045_tabby",
    "n02123159_tiger_cat",
    "n02123394_Persian_cat",
    "n02123597_Siamese_cat",
    "n02124075_Egyptian_cat",
];

struct Library {
    embedder: TextEmbedder,
    space: SemanticSpace,
    /// (image id, top-5) per image.
    top5: Vec<(String, Vec<(usize, f32)>)>,
    /// (image id, the classifier's 1280-d pooled features) per image.
    features: Vec<(String, Vec<f32>)>,
}

impl Library {
    fn index(&self) -> FlatIndex {
        let mut ix = FlatIndex::new(self.space.dim()).with_int8(10);
        for (id, top) in &self.top5 {
            let v = self
                .space
                .image_vector(top, None, None, &self.embedder)
                .unwrap();
            ix.upsert(id, &v).unwrap();
        }
        ix
    }

    fn ask(&self, ix: &FlatIndex, q: &str, k: usize) -> Vec<String> {
        let qv = self.space.query_vector(q, &self.embedder).unwrap();
        ix.search(&qv, k, &Filter::All)
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    fn top5_of(&self, id: &str) -> &[(usize, f32)] {
        &self.top5.iter().find(|(i, _)| i == id).unwrap().1
    }
}

/// The models, the semantic space and the classified test images, once per test process;
/// `None` (the test is skipped, see `banana_testkit::skip`) without the ImageNet sample.
fn library() -> Option<&'static Library> {
    static LIB: OnceLock<Option<Library>> = OnceLock::new();
    LIB.get_or_init(|| {
        let dir = banana_testkit::imagenet_sample()?;
        let models = ensure_models(
            &banana_testkit::models_dir(),
            &[ModelId::EfficientNetLite0, ModelId::MiniLmL6V2],
            &|e| eprintln!("models: {e}"),
        )
        .unwrap_or_else(|e| panic!("cannot get the models: {e}"));
        let classifier = Classifier::load(&models, 1).unwrap();
        let (top5, features) = IMAGES
            .iter()
            .map(|stem| {
                let img = decode_image(&dir.join(format!("{stem}.JPEG"))).unwrap();
                let p = classifier.classify_batch(&[img]).unwrap().remove(0);
                ((stem.to_string(), p.top5), (stem.to_string(), p.features))
            })
            .unzip();
        let embedder = TextEmbedder::load(&models, 1).unwrap();
        let (space, _) = SemanticSpace::load_or_build_for(&embedder, &models).unwrap();
        Some(Library {
            embedder,
            space,
            top5,
            features,
        })
    })
    .as_ref()
}

#[test]
fn a_pet_cat_finds_the_house_cats_first() {
    let Some(lib) = library() else { return };
    let ix = lib.index();
    let top = lib.ask(&ix, "a pet cat", 5);
    eprintln!("a pet cat -> {top:?}");
    // No label says "pet"; the five house-cat photos are the top five, above the lion.
    for id in &top {
        assert!(
            HOUSE_CATS.contains(&id.as_str()),
            "{id} in the top 5: {top:?}"
        );
    }
    assert!(top.contains(&"n02123045_tabby".to_string()));
    assert!(top.contains(&"n02123597_Siamese_cat".to_string()));
}

#[test]
fn something_to_drink_coffee_from_finds_the_coffee_mug() {
    let Some(lib) = library() else { return };
    let ix = lib.index();
    let top = lib.ask(&ix, "something to drink coffee from", 3);
    eprintln!("something to drink coffee from -> {top:?}");
    assert_eq!(top[0], "n03063599_coffee_mug", "{top:?}");
    // The explanation names the mug's label.
    let qv = lib
        .space
        .query_vector("something to drink coffee from", &lib.embedder)
        .unwrap();
    let why = lib.space.explain(&qv, lib.top5_of("n03063599_coffee_mug"));
    assert!(why.iter().any(|n| n == "coffee mug"), "{why:?}");
}

#[test]
fn removing_an_image_removes_it_from_results_at_once() {
    let Some(lib) = library() else { return };
    let mut ix = lib.index();
    let q = "something to drink coffee from";
    assert!(lib
        .ask(&ix, q, 20)
        .contains(&"n03063599_coffee_mug".to_string()));
    assert!(ix.remove("n03063599_coffee_mug"));
    let after = lib.ask(&ix, q, 20);
    assert_eq!(after.len(), IMAGES.len() - 1);
    assert!(!after.contains(&"n03063599_coffee_mug".to_string()));
    // The cats are unaffected by the row that moved into the hole.
    assert!(HOUSE_CATS.contains(&lib.ask(&ix, "a pet cat", 1)[0].as_str()));
}

#[test]
fn a_visibility_filter_hides_images_from_search() {
    let Some(lib) = library() else { return };
    let ix = lib.index();
    let qv = lib.space.query_vector("a pet cat", &lib.embedder).unwrap();
    let not_tabby = |id: &str| id != "n02123045_tabby";
    let hits = ix.search(&qv, 5, &Filter::Predicate(&not_tabby)).unwrap();
    assert_eq!(hits.len(), 5);
    assert!(hits.iter().all(|h| h.id != "n02123045_tabby"));
    let allow = ["n02123597_Siamese_cat", "n03063599_coffee_mug"];
    let hits = ix.search(&qv, 5, &Filter::AllowList(&allow)).unwrap();
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, vec!["n02123597_Siamese_cat", "n03063599_coffee_mug"]);
}

#[test]
fn a_title_makes_an_image_findable_by_words_its_labels_lack() {
    let Some(lib) = library() else { return };
    let mut ix = lib.index();
    let q = "birthday party balloons";
    let rank = |ix: &FlatIndex| {
        lib.ask(ix, q, IMAGES.len())
            .iter()
            .position(|id| id == "n01443537_goldfish")
            .unwrap()
    };
    let before = rank(&ix);
    let v = lib
        .space
        .image_vector(
            lib.top5_of("n01443537_goldfish"),
            Some("Birthday party with balloons"),
            Some("photo by Ana"),
            &lib.embedder,
        )
        .unwrap();
    assert!((v.iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-4);
    ix.upsert("n01443537_goldfish", &v).unwrap();
    let after = rank(&ix);
    eprintln!("goldfish rank for {q:?}: {before} -> {after}");
    assert!(before > 3 && after == 0, "{before} -> {after}");
    // The goldfish query still finds it: the labels keep the larger weight.
    assert_eq!(lib.ask(&ix, "a goldfish", 1)[0], "n01443537_goldfish");
}

#[test]
fn hybrid_ranking_puts_exact_label_matches_first() {
    let Some(lib) = library() else { return };
    let ix = lib.index();
    let mut kw = KeywordBaseline::new();
    for (id, top) in &lib.top5 {
        let c = &imagenet_classes()[top[0].0];
        kw.add(id, &c.synonyms.join(", "));
    }
    for (q, want) in [
        ("teapot", "n04398044_teapot"),
        ("soccer ball", "n04254680_soccer_ball"),
    ] {
        let vector = lib.ask(&ix, q, 20);
        let keyword: Vec<String> = kw.search(q, 20).into_iter().map(|x| x.0).collect();
        let classes = exact_label_classes(q);
        let exact: Vec<&str> = lib
            .top5
            .iter()
            .filter(|(_, top)| classes.contains(&top[0].0))
            .map(|(id, _)| id.as_str())
            .collect();
        assert_eq!(exact, vec![want], "the classifier labels {want} as {q}");
        let fused = reciprocal_rank_fusion(&vector, &keyword, &exact, &FusionParams::default());
        assert_eq!(fused[0].id, want);
        assert!(fused[0].exact_match);
        assert!(fused[1..].iter().all(|f| !f.exact_match));
    }
}

#[test]
fn query_embeddings_are_cached_and_blank_queries_refused() {
    let Some(lib) = library() else { return };
    let a = lib
        .space
        .query_vector("  A red CANOE ", &lib.embedder)
        .unwrap();
    let b = lib
        .space
        .query_vector("a red canoe", &lib.embedder)
        .unwrap();
    assert!(Arc::ptr_eq(&a, &b), "the second lookup came from the cache");
    assert_eq!(a.len(), TextEmbedder::DIM);
    assert!(matches!(
        lib.space.query_vector(" \n\t", &lib.embedder),
        Err(SearchError::EmptyQuery)
    ));
    // A query far beyond the model's window is cut, not refused.
    let long = "canoe ".repeat(2000);
    assert_eq!(
        lib.space.query_vector(&long, &lib.embedder).unwrap().len(),
        TextEmbedder::DIM
    );
}

#[test]
fn class_embeddings_are_the_recipe_texts_embedded() {
    let Some(lib) = library() else { return };
    for wnid in ["n02123045", "n03063599", "n04252077"] {
        let c = class_by_wnid(wnid).unwrap();
        let (_, desc) = class_texts(c);
        let want = lib.embedder.embed(&[&desc]).unwrap().remove(0);
        let got = lib.space.class_embedding(c.index).unwrap();
        let cos: f32 = want.iter().zip(got).map(|(a, b)| a * b).sum();
        // Batching pads inputs differently; the embeddings agree to float noise.
        assert!(cos > 0.9999, "{wnid}: cosine {cos}");
    }
}

#[test]
fn more_like_this_by_pooled_features_finds_cats_for_a_tabby() {
    let Some(lib) = library() else { return };
    let mut ix = FlatIndex::new(lib.features[0].1.len());
    for (id, f) in &lib.features {
        let mut v = f.clone();
        banana_search::normalize(&mut v);
        ix.upsert(id, &v).unwrap();
    }
    let q = ix.get("n02123045_tabby").unwrap().to_vec();
    let not_self = |id: &str| id != "n02123045_tabby";
    let hits = ix.search(&q, 4, &Filter::Predicate(&not_self)).unwrap();
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    eprintln!("similar to the tabby: {ids:?}");
    // The four nearest other images are house cats (the lion is the only other feline here).
    assert!(ids.iter().all(|id| HOUSE_CATS.contains(id)), "{ids:?}");
}

#[test]
fn class_embeddings_are_read_back_from_the_cache_file() {
    let Some(lib) = library() else { return };
    let models =
        banana_vision::locate_available(&banana_testkit::models_dir()).expect("models are present");
    let key = banana_search::model_key(&models).unwrap();
    let shared = banana_search::semantic::cache_path(&models.models_dir.join("search"), &key);
    assert!(
        shared.is_file(),
        "the library fixture wrote {}",
        shared.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let copy = banana_search::semantic::cache_path(dir.path(), &key);
    std::fs::copy(&shared, &copy).unwrap();
    let (space, source) = SemanticSpace::load_or_build(&lib.embedder, dir.path(), &key).unwrap();
    assert_eq!(
        source,
        banana_search::SpaceSource::Cached { path: copy.clone() }
    );
    for i in [0, 281, 999] {
        assert_eq!(space.class_embedding(i), lib.space.class_embedding(i));
    }
    // Another model key never reads this file.
    assert_ne!(
        banana_search::semantic::cache_path(dir.path(), "other-model"),
        shared
    );
}
