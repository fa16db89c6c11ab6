//! Cross-instance signals over PostgreSQL `LISTEN`/`NOTIFY` (see the `notify` migration: the
//! triggers send them). SQLite is one process's database, so there is nothing to listen to.

use std::time::Duration;

use sqlx::postgres::PgListener;

use crate::{Backend, Db};

/// The channel every process listens on.
pub const CHANNEL: &str = "banana_events";

/// What changed somewhere in the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A job was queued.
    Jobs,
    /// Search vectors were written or deleted.
    Index,
    /// The listener (re)connected: events may have been missed, so catch up.
    Reconnected,
}

impl Event {
    fn parse(payload: &str) -> Option<Event> {
        match payload {
            "jobs" => Some(Event::Jobs),
            "index" => Some(Event::Index),
            _ => None,
        }
    }
}

/// Listen for events until the returned task is aborted, calling `on_event` for each (on a
/// Tokio task: keep it short). Reconnects after errors, with [`Event::Reconnected`] once back.
/// `None` on SQLite.
pub fn spawn_listener(
    db: &Db,
    on_event: impl Fn(Event) + Send + Sync + 'static,
) -> Option<tokio::task::JoinHandle<()>> {
    if db.backend() != Backend::Postgres {
        return None;
    }
    let url = db.url().to_string();
    Some(tokio::spawn(async move {
        let mut first = true;
        loop {
            match listen(&url, &on_event, &mut first).await {
                Ok(()) => {}
                Err(e) => tracing::warn!(error = %e, "LISTEN {CHANNEL}: connection lost; retrying"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }))
}

async fn listen(
    url: &str,
    on_event: &(impl Fn(Event) + Send + Sync),
    first: &mut bool,
) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    if !std::mem::take(first) {
        on_event(Event::Reconnected);
    }
    loop {
        // `try_recv` gives None when the connection dropped (and would reconnect silently
        // on the next call): treat that as a reconnect so the caller catches up.
        match listener.try_recv().await? {
            Some(n) => {
                if let Some(e) = Event::parse(n.payload()) {
                    on_event(e);
                }
            }
            None => {
                on_event(Event::Reconnected);
            }
        }
    }
}
