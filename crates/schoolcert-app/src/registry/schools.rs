//! School locations: scoped lists and details.

use schoolcert_domain::SchoolId;
use schoolcert_domain::access::Actor;
use schoolcert_store::registry::schools::{self, School, SchoolFilter, SchoolRow};
use schoolcert_store::{Page, PageRequest};

use crate::{App, AppResult};

pub async fn list(
    app: &App,
    actor: &Actor,
    filter: &SchoolFilter,
    page: PageRequest,
) -> AppResult<Page<SchoolRow>> {
    let mut cx = app.db.read().await?;
    Ok(schools::list(&mut cx, actor.scope(), filter, page).await?)
}

pub async fn get(app: &App, actor: &Actor, id: SchoolId) -> AppResult<School> {
    let mut cx = app.db.read().await?;
    Ok(schools::get(&mut cx, actor.scope(), id).await?)
}
