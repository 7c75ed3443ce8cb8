//! The CERT-maintained catalogue of applications used by schools: what each product is, how
//! advisories name it (CPE, PURL, aliases), how its versions compare, its end of life, and
//! sector facts (national DPIA, model processing agreement). A seed catalogue is embedded.

mod index;
mod lifecycle;
mod load;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use schoolcert_domain::Lang;
use serde::{Deserialize, Serialize};

use crate::version::VersionScheme;

pub use index::{CatalogueIndex, IndexedProduct, MatchMethod, ProductIdx, ResolvedProduct};
pub use lifecycle::{BranchEnd, Lifecycle};
pub use load::{CatalogueError, ProductError};

/// The catalogue's own id of a product, a stable slug such as `fortinet-fortios`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProductId(Arc<str>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a product id (lower-case letters, digits and '-', 2 to 64 characters)")]
pub struct BadProductId(pub String);

impl ProductId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ProductId {
    type Err = BadProductId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let ok = (2..=64).contains(&t.len())
            && t.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !t.starts_with('-')
            && !t.ends_with('-');
        if ok {
            Ok(ProductId(Arc::from(t)))
        } else {
            Err(BadProductId(t.to_owned()))
        }
    }
}

impl TryFrom<String> for ProductId {
    type Error = BadProductId;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<ProductId> for String {
    fn from(p: ProductId) -> Self {
        p.0.to_string()
    }
}

impl fmt::Display for ProductId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of application a product is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    StudentInformationSystem,
    LearningEnvironment,
    IdentitySso,
    CloudSuite,
    EndpointOs,
    DeviceManagement,
    FirewallVpn,
    NasBackup,
    Hypervisor,
    Mail,
    Print,
    RemoteSupport,
    WebsiteCms,
    Other,
}

impl Category {
    pub fn name(self, lang: Lang) -> &'static str {
        use Category::*;
        match self {
            StudentInformationSystem => {
                lang.pick("Leerlingadministratie", "Student information system")
            }
            LearningEnvironment => lang.pick("Leeromgeving", "Learning environment"),
            IdentitySso => lang.pick("Identiteit en single sign-on", "Identity and SSO"),
            CloudSuite => lang.pick("Cloud-kantoorpakket", "Cloud suite"),
            EndpointOs => lang.pick("Besturingssysteem eindgebruiker", "Endpoint OS"),
            DeviceManagement => lang.pick("Apparaatbeheer", "Device management"),
            FirewallVpn => lang.pick("Firewall en VPN", "Firewall and VPN"),
            NasBackup => lang.pick("NAS en back-up", "NAS and backup"),
            Hypervisor => lang.pick("Virtualisatie", "Hypervisor"),
            Mail => lang.pick("E-mail", "Mail"),
            Print => lang.pick("Printbeheer", "Print"),
            RemoteSupport => lang.pick("Beheer op afstand", "Remote support"),
            WebsiteCms => lang.pick("Website en CMS", "Website and CMS"),
            Other => lang.pick("Overig", "Other"),
        }
    }
}

/// How a product is run. SaaS products have no version a board can manage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deployment {
    Saas,
    OnPrem,
    Appliance,
    Client,
}

impl Deployment {
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Deployment::Saas => lang.pick("Clouddienst (SaaS)", "SaaS"),
            Deployment::OnPrem => lang.pick("Eigen server", "On premises"),
            Deployment::Appliance => lang.pick("Apparaat (appliance)", "Appliance"),
            Deployment::Client => lang.pick("Werkplek of app", "Client"),
        }
    }
}

/// Where a product typically sits, for prioritising: an internet-facing VPN gateway is more
/// urgent than an internal file server with the same flaw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exposure {
    InternetFacing,
    Internal,
    Client,
}

impl Exposure {
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Exposure::InternetFacing => lang.pick("Bereikbaar vanaf internet", "Internet-facing"),
            Exposure::Internal => lang.pick("Intern netwerk", "Internal"),
            Exposure::Client => lang.pick("Werkplek", "Client"),
        }
    }
}

/// A vendor and product spelling as advisories write it (CSAF branches, CVE
/// `vendor`/`product`), curated by analysts. Compared after [`crate::text::normalise_name`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Alias {
    pub vendor: String,
    pub product: String,
}

