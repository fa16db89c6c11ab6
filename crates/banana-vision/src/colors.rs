//! Dominant colours of an image, named.

use image::RgbImage;

/// One of an image's dominant colours.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedColor {
    /// A plain colour name from a small fixed palette (`red`, `blue`, …).
    pub name: &'static str,
    /// The cluster's mean colour, `#rrggbb`.
    pub hex: String,
    /// Share of the image's pixels, 0–1.
    pub fraction: f32,
}

/// The names [`dominant_colors`] can return.
pub const COLOR_NAMES: &[&str] = &[];

/// The few dominant colours of `image`, largest share first.
pub fn dominant_colors(_image: &RgbImage) -> Vec<NamedColor> {
    todo!("colours helper")
}
