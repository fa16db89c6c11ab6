//! Calibrates which labels a user is shown (see `src/taxonomy.rs`) on a folder of photos whose
//! file names start with their ImageNet WordNet id (`../shared/data/imagenet-sample`), and
//! prints `data/label_calibration.tsv`.
//!
//! ```text
//! cargo run --release -p banana-vision --example calibrate_labels -- DIR > crates/banana-vision/data/label_calibration.tsv
//! ```
//!
//! Before the final calibration on every photo it checks the method on held-out photos:
//! calibrated on the even-numbered files, measured on the odd ones (and the other way round);
//! that report goes to stderr and into the file's comments. Photos are classified as the
//! service classifies them: the preview (longest side 1280 px, never enlarged) of the decoded
//! file.

use std::path::PathBuf;

use banana_vision::taxonomy::{Observation, Shown, Taxonomy, CATEGORY_PRECISION, CLASS_PRECISION};
use banana_vision::{class_by_wnid, decode_image, ensure_models, Classifier, ModelId};

/// How the shown labels of `test` fare under a taxonomy calibrated elsewhere.
#[derive(Default)]
struct Score {
    photos: usize,
    class_shown: usize,
    class_right: usize,
    category_shown: usize,
    category_right: usize,
    top1_right: usize,
}

fn score(t: &Taxonomy, test: &[&Observation]) -> Score {
    let mut s = Score::default();
    for o in test {
        s.photos += 1;
        s.top1_right += usize::from(o.top5[0].0 == o.truth);
        let shown = t.shown(&o.top5, &o.sums);
        match shown.first() {
            Some(Shown::Class(..)) => {
                s.class_shown += 1;
                // Right when any shown class is the truth.
                let right = shown
                    .iter()
                    .any(|x| matches!(x, Shown::Class(c, _) if *c == o.truth));
                s.class_right += usize::from(right);
            }
            Some(&Shown::Category(c, _)) => {
                s.category_shown += 1;
                s.category_right +=
                    usize::from(t.categories[c].classes.binary_search(&o.truth).is_ok());
            }
            None => {}
        }
    }
    s
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .first()
        .map(PathBuf::from)
        .ok_or("usage: calibrate_labels DIR [CLASS_PRECISION CATEGORY_PRECISION]")?;
    let class_precision: f64 = args.get(1).map_or(Ok(CLASS_PRECISION), |a| a.parse())?;
    let category_precision: f64 = args.get(2).map_or(Ok(CATEGORY_PRECISION), |a| a.parse())?;
    let paths = ensure_models(
        &banana_vision::dev_models_dir(),
        &[ModelId::OnnxRuntime, ModelId::EfficientNetLite0],
        &|e| eprintln!("models: {e}"),
    )?;
    let classifier = Classifier::load(&paths, 2)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut obs = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let Some(truth) = name.get(..9).and_then(class_by_wnid) else {
            continue;
        };
        let Ok(mut img) = decode_image(path) else {
            eprintln!("skipping {name} (not an image)");
            continue;
        };
        if img.width().max(img.height()) > 1280 {
            img = image::imageops::thumbnail(&img, 1280, 1280);
        }
        let p = classifier.classify_batch(&[img])?.remove(0);
        obs.push(Observation {
            top5: p.top5,
            sums: p.sums,
            truth: truth.index,
        });
    }
    let base = Taxonomy::uncalibrated();
    let mut report = vec![format!(
        "{} photos; targets: a shown class right {:.0}% of the time, a shown category {:.0}%",
        obs.len(),
        class_precision * 100.0,
        category_precision * 100.0
    )];
    let mut total = Score::default();
    for half in 0..2 {
        let train: Vec<Observation> = obs
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == half)
            .map(|(_, o)| o.clone())
            .collect();
        let test: Vec<&Observation> = obs
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 != half)
            .map(|(_, o)| o)
            .collect();
        let mut t = Taxonomy::uncalibrated();
        t.apply(&base.calibrate(&train, class_precision, category_precision));
        let s = score(&t, &test);
        total.photos += s.photos;
        total.class_shown += s.class_shown;
        total.class_right += s.class_right;
        total.category_shown += s.category_shown;
        total.category_right += s.category_right;
        total.top1_right += s.top1_right;
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    report.push(format!(
        "held out (calibrated on one half, measured on the other, both ways): top-1 right {:.1}%; \
         a class shown for {:.1}% of photos, right {:.1}%; a category instead for {:.1}%, right {:.1}%; nothing shown {:.1}%",
        pct(total.top1_right, total.photos),
        pct(total.class_shown, total.photos),
        pct(total.class_right, total.class_shown),
        pct(total.category_shown, total.photos),
        pct(total.category_right, total.category_shown),
        pct(total.photos - total.class_shown - total.category_shown, total.photos),
    ));
    let cal = base.calibrate(&obs, class_precision, category_precision);
    let mut t = Taxonomy::uncalibrated();
    t.apply(&cal);
    let s = score(&t, &obs.iter().collect::<Vec<_>>());
    report.push(format!(
        "on all photos (the shipped calibration): a class shown for {:.1}%, right {:.1}%; a category for {:.1}%, right {:.1}%",
        pct(s.class_shown, s.photos),
        pct(s.class_right, s.class_shown),
        pct(s.category_shown, s.photos),
        pct(s.category_right, s.category_shown),
    ));
    for line in &report {
        eprintln!("{line}");
    }
    println!("# Label calibration: written by `cargo run --release -p banana-vision --example calibrate_labels -- ../shared/data/imagenet-sample`.");
    println!("# kind\tid\tthreshold\tnote");
    for line in &report {
        println!("# {line}");
    }
    let fmt = |t: f32| {
        if t.is_finite() {
            format!("{t:.4}")
        } else {
            "never".into()
        }
    };
    let mut groups: Vec<(&&str, &f32)> = cal.groups.iter().collect();
    groups.sort_by(|a, b| a.0.cmp(b.0));
    for (id, t) in groups {
        let own = (0..1000)
            .filter(|&c| base.group_of(c).is_some_and(|g| *g.id == **id))
            .count();
        println!(
            "group\t{id}\t{}\t{own} classes have it as deepest category",
            fmt(*t)
        );
    }
    for c in &base.categories {
        let th = cal.categories.get(c.id).copied().unwrap_or(f32::INFINITY);
        println!(
            "category\t{}\t{}\t{} classes",
            c.id,
            fmt(th),
            c.classes.len()
        );
    }
    Ok(())
}
