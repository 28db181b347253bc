//! Logging: `tracing` events go to a daily-rolling file in the log folder (and warnings to
//! stderr). Nothing secret is ever logged; user-entered text is not logged either.

use std::path::Path;

use tracing::Subscriber;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Warnings and errors also go to stderr (the CLI's user sees them).
fn stderr_layer<S: Subscriber + for<'a> LookupSpan<'a>>() -> impl Layer<S> {
    tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(LevelFilter::WARN)
}

/// Starts logging; keep the returned guard alive for the life of the process so the log is
/// flushed. Without a usable log folder, logs go to stderr only.
pub fn init(log_dir: &Path) -> Option<WorkerGuard> {
    let filter = EnvFilter::try_from_env("GREENLIGHT_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tao=warn,wry=warn"));
    let appender = std::fs::create_dir_all(log_dir).ok().and_then(|()| {
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("greenlight")
            .filename_suffix("log")
            .max_log_files(14)
            .build(log_dir)
            .ok()
    });
    let Some(appender) = appender else {
        let _ = tracing_subscriber::registry()
            .with(filter)
            .with(stderr_layer())
            .try_init();
        return None;
    };
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let file = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(writer);
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(file)
        .with(stderr_layer())
        .try_init();
    Some(guard)
}
