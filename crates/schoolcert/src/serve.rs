//! Running the service: migrate, install defaults, print the first-administrator link on an
//! empty database, then serve HTTP while a worker loop claims background jobs from the
//! database (so any number of instances can share one PostgreSQL) until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use schoolcert_app::{App, jobs};
use schoolcert_domain::time::SystemClock;
use schoolcert_store::Db;

use crate::config::Settings;

/// Opens and migrates the database and builds the application.
pub async fn open(settings: &Settings) -> anyhow::Result<App> {
    let db = Db::open(&settings.db_options())
        .await
        .with_context(|| format!("opening the database {}", redact(&settings.database_url)))?;
    db.migrate().await.context("migrating the database")?;
    let app = App::new(db, settings.app.clone(), Arc::new(SystemClock))?;
    schoolcert_app::registry::terms::ensure_default(&app).await?;
    Ok(app)
}

/// Hides a password in a database URL before it reaches a log line.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].find(':') {
            Some(c) => format!("{}:***{}", &url[..s + 3 + c], &url[at..]),
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}

pub async fn run(app: App, listen: SocketAddr) -> anyhow::Result<()> {
    if let Some(link) = schoolcert_app::auth::users::first_admin_link(&app).await? {
        println!(
            "\nThe database has no users yet. Create the first CERT administrator here (valid 24 hours):\n\n    {link}\n"
        );
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    tracing::info!(%listen, base_url = %app.config.base_url, backend = ?app.db.backend(), "schoolcert is serving");
    let worker = tokio::spawn(work(app.clone()));
    let router =
        schoolcert_web::router(app.clone()).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown())
        .await
        .context("serving HTTP")?;
    worker.abort();
    app.db.close().await;
    Ok(())
}

/// Background work of this instance: refresh the lookup index when the database changed, run
/// due jobs and send mail, every few seconds.
async fn work(app: App) {
    let worker = format!("{}-{}", hostname(), std::process::id());
    let mut interval = tokio::time::interval(Duration::from_secs(5));
    loop {
        interval.tick().await;
        if let Err(e) = app.index.fresh(&app.db).await {
            tracing::warn!(error = %e, "refreshing the lookup index failed");
        }
        match jobs::tick(&app, &worker).await {
            Ok(r) if r.jobs_run > 0 || r.mail.sent > 0 || r.mail.retried > 0 => tracing::info!(
                jobs = r.jobs_run,
                failed = r.jobs_failed,
                sent = r.mail.sent,
                retried = r.mail.retried,
                "background work"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "background work failed"),
        }
    }
}

fn hostname() -> String {
    std::env::var("HOSTNAME").unwrap_or_else(|_| "schoolcert".into())
}

async fn shutdown() {
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
    tracing::info!("shutting down");
}
