//! Search quality on the 1000 ImageNet sample images: semantic, keyword baseline, hybrid.
//!
//! ```text
//! cargo run --release -p banana-bench --example search_quality -- <imagenet-sample dir> [--threads N] [--ablation]
//! ```
//!
//! Classifies every image with banana-vision's `Classifier` (real decode + preprocess +
//! inference; predictions cached in a TSV next to this example's binary, keyed by the ONNX
//! file), builds image vectors with the `SemanticSpace`, runs the queries of
//! `crates/banana-search/data/queries.tsv` and prints mean P@10, nDCG@10 and recall@50 for:
//!
//! * **semantic**: the vector index alone;
//! * **keyword**: [`KeywordBaseline`], an in-memory stand-in for the database's full-text
//!   search, over each image's label names and synonyms (labels = top-1 plus classes with
//!   p >= 0.2), and a second variant that also indexes the labels' WordNet categories;
//! * **hybrid**: RRF (k = 60) of the semantic top-100 and the keyword ranking, exact label
//!   names first;
//!
//! then the same over the queries with at least 10 relevant images, a per-query table with the
//! semantic ranking's misses, and (with `--ablation`) other class-text recipes compared.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use banana_search::metrics::{ndcg_at, precision_at, recall_at};
use banana_search::{
    class_description, class_texts, exact_label_classes, normalize, random_gibberish,
    reciprocal_rank_fusion, Filter, FlatIndex, FusionParams, KeywordBaseline, SemanticSpace,
    SpaceSource, VectorIndex, MIN_SIMILARITY,
};
use banana_vision::{
    class_by_wnid, decode_image, imagenet_classes, Classifier, ModelId, ModelPaths, TextEmbedder,
};

use crate::{bench_models, image_files};

/// Labels an image carries for the keyword side: the top-1 and every class with p >= this.
const LABEL_THRESHOLD: f32 = 0.2;
/// Most candidates of the semantic list handed to the fusion (as in the server).
const VECTOR_DEPTH: usize = 1000;
/// Gibberish queries of the relevance-floor null model.
const GIBBERISH_QUERIES: usize = 1000;

type Top5 = Vec<(usize, f32)>;

/// The query set: a query, a tab, the WordNet ids of the classes it should find.
pub const QUERIES: &str = include_str!("../../banana-search/data/queries.tsv");

struct Query {
    text: String,
    relevant: Vec<&'static str>,
}

fn load_queries() -> Result<Vec<Query>, String> {
    let text = QUERIES;
    let mut out = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (q, ids) = line
            .split_once('\t')
            .ok_or_else(|| format!("bad line in queries.tsv: {line}"))?;
        let mut relevant = Vec::new();
        for w in ids.split_whitespace() {
            let c = class_by_wnid(w).ok_or_else(|| format!("unknown WordNet id {w} in {q:?}"))?;
            if !relevant.contains(&c.wnid) {
                relevant.push(c.wnid);
            }
        }
        out.push(Query {
            text: q.to_owned(),
            relevant,
        });
    }
    Ok(out)
}

