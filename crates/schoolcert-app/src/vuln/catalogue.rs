//! The application catalogue: seeded from the pure crate's catalogue on first use, edited by
//! the CERT (one product as TOML), and the sector picture (how many boards use what). A
//! change to a product's identifiers re-matches every landscape holding it.

use std::collections::HashMap;

use schoolcert_domain::access::Actor;
use schoolcert_store::Cx;
use schoolcert_store::audit::{self, By, Record};
use schoolcert_store::vuln::catalogue::{self as store, ProductFields, ProductRow, ProductUse};
use schoolcert_store::vuln::landscape as store_landscape;
use schoolcert_vuln::catalogue::{Catalogue, Product, ProductId};

use super::{code, from_json, to_json};
use crate::{App, AppError, AppResult, Msg, require_cert};

/// The catalogue as the matcher needs it, with the database id of each product.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub catalogue: Catalogue,
    pub ids: HashMap<ProductId, i64>,
}

impl Loaded {
    pub fn id_of(&self, id: &ProductId) -> Option<i64> {
        self.ids.get(id).copied()
    }

    pub fn by_db_id(&self, db_id: i64) -> Option<&Product> {
        let slug = self
            .ids
            .iter()
            .find(|(_, v)| **v == db_id)
            .map(|(k, _)| k)?;
        self.catalogue.get(slug)
    }
}

fn fields<'a>(p: &'a Product, data: &'a str, category: &'a str) -> ProductFields<'a> {
    ProductFields {
        slug: p.id.as_str(),
        name: &p.name,
        vendor: &p.vendor,
        category,
        data,
    }
}

/// Seeds the catalogue when it is empty (first start, fresh test database).
pub async fn seed_if_empty(app: &App, cx: &mut Cx) -> AppResult<usize> {
    if store::count(cx).await? > 0 {
        return Ok(0);
    }
    let seed = Catalogue::seed();
    for p in seed.products() {
        let data = to_json(p)?;
        let category = code(&p.category);
        store::insert(cx, &fields(p, &data, &category), app.now()).await?;
    }
    Ok(seed.len())
}

/// Loads the catalogue (seeding it first if the database has none yet).
pub async fn load(app: &App, cx: &mut Cx) -> AppResult<Loaded> {
    let mut rows = store::all(cx).await?;
    if rows.is_empty() {
        seed_if_empty(app, cx).await?;
        rows = store::all(cx).await?;
    }
    let mut products = Vec::with_capacity(rows.len());
    let mut ids = HashMap::new();
    for r in &rows {
        let p: Product = from_json(&r.data, "catalogue product")?;
        ids.insert(p.id.clone(), r.id);
        products.push(p);
    }
    Ok(Loaded {
        catalogue: Catalogue::new(products),
        ids,
    })
}

/// Every product (anyone logged in may read the catalogue: boards pick from it).
pub async fn list(app: &App) -> AppResult<Vec<Product>> {
    let mut cx = app.db.write().await?;
    let loaded = load(app, &mut cx).await?;
    cx.commit().await?;
    Ok(loaded.catalogue.products().to_vec())
}

pub async fn get(app: &App, slug: &str) -> AppResult<(ProductRow, Product)> {
    let mut cx = app.db.read().await?;
    let row = store::by_slug(&mut cx, slug).await?;
    let p: Product = from_json(&row.data, "catalogue product")?;
    Ok((row, p))
}

/// One product as the TOML the editor shows.
pub fn product_toml(p: &Product) -> AppResult<String> {
    Catalogue::new(vec![p.clone()])
        .to_toml()
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Parses the editor's TOML: exactly one valid `[[product]]`.
pub fn parse_product_toml(text: &str) -> AppResult<Product> {
    let (cat, errors) = Catalogue::from_toml(text).map_err(|e| {
        AppError::invalid(
            "toml",
            Msg::new(
                format!("Geen geldige TOML: {e}"),
                format!("Not valid TOML: {e}"),
            ),
        )
    })?;
    if let Some(e) = errors.first() {
        return Err(AppError::invalid(
            "toml",
            Msg::new(
                format!("Product {} klopt niet: {}", e.position, e.reason),
                format!("Product {} is wrong: {}", e.position, e.reason),
            ),
        ));
    }
    match cat.products() {
        [p] => Ok(p.clone()),
        _ => Err(AppError::invalid(
            "toml",
            Msg::new(
                "Geef precies één [[product]].",
                "Give exactly one [[product]].",
            ),
        )),
    }
}

/// The CERT adds or changes a product. Identifier changes re-match the boards holding it.
pub async fn save_product(app: &App, actor: &Actor, toml_text: &str) -> AppResult<String> {
    require_cert(actor)?;
    let product = parse_product_toml(toml_text)?;
    let data = to_json(&product)?;
    let category = code(&product.category);
    let now = app.now();
    let mut cx = app.db.write().await?;
    let loaded = load(app, &mut cx).await?;
    let old = loaded.catalogue.get(&product.id).cloned();
    let (id, action) = match loaded.id_of(&product.id) {
        Some(id) => {
            store::update(&mut cx, id, &fields(&product, &data, &category), now).await?;
            (id, "update")
        }
        None => (
            store::insert(&mut cx, &fields(&product, &data, &category), now).await?,
            "create",
        ),
    };
    audit::record(
        &mut cx,
        Record {
            by: By::Actor(actor),
            board_id: None,
            object_type: "vuln_product",
            object_id: id,
            action,
            changes: vec![schoolcert_domain::audit::change(
                "product",
                old.as_ref().map(|o| o.name.clone()),
                Some(product.name.clone()),
            )],
        },
        now,
    )
    .await?;
    // Boards that proposed this product by vendor and name now hold the catalogue product.
    store_landscape::link_proposals(&mut cx, &product.vendor, &product.name, id, now).await?;
    cx.commit().await?;
    let rematch = match &old {
        Some(o) => o.matching_changed(&product),
        None => true,
    };
    if rematch {
        super::matching::rematch(app, super::matching::Target::product(product.id.clone())).await?;
    }
    Ok(product.id.to_string())
}

/// How many boards use each product.
pub async fn sector_picture(app: &App, actor: &Actor) -> AppResult<Vec<ProductUse>> {
    require_cert(actor)?;
    let mut cx = app.db.write().await?;
    load(app, &mut cx).await?;
    let rows = store::sector_picture(&mut cx).await?;
    cx.commit().await?;
    Ok(rows)
}
