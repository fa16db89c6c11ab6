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
    /// Run the HTTP server (API and web UI) on BANANA_LISTEN.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Print the configuration variables and their current values (secrets redacted).
    Config,
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
        Command::Serve => serve(config).await,
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

async fn serve(config: Config) -> anyhow::Result<()> {
    let listen = config.listen;
    let app: Arc<App> = App::build(config, true).await?;
    tracing::info!(
        database = ?app.db.backend(),
        storage = %app.storage.describe(),
        demo = app.config.demo,
        "starting"
    );
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("binding BANANA_LISTEN {listen}"))?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    banana_server::serve(app.clone(), listener, shutdown_signal()).await?;
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