/// Top-5 per image file stem, from the cache or by running the classifier.
fn predictions(
    dir: &Path,
    models: &ModelPaths,
    threads: usize,
) -> Result<Vec<(String, Top5)>, String> {
    let onnx = &models.efficientnet().map_err(|e| e.to_string())?.onnx;
    let key = onnx.file_stem().unwrap_or_default().to_string_lossy();
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let cache_dir = exe
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir);
    let cache = cache_dir.join(format!("search-quality-predictions-{key}.tsv"));
    let files = image_files(dir).map_err(|e| e.to_string())?;
    let stems: Vec<String> = files
        .iter()
        .map(|f| {
            f.file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    if let Ok(text) = std::fs::read_to_string(&cache) {
        let parsed: Option<Vec<(String, Top5)>> = text.lines().map(parse_line).collect();
        if let Some(p) = parsed.filter(|p| p.iter().map(|x| &x.0).eq(stems.iter())) {
            println!("predictions: {} images from {}", p.len(), cache.display());
            return Ok(p);
        }
    }
    let classifier = Classifier::load(models, threads).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut out = Vec::with_capacity(files.len());
    let mut text = String::new();
    let mut top1 = 0;
    for (file, stem) in files.iter().zip(stems) {
        let img = decode_image(file).map_err(|e| e.to_string())?;
        let p = classifier
            .classify_batch(std::slice::from_ref(&img))
            .map_err(|e| e.to_string())?
            .remove(0);
        if imagenet_classes()[p.top5[0].0].wnid == &stem[..9] {
            top1 += 1;
        }
        let cells: Vec<String> = p.top5.iter().map(|(i, pr)| format!("{i}:{pr}")).collect();
        text.push_str(&format!("{stem}\t{}\n", cells.join(",")));
        out.push((stem, p.top5));
    }
    println!(
        "predictions: classified {} images in {:.1} s ({threads} thread(s)), top-1 {:.1}%; cached in {}",
        out.len(),
        started.elapsed().as_secs_f64(),
        100.0 * top1 as f64 / out.len().max(1) as f64,
        cache.display()
    );
    let _ = std::fs::create_dir_all(&cache_dir);
    if let Err(e) = std::fs::write(&cache, text) {
        eprintln!("warning: cannot write {}: {e}", cache.display());
    }
    Ok(out)
}

fn parse_line(line: &str) -> Option<(String, Top5)> {
    let (stem, cells) = line.split_once('\t')?;
    let top = cells
        .split(',')
        .map(|c| {
            let (i, p) = c.split_once(':')?;
            Some((i.parse().ok()?, p.parse().ok()?))
        })
        .collect::<Option<Top5>>()?;
    Some((stem.to_owned(), top))
}

#[derive(Default, Clone, Copy)]
struct Scores {
    p10: f64,
    ndcg10: f64,
    r50: f64,
}

impl Scores {
    fn of(ranked: &[String], rel: &HashSet<&str>) -> Scores {
        Scores {
            p10: precision_at(ranked, rel, 10),
            ndcg10: ndcg_at(ranked, rel, 10),
            r50: recall_at(ranked, rel, 50),
        }
    }
    fn add(&mut self, o: Scores) {
        self.p10 += o.p10;
        self.ndcg10 += o.ndcg10;
        self.r50 += o.r50;
    }
    fn mean(self, n: usize) -> Scores {
        let n = n.max(1) as f64;
        Scores {
            p10: self.p10 / n,
            ndcg10: self.ndcg10 / n,
            r50: self.r50 / n,
        }
    }
}

fn vector_ranking(index: &FlatIndex, q: &[f32], depth: usize) -> Vec<String> {
    index
        .search(q, depth, &Filter::All)
        .expect("query has the index's dimension")
        .into_iter()
        .map(|h| h.id)
        .collect()
}

fn build_index(space: &SemanticSpace, preds: &[(String, Top5)], top1_only: bool) -> FlatIndex {
    let mut index = FlatIndex::new(space.dim());
    for (stem, top) in preds {
        let top = if top1_only { &top[..1] } else { &top[..] };
        let v = space.label_vector(top).expect("valid classes");
        index.upsert(stem, &v).expect("finite vector");
    }
    index
}

/// Runs the bench with command-line style arguments (without the program name), printing
/// its tables to stdout.
pub fn run<I: IntoIterator<Item = String>>(args: I) -> Result<(), String> {
    let mut args = args.into_iter();
    let (mut dir, mut threads, mut ablation) = (None, 1usize, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => threads = args.next().and_then(|v| v.parse().ok()).unwrap_or(1),
            "--ablation" => ablation = true,
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => {
                return Err(
                    "usage: search_quality <imagenet-sample dir> [--threads N] [--ablation]".into(),
                )
            }
        }
    }
    let dir =
        dir.ok_or("usage: search_quality <imagenet-sample dir> [--threads N] [--ablation]")?;
    let models = bench_models(&[ModelId::EfficientNetLite0, ModelId::MiniLmL6V2])?;
    let queries = load_queries()?;
    let preds = predictions(&dir, &models, threads)?;

    let embedder = TextEmbedder::load(&models, threads).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let (space, source) =
        SemanticSpace::load_or_build_for(&embedder, &models).map_err(|e| e.to_string())?;
    match &source {
        SpaceSource::Cached { path } => println!(
            "class embeddings: read from {} in {:.1} ms",
            path.display(),
            started.elapsed().as_secs_f64() * 1e3
        ),
        SpaceSource::Computed { seconds, texts, path } => println!(
            "class embeddings: computed {texts} texts in {seconds:.2} s ({threads} thread(s)), cached in {}",
            path.as_ref().map(|p| p.display().to_string()).unwrap_or_default()
        ),
    }
    let index = build_index(&space, &preds, false);

    // Keyword stand-ins: label names + synonyms, and the same plus WordNet categories.
    let mut kw_names = KeywordBaseline::new();
    let mut kw_cats = KeywordBaseline::new();
    let mut labels_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (stem, top) in &preds {
        let labels: Vec<usize> = top
            .iter()
            .enumerate()
            .filter(|(r, (_, p))| *r == 0 || *p >= LABEL_THRESHOLD)
            .map(|(_, (i, _))| *i)
            .collect();
        let names: Vec<String> = labels
            .iter()
            .map(|&i| imagenet_classes()[i].synonyms.join(", "))
            .collect();
        let cats: Vec<String> = labels
            .iter()
            .map(|&i| imagenet_classes()[i].hypernyms.join(", "))
            .collect();
        kw_names.add(stem, &names.join("; "));
        kw_cats.add(stem, &format!("{}; {}", names.join("; "), cats.join("; ")));
        labels_of.insert(stem, labels);
    }

    let methods = [
        "semantic",
        "keyword (names)",
        "keyword (+categories)",
        "hybrid (names)",
        "hybrid (+categories)",
        "keyword (+categories, all words)",
        "hybrid (+categories, all words)",
    ];
    let mut totals = [Scores::default(); 7];
    let mut ceiling = 0.0;
    // The same over the queries with at least 10 relevant images, where P@10 can reach 1.
    let (mut wide, mut n_wide) = ([Scores::default(); 7], 0usize);
    let mut rows = Vec::new();
    for q in &queries {
        let rel = relevant(&preds, q);
        ceiling += rel.len().min(10) as f64 / 10.0;
        let qv = space
            .query_vector(&q.text, &embedder)
            .map_err(|e| e.to_string())?;
        let sem_scores = index
            .search(&qv, index.len(), &Filter::All)
            .map_err(|e| e.to_string())?;
        let sem: Vec<String> = sem_scores.iter().map(|h| h.id.clone()).collect();
        let kn: Vec<String> = kw_names
            .search(&q.text, 1000)
            .into_iter()
            .map(|x| x.0)
            .collect();
        let kc: Vec<String> = kw_cats
            .search(&q.text, 1000)
            .into_iter()
            .map(|x| x.0)
            .collect();
        let exact_classes = exact_label_classes(&q.text);
        let exact: Vec<&str> = preds
            .iter()
            .map(|(s, _)| s.as_str())
            .filter(|s| labels_of[s].iter().any(|c| exact_classes.contains(c)))
            .collect();
        // The server's vector side: above the relevance floor, at most VECTOR_DEPTH.
        let above = sem_scores
            .iter()
            .take(VECTOR_DEPTH)
            .take_while(|h| h.score >= MIN_SIMILARITY)
            .count();
        let fuse = |kw: &[String]| -> Vec<String> {
            reciprocal_rank_fusion(&sem[..above], kw, &exact, &FusionParams::default())
                .into_iter()
                .map(|f| f.id)
                .collect()
        };
        let ka: Vec<String> = kw_cats
            .search_all(&q.text, 1000)
            .into_iter()
            .map(|x| x.0)
            .collect();
        let hn = fuse(&kn);
        let hc = fuse(&kc);
        let ha = fuse(&ka);
        let lists = [&sem, &kn, &kc, &hn, &hc, &ka, &ha];
        let s: Vec<Scores> = lists.iter().map(|l| Scores::of(l, &rel)).collect();
        for (t, x) in totals.iter_mut().zip(&s) {
            t.add(*x);
        }
        if rel.len() >= 10 {
            n_wide += 1;
            for (t, x) in wide.iter_mut().zip(&s) {
                t.add(*x);
            }
        }
        // What the semantic top-10 got wrong, with the explanation of the first miss.
        let misses: Vec<String> = sem
            .iter()
            .take(10)
            .filter(|id| !rel.contains(id.as_str()))
            .take(3)
            .map(|id| id[10..].to_owned())
            .collect();
        let why = sem
            .iter()
            .take(10)
            .find(|id| !rel.contains(id.as_str()))
            .and_then(|id| preds.iter().find(|(s, _)| s == id))
            .map(|(_, top)| space.explain(&qv, top).join("/"))
            .unwrap_or_default();
        rows.push((q.text.clone(), rel.len(), s, misses, why));
    }

    let n = queries.len();
    println!(
        "\n{n} queries, {} images; P@10 ceiling (mean min(|relevant|,10)/10) = {:.3}",
        preds.len(),
        ceiling / n as f64
    );
    println!("\n| method | P@10 | nDCG@10 | recall@50 |\n|---|---|---|---|");
    for (m, t) in methods.iter().zip(totals) {
        let t = t.mean(n);
        println!("| {m} | {:.3} | {:.3} | {:.3} |", t.p10, t.ndcg10, t.r50);
    }
    println!("\nThe {n_wide} queries with at least 10 relevant images:\n");
    println!("| method | P@10 | nDCG@10 | recall@50 |\n|---|---|---|---|");
    for (m, t) in methods.iter().zip(wide) {
        let t = t.mean(n_wide);
        println!("| {m} | {:.3} | {:.3} | {:.3} |", t.p10, t.ndcg10, t.r50);
    }
    println!("\nPer query (P@10 / nDCG@10 / R@50); semantic misses in its top-10 (and what matched the first):\n");
    println!("| query | rel | semantic | keyword | hybrid(+cat) | hybrid(+cat, all words) | semantic top-10 misses |\n|---|---|---|---|---|---|---|");
    for (text, nrel, s, misses, why) in &rows {
        let f = |x: &Scores| format!("{:.1} / {:.2} / {:.2}", x.p10, x.ndcg10, x.r50);
        println!(
            "| {text} | {nrel} | {} | {} | {} | {} | {}{} |",
            f(&s[0]),
            f(&s[1]),
            f(&s[4]),
            f(&s[6]),
            misses.join(", "),
            if why.is_empty() {
                String::new()
            } else {
                format!(" (matched: {why})")
            }
        );
    }

    relevance_floor(&space, &embedder, &index, &preds, &queries)?;

    if ablation {
        run_ablation(&space, &embedder, &preds, &queries)?;
    } else {
        println!("\n(--ablation also compares class-text recipes)");
    }
    Ok(())
}

