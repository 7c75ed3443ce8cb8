//! Matching statements to boards: each statement's product is resolved to catalogue
//! products (CPE, PURL, alias), then every board holding such a product gets a version
//! relation. Statements about the same vulnerability are combined into one match per
//! board × product × vulnerability. Deterministic and allocation-light: landscapes are
//! indexed per catalogue product up front.

mod relation;

#[cfg(test)]
pub(crate) mod tests;

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use schoolcert_domain::BoardId;
use serde::Serialize;

use crate::catalogue::{Catalogue, CatalogueIndex, MatchMethod, ProductId, ProductIdx};
use crate::ids::VulnKey;
use crate::landscape::{Landscape, LandscapeProduct};
use crate::statement::{Remediation, SourceRef, Statement};

pub use relation::{MatchLevel, VersionRelation};

/// One match: a board uses a product an advisory speaks about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    pub board: BoardId,
    pub product: ProductId,
    pub vulnerability: VulnKey,
    /// The most certain way any statement tied the advisory to the product.
    pub method: MatchMethod,
    pub relation: VersionRelation,
    pub level: MatchLevel,
    /// The board's recorded versions that are affected (empty unless `Affected` at
    /// version level).
    pub affected_versions: Vec<String>,
    /// Sorted; shared with the statements when only one list contributed.
    pub remediations: Arc<[Remediation]>,
    pub fixed_versions: Arc<[String]>,
    /// Every document or record container that contributed.
    pub sources: Vec<Arc<SourceRef>>,
}

impl Match {
    /// Alias matches are "probable" (shown as such to analysts and boards).
    pub fn is_probable(&self) -> bool {
        self.method.is_probable()
    }
}

/// One board's use of one catalogue product (its landscape lines merged).
#[derive(Debug, Clone)]
struct Holder {
    board: BoardId,
    versions: Vec<String>,
}

/// The matcher: catalogue index plus landscapes indexed by product.
#[derive(Debug, Clone)]
pub struct Matcher {
    index: CatalogueIndex,
    /// Per catalogue product (by index position): the boards holding it.
    holders: Vec<Vec<Holder>>,
}

/// What one kind of source says about a board × product.
#[derive(Default)]
struct Verdict {
    relation: Option<VersionRelation>,
    level: Option<MatchLevel>,
    affected: Vec<String>,
}

impl Verdict {
    fn add(&mut self, relation: VersionRelation, level: MatchLevel, affected: Vec<String>) {
        self.relation = Some(match self.relation {
            Some(r) => r.combine(relation),
            None => relation,
        });
        if self.level != Some(MatchLevel::Version) {
            self.level = Some(level);
        }
        for v in affected {
            if !self.affected.contains(&v) {
                self.affected.push(v);
            }
        }
    }
}

/// Work in progress for one board × product within one vulnerability.
struct Acc {
    method: MatchMethod,
    /// CSAF documents and CVE CNA containers: the parties that state the facts.
    primary: Verdict,
    /// CVE ADP containers (CISA Vulnrichment): they add CPEs but often copy ranges without
    /// the CNA's hotfix `changes`, so they only decide when no primary source spoke.
    secondary: Verdict,
    remediations: Option<Arc<[Remediation]>>,
    fixed: Option<Arc<[String]>>,
    sources: Vec<Arc<SourceRef>>,
}

/// Unites two sorted lists, reusing `a` when `b` adds nothing (the common case: every
/// statement of a record carries the same list).
fn unite<T: Ord + Clone>(a: Option<Arc<[T]>>, b: &Arc<[T]>) -> Option<Arc<[T]>> {
    match a {
        None => Some(b.clone()),
        Some(a) if Arc::ptr_eq(&a, b) || b.iter().all(|x| a.contains(x)) => Some(a),
        Some(a) => {
            let mut v: Vec<T> = a.iter().chain(b.iter()).cloned().collect();
            v.sort();
            v.dedup();
            Some(Arc::from(v))
        }
    }
}

fn is_secondary(source: &SourceRef) -> bool {
    matches!(source, SourceRef::Cve { container } if container != "cna")
}

impl Matcher {
    /// Indexes the catalogue and the landscapes. Proposed (non-catalogue) products and
    /// products unknown to the catalogue are not matched.
    pub fn new(catalogue: &Catalogue, landscapes: &[Landscape]) -> Matcher {
        let index = catalogue.index();
        let mut merged: BTreeMap<(ProductIdx, BoardId), Vec<String>> = BTreeMap::new();
        for l in landscapes {
            for e in &l.entries {
                let LandscapeProduct::Catalogue { id } = &e.product else {
                    continue;
                };
                let Some(idx) = index.idx_of(id) else {
                    continue;
                };
                let versions = merged.entry((idx, l.board)).or_default();
                for v in &e.versions {
                    if !versions.contains(v) {
                        versions.push(v.clone());
                    }
                }
            }
        }
        let mut holders = vec![Vec::new(); index.len()];
        for ((idx, board), versions) in merged {
            if let Some(list) = holders.get_mut(idx.0 as usize) {
                list.push(Holder { board, versions });
            }
        }
        Matcher { index, holders }
    }

