//! The `schoolcert` command: `serve` runs the web application and background work, `demo`
//! runs it on a fresh synthetic sector, and the other subcommands administer the registry.
//! This is the only crate that uses `anyhow`.

#![allow(clippy::print_stdout)] // a command line prints its results

mod bench;
mod cli;
mod commands;
mod config;
mod demo;
mod feeds;
mod serve;

use clap::Parser;

fn main() -> anyhow::Result<()> {
    let cli = cli::Cli::parse();
    init_logging(cli.json);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(commands::run(cli))
}

/// Logs go to stderr (stdout carries command output); `RUST_LOG` chooses the level.
fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,hickory=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