/// The relevance floor ([`MIN_SIMILARITY`]): the null distribution it is calibrated on (the
/// best similarity that gibberish queries reach over the images) and what it costs on the
/// query set (relevant images below it, candidates per query above it).
fn relevance_floor(
    space: &SemanticSpace,
    embedder: &TextEmbedder,
    index: &FlatIndex,
    preds: &[(String, Top5)],
    queries: &[Query],
) -> Result<(), String> {
    let pct = |v: &mut Vec<f32>, p: f64| -> f32 {
        v.sort_by(f32::total_cmp);
        v[((v.len() - 1) as f64 * p).round() as usize]
    };
    let mut null = Vec::new();
    let mut above = Vec::new();
    for g in random_gibberish(GIBBERISH_QUERIES, 7) {
        let qv = embedder
            .embed(&[g.as_str()])
            .map_err(|e| e.to_string())?
            .remove(0);
        let hits = index
            .search(&qv, index.len(), &Filter::All)
            .map_err(|e| e.to_string())?;
        null.push(hits.first().map_or(-1.0, |h| h.score));
        above.push(hits.iter().filter(|h| h.score >= MIN_SIMILARITY).count() as f32);
    }
    let p90 = pct(&mut null, 0.9);
    println!(
        "\nRelevance floor: best image similarity of {} gibberish queries: p50 {:.3}, p90 {:.3}, p99 {:.3}, max {:.3} \
         (90th percentile rounded up to 0.05: {:.2}; in use: MIN_SIMILARITY = {:.2}); \
         images above the floor per gibberish query: mean {:.2}, p99 {}, max {}; {:.1}% of them get none",
        null.len(),
        pct(&mut null, 0.5),
        p90,
        pct(&mut null, 0.99),
        pct(&mut null, 1.0),
        (p90 / 0.05).ceil() * 0.05,
        MIN_SIMILARITY,
        above.iter().sum::<f32>() / above.len().max(1) as f32,
        pct(&mut above, 0.99),
        pct(&mut above, 1.0),
        100.0 * above.iter().filter(|&&a| a == 0.0).count() as f64 / above.len().max(1) as f64,
    );
    let (mut pairs, mut kept, mut candidates) = (0usize, 0usize, 0usize);
    let mut rel_sims = Vec::new();
    for q in queries {
        let rel = relevant(preds, q);
        let qv = space
            .query_vector(&q.text, embedder)
            .map_err(|e| e.to_string())?;
        let hits = index
            .search(&qv, index.len(), &Filter::All)
            .map_err(|e| e.to_string())?;
        candidates += hits.iter().filter(|h| h.score >= MIN_SIMILARITY).count();
        for h in hits.iter().filter(|h| rel.contains(h.id.as_str())) {
            pairs += 1;
            kept += usize::from(h.score >= MIN_SIMILARITY);
            rel_sims.push(h.score);
        }
    }
    println!(
        "Query set: relevant images' similarity p10 {:.3}, p50 {:.3}; {kept} of {pairs} relevant images ({:.1}%) are above the floor; \
         {:.1} vector candidates per query above it (of {} images)",
        pct(&mut rel_sims, 0.1),
        pct(&mut rel_sims, 0.5),
        100.0 * kept as f64 / pairs.max(1) as f64,
        candidates as f64 / queries.len().max(1) as f64,
        index.len()
    );
    Ok(())
}

