//! `schoolcert demo`: the same server on a fresh SQLite file filled with a synthetic but
//! realistic sector, with logins for every role printed at start. Demo mode shows the
//! second-factor code of demo accounts on the login page, since no one has their phones.

mod cases;
mod feeds;
mod registry;
mod vuln;

use std::path::Path;

use anyhow::Context;
use schoolcert_app::App;

use crate::config::Settings;
use crate::serve;

/// A deterministic generator, so every demo shows the same sector.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// The demo accounts, for the banner.
pub struct Login {
    pub role: &'static str,
    pub email: String,
    pub password: &'static str,
    pub note: String,
}

pub async fn run(mut settings: Settings, database: &Path, boards: usize) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let p = format!("{}{suffix}", database.display());
        if Path::new(&p).exists() {
            std::fs::remove_file(&p)
                .with_context(|| format!("removing the old demo database {p}"))?;
        }
    }
    settings.database_url = format!("sqlite://{}", database.display());
    settings.app.demo = true;
    let app = serve::open(&settings).await?;
    let started = std::time::Instant::now();
    let logins = fill(&app, boards).await?;
    tracing::info!(
        seconds = started.elapsed().as_secs_f32(),
        "demo sector generated"
    );
    println!("\nschoolcert demo: {}\n", app.config.base_url);
    println!("Log in with (the second-factor code is shown on the code page in demo mode):");
    for l in &logins {
        println!(
            "  {:<22} {:<44} {:<20} {}",
            l.role, l.email, l.password, l.note
        );
    }
    println!(
        "\nJoin as a new board: {}/aanmelden (mail goes to the dev mailbox: log in as administrator, Beheer → Post).\n",
        app.config.base_url
    );
    serve::run(app, settings.listen).await
}

/// Fills an empty database with the synthetic sector; returns the demo logins.
pub async fn fill(app: &App, boards: usize) -> anyhow::Result<Vec<Login>> {
    let logins = registry::fill(app, boards).await?;
    vuln::fill(app).await?;
    let (events, notices) = feeds::fill(app).await?;
    tracing::info!(events, notices, "demo feed data ingested");
    cases::fill(app).await?;
    Ok(logins)
}
