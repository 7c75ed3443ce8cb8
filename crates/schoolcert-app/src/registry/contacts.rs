//! Contact persons: add, change, remove and confirm, validated like every form, audited.

use schoolcert_domain::access::Actor;
use schoolcert_domain::audit::diff;
use schoolcert_domain::pgpkey;
use schoolcert_domain::registry::{BoardStatus, ContactRole, Email};
use schoolcert_domain::{BoardId, ContactId};
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::registry::boards;
use schoolcert_store::registry::contacts::{self, Contact, ContactFields};
use schoolcert_store::{Cx, StoreError};
use serde::Deserialize;

use super::in_scope;
use crate::error::Check;
use crate::{App, AppError, AppResult, Msg};

/// A contact form as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    pub name: String,
    pub function: String,
    pub email: String,
    pub phone: String,
    pub role: String,
    pub pgp_key: String,
}

fn phone_ok(p: &str) -> bool {
    let digits = p.chars().filter(char::is_ascii_digit).count();
    p.chars()
        .all(|c| c.is_ascii_digit() || " +-()./".contains(c))
        && (8..=15).contains(&digits)
}

/// Validates a contact form into storable fields, listing every problem at once.
pub fn validate(input: &ContactInput) -> AppResult<ContactFields> {
    let mut check = Check::new();
    check.required("name", &input.name, "Naam", "Name");
    let email = check.take("email", input.email.parse::<Email>(), |_| {
        Msg::new(
            "Vul een geldig e-mailadres in, bijvoorbeeld naam@school.nl.",
            "Enter a valid e-mail address, for example name@school.nl.",
        )
    });
    let role = check.take("role", input.role.parse::<ContactRole>(), |_| {
        Msg::new("Kies een rol.", "Choose a role.")
    });
    let phone = input.phone.trim();
    if !phone.is_empty() && !phone_ok(phone) {
        check.fail(
            "phone",
            Msg::new(
                "Vul een telefoonnummer in met 8 tot 15 cijfers, bijvoorbeeld 0591 659 840.",
                "Enter a phone number of 8 to 15 digits, for example +31 591 659 840.",
            ),
        );
    }
    let key = input.pgp_key.trim();
    let fingerprint = if key.is_empty() {
        None
    } else {
        check
            .take("pgp_key", pgpkey::inspect(key), |e| Msg::of(&e))
            .map(|i| i.fingerprint)
    };
    check.finish()?;
    let (Some(email), Some(role)) = (email, role) else {
        return Err(AppError::Internal("validated contact lacks fields".into()));
    };
    Ok(ContactFields {
        name: input.name.trim().to_owned(),
        function: input.function.trim().to_owned(),
        email: email.as_str().to_owned(),
        phone: phone.to_owned(),
        role,
        pgp_key: (!key.is_empty()).then(|| key.to_owned()),
        pgp_fingerprint: fingerprint,
    })
}

fn duplicate() -> AppError {
    AppError::invalid(
        "email",
        Msg::new(
            "Deze persoon staat al met deze rol bij het bestuur.",
            "This person is already listed with this role for the board.",
        ),
    )
}

pub async fn list(app: &App, actor: &Actor, board: BoardId) -> AppResult<Vec<Contact>> {
    in_scope(actor, board)?;
    let mut cx = app.db.read().await?;
    Ok(contacts::of_board(&mut cx, actor.scope(), board).await?)
}

pub async fn get(app: &App, actor: &Actor, id: ContactId) -> AppResult<Contact> {
    let mut cx = app.db.read().await?;
    Ok(contacts::get(&mut cx, actor.scope(), id).await?)
}

/// Adds a contact within an open transaction (the joining flow uses this too).
pub async fn add_in(
    cx: &mut Cx,
    app: &App,
    actor: &Actor,
    board: BoardId,
    input: &ContactInput,
) -> AppResult<ContactId> {
    in_scope(actor, board)?;
    boards::get(cx, actor.scope(), board).await?;
    let fields = validate(input)?;
    let now = app.now();
    // Someone entering a contact now vouches for it now.
    let id = contacts::insert(cx, board, &fields, true, now)
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(_) => duplicate(),
            other => other.into(),
        })?;
    audit::record(
        cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(board),
            object_type: "contact",
            object_id: id.0,
            action: "create",
            changes: diff(None, Some(&fields)),
        },
        now,
    )
    .await?;
    Ok(id)
}

