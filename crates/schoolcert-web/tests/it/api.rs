//! The JSON API: bearer tokens only, problem details, paging, validation per field, the
//! OpenAPI document, and audit entries for every change made through it.

use axum::http::Method;
use schoolcert_domain::access::Role;
use schoolcert_domain::registry::BoardStatus;
use schoolcert_store::Backend;
use schoolcert_testkit::{TestApp, dual_tests};
use serde_json::json;

async fn tokens_are_required_revocable_and_die_with_their_user(b: Backend) {
    let t = TestApp::start(b).await;
    let board = t.board("10001", "Stichting A", BoardStatus::Active).await;
    let actor = t.user("ict@a.nl", Role::BoardContact, Some(board)).await;
    let mut c = t.client();
    let none = c.api(Method::GET, "/api/v1/boards", None, None).await;
    none.assert_status(401);
    assert_eq!(none.headers["content-type"], "application/problem+json");
    assert_eq!(none.headers["www-authenticate"], "Bearer");
    assert_eq!(none.json()["status"], 401);
    c.api(
        Method::GET,
        "/api/v1/boards",
        Some("sc_not-a-real-token"),
        None,
    )
    .await
    .assert_status(401);
    // A session cookie is no API credential.
    let mut browser = t.login("ict@a.nl").await;
    browser
        .api(Method::GET, "/api/v1/boards", None, None)
        .await
        .assert_status(401);

    let token = t.token(&actor).await;
    c.api(Method::GET, "/api/v1/boards", Some(&token), None)
        .await
        .assert_status(200);
    let id = schoolcert_app::auth::tokens::list(&t.app, &actor)
        .await
        .unwrap()[0]
        .id;
    schoolcert_app::auth::tokens::revoke(&t.app, &actor, id)
        .await
        .unwrap();
    c.api(Method::GET, "/api/v1/boards", Some(&token), None)
        .await
        .assert_status(401);

    let admin = t.user("beheer@cert.test", Role::CertAdmin, None).await;
    let token2 = t.token(&actor).await;
    schoolcert_app::auth::users::set_disabled(&t.app, &admin, actor.user_id, true)
        .await
        .unwrap();
    c.api(Method::GET, "/api/v1/boards", Some(&token2), None)
        .await
        .assert_status(401);
    t.finish().await;
}

async fn lists_page_and_bad_input_is_reported_per_field(b: Backend) {
    let t = TestApp::start(b).await;
    for i in 0..7 {
        t.board(
            &format!("3000{i}"),
            &format!("Stichting {i}"),
            BoardStatus::Registered,
        )
        .await;
    }
    let board = t.board("10001", "Stichting A", BoardStatus::Active).await;
    let cert = t.user("analist@cert.test", Role::CertAnalyst, None).await;
    let token = t.token(&cert).await;
    let mut c = t.client();
    let p1 = c
        .api(
            Method::GET,
            "/api/v1/boards?per_page=3&page=1",
            Some(&token),
            None,
        )
        .await
        .json();
    let p3 = c
        .api(
            Method::GET,
            "/api/v1/boards?per_page=3&page=3",
            Some(&token),
            None,
        )
        .await
        .json();
    assert_eq!(
        (p1["total"].as_i64(), p1["items"].as_array().unwrap().len()),
        (Some(8), 3)
    );
    assert_eq!(p3["items"].as_array().unwrap().len(), 2);

    let r = c
        .api(
            Method::POST,
            &format!("/api/v1/boards/{board}/contacts"),
            Some(&token),
            Some(json!({"name": "", "email": "nope", "role": "primary"})),
        )
        .await;
    r.assert_status(422);
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["name", "email"]);
    let r = c.api(Method::POST, &format!("/api/v1/boards/{board}/contacts"), Some(&token), Some(json!({"name": "Anna", "email": "anna@a.nl", "role": "primary", "phone": "0591659840"}))).await;
    r.assert_status(201);
    let contact = r.json()["id"].as_i64().unwrap();

    let claims = c
        .api(
            Method::POST,
            &format!("/api/v1/boards/{board}/assets"),
            Some(&token),
            Some(json!({"assets": ["145.97.16.0/24", "10.0.0.0/8", "a.nl"]})),
        )
        .await;
    let results = claims.json();
    assert_eq!(results[0]["result"], "added");
    assert_eq!(
        results[0]["status"], "approved",
        "the CERT registers directly"
    );
    assert_eq!(results[1]["result"], "refused");
    assert!(results[1]["message"].as_str().unwrap().contains("RFC 1918"));
    let r = c
        .api(
            Method::GET,
            "/api/v1/lookup?ip=145.97.16.1",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.json()["owners"][0]["board_id"], board.0);
    c.api(
        Method::GET,
        "/api/v1/lookup?ip=nonsense",
        Some(&token),
        None,
    )
    .await
    .assert_status(422);
    c.api(Method::GET, "/api/v1/lookup", Some(&token), None)
        .await
        .assert_status(422);

    // Every change is in the audit log, field by field.
    c.api(Method::PUT, &format!("/api/v1/contacts/{contact}"), Some(&token), Some(json!({"name": "Anna de Vries", "email": "anna@a.nl", "role": "primary", "phone": "0591659840"}))).await.assert_status(200);
    let audit = c
        .api(
            Method::GET,
            &format!("/api/v1/audit?board_id={}", board.0),
            Some(&token),
            None,
        )
        .await
        .json();
    let actions: Vec<String> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["object_type"].as_str().unwrap(),
                e["action"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        actions.contains(&"contact:create".to_owned())
            && actions.contains(&"contact:update".to_owned())
            && actions.contains(&"asset:claim".to_owned()),
        "{actions:?}"
    );
    let update = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "update")
        .unwrap();
    assert_eq!(
        update["changes"],
        json!([{"field": "name", "before": "Anna", "after": "Anna de Vries"}])
    );
    assert!(
        update["actor_label"]
            .as_str()
            .unwrap()
            .starts_with("analist@cert.test (API-token")
    );
    t.finish().await;
}

async fn the_openapi_document_describes_every_route(b: Backend) {
    let t = TestApp::start(b).await;
    let mut c = t.client();
    let doc = c.get("/api/v1/openapi.json").await.json();
    assert_eq!(
        doc["openapi"].as_str().map(|v| v.starts_with("3.")),
        Some(true)
    );
    for path in [
        "/boards",
        "/boards/{id}",
        "/boards/{id}/contacts",
        "/contacts/{id}",
        "/schools",
        "/assets",
        "/boards/{id}/assets",
        "/assets/{id}/decision",
        "/lookup",
        "/audit",
    ] {
        assert!(doc["paths"][path].is_object(), "missing {path}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    c.get("/api/v1/no-such-thing").await.assert_status(404);
    t.finish().await;
}

dual_tests!(
    tokens_are_required_revocable_and_die_with_their_user,
    lists_page_and_bad_input_is_reported_per_field,
    the_openapi_document_describes_every_route
);
