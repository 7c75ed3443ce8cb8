//! Platform plumbing: job queue, outbox, audit log, throttling, rate limits, change counters.

use chrono::Duration;
use schoolcert_domain::audit::change;
use schoolcert_store::outbox::{self, NewMail};
use schoolcert_store::{Backend, Db, audit, changes, jobs, ratelimit};
use schoolcert_testkit::{TestDb, dual_tests};
use serde_json::json;

use crate::fixtures::t;

async fn jobs_are_claimed_once_in_order_and_unique_keys_deduplicate(b: Backend) {
    let tdb = TestDb::new(b).await;
    let mut cx = tdb.db.write().await.unwrap();
    let first = jobs::enqueue(
        &mut cx,
        "a",
        &json!({}),
        t(1),
        Some("digest:2026-11-20"),
        t(0),
    )
    .await
    .unwrap();
    assert!(first.is_some());
    assert!(
        jobs::enqueue(
            &mut cx,
            "a",
            &json!({}),
            t(1),
            Some("digest:2026-11-20"),
            t(0)
        )
        .await
        .unwrap()
        .is_none()
    );
    jobs::enqueue(&mut cx, "b", &json!({"n": 2}), t(2), None, t(0))
        .await
        .unwrap();
    jobs::enqueue(&mut cx, "c", &json!({}), t(9), None, t(0))
        .await
        .unwrap();
    cx.commit().await.unwrap();

    let claim = |db: Db| async move {
        let mut cx = db.write().await.unwrap();
        let j = jobs::claim(&mut cx, "w1", t(3), Duration::minutes(5))
            .await
            .unwrap();
        cx.commit().await.unwrap();
        j
    };
    let j1 = claim(tdb.db.clone()).await.unwrap();
    assert_eq!(j1.kind, "a");
    let j2 = claim(tdb.db.clone()).await.unwrap();
    assert_eq!(j2.kind, "b");
    assert_eq!(j2.payload.0, json!({"n": 2}));
    assert!(
        claim(tdb.db.clone()).await.is_none(),
        "c is not due and a, b are leased"
    );

    let mut cx = tdb.db.write().await.unwrap();
    jobs::complete(&mut cx, j1.id, t(3)).await.unwrap();
    jobs::fail(&mut cx, j2.id, "boom", Some(t(4)), t(3))
        .await
        .unwrap();
    assert!(
        jobs::enqueue(
            &mut cx,
            "a",
            &json!({}),
            t(1),
            Some("digest:2026-11-20"),
            t(3)
        )
        .await
        .unwrap()
        .is_none(),
        "a finished job keeps its key"
    );
    let retried = jobs::claim(&mut cx, "w2", t(5), Duration::minutes(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (retried.id, retried.attempts, retried.last_error.as_deref()),
        (j2.id, 2, Some("boom"))
    );
    jobs::fail(&mut cx, j2.id, "boom again", None, t(5))
        .await
        .unwrap();
    cx.commit().await.unwrap();
    let mut cx = tdb.db.read().await.unwrap();
    assert_eq!(
        jobs::list(&mut cx, Some("dead"), 10).await.unwrap().len(),
        1
    );
    drop(cx);
    tdb.cleanup().await;
}

async fn a_crash_between_sending_and_marking_never_sends_twice(b: Backend) {
    let tdb = TestDb::new(b).await;
    let mail = NewMail {
        kind: "test".into(),
        board_id: None,
        to: vec!["a@school.nl".into()],
        subject: "s".into(),
        body_text: "b".into(),
        attachments: vec![],
    };
    let mut cx = tdb.db.write().await.unwrap();
    let id = outbox::enqueue(&mut cx, &mail, "<1@cert>", t(1))
        .await
        .unwrap();
    outbox::enqueue(&mut cx, &mail, "<2@cert>", t(1))
        .await
        .unwrap();
    cx.commit().await.unwrap();

    // A sender claims both, sends the first, and dies before marking it.
    let mut cx = tdb.db.write().await.unwrap();
    let claimed = outbox::claim_due(&mut cx, t(2), Duration::minutes(5), 10)
        .await
        .unwrap();
    cx.commit().await.unwrap();
    assert_eq!(claimed.len(), 2);

    // Another instance comes along after the lease.
    let mut cx = tdb.db.write().await.unwrap();
    assert_eq!(
        outbox::mark_stale_uncertain(&mut cx, t(3)).await.unwrap(),
        2
    );
    assert!(
        outbox::claim_due(&mut cx, t(3), Duration::minutes(5), 10)
            .await
            .unwrap()
            .is_empty(),
        "nothing is resent on its own"
    );
    // The dead sender's late mark does not resurrect the row either.
    outbox::mark_sent(&mut cx, id, t(3)).await.unwrap();
    assert_eq!(outbox::get(&mut cx, id).await.unwrap().status, "uncertain");
    // An administrator decides to resend.
    outbox::requeue(&mut cx, id, t(4)).await.unwrap();
    assert_eq!(
        outbox::claim_due(&mut cx, t(4), Duration::minutes(5), 10)
            .await
            .unwrap()
            .len(),
        1
    );
    cx.commit().await.unwrap();
    tdb.cleanup().await;
}

async fn a_failed_send_is_retried_later_and_attachments_survive(b: Backend) {
    let tdb = TestDb::new(b).await;
    let mail = NewMail {
        kind: "digest".into(),
        board_id: None,
        to: vec!["a@school.nl".into()],
        subject: "s".into(),
        body_text: "b".into(),
        attachments: vec![outbox::Attachment {
            filename: "events.csv".into(),
            content_type: "text/csv".into(),
            data: b"ip\n1.2.3.4\n".to_vec(),
        }],
    };
    let mut cx = tdb.db.write().await.unwrap();
    let id = outbox::enqueue(&mut cx, &mail, "<3@cert>", t(1))
        .await
        .unwrap();
    outbox::claim_due(&mut cx, t(1), Duration::minutes(5), 10)
        .await
        .unwrap();
    outbox::mark_failed(&mut cx, id, "connection refused", Some(t(2)))
        .await
        .unwrap();
    assert!(
        outbox::claim_due(&mut cx, t(1), Duration::minutes(5), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let again = outbox::claim_due(&mut cx, t(2), Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(again[0].attempts, 2);
    assert_eq!(
        outbox::attachments(&mut cx, id).await.unwrap()[0].data,
        b"ip\n1.2.3.4\n"
    );
    outbox::mark_sent(&mut cx, id, t(2)).await.unwrap();
    assert_eq!(outbox::get(&mut cx, id).await.unwrap().status, "sent");
    cx.commit().await.unwrap();
    tdb.cleanup().await;
}

async fn the_audit_log_refuses_updates_and_deletes(b: Backend) {
    let tdb = TestDb::new(b).await;
    let mut cx = tdb.db.write().await.unwrap();
    audit::record(
        &mut cx,
        audit::Record {
            by: audit::By::System("test"),
            board_id: None,
            object_type: "board",
            object_id: 1,
            action: "update",
            changes: vec![change("name", "a", "b")],
        },
        t(1),
    )
    .await
    .unwrap();
    cx.commit().await.unwrap();
    let (upd, del) = match &tdb.db {
        Db::Sqlite(p) => (
            sqlx::query("UPDATE audit_log SET action = 'x'")
                .execute(p)
                .await
                .is_err(),
            sqlx::query("DELETE FROM audit_log")
                .execute(p)
                .await
                .is_err(),
        ),
        Db::Postgres(p) => (
            sqlx::query("UPDATE audit_log SET action = 'x'")
                .execute(p)
                .await
                .is_err(),
            sqlx::query("DELETE FROM audit_log")
                .execute(p)
                .await
                .is_err(),
        ),
    };
    assert!(upd && del);
    let mut cx = tdb.db.read().await.unwrap();
    let page = audit::list(&mut cx, &Default::default(), Default::default())
        .await
        .unwrap();
    assert_eq!(page.items[0].changes[0].after, "b");
    assert_eq!(page.items[0].actor_label, "systeem: test");
    drop(cx);
    tdb.cleanup().await;
}

async fn login_throttle_locks_after_five_failures_and_rate_limits_count_per_window(b: Backend) {
    use schoolcert_store::accounts::throttle;
    let tdb = TestDb::new(b).await;
    let mut cx = tdb.db.write().await.unwrap();
    for i in 0..4 {
        assert!(
            throttle::record_failure(&mut cx, "acct:a@b.nl", t(1) + Duration::seconds(i))
                .await
                .unwrap()
                .is_none()
        );
    }
    let until = throttle::record_failure(&mut cx, "acct:a@b.nl", t(1) + Duration::seconds(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(until - (t(1) + Duration::seconds(5)), Duration::minutes(15));
    assert!(
        throttle::locked_until(&mut cx, "acct:a@b.nl", t(1) + Duration::minutes(10))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        throttle::locked_until(&mut cx, "acct:a@b.nl", t(1) + Duration::minutes(16))
            .await
            .unwrap()
            .is_none()
    );
    throttle::clear(&mut cx, "acct:a@b.nl").await.unwrap();

    for _ in 0..3 {
        assert!(
            ratelimit::hit(&mut cx, "cvd:1.2.3.4", 3, Duration::hours(1), t(1))
                .await
                .unwrap()
        );
    }
    assert!(
        !ratelimit::hit(&mut cx, "cvd:1.2.3.4", 3, Duration::hours(1), t(1))
            .await
            .unwrap()
    );
    assert!(
        ratelimit::hit(
            &mut cx,
            "cvd:1.2.3.4",
            3,
            Duration::hours(1),
            t(2) + Duration::seconds(1)
        )
        .await
        .unwrap(),
        "a new window starts afresh"
    );

    assert_eq!(changes::version(&mut cx, changes::ASSETS).await.unwrap(), 0);
    changes::bump(&mut cx, changes::ASSETS, t(1)).await.unwrap();
    changes::bump(&mut cx, changes::ASSETS, t(1)).await.unwrap();
    assert_eq!(changes::version(&mut cx, changes::ASSETS).await.unwrap(), 2);
    cx.commit().await.unwrap();
    tdb.cleanup().await;
}

dual_tests!(
    jobs_are_claimed_once_in_order_and_unique_keys_deduplicate,
    a_crash_between_sending_and_marking_never_sends_twice,
    a_failed_send_is_retried_later_and_attachments_survive,
    the_audit_log_refuses_updates_and_deletes,
    login_throttle_locks_after_five_failures_and_rate_limits_count_per_window,
);