pub async fn add(
    app: &App,
    actor: &Actor,
    board: BoardId,
    input: &ContactInput,
) -> AppResult<ContactId> {
    let mut cx = app.db.write().await?;
    let id = add_in(&mut cx, app, actor, board, input).await?;
    cx.commit().await?;
    Ok(id)
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: ContactId,
    input: &ContactInput,
) -> AppResult<()> {
    let mut cx = app.db.write().await?;
    let before = contacts::get(&mut cx, actor.scope(), id).await?;
    let count = distinct_addresses(&mut cx, before.board_id).await?;
    let fields = validate(input)?;
    let now = app.now();
    contacts::update(&mut cx, id, &fields, now)
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(_) => duplicate(),
            other => other.into(),
        })?;
    let changes = diff(Some(&before.fields()), Some(&fields));
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(before.board_id),
            object_type: "contact",
            object_id: id.0,
            action: "update",
            changes,
        },
        now,
    )
    .await?;
    ensure_rule_still_holds(&mut cx, before.board_id, count).await?;
    cx.commit().await?;
    Ok(())
}

/// An active board keeps at least two contacts with distinct addresses.
/// How many distinct contact addresses a board has.
async fn distinct_addresses(cx: &mut Cx, board: BoardId) -> AppResult<usize> {
    let list = contacts::of_board(cx, schoolcert_domain::access::Scope::All, board).await?;
    let mut keys: Vec<String> = list
        .iter()
        .filter_map(|c| c.email.parse::<Email>().ok())
        .map(|e| e.key())
        .collect();
    keys.sort();
    keys.dedup();
    Ok(keys.len())
}

/// An active board keeps at least two contacts with distinct addresses: a change that takes
/// it below two is refused (a board that already had fewer may still edit them).
async fn ensure_rule_still_holds(cx: &mut Cx, board: BoardId, before: usize) -> AppResult<()> {
    let b = boards::get(cx, schoolcert_domain::access::Scope::All, board).await?;
    if !matches!(b.status, BoardStatus::Active | BoardStatus::Suspended) {
        return Ok(());
    }
    let after = distinct_addresses(cx, board).await?;
    if after >= 2 || after >= before {
        Ok(())
    } else {
        Err(AppError::conflict(
            "Een aangesloten bestuur heeft minstens twee contactpersonen met een eigen e-mailadres. Voeg eerst iemand toe.",
            "An active board needs at least two contacts with distinct e-mail addresses. Add someone first.",
        ))
    }
}

pub async fn delete(app: &App, actor: &Actor, id: ContactId) -> AppResult<()> {
    let mut cx = app.db.write().await?;
    let before = contacts::get(&mut cx, actor.scope(), id).await?;
    let count = distinct_addresses(&mut cx, before.board_id).await?;
    contacts::delete(&mut cx, id).await?;
    ensure_rule_still_holds(&mut cx, before.board_id, count).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(before.board_id),
            object_type: "contact",
            object_id: id.0,
            action: "delete",
            changes: diff(Some(&before.fields()), None),
        },
        app.now(),
    )
    .await?;
    cx.commit().await?;
    Ok(())
}

/// "These details are still right": resets the 180-day clock.
pub async fn confirm(app: &App, actor: &Actor, id: ContactId) -> AppResult<()> {
    let mut cx = app.db.write().await?;
    let c = contacts::get(&mut cx, actor.scope(), id).await?;
    let now = app.now();
    contacts::confirm(&mut cx, id, now).await?;
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: Some(c.board_id),
            object_type: "contact",
            object_id: id.0,
            action: "confirm",
            changes: vec![schoolcert_domain::audit::change(
                "confirmed_at",
                c.confirmed_at,
                now,
            )],
        },
        now,
    )
    .await?;
    cx.commit().await?;
    Ok(())
}
