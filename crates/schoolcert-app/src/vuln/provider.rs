//! The CERT as a CSAF trusted provider: each published advisory as a CSAF 2.0 document, and
//! the whole `/.well-known/csaf/` tree (provider-metadata.json, TLP folders, index.txt,
//! changes.csv, hashes, OpenPGP signatures, ROLIE feeds) rebuilt in the publishing
//! transaction. Files are served from the database; only TLP:CLEAR ones without login.

use schoolcert_domain::Tlp;
use schoolcert_domain::access::Actor;
use schoolcert_store::Cx;
use schoolcert_store::vuln::advisories as store_advisories;
use schoolcert_store::vuln::provider::{self as store, FileRow};
use schoolcert_vuln::advisory::SectorAdvisory;
use schoolcert_vuln::openpgp::Signer;
use schoolcert_vuln::publish::{
    self, Access, ProviderConfig, PublishedDocument, PublisherInfo, canonical_json,
};

use super::catalogue::Loaded;
use super::from_json;
use crate::{App, AppError, AppResult, Msg};

const KEY_SETTING: &str = "csaf_signing_key";

/// The URL of `/.well-known/csaf/` with a trailing slash.
pub fn base_url(app: &App) -> String {
    app.config.link("/.well-known/csaf/")
}

fn publisher(app: &App) -> PublisherInfo {
    PublisherInfo {
        name: app.config.cert_name.clone(),
        namespace: app.config.vuln.publisher_namespace.clone(),
        contact_details: app.config.vuln.publisher_contact.clone(),
        issuing_authority: None,
    }
}

/// The advisory as canonical CSAF JSON text.
pub fn advisory_csaf(app: &App, loaded: &Loaded, adv: &SectorAdvisory) -> AppResult<String> {
    let value = publish::to_csaf(
        adv,
        &loaded.catalogue,
        &publisher(app),
        &base_url(app),
        env!("CARGO_PKG_VERSION"),
    )
    .map_err(|e| {
        AppError::conflict(
            format!("CSAF-export mislukt: {e}"),
            format!("CSAF export failed: {e}"),
        )
    })?;
    String::from_utf8(canonical_json(&value)).map_err(|e| AppError::Internal(e.to_string()))
}

/// The signing key: configured, or generated once and kept in the database.
async fn signer(app: &App, cx: &mut Cx) -> AppResult<Signer> {
    let armored = match &app.config.vuln.signing_key_path {
        Some(path) => std::fs::read_to_string(path).map_err(|e| {
            AppError::Internal(format!(
                "cannot read the CSAF signing key {}: {e}",
                path.display()
            ))
        })?,
        None => match store::setting(cx, KEY_SETTING).await? {
            Some(k) => k,
            None => {
                let seed = schoolcert_domain::token::random_bytes::<32>()
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                let uid = format!(
                    "{} CSAF <{}>",
                    app.config.cert_name,
                    app.config.mail_domain()
                );
                let k = schoolcert_vuln::openpgp::generate_key(&uid, seed)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                store::set_setting(cx, KEY_SETTING, &k, app.now()).await?;
                k
            }
        },
    };
    Signer::from_armored(&armored, &app.config.vuln.signing_key_passphrase)
        .map_err(|e| AppError::Internal(format!("the CSAF signing key is unusable: {e}")))
}

/// Regenerates every provider file from the published advisories. Fails (and so refuses the
/// publication) when any document does not pass the CSAF tests.
pub async fn rebuild(app: &App, cx: &mut Cx, _loaded: &Loaded) -> AppResult<usize> {
    let rows = store_advisories::all(cx).await?;
    let mut docs = Vec::new();
    for r in rows.iter().filter(|r| r.status == "published") {
        let Some(csaf) = &r.csaf else { continue };
        let value: serde_json::Value = from_json(csaf, "CSAF document")?;
        let d = PublishedDocument::from_json(&value).map_err(|e| {
            AppError::conflict(
                format!("{} kan niet gepubliceerd worden: {e}", r.tracking_id),
                format!("{} cannot be published: {e}", r.tracking_id),
            )
        })?;
        docs.push(d);
    }
    let config = ProviderConfig {
        base_url: base_url(app),
        publisher: publisher(app),
        list_on_aggregators: true,
        mirror_on_aggregators: true,
        advertise_protected_feeds: false,
    };
    let signer = signer(app, cx).await?;
    let files = publish::build(&config, &docs, &signer, app.now()).map_err(|e| {
        AppError::Invalid(vec![crate::FieldError::new(
            "advisory",
            Msg::new(
                format!("Het CSAF-document voldoet niet aan de verplichte tests: {e}"),
                format!("The CSAF document fails the mandatory tests: {e}"),
            ),
        )])
    })?;
    let rows: Vec<(String, Vec<u8>, String)> = files
        .into_iter()
        .map(|f| {
            let access = match f.access {
                Access::Public => "public".to_owned(),
                Access::Restricted(t) => t.code().to_owned(),
            };
            (f.path, f.bytes, access)
        })
        .collect();
    let n = rows.len();
    store::replace_files(cx, &rows, app.now()).await?;
    Ok(n)
}

/// A provider file for a reader: TLP:CLEAR for everyone; TLP:GREEN for any logged-in member
/// of the community; AMBER and stricter only for CERT staff (boards get AMBER advisories as
/// their own notices, which list only their products). Anything else is "not found", so its
/// existence is not revealed.
pub async fn file(app: &App, actor: Option<&Actor>, path: &str) -> AppResult<FileRow> {
    let mut cx = app.db.read().await?;
    let row = store::file(&mut cx, path)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.access == "public" {
        return Ok(row);
    }
    let tlp: Tlp = row.access.parse().map_err(|_| AppError::NotFound)?;
    let allowed = match actor {
        Some(a) if a.is_cert() => true,
        Some(a) => a.board_id.is_some() && tlp == Tlp::Green,
        None => false,
    };
    if allowed {
        Ok(row)
    } else {
        Err(AppError::NotFound)
    }
}

/// The files a reader may see (a directory listing).
pub async fn listing(app: &App, actor: Option<&Actor>) -> AppResult<Vec<String>> {
    let mut cx = app.db.read().await?;
    let rows = store::paths(&mut cx).await?;
    Ok(rows
        .into_iter()
        .filter(|(_, access)| {
            access == "public"
                || actor.is_some_and(|a| a.is_cert() || (a.board_id.is_some() && access == "green"))
        })
        .map(|(p, _)| p)
        .collect())
}
