//! The demo's registry: boards named and spread like Dutch school boards, their schools,
//! contacts, prefixes and domains, a few boards mid-joining, overlapping claims and stale
//! contacts for the CERT to find.

use anyhow::Context;
use chrono::Duration;
use schoolcert_app::App;
use schoolcert_app::auth::passwords;
use schoolcert_domain::access::Role;
use schoolcert_domain::asset::{AssetStatus, parse_asset};
use schoolcert_domain::registry::application::ApplicationState;
use schoolcert_domain::registry::{BoardStatus, ContactRole};
use schoolcert_domain::{BoardId, Lang, Timestamp};
use schoolcert_store::accounts::users::{self as user_store, NewUser};
use schoolcert_store::changes;
use schoolcert_store::registry::applications::{self, NewApplication};
use schoolcert_store::registry::assets::{self, NewAsset};
use schoolcert_store::registry::boards::{self, BoardFields};
use schoolcert_store::registry::contacts::{self, ContactFields};
use schoolcert_store::registry::schools::{self, SchoolFields};
use schoolcert_store::registry::terms;

use super::{Login, Rng};

const CITIES: &[(&str, &str)] = &[
    ("Amsterdam", "10"),
    ("Rotterdam", "30"),
    ("Den Haag", "25"),
    ("Utrecht", "35"),
    ("Eindhoven", "56"),
    ("Groningen", "97"),
    ("Tilburg", "50"),
    ("Almere", "13"),
    ("Breda", "48"),
    ("Nijmegen", "65"),
    ("Apeldoorn", "73"),
    ("Haarlem", "20"),
    ("Arnhem", "68"),
    ("Enschede", "75"),
    ("Amersfoort", "38"),
    ("Zaanstad", "15"),
    ("Den Bosch", "52"),
    ("Zwolle", "80"),
    ("Leiden", "23"),
    ("Maastricht", "62"),
    ("Dordrecht", "33"),
    ("Emmen", "78"),
    ("Venlo", "59"),
    ("Deventer", "74"),
    ("Delft", "26"),
    ("Leeuwarden", "89"),
    ("Alkmaar", "18"),
    ("Helmond", "57"),
    ("Hilversum", "12"),
    ("Heerlen", "64"),
    ("Oss", "53"),
    ("Assen", "94"),
    ("Middelburg", "43"),
    ("Goes", "44"),
    ("Zeist", "37"),
    ("Roermond", "60"),
    ("Harderwijk", "38"),
    ("Meppel", "79"),
    ("Sneek", "86"),
    ("Gouda", "28"),
    ("Hoorn", "16"),
    ("Doetinchem", "70"),
    ("Terneuzen", "45"),
];
const BOARD_KINDS: &[&str] = &[
    "Stichting Openbaar Onderwijs",
    "Stichting Katholiek Primair Onderwijs",
    "Vereniging voor Christelijk Onderwijs",
    "Stichting Protestants-Christelijk Onderwijs",
    "Scholengroep",
    "Stichting Samenwerkingsbestuur",
    "Onderwijsstichting",
    "Stichting Voortgezet Onderwijs",
    "Stichting Primair Onderwijs",
    "Stichting Kindcentra",
];
const SCHOOL_PO: &[&str] = &[
    "OBS De Regenboog",
    "CBS De Wegwijzer",
    "RKBS Sint Jozef",
    "OBS 't Eenspan",
    "CBS De Fontein",
    "Basisschool De Vlinder",
    "OBS De Springplank",
    "KBS De Klimboom",
    "CBS Het Kompas",
    "OBS De Zonnewijzer",
    "Jenaplanschool De Kring",
    "Montessorischool",
    "Daltonschool De Horizon",
    "OBS De Linde",
    "CBS De Ark",
    "IKC De Boomgaard",
];
const SCHOOL_VO: &[&str] = &[
    "College",
    "Lyceum",
    "Scholengemeenschap",
    "Vakcollege",
    "Gymnasium",
    "Mavo",
    "Praktijkschool",
];
const FIRST: &[&str] = &[
    "Anna", "Bram", "Carla", "Daan", "Eva", "Fatima", "Gerrit", "Hanna", "Ilse", "Jeroen", "Karim",
    "Lotte", "Mohamed", "Noor", "Pieter", "Sanne", "Thijs", "Yara",
];
const LAST: &[&str] = &[
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "El Amrani",
    "Yilmaz",
    "van Dijk",
];
const FUNCTIONS: &[&str] = &[
    "ICT-coördinator",
    "Functionaris gegevensbescherming",
    "Security officer",
    "Bestuurssecretaris",
    "Manager bedrijfsvoering",
    "Informatiemanager",
];

