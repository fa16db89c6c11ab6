//! The real face detector: BlazeFace fetched with pip, run by ONNX Runtime, on real photos.

mod common;

use banana_vision::decode_image;
use banana_vision::faces::{FaceDetector, FaceModel};

/// Photos with clearly visible faces, and how many faces the full-range model must find
/// (at least).
const PEOPLE: &[(&str, usize)] = &[
    ("n02669723_academic_gown.JPEG", 1),
    ("n03124170_cowboy_hat.JPEG", 2),
    ("n03372029_flute.JPEG", 2),
    ("n02883205_bow_tie.JPEG", 2),
    ("n03617480_kimono.JPEG", 1),
    ("n03710721_maillot.JPEG", 1),
    ("n03763968_military_uniform.JPEG", 1),
    ("n03787032_mortarboard.JPEG", 2),
    ("n04584207_wig.JPEG", 1),
    ("n03877472_pajama.JPEG", 1),
    ("n04487394_trombone.JPEG", 1),
    ("n10148035_groom.JPEG", 3),
];

/// Photos without people.
const NO_PEOPLE: &[&str] = &[
    "n04355933_sunglass.JPEG",
    "n04536866_violin.JPEG",
    "n03494278_harmonica.JPEG",
    "n02963159_cardigan.JPEG",
    "n03314780_face_powder.JPEG",
    "n03676483_lipstick.JPEG",
    "n09193705_alp.JPEG",
    "n09468604_valley.JPEG",
    "n09332890_lakeside.JPEG",
];

#[test]
fn finds_faces_on_people_and_none_elsewhere() {
    let Some(dir) = common::sample_dir() else {
        return;
    };
    let det = FaceDetector::load(common::face_models(), 2).unwrap();
    for &(file, want) in PEOPLE {
        let img = decode_image(&dir.join(file)).unwrap();
        let faces = det.detect(&img).unwrap();
        assert!(
            faces.len() >= want && faces.len() <= want + 2,
            "{file}: {} faces, want {want}: {faces:?}",
            faces.len()
        );
        for f in &faces {
            let [x, y, w, h] = f.bbox;
            assert!(
                x >= 0.0 && y >= 0.0 && x + w <= 1.0 + 1e-4 && y + h <= 1.0 + 1e-4,
                "{file}: {f:?}"
            );
            assert!(
                w > 0.02 && h > 0.02 && w < 0.8 && h < 0.8,
                "{file}: implausible size {f:?}"
            );
            // Faces are roughly square in pixels.
            let aspect = (w * img.width() as f32) / (h * img.height() as f32);
            assert!(
                (0.6..1.6).contains(&aspect),
                "{file}: aspect {aspect} {f:?}"
            );
            assert!((0.0..=1.0).contains(&f.score), "{file}: {f:?}");
        }
        assert!(faces.windows(2).all(|p| p[0].score >= p[1].score));
    }
    for &file in NO_PEOPLE {
        let img = decode_image(&dir.join(file)).unwrap();
        let faces = det.detect(&img).unwrap();
        assert!(faces.is_empty(), "{file}: {faces:?}");
    }
}

#[test]
fn face_position_matches_the_photo() {
    let Some(dir) = common::sample_dir() else {
        return;
    };
    let det = FaceDetector::load(common::face_models(), 2).unwrap();
    // The soldier's face is left of centre, in the middle band; both models agree.
    let img = decode_image(&dir.join("n03763968_military_uniform.JPEG")).unwrap();
    for model in [FaceModel::Short, FaceModel::Full] {
        let faces = det.detect_with(&img, &[model]).unwrap();
        assert_eq!(faces.len(), 1, "{model:?}: {faces:?}");
        let [x, y, w, h] = faces[0].bbox;
        let (cx, cy) = (x + w / 2.0, y + h / 2.0);
        assert!(
            (0.3..0.45).contains(&cx) && (0.45..0.65).contains(&cy),
            "{model:?}: {faces:?}"
        );
        assert!((0.3..0.5).contains(&w), "{model:?}: {faces:?}");
    }
}

#[test]
fn tiny_and_blank_images_give_no_faces() {
    if common::sample_dir().is_none() {
        return;
    }
    let det = FaceDetector::load(common::face_models(), 1).unwrap();
    for (w, h) in [(1, 1), (3, 700), (640, 480)] {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([128, 128, 128]));
        assert!(det.detect(&img).unwrap().is_empty(), "{w}x{h}");
    }
}