/// Semantic-only scores for other class-text recipes: names only, descriptions with 0, 3, 6
/// (the recipe) or all specific categories, names and description averaged (recipe 1), and
/// the recipe with the top-1 label only.
fn run_ablation(
    space: &SemanticSpace,
    embedder: &TextEmbedder,
    preds: &[(String, Top5)],
    queries: &[Query],
) -> Result<(), String> {
    let classes = imagenet_classes();
    let embed_all = |texts: Vec<String>| -> Result<Vec<f32>, String> {
        let mut out = Vec::new();
        for chunk in texts.chunks(32) {
            let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
            for v in embedder.embed(&refs).map_err(|e| e.to_string())? {
                out.extend(v);
            }
        }
        Ok(out)
    };
    let desc = |cats: usize| -> Vec<String> {
        classes.iter().map(|c| class_description(c, cats)).collect()
    };
    let dim = TextEmbedder::DIM;
    let names = embed_all(classes.iter().map(|c| class_texts(c).0).collect())?;
    let recipe: Vec<f32> = (0..classes.len())
        .flat_map(|i| space.class_embedding(i).expect("class").to_vec())
        .collect();
    let mut both = Vec::with_capacity(names.len());
    for (a, b) in names.chunks_exact(dim).zip(recipe.chunks_exact(dim)) {
        let mut v: Vec<f32> = a.iter().zip(b).map(|(x, y)| x + y).collect();
        normalize(&mut v);
        both.extend(v);
    }
    let variants: Vec<(&str, Vec<f32>, bool)> = vec![
        ("names only", names, false),
        ("description, no categories", embed_all(desc(0))?, false),
        ("description, 3 categories", embed_all(desc(3))?, false),
        (
            "description, 6 categories (the recipe)",
            recipe.clone(),
            false,
        ),
        (
            "description, all specific categories",
            embed_all(desc(usize::MAX))?,
            false,
        ),
        ("names + description averaged (recipe 1)", both, false),
        ("the recipe, top-1 label only", recipe, true),
    ];
    println!("\nRecipe ablation (semantic only, top-5 labels unless said):\n");
    println!("| class texts | P@10 | nDCG@10 | recall@50 |\n|---|---|---|---|");
    for (name, data, top1) in variants {
        let sp = SemanticSpace::from_class_embeddings(dim, data).map_err(|e| e.to_string())?;
        let ix = build_index(&sp, preds, top1);
        let mut t = Scores::default();
        for q in queries {
            let rel = relevant(preds, q);
            let qv = space
                .query_vector(&q.text, embedder)
                .map_err(|e| e.to_string())?;
            t.add(Scores::of(&vector_ranking(&ix, &qv, ix.len()), &rel));
        }
        let t = t.mean(queries.len());
        println!("| {name} | {:.3} | {:.3} | {:.3} |", t.p10, t.ndcg10, t.r50);
    }
    Ok(())
}

/// The images whose file-name WordNet id the query lists.
fn relevant<'a>(preds: &'a [(String, Top5)], q: &Query) -> HashSet<&'a str> {
    preds
        .iter()
        .map(|(s, _)| s.as_str())
        .filter(|s| q.relevant.contains(&&s[..9]))
        .collect()
}
