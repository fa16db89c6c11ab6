//! The pipeline with a [`LocalSink`] over a folder of good and broken files (no server needed).
//! Uses `../shared/data/exif-samples/` (skipped when absent); the classifier runs when the models
//! are in `BANANA_MODELS_DIR` or `~/.cache/banana/models`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use banana_ingest::{run, walk_files, FileResult, LocalSink, Options, Outcome};

fn samples() -> Option<PathBuf> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/exif-samples/jpg");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} not found", dir.display());
        None
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

/// A folder with: `jpg/invalid` and `jpg/tests` (odd but decodable files), a text file named
/// `.jpg`, a truncated copy of a good JPEG, an empty `.jpg`, a `.txt` file (not picked up), and a
/// second copy of one good file (a duplicate).
fn mixed_folder(src: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_dir(&src.join("invalid"), &root.join("invalid"));
    copy_dir(&src.join("tests"), &root.join("tests"));
    let broken = root.join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("notes.jpg"), b"this is not an image\n").unwrap();
    std::fs::write(broken.join("empty.jpg"), b"").unwrap();
    std::fs::write(broken.join("readme.txt"), b"ignored").unwrap();
    let good = std::fs::read(src.join("orientation/landscape_3.jpg")).unwrap();
    std::fs::write(broken.join("truncated.jpg"), &good[..good.len() * 2 / 3]).unwrap();
    std::fs::write(root.join("again.jpg"), &good).unwrap();
    std::fs::write(root.join("zz-again-copy.jpg"), &good).unwrap();
    tmp
}

/// Two classifiers when the models are present, none otherwise.
fn classifier() -> Vec<banana_vision::Classifier> {
    let dir = banana_testkit::models_dir();
    let Some(models) = banana_vision::locate_models(&dir) else {
        eprintln!(
            "models not found in {}: running without labels",
            dir.display()
        );
        return Vec::new();
    };
    (0..2)
        .map(|_| banana_vision::Classifier::load(&models, 1).unwrap())
        .collect()
}

#[test]
fn good_files_are_stored_broken_ones_rejected_with_reasons() {
    let Some(src) = samples() else { return };
    let folder = mixed_folder(&src);
    let out = tempfile::tempdir().unwrap();
    let sink = LocalSink::new(out.path()).unwrap();
    let classifier = classifier();
    let opts = Options {
        workers: 2,
        batch_size: 3,
        ..Options::default()
    };
    let roots = [folder.path().to_path_buf()];
    let mut results: HashMap<String, FileResult> = HashMap::new();
    let summary = run(
        walk_files(&roots, opts.extensions.as_deref()),
        &opts,
        classifier.as_slice(),
        &sink,
        &mut |r| {
            let name = r.path.strip_prefix(folder.path()).unwrap();
            results.insert(name.to_string_lossy().into_owned(), r.clone());
        },
    );

    let count = |sub: &str| {
        let dirs = [src.join(sub)];
        walk_files(&dirs, opts.extensions.as_deref()).count()
    };
    let (n_invalid, n_tests) = (count("invalid"), count("tests"));
    // Every picked-up file has exactly one result; the .txt file is not picked up.
    assert_eq!(results.len(), n_invalid + n_tests + 3 + 2);
    assert_eq!(summary.files as usize, results.len());
    assert!(!results.contains_key("broken/readme.txt"));

    for name in [
        "broken/notes.jpg",
        "broken/empty.jpg",
        "broken/truncated.jpg",
    ] {
        match &results[name].outcome {
            Outcome::Rejected { reason } => assert!(!reason.is_empty(), "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    let reason = |n: &str| match &results[n].outcome {
        Outcome::Rejected { reason } => reason.clone(),
        _ => String::new(),
    };
    assert!(reason("broken/notes.jpg").contains("not a supported image format"));
    assert!(reason("broken/truncated.jpg").contains("truncated"));
    assert_eq!(summary.rejected, 3);
    assert_eq!(summary.failed, 0);

    // The two copies of one file: one import, one duplicate of it (whichever worker stored
    // first).
    let (a, b) = (&results["again.jpg"], &results["zz-again-copy.jpg"]);
    assert_eq!(a.sha256, b.sha256);
    let sha = a.sha256.clone().unwrap();
    let mut outcomes = [a.outcome.clone(), b.outcome.clone()];
    outcomes.sort_by_key(|o| matches!(o, Outcome::Duplicate { .. }));
    assert_eq!(
        outcomes,
        [
            Outcome::Imported { id: sha.clone() },
            Outcome::Duplicate { existing: sha }
        ]
    );
    assert_eq!(summary.duplicates, 1);

    // Everything else was stored, with its preview and thumbnail, and labelled if a classifier
    // is available.
    assert_eq!(summary.imported as usize, n_invalid + n_tests + 1);
    for (name, r) in &results {
        let Outcome::Imported { id } = &r.outcome else {
            continue;
        };
        let original = sink.original_path(id);
        assert_eq!(
            std::fs::read(&original).unwrap(),
            std::fs::read(folder.path().join(name)).unwrap()
        );
        let thumb = std::fs::read(original.with_file_name(format!("{id}.thumb.jpg"))).unwrap();
        let thumb = image::load_from_memory(&thumb).unwrap();
        assert!(thumb.width().max(thumb.height()) <= 256);
        assert!(original
            .with_file_name(format!("{id}.preview.jpg"))
            .is_file());
        assert!(r.timings.decode.is_some() && r.timings.store.is_some());
        if !classifier.is_empty() {
            let p = r.prediction.as_ref().expect("a prediction");
            assert_eq!(p.top5.len(), 5);
        }
    }
    assert!(summary.stages.decode.count() >= summary.imported);

    // A second run over the same folder stores nothing new: every good file is a duplicate,
    // found before decoding.
    let again = run(
        walk_files(&roots, opts.extensions.as_deref()),
        &opts,
        &[],
        &sink,
        &mut |r| {
            if let Outcome::Duplicate { .. } = r.outcome {
                assert!(r.timings.decode.is_none(), "{}", r.path.display());
            }
        },
    );
    assert_eq!(again.imported, 0);
    assert_eq!(again.duplicates, summary.imported + 1);
    assert_eq!(again.rejected, 3);
}

#[test]
fn a_stopped_run_starts_no_file() {
    let Some(src) = samples() else { return };
    let out = tempfile::tempdir().unwrap();
    let sink = LocalSink::new(out.path()).unwrap();
    let opts = Options {
        stop: Some(Arc::new(AtomicBool::new(true))),
        ..Options::default()
    };
    let roots = [src.join("tests")];
    let summary = run(
        walk_files(&roots, opts.extensions.as_deref()),
        &opts,
        &[],
        &sink,
        &mut |r| panic!("{} was started", r.path.display()),
    );
    assert_eq!(summary.files, 0);
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn pixel_limit_is_enforced_before_decoding() {
    let Some(src) = samples() else { return };
    let out = tempfile::tempdir().unwrap();
    let sink = LocalSink::new(out.path()).unwrap();
    let opts = Options {
        limits: banana_media::Limits { max_pixels: 1000 },
        ..Options::default()
    };
    let roots = [src.join("orientation")];
    let summary = run(
        walk_files(&roots, opts.extensions.as_deref()),
        &opts,
        &[],
        &sink,
        &mut |r| {
            assert!(r.timings.thumbnails.is_none());
        },
    );
    assert_eq!(summary.rejected, 16);
    assert!(summary.rejected_list[0].1.contains("over the limit"));
}
