//! The web UI (`web/dist`, built by Vite) is embedded at compile time: rebuild this crate when
//! it changes or appears, so a binary never keeps an empty or stale UI.
fn main() {
    println!("cargo:rerun-if-changed=../../web/dist");
    println!("cargo:rerun-if-changed=build.rs");
}