/// How advisories identify the product.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Identifiers {
    /// CPE 2.3 prefixes `cpe:2.3:<part>:<vendor>:<product>`; the product may end in `*`.
    pub cpe: Vec<String>,
    /// PURL identities without version, `pkg:composer/moodle/moodle`.
    pub purl: Vec<String>,
    /// Extra spellings; the product's own vendor + name is always an alias too.
    pub aliases: Vec<Alias>,
}

/// The outcome of a national DPIA (by SIVON/SURF or the government) on a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DpiaOutcome {
    NoHighRisks,
    HighRisksMitigated,
    HighRisksOpen,
    Unknown,
}

impl DpiaOutcome {
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            DpiaOutcome::NoHighRisks => lang.pick("Geen hoge risico's", "No high risks"),
            DpiaOutcome::HighRisksMitigated => {
                lang.pick("Hoge risico's opgelost", "High risks mitigated")
            }
            DpiaOutcome::HighRisksOpen => lang.pick("Hoge risico's open", "High risks open"),
            DpiaOutcome::Unknown => lang.pick("Uitkomst onbekend", "Outcome unknown"),
        }
    }
}

/// A national DPIA on the product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dpia {
    pub outcome: DpiaOutcome,
    #[serde(default)]
    pub year: Option<u16>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Whether the supplier signed the sector's model processing agreement
/// (Model Verwerkersovereenkomst of the Privacyconvenant Onderwijs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementStatus {
    Signed,
    NotSigned,
    #[default]
    Unknown,
    /// Not a processor of pupil data (a firewall, an operating system).
    NotApplicable,
}

/// Facts that matter to the sector beyond security.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SectorFacts {
    /// `None`: no national DPIA known.
    pub dpia: Option<Dpia>,
    pub model_agreement: AgreementStatus,
}

/// One catalogue entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub id: ProductId,
    pub name: String,
    /// The supplier as schools know it; ownership history goes in `notes`.
    pub vendor: String,
    pub category: Category,
    pub deployment: Deployment,
    pub exposure: Exposure,
    #[serde(default)]
    pub identifiers: Identifiers,
    #[serde(default)]
    pub version_scheme: VersionScheme,
    #[serde(default)]
    pub lifecycle: Lifecycle,
    #[serde(default)]
    pub sector: SectorFacts,
    #[serde(default)]
    pub notes: Option<String>,
}

impl Product {
    /// SaaS products (and products whose versions are not compared) match at product level.
    pub fn tracks_versions(&self) -> bool {
        self.deployment != Deployment::Saas && self.version_scheme != VersionScheme::None
    }

    /// Whether a change from `self` to `new` requires re-matching every landscape that holds
    /// the product (identifiers, version scheme or deployment changed). Name, notes and
    /// sector facts do not change any match.
    pub fn matching_changed(&self, new: &Product) -> bool {
        self.identifiers != new.identifiers
            || self.version_scheme != new.version_scheme
            || self.deployment != new.deployment
            || self.exposure != new.exposure
    }
}

/// The catalogue: products in a stable order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Catalogue {
    products: Vec<Product>,
}

/// The embedded seed catalogue (`data/catalogue.toml`).
pub const SEED_TOML: &str = include_str!("../../data/catalogue.toml");

impl Catalogue {
    /// A catalogue from products already checked elsewhere (the store).
    pub fn new(products: Vec<Product>) -> Catalogue {
        Catalogue { products }
    }

    /// The embedded seed catalogue. Its own test guarantees it loads without problems; should
    /// it ever not, the bad products are left out rather than failing the whole catalogue.
    pub fn seed() -> Catalogue {
        Catalogue::from_toml(SEED_TOML)
            .map(|(c, _)| c)
            .unwrap_or_default()
    }

    pub fn products(&self) -> &[Product] {
        &self.products
    }

    pub fn get(&self, id: &ProductId) -> Option<&Product> {
        self.products.iter().find(|p| &p.id == id)
    }

    pub fn len(&self) -> usize {
        self.products.len()
    }

    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    /// Builds the lookup index used by matching.
    pub fn index(&self) -> CatalogueIndex {
        CatalogueIndex::build(self)
    }
}

#[cfg(test)]
mod tests;
