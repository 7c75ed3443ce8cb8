//! Demo cases: open and closed incidents, a personal-data breach with running clocks, an
//! exercise, a sector incident over several boards (one not yet a member), and CVD cases
//! (one being fixed, one resolved with credit), made through the same use cases as real ones.

use std::net::{IpAddr, Ipv4Addr};

use anyhow::Context;
use chrono::Duration;
use schoolcert_app::App;
use schoolcert_app::auth::actor_of;
use schoolcert_app::cases::messages::MessageInput;
use schoolcert_app::cases::{cvd, incidents, messages, sector};
use schoolcert_cases::intake::pow;
use schoolcert_domain::Lang;
use schoolcert_domain::access::{Actor, Role, Scope};
use schoolcert_domain::registry::BoardStatus;
use schoolcert_store::PageRequest;
use schoolcert_store::accounts::users;
use schoolcert_store::registry::boards::{self, BoardFilter};

async fn actor(app: &App, email: &str) -> anyhow::Result<Actor> {
    let mut cx = app.db.read().await?;
    let u = users::by_email(&mut cx, email)
        .await?
        .with_context(|| format!("demo user {email} missing"))?;
    Ok(actor_of(&u))
}

async fn board_contact(app: &App) -> anyhow::Result<Actor> {
    let mut cx = app.db.read().await?;
    let all = users::list(
        &mut cx,
        Scope::All,
        None,
        PageRequest::new(Some(1), Some(500)),
    )
    .await?;
    for u in all
        .items
        .into_iter()
        .filter(|u| u.role == Role::BoardContact)
    {
        let Some(b) = u.board_id else { continue };
        if boards::get(&mut cx, Scope::All, b).await?.status == BoardStatus::Active {
            return Ok(actor_of(&u));
        }
    }
    anyhow::bail!("no demo board contact of an active board")
}

fn msg(body: &str, shared: bool) -> MessageInput {
    MessageInput {
        body: body.into(),
        shared,
        ..MessageInput::default()
    }
}

async fn cvd_report(
    app: &App,
    ip: u8,
    what: &str,
    location: &str,
    name: &str,
    credit: bool,
) -> anyhow::Result<i64> {
    let ch = cvd::challenge(app).await?;
    let counter = pow::solve(&ch, 1 << 28).context("proof of work")?;
    let s = cvd::submit(
        app,
        IpAddr::V4(Ipv4Addr::new(192, 0, 2, ip)),
        &cvd::IntakeInput {
            what: what.into(),
            location: location.into(),
            reproduce: "Open de genoemde pagina zonder in te loggen; de gegevens staan er direct."
                .into(),
            impact: "Inzage in persoonsgegevens van leerlingen.".into(),
            reporter_name: name.into(),
            contact_email: if name.is_empty() {
                String::new()
            } else {
                format!("{}@example.org", name.to_lowercase())
            },
            credit_consent: credit,
            pow_challenge: ch.text,
            pow_counter: counter.to_string(),
            lang: Lang::Nl,
            ..cvd::IntakeInput::default()
        },
    )
    .await?;
    let page = cvd::status(app, s.status_url.rsplit('/').next().unwrap_or(""), Lang::Nl).await?;
    Ok(page.case_id)
}