pub const DEMO_PASSWORD_CERT: &str = "Demo-beheer-2026!";
pub const DEMO_PASSWORD_BOARD: &str = "Demo-contact-2026!";
/// A fixed second-factor secret for the demo's CERT accounts (the code page shows the code).
pub const DEMO_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in schoolcert_domain::registry::board::search_key(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    // DNS labels are at most 63 characters; demo domains stay well under that.
    out.chars()
        .take(40)
        .collect::<String>()
        .trim_matches('-')
        .to_owned()
}

struct DemoBoard {
    id: BoardId,
    domain: String,
    status: BoardStatus,
}

pub async fn fill(app: &App, n_boards: usize) -> anyhow::Result<Vec<Login>> {
    let mut rng = Rng::new(2026);
    let now = app.now();
    let mut cx = app.db.write().await?;
    let terms_id = terms::current(&mut cx)
        .await?
        .context("default terms missing")?
        .id;
    let mut made = Vec::new();
    let mut brin_counter = 0usize;
    let mut used_names = std::collections::HashSet::new();
    let mut used_domains = std::collections::HashSet::new();
    for i in 0..n_boards {
        let (city, prefix2) = *rng.pick(CITIES);
        let kind = *rng.pick(BOARD_KINDS);
        let mut name = format!("{kind} {city}");
        for n in 2.. {
            if used_names.insert(name.clone()) {
                break;
            }
            name = match ["Noord", "Zuid", "Oost", "West", "Centrum", "e.o."].get(n - 2) {
                Some(region) => format!("{kind} {city} {region}"),
                None => format!("{kind} {city} {n}"),
            };
        }
        let (po, vo) = match rng.below(10) {
            0..=6 => (true, false),
            7 | 8 => (false, true),
            _ => (true, true),
        };
        let sectors = schoolcert_domain::registry::Sectors { po, vo };
        let base = slug(&name);
        let mut domain = format!("{base}.nl");
        for n in 2.. {
            if used_domains.insert(domain.clone()) {
                break;
            }
            domain = format!("{base}-{n}.nl");
        }
        let status = match i {
            i if i < n_boards * 72 / 100 => BoardStatus::Active,
            i if i < n_boards * 72 / 100 + 2 => BoardStatus::Suspended,
            i if i < n_boards * 80 / 100 => BoardStatus::Applying,
            _ => BoardStatus::Registered,
        };
        let fields = BoardFields {
            duo_number: format!("{}", 40000 + i * 7),
            name: name.clone(),
            sectors: sectors.code().into(),
            street: format!(
                "{} {}",
                [
                    "Schoolstraat",
                    "Kerkstraat",
                    "Stationsweg",
                    "Dorpsstraat",
                    "Julianalaan"
                ][i % 5],
                1 + rng.below(200)
            ),
            postcode: format!(
                "{}{:02} {}{}",
                prefix2,
                rng.below(100),
                (b'A' + rng.below(26) as u8) as char,
                (b'A' + rng.below(26) as u8) as char
            ),
            city: city.to_uppercase(),
            kvk_number: Some(format!("{:08}", 40_000_000 + rng.below(9_999_999))),
            rio_id: None,
            website: Some(format!("www.{domain}")),
        };
        let created = now - Duration::days(400 + rng.below(300) as i64);
        let id = boards::insert(&mut cx, &fields, BoardStatus::Registered, created).await?;
        if status != BoardStatus::Registered {
            boards::set_status(
                &mut cx,
                id,
                if status == BoardStatus::Applying {
                    BoardStatus::Applying
                } else {
                    BoardStatus::Active
                },
                None,
                created + Duration::days(30),
            )
            .await?;
            if status == BoardStatus::Suspended {
                boards::set_status(
                    &mut cx,
                    id,
                    status,
                    Some("contactgegevens al een jaar niet bijgewerkt"),
                    now - Duration::days(20),
                )
                .await?;
            }
        }
        // Schools: primary boards run many small schools, secondary boards a few large ones.
        let count = match (po, vo) {
            (true, false) => 3 + rng.below(13),
            (false, true) => 1 + rng.below(4),
            _ => 4 + rng.below(10),
        };
        for s in 0..count {
            brin_counter += 1;
            let letters = (
                (b'A' + (brin_counter / 26 % 26) as u8) as char,
                (b'A' + (brin_counter % 26) as u8) as char,
            );
            let brin = format!("{:02}{}{}", brin_counter / 676 % 100, letters.0, letters.1);
            let is_vo = vo && (!po || s % 2 == 1);
            let school_name = if is_vo {
                format!("{} {}", city, rng.pick(SCHOOL_VO))
            } else {
                rng.pick(SCHOOL_PO).to_string()
            };
            schools::insert(
                &mut cx,
                &SchoolFields {
                    board_id: id.0,
                    code: format!("{brin}00"),
                    brin,
                    name: school_name,
                    street: format!(
                        "{} {}",
                        [
                            "Lindelaan",
                            "Meidoornstraat",
                            "Parkweg",
                            "Beatrixstraat",
                            "Molenweg"
                        ][s % 5],
                        1 + rng.below(120)
                    ),
                    postcode: format!(
                        "{}{:02} {}{}",
                        prefix2,
                        rng.below(100),
                        (b'A' + rng.below(26) as u8) as char,
                        (b'A' + rng.below(26) as u8) as char
                    ),
                    city: city.to_uppercase(),
                    sectors: if is_vo { "vo".into() } else { "po".into() },
                    website: None,
                },
                created,
            )
            .await?;
        }
        made.push(DemoBoard { id, domain, status });
    }

    // Contacts, terms, network assets for every board that joined or is joining.
    for (i, b) in made.iter().enumerate() {
        if b.status == BoardStatus::Registered {
            continue;
        }
        let joined = now - Duration::days(200 + rng.below(300) as i64);
        let n_contacts = if b.status == BoardStatus::Applying && i % 2 == 0 {
            1
        } else {
            2 + rng.below(2)
        };
        for (k, role) in [
            ContactRole::Primary,
            ContactRole::Secondary,
            ContactRole::PrivacyOfficer,
        ]
        .iter()
        .take(n_contacts)
        .enumerate()
        {
            let first = *rng.pick(FIRST);
            let last = *rng.pick(LAST);
            let email = format!(
                "{}.{}@{}",
                slug(first),
                slug(last).replace('-', ""),
                b.domain
            );
            let fields = ContactFields {
                name: format!("{first} {last}"),
                function: rng.pick(FUNCTIONS).to_string(),
                email,
                phone: format!("0{}{:07}", 10 + rng.below(80), rng.below(9_999_999)),
                role: *role,
                pgp_key: None,
                pgp_fingerprint: None,
            };
            // Some contacts were last confirmed long ago, so the portal asks to check them.
            let confirmed = if k == 1 && rng.chance(15) {
                joined - Duration::days(250)
            } else {
                joined
            };
            let cid = contacts::insert(&mut cx, b.id, &fields, true, confirmed).await?;
            contacts::confirm(&mut cx, cid, confirmed).await?;
        }
        if b.status != BoardStatus::Applying || i % 3 == 0 {
            terms::accept(
                &mut cx,
                b.id,
                terms_id,
                schoolcert_domain::UserId(0),
                joined,
            )
            .await?;
        }
        let claim = |v: String, status: AssetStatus| (v, status);
        let mut claims = vec![claim(
            format!("145.{}.{}.0/24", 100 + i / 250, i % 250),
            AssetStatus::Approved,
        )];
        if rng.chance(40) {
            claims.push(claim(
                format!("82.{}.{}.0/23", 150 + i / 120, (i % 120) * 2),
                AssetStatus::Approved,
            ));
        }
        if rng.chance(60) {
            claims.push(claim(
                format!("2001:67c:{:x}::/48", 0x2000 + i),
                AssetStatus::Approved,
            ));
        }
        claims.push(claim(
            b.domain.clone(),
            if rng.chance(85) {
                AssetStatus::Verified
            } else {
                AssetStatus::Pending
            },
        ));
        if rng.chance(25) {
            claims.push(claim(
                format!("leerlingen-{}", b.domain),
                AssetStatus::Pending,
            ));
        }
        if b.status == BoardStatus::Applying {
            for c in &mut claims {
                c.1 = AssetStatus::Pending;
            }
        }
        for (value, status) in claims {
            let v = parse_asset(&value).with_context(|| format!("demo asset {value}"))?;
            let token = (status == AssetStatus::Pending
                && matches!(v, schoolcert_domain::asset::AssetValue::Domain(_)))
            .then(|| format!("demo{:x}", rng.next() & 0xffff_ffff));
            assets::insert(
                &mut cx,
                &NewAsset {
                    board_id: b.id,
                    value: &v,
                    status,
                    claimed_by: None,
                    evidence: if status == AssetStatus::Verified {
                        "TXT-record gevonden"
                    } else {
                        ""
                    },
                    challenge_token: token.as_deref(),
                },
                None,
                joined,
            )
            .await?;
        }
    }
    // Two overlaps for the conflict list: a board claiming a range inside another's, and a
    // shared supplier range claimed twice.
    if made.len() > 12 {
        for (board, value) in [
            (made[5].id, "145.100.2.0/25"),
            (made[7].id, "145.100.9.0/24"),
        ] {
            let v = parse_asset(value)?;
            assets::insert(
                &mut cx,
                &NewAsset {
                    board_id: board,
                    value: &v,
                    status: AssetStatus::Approved,
                    claimed_by: None,
                    evidence: "opgegeven door de leverancier",
                    challenge_token: None,
                },
                None,
                now - Duration::days(3),
            )
            .await?;
        }
    }
    changes::bump(&mut cx, changes::ASSETS, now).await?;
    cx.commit().await?;

    accounts(app, &made, now).await
}

