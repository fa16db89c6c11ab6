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
    let x86 = cfg!(any(target_arch = "x86_64", target_arch = "x86"));
    if x86 && banana_core::media::codec::NASM_AT_BUILD {
        // nasm was there when this was built, so libjpeg-turbo must have its SIMD kernels
        // (fails for a mozjpeg-sys built before nasm was installed: `cargo clean -p mozjpeg-sys`).
        assert!(
            line.starts_with("JPEG codec: libjpeg-turbo SIMD ("),
            "{line}"
        );
    } else if x86 {
        assert!(
            line.contains("without SIMD") && line.contains("nasm"),
            "{line}"
        );
    } else {
        assert!(line.starts_with("JPEG codec: libjpeg-turbo"), "{line}");
    }
}

#[test]
fn bench_ingest_says_which_jpeg_path_it_runs() {
    // Beside the repository, or under BANANA_TEST_DATA (worktrees live elsewhere).
    let data = std::env::var_os("BANANA_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
        .join("imagenet-sample");
    let models = std::env::var_os("BANANA_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cache/banana/models")
        });
    // Like the other tests of shared data (tests/common): skipped with a message when the
    // folder beside the repository is absent (e.g. in a worktree elsewhere).
    if !data.is_dir() {
        eprintln!("skipping: {} not found", data.display());
        return;
    }
    if banana_vision::locate_models(&models).is_none() {
        assert!(
            std::env::var("BANANA_TEST_REQUIRE_ALL").as_deref() != Ok("1"),
            "needs the models in {}",
            models.display()
        );
        eprintln!("skipping: no models in {}", models.display());
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
    // The same line as `banana config` (one source: the linked library).
    let (_, config) = banana(&["config"], &[]);
    assert_eq!(line, codec_line(&config));
}
