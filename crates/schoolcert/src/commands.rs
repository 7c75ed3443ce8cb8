//! What each subcommand does. Commands that change data print a one-line summary, or with
//! `--json` the same as one JSON object; refused rows go to the output too, by line.

use std::io::Read;

use anyhow::{Context, bail};
use schoolcert_app::auth::{tokens, users};
use schoolcert_app::registry::{assets, assets_import, duo_import};
use schoolcert_app::{App, AppError};
use schoolcert_domain::Lang;
use schoolcert_domain::access::Role;
use schoolcert_domain::registry::Sectors;
use schoolcert_store::audit::By;
use serde_json::json;

use crate::cli::{
    AdvisoriesCommand, BenchCommand, Cli, Command, EventsCommand, ImportCommand, TokenCommand,
    UserCommand,
};
use crate::config::Settings;
use crate::{bench, demo, feeds, serve};

/// Prints a result: the summary line, or the JSON value with `--json`.
pub(crate) fn report(json: bool, summary: &str, value: serde_json::Value) {
    if json {
        println!("{value}");
    } else {
        println!("{summary}");
    }
}

/// Turns a use case's refusal into a readable error for the terminal.
pub(crate) fn explain(e: AppError) -> anyhow::Error {
    match &e {
        AppError::Invalid(fields) => anyhow::anyhow!(
            "{}",
            fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message.get(Lang::En)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        _ => anyhow::anyhow!("{}", e.message(Lang::En)),
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load(cli.config.as_deref())?;
    let json = cli.json;
    match cli.command {
        Command::Serve => {
            let app = serve::open(&settings).await?;
            serve::run(app, settings.listen).await
        }
        Command::Demo { database, boards } => demo::run(settings, &database, boards).await,
        Command::Migrate => {
            let app = serve::open(&settings).await?;
            report(
                json,
                "database migrated",
                json!({ "migrated": true, "backend": format!("{:?}", app.db.backend()) }),
            );
            Ok(())
        }
        Command::Openapi => {
            println!("{}", schoolcert_web::api::openapi_json());
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    role,
                    email,
                    name,
                    board,
                },
        } => {
            let app = serve::open(&settings).await?;
            let role: Role = role.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            let board_id = match board {
                Some(duo) => Some(find_board(&app, &duo).await?),
                None => None,
            };
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']);
            if password.is_empty() {
                bail!(
                    "no password on standard input (for example: echo 'a long passphrase' | schoolcert user create ...)"
                );
            }
            let user = users::create(
                &app,
                By::System("command line"),
                users::NewAccount {
                    email: &email,
                    name: &name,
                    role,
                    board: board_id,
                    password: Some(password),
                    lang: Lang::Nl,
                },
            )
            .await
            .map_err(explain)?;
            report(
                json,
                &format!("created {} {} (id {})", user.role, user.email, user.id),
                json!({ "created": { "id": user.id, "email": user.email, "role": user.role.code() } }),
            );
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Create { email, name },
        } => {
            let app = serve::open(&settings).await?;
            let mut cx = app.db.read().await?;
            let user = schoolcert_store::accounts::users::by_email(&mut cx, &email)
                .await?
                .with_context(|| format!("no user with e-mail address {email}"))?;
            drop(cx);
            let token = tokens::create(&app, &schoolcert_app::auth::actor_of(&user), &name)
                .await
                .map_err(explain)?;
            report(
                json,
                token.expose(),
                json!({ "token": token.expose(), "user": user.email, "name": name }),
            );
            Ok(())
        }
        Command::Import {
            command:
                ImportCommand::Duo {
                    boards,
                    schools,
                    sector,
                },
        } => {
            if boards.is_none() && schools.is_none() {
                bail!("give --boards FILE, --schools FILE or both");
            }
            let read = |p: &std::path::Path| {
                std::fs::read(p).with_context(|| format!("reading {}", p.display()))
            };
            let b = boards.as_deref().map(read).transpose()?;
            let s = schools.as_deref().map(read).transpose()?;
            let sector = sector.map(|s| Sectors::parse(&s));
            let app = serve::open(&settings).await?;
            let r = duo_import::import(
                &app,
                By::System("DUO-import"),
                b.as_deref(),
                s.as_deref(),
                sector,
            )
            .await
            .map_err(explain)?;
            let summary = format!(
                "boards: {} new, {} changed, {} unchanged, {} rejected; schools: {} new, {} changed, {} unchanged, {} rejected{}",
                r.boards.new,
                r.boards.changed,
                r.boards.unchanged,
                r.boards.rejected,
                r.schools.new,
                r.schools.changed,
                r.schools.unchanged,
                r.schools.rejected,
                if r.marked_missing > 0 {
                    format!(
                        "; {} boards no longer in DUO's file (kept)",
                        r.marked_missing
                    )
                } else {
                    String::new()
                }
            );
            report(json, &summary, serde_json::to_value(&r)?);
            if !json {
                for e in &r.rejected {
                    eprintln!("{} line {}: {}", e.file, e.error.line, e.error.reason);
                }
            }
            Ok(())
        }
        Command::Import {
            command: ImportCommand::Assets { file },
        } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let app = serve::open(&settings).await?;
            let r = assets_import::import(&app, By::System("asset-import"), &bytes, Lang::En)
                .await
                .map_err(explain)?;
            let summary = format!(
                "{} rows: {} added, {} already registered, {} rejected, {} overlapping another board",
                r.rows,
                r.added,
                r.already_registered,
                r.rejected.len(),
                r.overlaps.len()
            );
            report(json, &summary, serde_json::to_value(&r)?);
            if !json {
                for e in &r.rejected {
                    eprintln!("line {}: {}", e.line, e.reason);
                }
                for e in &r.overlaps {
                    eprintln!("line {}: overlaps {}", e.line, e.reason);
                }
            }
            Ok(())
        }
        Command::Advisories { command } => advisories(&settings, json, command).await,
        Command::Feed { command } => feeds::run(&settings, json, command).await,
        Command::Events {
            command:
                EventsCommand::Export {
                    format,
                    feed,
                    board,
                    since,
                },
        } => feeds::export(&settings, &format, feed, board, since).await,
        Command::Bench {
            command:
                BenchCommand::Feeds {
                    rows,
                    no_storage,
                    no_raw,
                },
        } => bench::feeds(&settings, json, rows, !no_storage, !no_raw).await,
        Command::Lookup { query } => {
            let app = serve::open(&settings).await?;
            let a = assets::lookup(&app, None, &query).await.map_err(explain)?;
            let line = if a.owners.is_empty() {
                format!("{}: no board", a.query)
            } else {
                let owners = a
                    .owners
                    .iter()
                    .map(|o| format!("{} {} (via {})", o.duo_number, o.board_name, o.matched))
                    .collect::<Vec<_>>()
                    .join("; ");
                let also = a
                    .also_covered_by
                    .iter()
                    .map(|o| format!("{} {} (via {})", o.duo_number, o.board_name, o.matched))
                    .collect::<Vec<_>>()
                    .join("; ");
                format!(
                    "{}: {owners}{}{}",
                    a.query,
                    if also.is_empty() {
                        String::new()
                    } else {
                        format!("; also covered by {also}")
                    },
                    if a.conflict { " [CONFLICT]" } else { "" }
                )
            };
            report(json, &line, serde_json::to_value(&a)?);
            Ok(())
        }
    }
}

