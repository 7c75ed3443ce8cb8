//! The command line: subcommands and their arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "schoolcert",
    version,
    about = "Platform of the sector CERT for Dutch primary and secondary schools"
)]
pub struct Cli {
    /// A TOML configuration file (environment variables override it).
    #[arg(long, global = true, env = "SCHOOLCERT_CONFIG")]
    pub config: Option<PathBuf>,
    /// Print results as JSON (one object) instead of a line of text.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web application, API and background work.
    Serve,
    /// Run the web application on a fresh SQLite database filled with a synthetic sector.
    Demo {
        /// Where to put the demo database (recreated on every start).
        #[arg(long, default_value = "schoolcert-demo.db")]
        database: PathBuf,
        /// Number of synthetic boards.
        #[arg(long, default_value_t = 220)]
        boards: usize,
    },
    /// Bring the database schema up to date and stop.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Import registry data.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Vulnerability information: import CSAF/CVE/KEV/EPSS files, sync CSAF providers.
    Advisories {
        #[command(subcommand)]
        command: AdvisoriesCommand,
    },
    /// Which board owns an IP address or domain name.
    Lookup {
        /// An IPv4/IPv6 address or a host name.
        query: String,
    },
    /// Print the API's OpenAPI document.
    Openapi,
    /// Security event feeds: ingest files, pull from Shadowserver, send digests, purge.
    Feed {
        #[command(subcommand)]
        command: FeedCommand,
    },
    /// Stored security events.
    Events {
        #[command(subcommand)]
        command: EventsCommand,
    },
    /// Measure throughput.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum FeedCommand {
    /// Ingest report files (Shadowserver CSV, IntelMQ JSON lines, a configured generic CSV).
    Ingest {
        /// The report type or feed when the file name does not say (`scan_rdp`,
        /// `Accessible-RDP`, `intelmq`, or a `[feeds.generic_csv.NAME]` mapping).
        #[arg(long)]
        feed: Option<String>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Pull the reports of a day (default today, plus the configured days before) from
    /// Shadowserver's Reports API.
    Pull {
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
    /// Queue the digests that are due now (the worker does this hourly).
    Digest,
    /// Delete events older than the retention (`feeds.retention_days`, default 365).
    Purge,
}

#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// Write events to standard output, one IntelMQ JSON object a line.
    Export {
        #[arg(long, default_value = "intelmq")]
        format: String,
        #[arg(long)]
        feed: Option<String>,
        /// The board's DUO number.
        #[arg(long)]
        board: Option<String>,
        /// Only events last seen at or after this time (RFC 3339 or YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Parse, match and deduplicate a synthetic Shadowserver `scan_rdp` report against a
    /// 1,300-board / 50,000-prefix registry, then ingest it into a scratch database of the
    /// configured kind (a temporary SQLite file, or a temporary PostgreSQL schema).
    Feeds {
        #[arg(long, default_value_t = 200_000)]
        rows: u64,
        /// Skip the storage part.
        #[arg(long)]
        no_storage: bool,
        /// Do not keep each event's original line (`raw`); see `feeds.keep_raw`.
        #[arg(long)]
        no_raw: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input.
    Create {
        #[arg(long)]
        role: String,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        name: String,
        /// The board's DUO number (board contacts only).
        #[arg(long)]
        board: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user and print it (once).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// DUO's public CSV files of boards and school locations.
    Duo {
        #[arg(long)]
        boards: Option<PathBuf>,
        #[arg(long)]
        schools: Option<PathBuf>,
        /// Sector of a location file that does not say (po or vo).
        #[arg(long)]
        sector: Option<String>,
    },
    /// A CSV of `duo_number,asset` rows, registered as approved by the CERT.
    Assets { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum AdvisoriesCommand {
    /// Import files or folders: `csaf` documents, `cve` JSON 5 records, the `kev` catalogue
    /// JSON, or the `epss` daily CSV (gzip or plain). Re-importing is harmless.
    Import {
        /// csaf, cve, kev or epss.
        kind: String,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Fetch new and changed documents from every configured CSAF provider.
    Sync,
}
