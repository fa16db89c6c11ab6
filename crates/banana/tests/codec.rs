//! The binary says which JPEG code path it runs (issue 14, item 15): `banana config` and
//! `banana bench ingest` print `JPEG codec: …`, read from the linked libjpeg-turbo itself, so a
//! build without nasm (plain C, 2–3× slower thumbnails) is visible instead of silent.

use std::path::PathBuf;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_banana");

fn banana(args: &[&str], extra: &[(&str, &str)]) -> (bool, String) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = Command::new(BIN)
        .args(args)
        .current_dir(tmp.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::var_os("HOME").unwrap_or_default())
        .env("TMPDIR", tmp.path())
        .env("BANANA_DATA_DIR", tmp.path().join("data"))
        .envs(extra.iter().copied())
        .output()
        .expect("run banana");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn codec_line(stdout: &str) -> String {
    stdout
        .lines()
        .find(|l| l.starts_with("JPEG codec: "))
        .unwrap_or_else(|| panic!("no `JPEG codec:` line in\n{stdout}"))
        .to_string()
}

#[test]
fn config_reports_the_jpeg_codec_the_library_runs() {
    let (ok, stdout) = banana(&["config"], &[]);
    assert!(ok);
    let line = codec_line(&stdout);
    if cfg!(any(target_arch = "x86_64", target_arch = "x86"))
        && banana_core::media::codec::NASM_AT_BUILD
    {
        // nasm was there when this was built, so libjpeg-turbo must have its SIMD kernels
        // (fails for a mozjpeg-sys built before nasm was installed: `cargo clean -p mozjpeg-sys`).
        assert!(
            line.starts_with("JPEG codec: libjpeg-turbo SIMD ("),
            "{line}"
        );
    } else {
        assert!(line.contains("without SIMD"), "{line}");
    }
    // libjpeg-turbo's own switch turns the kernels off: the report follows the library.
    let (ok, stdout) = banana(&["config"], &[("JSIMD_FORCENONE", "1")]);
    assert!(ok);
    assert_eq!(
        codec_line(&stdout),
        "JPEG codec: libjpeg-turbo without SIMD (disabled by JSIMD_FORCENONE=1)"
    );
}

#[test]
fn bench_ingest_says_which_jpeg_path_it_runs() {
    let data =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/imagenet-sample");
    let models = std::env::var_os("BANANA_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cache/banana/models")
        });
    if !data.is_dir() || banana_vision::locate_models(&models).is_none() {
        assert!(
            std::env::var("BANANA_TEST_REQUIRE_ALL").as_deref() != Ok("1"),
            "needs {} and the models in {}",
            data.display(),
            models.display()
        );
        eprintln!("skipping: no sample data or models");
        return;
    }
    let models = models.display().to_string();
    let (ok, stdout) = banana(
        &[
            "bench",
            "ingest",
            &data.display().to_string(),
            "--limit",
            "2",
        ],
        &[
            ("BANANA_MODELS_DIR", &models),
            ("BANANA_MODELS_AUTO_FETCH", "false"),
        ],
    );
    assert!(ok, "{stdout}");
    let line = codec_line(&stdout);
    assert!(line.contains("libjpeg-turbo"), "{line}");
    let (ok, stdout) = banana(
        &[
            "bench",
            "ingest",
            &data.display().to_string(),
            "--limit",
            "1",
        ],
        &[("BANANA_MODELS_DIR", &models), ("JSIMD_FORCENONE", "1")],
    );
    assert!(ok, "{stdout}");
    assert!(codec_line(&stdout).contains("without SIMD"));
}
