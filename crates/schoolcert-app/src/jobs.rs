//! Background work, claimed from the database queue so any instance may run it: sending mail,
//! periodic housekeeping, and the jobs other services add. `tick` is what `serve` runs every
//! few seconds and what tests call to run everything that is due.

use chrono::Duration;
use schoolcert_store::{accounts, jobs, ratelimit};

use crate::{App, AppError, AppResult};

/// What one tick did, for logs and tests.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct TickReport {
    pub jobs_run: usize,
    pub jobs_failed: usize,
    pub mail: crate::mail::sender::SendReport,
}

const MAX_ATTEMPTS: i64 = 5;

/// Schedules periodic jobs (once per period across all instances), runs due jobs, sends mail.
pub async fn tick(app: &App, worker: &str) -> AppResult<TickReport> {
    schedule_periodic(app).await?;
    let mut report = TickReport::default();
    loop {
        let mut cx = app.db.write().await?;
        let job = jobs::claim(&mut cx, worker, app.now(), Duration::minutes(15)).await?;
        cx.commit().await?;
        let Some(job) = job else { break };
        let outcome = dispatch(app, &job.kind, &job.payload.0).await;
        let mut cx = app.db.write().await?;
        match outcome {
            Ok(()) => jobs::complete(&mut cx, job.id, app.now()).await?,
            Err(e) => {
                report.jobs_failed += 1;
                tracing::warn!(job = job.id, kind = %job.kind, attempts = job.attempts, error = %e, "job failed");
                let retry = (job.attempts < MAX_ATTEMPTS).then(|| {
                    app.now() + Duration::minutes(2i64.pow(job.attempts.clamp(0, 10) as u32))
                });
                jobs::fail(&mut cx, job.id, &e.to_string(), retry, app.now()).await?;
            }
        }
        cx.commit().await?;
        report.jobs_run += 1;
    }
    report.mail = crate::mail::sender::send_due(app).await?;
    Ok(report)
}

/// Runs one job by kind. Services add their kinds here.
async fn dispatch(app: &App, kind: &str, _payload: &serde_json::Value) -> AppResult<()> {
    match kind {
        "registry.housekeeping" => housekeeping(app).await,
        "vuln.sync" => crate::vuln::sync::sync_all(app).await.map(|_| ()),
        "feeds.digest" => crate::feeds::digest::send_due(app).await.map(|_| ()),
        "feeds.purge" => crate::feeds::purge(app).await.map(|_| ()),
        "feeds.pull" => crate::feeds::pull::pull(app, None).await.map(|_| ()),
        "cases.clocks" => crate::cases::clocks::send_reminders(app).await.map(|_| ()),
        other => Err(AppError::Internal(format!("unknown job kind {other:?}"))),
    }
}

/// Enqueues the periodic jobs of the current period; the unique key makes this idempotent
/// across instances.
async fn schedule_periodic(app: &App) -> AppResult<()> {
    let now = app.now();
    let hour = now.format("%Y-%m-%dT%H").to_string();
    let mut cx = app.db.write().await?;
    jobs::enqueue(
        &mut cx,
        "registry.housekeeping",
        &serde_json::json!({}),
        now,
        Some(&format!("registry.housekeeping:{hour}")),
        now,
    )
    .await?;
    // CSAF provider sync every `sync_every_hours` hours (period key: day and hour slot).
    let every = app.config.vuln.sync_every_hours;
    if every > 0 && !app.config.vuln.providers.is_empty() {
        let slot = chrono::Timelike::hour(&now) / every.min(24);
        jobs::enqueue(
            &mut cx,
            "vuln.sync",
            &serde_json::json!({}),
            now,
            Some(&format!("vuln.sync:{}:{slot}", now.format("%Y-%m-%d"))),
            now,
        )
        .await?;
    }
    // Feeds: digests hourly (each board's own frequency decides whether one is due), the
    // retention purge daily, the Shadowserver pull hourly when a key is configured.
    let day = now.format("%Y-%m-%d").to_string();
    let mut periodic = vec![
        ("feeds.digest", format!("feeds.digest:{hour}")),
        ("feeds.purge", format!("feeds.purge:{day}")),
    ];
    if app.config.feeds.shadowserver.enabled() {
        periodic.push(("feeds.pull", format!("feeds.pull:{hour}")));
    }
    for (kind, key) in periodic {
        jobs::enqueue(&mut cx, kind, &serde_json::json!({}), now, Some(&key), now).await?;
    }
    // Legal clocks: every ten minutes, so a reminder "2 hours before" is on time.
    let slot = format!(
        "{}{}",
        now.format("%Y-%m-%dT%H:"),
        now.format("%M").to_string().chars().next().unwrap_or('0')
    );
    jobs::enqueue(
        &mut cx,
        "cases.clocks",
        &serde_json::json!({}),
        now,
        Some(&format!("cases.clocks:{slot}")),
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

/// Hourly: expire joining links, remind boards of stale contacts (each at most monthly),
/// forget expired sessions, old rate-limit windows and old jobs.
async fn housekeeping(app: &App) -> AppResult<()> {
    crate::registry::join::expire_links(app).await?;
    crate::registry::reminders::send_contact_reminders(app).await?;

    let now = app.now();
    let mut cx = app.db.write().await?;
    accounts::sessions::purge_expired(&mut cx, now).await?;
    ratelimit::purge(&mut cx, now - Duration::days(2)).await?;
    jobs::purge_finished(&mut cx, now - Duration::days(30)).await?;
    cx.commit().await?;
    Ok(())
}