pub(crate) async fn find_board(app: &App, duo: &str) -> anyhow::Result<schoolcert_domain::BoardId> {
    let mut cx = app.db.read().await?;
    Ok(
        schoolcert_store::registry::boards::find_by_duo(&mut cx, duo)
            .await?
            .with_context(|| format!("no board with DUO number {duo}"))?
            .id,
    )
}

/// `schoolcert advisories import|sync`.
async fn advisories(
    settings: &crate::config::Settings,
    json: bool,
    command: AdvisoriesCommand,
) -> anyhow::Result<()> {
    use schoolcert_app::vuln::{ingest, sync};
    let app = serve::open(settings).await?;
    match command {
        AdvisoriesCommand::Import { kind, paths } => {
            let kind: ingest::Kind = kind.parse().map_err(explain)?;
            let (inputs, unreadable) = ingest::read_paths(&paths);
            let mut r = ingest::import(&app, None, kind, &inputs)
                .await
                .map_err(explain)?;
            r.refused.extend(unreadable);
            let summary = format!(
                "{} new, {} updated, {} unchanged, {} refused; matches: {} new, {} reopened, {} withdrawn",
                r.inserted,
                r.updated,
                r.unchanged,
                r.refused.len(),
                r.rematch.created,
                r.rematch.reopened,
                r.rematch.withdrawn
            );
            report(json, &summary, serde_json::to_value(&r)?);
            if !json {
                for e in &r.refused {
                    eprintln!("{}: {}", e.source, e.reason);
                }
            }
            Ok(())
        }
        AdvisoriesCommand::Sync => {
            let runs = sync::sync_all(&app).await.map_err(explain)?;
            let summary = runs
                .iter()
                .map(|r| match &r.fatal {
                    Some(f) => format!("{}: failed: {f}", r.provider),
                    None => format!(
                        "{}: {} fetched, {} new, {} updated, {} refused",
                        r.provider,
                        r.fetched,
                        r.import.inserted,
                        r.import.updated,
                        r.refused.len() + r.import.refused.len()
                    ),
                })
                .collect::<Vec<_>>()
                .join("\n");
            report(json, &summary, serde_json::to_value(&runs)?);
            if !json {
                for r in &runs {
                    for e in r.refused.iter().chain(&r.import.refused) {
                        eprintln!("{}: {}", e.source, e.reason);
                    }
                }
            }
            Ok(())
        }
    }
}
