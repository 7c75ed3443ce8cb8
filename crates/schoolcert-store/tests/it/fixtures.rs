//! Small builders for store tests.

use chrono::{DateTime, TimeZone, Utc};
use schoolcert_domain::BoardId;
use schoolcert_domain::registry::BoardStatus;
use schoolcert_store::Db;
use schoolcert_store::registry::boards::{self, BoardFields};

pub fn t(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap()
}

pub fn fields(duo: &str, name: &str) -> BoardFields {
    BoardFields {
        duo_number: duo.into(),
        name: name.into(),
        sectors: "po".into(),
        street: String::new(),
        postcode: String::new(),
        city: String::new(),
        kvk_number: None,
        rio_id: None,
        website: None,
    }
}

pub async fn board(db: &Db, duo: &str, name: &str, status: BoardStatus) -> BoardId {
    let mut cx = db.write().await.unwrap();
    let id = boards::insert(&mut cx, &fields(duo, name), status, t(1))
        .await
        .unwrap();
    cx.commit().await.unwrap();
    id
}