async fn accounts(app: &App, made: &[DemoBoard], now: Timestamp) -> anyhow::Result<Vec<Login>> {
    let mut logins = Vec::new();
    let cert_hash = passwords::hash(&app.config, DEMO_PASSWORD_CERT).await?;
    let board_hash = passwords::hash(&app.config, DEMO_PASSWORD_BOARD).await?;
    let mut cx = app.db.write().await?;
    for (role, email) in [
        (Role::CertAdmin, "beheerder@demo.schoolcert.nl"),
        (Role::CertAnalyst, "analist@demo.schoolcert.nl"),
    ] {
        let id = user_store::insert(
            &mut cx,
            &NewUser {
                email,
                name: role.name(Lang::Nl),
                role,
                board_id: None,
                password_hash: Some(&cert_hash),
                lang: Lang::Nl,
            },
            now,
        )
        .await?;
        user_store::set_totp(&mut cx, id, Some(DEMO_TOTP_SECRET), true, now).await?;
        logins.push(Login {
            role: role.code(),
            email: email.into(),
            password: DEMO_PASSWORD_CERT,
            note: "second factor: the code is shown on the code page".into(),
        });
    }
    let active = made
        .iter()
        .find(|b| b.status == BoardStatus::Active)
        .context("no active demo board")?;
    let email = format!("ict@{}", active.domain);
    user_store::insert(
        &mut cx,
        &NewUser {
            email: &email,
            name: "ICT-coördinator",
            role: Role::BoardContact,
            board_id: Some(active.id),
            password_hash: Some(&board_hash),
            lang: Lang::Nl,
        },
        now,
    )
    .await?;
    let board = boards::get(&mut cx, schoolcert_domain::access::Scope::All, active.id).await?;
    logins.push(Login {
        role: "board_contact",
        email: email.clone(),
        password: DEMO_PASSWORD_BOARD,
        note: format!("active board: {}", board.name),
    });

    // Applicants of joining boards: one still filling in, one waiting for the CERT.
    let joining: Vec<&DemoBoard> = made
        .iter()
        .filter(|b| b.status == BoardStatus::Applying)
        .collect();
    for (k, b) in joining.iter().enumerate() {
        let board = boards::get(&mut cx, schoolcert_domain::access::Scope::All, b.id).await?;
        let email = format!("aanvrager@{}", b.domain);
        let uid = user_store::insert(
            &mut cx,
            &NewUser {
                email: &email,
                name: "Aanvrager",
                role: Role::BoardContact,
                board_id: Some(b.id),
                password_hash: Some(&board_hash),
                lang: Lang::Nl,
            },
            now,
        )
        .await?;
        let aid = applications::insert(
            &mut cx,
            &NewApplication {
                board_id: b.id,
                applicant_name: "Aanvrager",
                applicant_email: &email,
                confirm_token_hash: &format!("demo-{k}"),
                confirm_expires_at: now,
            },
            now - Duration::days(5),
        )
        .await?;
        applications::set_user(&mut cx, aid, uid).await?;
        applications::set_state(
            &mut cx,
            aid,
            ApplicationState::Draft,
            None,
            None,
            now - Duration::days(5),
        )
        .await?;
        // Boards with two contacts and the terms accepted have submitted.
        let complete = k % 2 == 1 && k % 3 == 0;
        if complete || k % 4 == 1 {
            applications::set_state(
                &mut cx,
                aid,
                ApplicationState::Submitted,
                None,
                None,
                now - Duration::days(1),
            )
            .await?;
        }
        if k < 2 {
            logins.push(Login {
                role: "board_contact",
                email,
                password: DEMO_PASSWORD_BOARD,
                note: format!("joining board: {}", board.name),
            });
        }
    }
    cx.commit().await?;
    Ok(logins)
}