    pub fn index(&self) -> &CatalogueIndex {
        &self.index
    }

    /// All matches, sorted by vulnerability, board, product.
    pub fn match_statements(&self, statements: &[Statement]) -> Vec<Match> {
        let mut out = Vec::new();
        self.for_each_match(statements, |m| out.push(m));
        out
    }

    /// Streams the matches (same order as [`Matcher::match_statements`]) without collecting
    /// them: a year of CVE records against every landscape need not sit in memory at once.
    pub fn for_each_match(&self, statements: &[Statement], mut emit: impl FnMut(Match)) {
        let mut order: Vec<usize> = (0..statements.len()).collect();
        order.sort_by(|a, b| {
            statements[*a]
                .vulnerability
                .cmp(&statements[*b].vulnerability)
        });
        let mut start = 0;
        while start < order.len() {
            let key = &statements[order[start]].vulnerability;
            let mut end = start;
            while end < order.len() && &statements[order[end]].vulnerability == key {
                end += 1;
            }
            let group: Vec<&Statement> =
                order[start..end].iter().map(|i| &statements[*i]).collect();
            self.match_group(key, &group, &mut emit);
            start = end;
        }
    }

    fn match_group(&self, key: &VulnKey, group: &[&Statement], emit: &mut impl FnMut(Match)) {
        let mut acc: FxHashMap<(ProductIdx, usize), Acc> = FxHashMap::default();
        for st in group {
            for resolved in self.index.resolve(&st.product) {
                let Some(product) = self.index.product(resolved.product) else {
                    continue;
                };
                let Some(holders) = self.holders.get(resolved.product.0 as usize) else {
                    continue;
                };
                for (h, holder) in holders.iter().enumerate() {
                    let Some((relation, level, affected)) =
                        relation::relate(st, product, &holder.versions)
                    else {
                        continue;
                    };
                    let a = acc.entry((resolved.product, h)).or_insert_with(|| Acc {
                        method: resolved.method,
                        primary: Verdict::default(),
                        secondary: Verdict::default(),
                        remediations: None,
                        fixed: None,
                        sources: Vec::new(),
                    });
                    a.method = a.method.min(resolved.method);
                    if is_secondary(&st.source) {
                        a.secondary.add(relation, level, affected);
                    } else {
                        a.primary.add(relation, level, affected);
                    }
                    a.remediations = unite(a.remediations.take(), &st.remediations);
                    a.fixed = unite(a.fixed.take(), &st.fixed_versions);
                    if !a.sources.iter().any(|s| **s == *st.source) {
                        a.sources.push(st.source.clone());
                    }
                }
            }
        }
        let mut found: Vec<((ProductIdx, usize), Acc)> = acc.into_iter().collect();
        found.sort_by(|a, b| {
            let board = |k: &(ProductIdx, usize)| {
                self.holders
                    .get(k.0.0 as usize)
                    .and_then(|h| h.get(k.1))
                    .map(|h| h.board)
            };
            board(&a.0).cmp(&board(&b.0)).then(a.0.0.cmp(&b.0.0))
        });
        for ((idx, h), mut a) in found {
            let (Some(product), Some(holder)) = (
                self.index.product(idx),
                self.holders.get(idx.0 as usize).and_then(|l| l.get(h)),
            ) else {
                continue;
            };
            let mut verdict = if a.primary.relation.is_some() {
                a.primary
            } else {
                a.secondary
            };
            let (Some(relation), Some(level)) = (verdict.relation, verdict.level) else {
                continue;
            };
            if relation != VersionRelation::Affected {
                verdict.affected.clear();
            }
            verdict.affected.sort();
            a.sources.sort();
            emit(Match {
                board: holder.board,
                product: product.id.clone(),
                vulnerability: key.clone(),
                method: a.method,
                relation,
                level,
                affected_versions: verdict.affected,
                remediations: a.remediations.unwrap_or_else(|| Arc::from([])),
                fixed_versions: a.fixed.unwrap_or_else(|| Arc::from([])),
                sources: a.sources,
            });
        }
    }

    /// Advisory vendor/product names that resolved to no catalogue product, with how often
    /// they occurred: the analysts' "unmatched names seen" list for curating aliases.
    pub fn unresolved_names(&self, statements: &[Statement]) -> Vec<(String, String, usize)> {
        let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
        for st in statements {
            if !self.index.resolve(&st.product).is_empty() {
                continue;
            }
            if let (Some(v), Some(p)) = (&st.product.vendor, &st.product.name) {
                *seen.entry((v.clone(), p.clone())).or_default() += 1;
            }
        }
        seen.into_iter().map(|((v, p), n)| (v, p, n)).collect()
    }
}