/// Adds the demo cases to a filled demo sector.
pub async fn fill(app: &App) -> anyhow::Result<()> {
    let analyst = actor(app, "analist@demo.schoolcert.nl").await?;
    let contact = board_contact(app).await?;
    let own = contact.board_id.context("board")?;
    let (active, others) = {
        let mut cx = app.db.read().await?;
        let all = boards::list(
            &mut cx,
            Scope::All,
            &BoardFilter::default(),
            PageRequest::new(Some(1), Some(500)),
        )
        .await?
        .items;
        let active: Vec<i64> = all
            .iter()
            .filter(|b| b.status == "active" && b.id != own.0)
            .map(|b| b.id)
            .collect();
        let others: Vec<i64> = all
            .iter()
            .filter(|b| b.status != "active")
            .map(|b| b.id)
            .collect();
        (active, others)
    };
    let second = *active.first().context("a second active board")?;

    // An open phishing case reported by the demo board, triaged, with a playbook and advice.
    let open = incidents::report(app, &contact, &incidents::ReportInput {
        subject: "Phishingmail bij de administratie".into(),
        body: "Twee medewerkers hebben op een link in een nepfactuur geklikt en hun wachtwoord ingevuld.".into(),
        personal_data: "unknown".into(),
        ..Default::default()
    }, false).await?;
    incidents::transition(app, &analyst, open.case_id, "triage", None).await?;
    incidents::update(
        app,
        &analyst,
        open.case_id,
        &incidents::UpdateInput {
            classification: Some("fraud/phishing".into()),
            severity: Some("2".into()),
            assignee_user_id: Some(analyst.user_id.0.to_string()),
            ..Default::default()
        },
    )
    .await?;
    incidents::apply_playbook(app, &analyst, open.case_id, "phishing", Lang::Nl).await?;
    incidents::transition(app, &analyst, open.case_id, "advising", None).await?;
    messages::post(
        app,
        &analyst,
        open.case_id,
        &msg(
            "Lijkt op de campagne van vorige week bij twee andere besturen.",
            false,
        ),
    )
    .await?;
    messages::post(app, &analyst, open.case_id, &msg("Reset de wachtwoorden van beide accounts en controleer de doorstuurregels in hun mailbox.", true)).await?;
    messages::post(
        app,
        &contact,
        open.case_id,
        &msg(
            "Wachtwoorden zijn gereset; er stond één doorstuurregel naar een extern adres.",
            false,
        ),
    )
    .await?;

    // A personal-data breach: the 72-hour clock runs.
    let breach = incidents::report(app, &contact, &incidents::ReportInput {
        subject: "Cijferlijst naar verkeerde ouders gemaild".into(),
        body: "Een mentor heeft de cijferlijst van klas 3B naar de ouders van een andere klas gestuurd.".into(),
        personal_data: "yes".into(),
        became_aware_at: schoolcert_domain::time::format_utc(app.now() - Duration::hours(30)),
        ..Default::default()
    }, false).await?;
    incidents::transition(app, &analyst, breach.case_id, "triage", None).await?;
    incidents::update(
        app,
        &analyst,
        breach.case_id,
        &incidents::UpdateInput {
            classification: Some(
                "information-content-security/unauthorised-information-access".into(),
            ),
            ..Default::default()
        },
    )
    .await
    .ok();
    incidents::apply_playbook(app, &analyst, breach.case_id, "datalek", Lang::Nl).await?;

    // A closed case, taken by phone for another board.
    let closed = incidents::report(
        app,
        &analyst,
        &incidents::ReportInput {
            subject: "DDoS op de website".into(),
            body: "De website van de school was een middag onbereikbaar.".into(),
            board_id: Some(second),
            reporter: "Directeur (telefoon)".into(),
            personal_data: "no".into(),
            ..Default::default()
        },
        false,
    )
    .await?;
    for s in ["triage", "advising", "monitoring"] {
        incidents::transition(app, &analyst, closed.case_id, s, None).await?;
    }
    messages::post(
        app,
        &analyst,
        closed.case_id,
        &msg(
            "Vraag de hostingpartij om DDoS-bescherming aan te zetten.",
            true,
        ),
    )
    .await?;
    incidents::transition(app, &analyst, closed.case_id, "closed", Some("resolved")).await?;

    // An exercise: marked everywhere and left out of the statistics.
    let exercise = incidents::report(
        app,
        &contact,
        &incidents::ReportInput {
            subject: "OEFENING: ransomware op de administratieserver".into(),
            body: "Tabletop-oefening met het crisisteam.".into(),
            exercise: true,
            ..Default::default()
        },
        false,
    )
    .await?;
    incidents::transition(app, &analyst, exercise.case_id, "triage", None).await?;

    // A sector incident: a supplier breached, members and one board that has not joined.
    let mut affected = vec![own.0, second];
    affected.extend(active.iter().skip(1).take(2));
    affected.extend(others.first());
    let sid = sector::create(
        app,
        &analyst,
        &sector::SectorInput {
            title: "Inbraak bij leverancier leerlingvolgsysteem".into(),
            description: "De leverancier meldt dat inloggegevens van beheerders zijn buitgemaakt."
                .into(),
            board_ids: affected,
            include_non_members: true,
            classification: "intrusions/system-compromise".into(),
            ..Default::default()
        },
    )
    .await?;
    sector::message_all(app, &analyst, sid, "Advies na inbraak bij leverancier", "Wijzig de wachtwoorden van alle beheerdersaccounts in het leerlingvolgsysteem en zet tweestapsverificatie aan.", "amber").await?;
    sector::confirm(app, &contact, sid).await?;

    // CVD: one the board is fixing, one resolved with credit, one waiting for triage.
    let fixing = cvd_report(
        app,
        10,
        "Leerlingdossiers zonder inlog op te vragen via het ouderportaal",
        "https://ouders.voorbeeldschool.nl/dossier?id=1",
        "",
        false,
    )
    .await?;
    cvd::identify(app, &analyst, fixing, own, false).await?;
    for s in ["triage", "accepted", "board_notified", "remediation"] {
        cvd::transition(app, &analyst, fixing, s, None, None).await?;
    }
    let fixed = cvd_report(
        app,
        11,
        "Open directory listing met foto's van leerlingen",
        "https://fotos.voorbeeldschool.nl/uploads/",
        "Whitehat42",
        true,
    )
    .await?;
    cvd::identify(app, &analyst, fixed, own, false).await?;
    for s in ["triage", "accepted", "board_notified", "remediation"] {
        cvd::transition(app, &analyst, fixed, s, None, None).await?;
    }
    cvd::confirm_remediation(app, &contact, fixed).await?;
    cvd_report(
        app,
        12,
        "Verouderde WordPress-installatie met bekende kwetsbaarheid",
        "www.onbekende-school.nl",
        "",
        false,
    )
    .await?;
    Ok(())
}
