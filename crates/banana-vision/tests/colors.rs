//! Dominant colours of real photos.

mod common;

use banana_vision::colors::dominant_colors;
use banana_vision::decode_image;

fn names(file: &str) -> Option<Vec<&'static str>> {
    let dir = common::sample_dir()?;
    let img = decode_image(&dir.join(file)).unwrap();
    let c = dominant_colors(&img);
    eprintln!("{file}: {c:?}");
    let total: f32 = c.iter().map(|c| c.fraction).sum();
    assert!(total <= 1.0 + 1e-5 && c.len() <= 4, "{file}: {c:?}");
    Some(c.iter().map(|c| c.name).collect())
}

#[test]
fn red_objects_contain_red() {
    for file in ["n03345487_fire_engine.JPEG", "n07745940_strawberry.JPEG"] {
        let Some(n) = names(file) else { return };
        assert!(n.contains(&"red"), "{file}: {n:?}");
    }
}

#[test]
fn lemon_is_yellow() {
    let Some(n) = names("n07749582_lemon.JPEG") else {
        return;
    };
    assert!(n.contains(&"yellow"), "{n:?}");
}
